import { createHash } from 'node:crypto';

/**
 * The launcher that runs on the rescue system, as fixed text. It is uploaded over SFTP and run
 * as `/bin/bash <path> <subcommand>`; values never become part of it or of that command line:
 * they arrive on stdin as NUL-terminated fields (see start-request.ts), are assigned with
 * `read -d ''` and reach the image-url-command only as argv and environment.
 *
 * Kept free of `${` and backquotes so it can live in a template literal; a unit test runs
 * `bash -n` on it.
 *
 * Files (CAPH's names where CAPH has one, so operators find them where they used to):
 *   /root/image-url-command       the command (0700)      /root/bootstrap.data  (0600)
 *   /root/image-url-command.log   stdout+stderr           /root/image-url-command.pid
 *   /root/.image-url-command/     attempt (claim symlink), supervisor.pid, started, ended
 *                                 ("<status> <epoch ms>"), stopped, staged-* (uploads)
 */
export const launcherScript = `#!/bin/bash
# imageurl launcher for the image-url-command (src/rescue/launcher-script.ts). Fixed text: no
# user value is part of it or of the command line that runs it. Subcommands: start, status,
# stop (requests on stdin as NUL-terminated fields) and supervise (internal).
set -euo pipefail
inherited_umask=$(umask)
umask 077
base=/root/.image-url-command
claim=$base/attempt
command=/root/image-url-command
bootstrap=/root/bootstrap.data
log=/root/image-url-command.log
pidfile=/root/image-url-command.pid
supervisor=$base/supervisor.pid
started=$base/started
ended=$base/ended
stopped=$base/stopped

now_ms() { date +%s%3N; }
fail() { echo "error=$2"; exit "$1"; }

# Reads the next NUL-terminated request field into the variable named $1.
field() { IFS= read -r -d '' "$1" || fail 64 "truncated request"; }

no_more_fields() {
  local extra=''
  if IFS= read -r -d '' extra || [ -n "$extra" ]; then fail 64 "unexpected request data"; fi
}

check_attempt() {
  [[ $1 =~ ^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$ ]] || fail 64 "invalid attempt id"
}

# Waits up to 5 s for a file another process of this launcher is about to write.
await_file() {
  local _
  for _ in $(seq 100); do
    [ -f "$1" ] && return 0
    sleep 0.05
  done
  return 1
}

# Answers a start whose boot is already claimed: by this attempt (idempotent) or another one.
report_claimed() {
  local owner
  rm -rf -- "$2"
  owner=$(readlink -- "$claim") || fail 70 "unreadable claim"
  if [ "$owner" = "$1" ]; then echo "result=already-started"; else echo "result=conflict"; fi
}

start() {
  local version attempt staging url name devices token dir
  field version; field attempt; field staging; field url; field name; field devices; field token
  no_more_fields
  [ "$version" = 1 ] || fail 64 "unsupported request version"
  check_attempt "$attempt"
  [[ $staging =~ ^staged-[0-9a-f]{16}$ ]] || fail 64 "invalid staging name"
  dir=$base/$staging
  # A claimed boot never starts again (the winner of a race removes every staging folder).
  if [ -L "$claim" ]; then report_claimed "$attempt" "$dir"; return 0; fi
  if [ ! -f "$dir/command" ] || [ ! -f "$dir/bootstrap.data" ]; then fail 66 "staged files missing"; fi
  # ln -s is atomic: of concurrent starts exactly one creates the claim, which names the attempt.
  if ! ln -s -- "$attempt" "$claim" 2>/dev/null; then report_claimed "$attempt" "$dir"; return 0; fi
  mv -f -- "$dir/command" "$command"
  mv -f -- "$dir/bootstrap.data" "$bootstrap"
  chmod 0700 -- "$command"
  chmod 0600 -- "$bootstrap"
  rm -rf -- "$base"/staged-*
  now_ms >"$started"
  : >"$log"
  # Exported only now: this process's initial environment (/proc/PID/environ) never holds it.
  export OCI_REGISTRY_AUTH_TOKEN="$token"
  # The supervisor leads a session of its own, so it outlives this SSH session.
  setsid /bin/bash "$0" supervise "$url" "$name" "$devices" "$inherited_umask" </dev/null >/dev/null 2>&1 &
  await_file "$pidfile" || fail 70 "the command did not start within 5 s"
  echo "result=started"
}

supervise() {
  local mask=$4 pid status
  echo "$$" >"$supervisor"
  cd /root
  [[ $mask =~ ^[0-7]{3,4}$ ]] || mask=0022
  umask "$mask"
  # The command gets a session and process group of its own: stop signals the whole group.
  # A script's background jobs ignore SIGINT and SIGQUIT; env --default-signal (coreutils 8.31+)
  # restores the dispositions the command would have when run by hand.
  if env --default-signal=INT,QUIT true 2>/dev/null; then
    setsid env --default-signal=INT,QUIT "$command" "$1" "$bootstrap" "$2" "$3" </dev/null >>"$log" 2>&1 &
  else
    setsid "$command" "$1" "$bootstrap" "$2" "$3" </dev/null >>"$log" 2>&1 &
  fi
  pid=$!
  echo "$pid" >"$pidfile.tmp"
  mv -f -- "$pidfile.tmp" "$pidfile"
  set +e
  wait "$pid"
  status=$?
  echo "$status $(now_ms)" >"$ended.tmp"
  mv -f -- "$ended.tmp" "$ended"
}

status() {
  local spid=''
  if [ ! -L "$claim" ]; then echo "attempt="; return 0; fi
  echo "attempt=$(readlink -- "$claim")"
  if [ -f "$started" ]; then echo "started=$(<"$started")"; fi
  # A start in progress writes the supervisor's pid within moments of claiming.
  if await_file "$supervisor"; then spid=$(<"$supervisor"); fi
  # Liveness before the end record: the supervisor writes "ended" before it exits.
  if [ -n "$spid" ] && kill -0 "$spid" 2>/dev/null && grep -qa supervise "/proc/$spid/cmdline" 2>/dev/null; then
    echo "supervisor=alive"
  else
    echo "supervisor=gone"
  fi
  if [ -f "$pidfile" ]; then echo "pid=$(<"$pidfile")"; fi
  if [ -f "$ended" ]; then echo "ended=$(<"$ended")"; fi
  if [ -f "$stopped" ]; then echo "stopped=yes"; fi
  return 0
}

group_alive() { kill -0 -- "-$1" 2>/dev/null; }

# Waits until process group $1 is empty or $2 ms have passed.
await_group_end() {
  local deadline=$(( $(now_ms) + $2 ))
  while group_alive "$1" && [ "$(now_ms)" -lt "$deadline" ]; do sleep 0.05; done
}

stop() {
  local version attempt grace pgid
  field version; field attempt; field grace
  no_more_fields
  [ "$version" = 1 ] || fail 64 "unsupported request version"
  check_attempt "$attempt"
  [[ $grace =~ ^[0-9]{1,6}$ ]] || fail 64 "invalid grace period"
  if [ ! -L "$claim" ]; then echo "result=not-started"; return 0; fi
  if [ "$(readlink -- "$claim")" != "$attempt" ]; then echo "result=other-attempt"; return 0; fi
  await_file "$pidfile" || { echo "result=no-process"; return 0; }
  pgid=$(<"$pidfile")
  [[ $pgid =~ ^[1-9][0-9]*$ ]] || fail 70 "invalid pid file"
  if [ ! -f "$ended" ]; then : >"$stopped"; fi
  # The whole group: whatever the command started that still runs ends with it.
  kill -TERM -- "-$pgid" 2>/dev/null || true
  await_group_end "$pgid" "$grace"
  if group_alive "$pgid"; then
    kill -KILL -- "-$pgid" 2>/dev/null || true
    await_group_end "$pgid" 5000
  fi
  await_file "$ended" || true
  echo "result=stopped"
}

[ "$#" -ge 1 ] || fail 64 "missing subcommand"
case "$1" in
  start) start ;;
  supervise) shift; supervise "$@" ;;
  status) status ;;
  stop) stop ;;
  *) fail 64 "unknown subcommand" ;;
esac
`;

/** Where the launcher lives; versioned by content so a running older launcher is never overwritten. */
export const launcherPath = `/root/.image-url-command/launcher-${createHash('sha256')
  .update(launcherScript)
  .digest('hex')
  .slice(0, 12)}.sh`;

export const launcherBase = '/root/.image-url-command';
