#!/bin/bash
# `partprobe [-d] [-s] [DEVICE...]` and `blockdev --rereadpt DEVICE...` inside a simulated server
# (boot-host.sh puts this first on root's PATH under both names). This machine's kernel makes no
# partitions on loop devices, so instead of asking the kernel it asks the simulator, through the
# host's control folder, to read each disk's partition table and give this system one node per
# partition (/dev/sda1, ...), replacing the previous ones. It waits for the answer and fails
# with the simulator's reason, as partprobe fails when the kernel refuses. Other blockdev
# commands go to the real blockdev.
set -euo pipefail
readonly control=/run/imageurl-control disks_file=/run/imageurl-boot/disks timeout_seconds=60
me=$(basename "$0")

if [ "$me" = blockdev ]; then
  real=/usr/sbin/blockdev
  [ -x "$real" ] || real=/sbin/blockdev
  rest=() devices=() reread=''
  for argument in "$@"; do
    if [ "$argument" = --rereadpt ]; then reread=1; else rest+=("$argument"); fi
    if [ -b "$argument" ]; then devices+=("$argument"); fi
  done
  [ -n "$reread" ] || exec "$real" "$@"
  [ ${#rest[@]} -eq ${#devices[@]} ] || "$real" "${rest[@]}"
  [ ${#devices[@]} -gt 0 ] || { echo "blockdev: no device specified" >&2; exit 1; }
  exec "$(dirname "$0")/partprobe" "${devices[@]}"
fi

summary='' dry_run=''
while [ $# -gt 0 ]; do
  case $1 in
    -s | --summary) summary=1 ;;
    -d | --dry-run) dry_run=1 ;;
    -h | --help)
      echo "Usage: partprobe [-d] [-s] [DEVICE...] (simulated: asks the simulator for partition nodes)"
      exit 0
      ;;
    --) shift && break ;;
    -*) echo "partprobe: invalid option -- '$1'" >&2 && exit 1 ;;
    *) break ;;
  esac
  shift
done

names=()
for device in "$@"; do
  path=$(readlink -f -- "$device" 2>/dev/null || true)
  name=${path#/dev/}
  known=
  while read -r disk _; do [ "$disk" = "$name" ] && known=1; done <"$disks_file"
  if [ -z "$known" ]; then
    echo "Error: Could not stat device $device - not a disk of this server." >&2
    exit 1
  fi
  names+=("$name")
done
[ -z "$dry_run" ] || exit 0

request="$control/partprobe.$$.request" reply="$control/partprobe.$$.reply"
trap 'rm -f "$request" "$request.new" "$reply"' EXIT
rm -f "$reply"
mkfifo -m 0600 "$reply"
exec 3<>"$reply" # read-write: opening never blocks, and the host finds a reader at once
printf '%s\n' "${names[@]}" | sed '/^$/d' >"$request.new"
mv -f "$request.new" "$request"
while IFS= read -r -t "$timeout_seconds" -u 3 line; do
  case $line in
    ok) exit 0 ;;
    "error "*)
      echo "Error: ${line#error }" >&2
      exit 1
      ;;
    *) if [ -n "$summary" ]; then echo "$line"; fi ;;
  esac
done
echo "Error: the simulator did not answer within $timeout_seconds seconds" >&2
exit 1
