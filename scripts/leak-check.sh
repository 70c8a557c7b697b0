#!/usr/bin/env bash
# Prints (and then ends) every process whose environment carries the test run's marker, and
# detaches every loop device whose backing file is in the run's temp folder. Prints nothing
# when the run left nothing behind. Arguments: run id, the run's temp folder.
set -uo pipefail
run_id=$1 tmp=$2
marker="IMAGEURL_TEST_RUN=$run_id"

for environ in /proc/[0-9]*/environ; do
  pid=${environ#/proc/}
  pid=${pid%/environ}
  [ "$pid" = "$$" ] && continue
  if { tr '\0' '\n' <"$environ"; } 2>/dev/null | grep -qxF "$marker"; then
    echo "  process $pid: $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | cut -c1-160)"
    kill -KILL "$pid" 2>/dev/null
  fi
done

while IFS= read -r line; do
  device=${line%%:*}
  case "$line" in
    *"($tmp/"*)
      echo "  loop device $line"
      losetup --detach "$device" 2>/dev/null
      ;;
  esac
done < <(losetup --list --noheadings --output NAME,BACK-FILE 2>/dev/null | awk '{print $1 ": (" $2 ")"}')
