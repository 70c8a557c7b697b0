#!/bin/sh
# `reboot`, `poweroff`, `halt` and `shutdown` inside a simulated server (boot-host.sh puts this
# first on root's PATH). It records what was asked in the host's control folder and ends the
# booted system; the simulator then decides what boots next, as firmware and Hetzner's rescue
# flag do for a real server. It returns at once, as systemctl does, so the caller sees exit 0.
set -eu
case "$(basename "$0")" in
  poweroff | halt) request=poweroff ;;
  shutdown)
    request=poweroff
    for argument in "$@"; do [ "$argument" = "-r" ] && request=reboot; done
    ;;
  *) request=reboot ;;
esac
echo "$request" >/run/imageurl-control/request
# PID 1 is the system's sshd; it exits on SIGTERM, and the kernel ends the rest of the system.
setsid sh -c 'sleep 0.2; kill -TERM 1' </dev/null >/dev/null 2>&1 &
exit 0
