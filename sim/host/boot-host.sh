#!/bin/bash
# Runs as PID 1 of a fresh PID, mount and UTS namespace (started by server-host.ts) and turns
# that namespace into a small server: its own hostname, an empty RAM-backed /root, a /dev that
# holds only the basic nodes and this host's disks, then becomes the host's sshd.
# Everything it changes is inside the namespace; the machine's /root, /dev, /run, /tmp and /sys
# are untouched. Arguments: $1 the boot folder, $2 the hostname, $3 the host's control folder
# (where reboot/poweroff requests from inside the system are written for the simulator).
set -euo pipefail
state=$1
control=$3
shim="$(dirname "$0")/power-shim.sh"
partprobe_shim="$(dirname "$0")/partprobe-shim.sh"
hostname "$2"

# The boot files are copied into the namespace's own /run before /tmp and /root are covered
# by fresh mounts; sshd_config refers to them there.
mount -t tmpfs -o mode=0755 tmpfs /run
cp -a "$state" /run/imageurl-boot
# The system's own /etc: the machine's as the lower layer, what the system writes (cloud-init's
# write_files, /etc/kubernetes) stays in its RAM and goes with it.
mkdir -p /run/imageurl-etc/upper /run/imageurl-etc/work
mount -t overlay overlay -o lowerdir=/etc,upperdir=/run/imageurl-etc/upper,workdir=/run/imageurl-etc/work /etc
state=/run/imageurl-boot
mapfile -t disks <"$state/disks"
ln -s imageurl-boot/files /run/imageurl-system   # files the simulator hands this system
mkdir /run/imageurl-control
mount --bind "$control" /run/imageurl-control

# reboot, poweroff, halt and shutdown end this system through the control folder (root's PATH
# starts with /usr/local/sbin; an absolute /sbin/reboot still reaches systemctl and fails).
mkdir /run/imageurl-boot/bin
install -m 0755 "$shim" /run/imageurl-boot/bin/power-shim
for name in reboot poweroff halt shutdown; do ln -s power-shim "/run/imageurl-boot/bin/$name"; done
# partprobe and `blockdev --rereadpt` ask the simulator for partition nodes (/dev/sda1, ...):
# this kernel makes no partitions on loop devices (ADR 0002). Other blockdev calls pass through.
install -m 0755 "$partprobe_shim" /run/imageurl-boot/bin/partprobe-shim
for name in partprobe blockdev; do ln -s partprobe-shim "/run/imageurl-boot/bin/$name"; done
mount --bind /run/imageurl-boot/bin /usr/local/sbin
mkdir -p /run/sshd /run/udev/data          # sshd's privilege-separation dir; lsblk's udev database
cp "$state"/udev/* /run/udev/data/

# A root password for this system only (the rescue system's): its own shadow file over the
# machine's, visible in this mount namespace alone.
[ -f "$state/shadow" ] && mount --bind "$state/shadow" /etc/shadow
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t tmpfs -o mode=0700 tmpfs /root
install -d -m 0700 /root/.ssh
install -m 0600 "$state/authorized_keys" /root/.ssh/authorized_keys

mount -t tmpfs -o mode=0755 tmpfs /dev
for node in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
  IFS=: read -r name major minor <<<"$node"
  mknod -m 0666 "/dev/$name" c "$major" "$minor"
done
mkdir /dev/pts /dev/shm
mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts /dev/pts
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
ln -s pts/ptmx /dev/ptmx
ln -s /proc/self/fd /dev/fd
ln -s fd/0 /dev/stdin && ln -s fd/1 /dev/stdout && ln -s fd/2 /dev/stderr

# Disks: each line is "<name> <major> <minor> <loop device name>". The device node gets the
# server's name (sda, ...), and sysfs is masked so lsblk lists exactly these disks by that name.
mount -t tmpfs tmpfs /sys/block
mount -t tmpfs tmpfs /sys/class/block
mount -t tmpfs tmpfs /sys/dev/block
for line in "${disks[@]}"; do
  read -r name major minor loop <<<"$line"
  mknod -m 0660 "/dev/$name" b "$major" "$minor"
  ln -s "../devices/virtual/block/$loop" "/sys/block/$name"
  ln -s "../../devices/virtual/block/$loop" "/sys/class/block/$name"
  ln -s "../../block/$name" "/sys/dev/block/$major:$minor"
done

exec /usr/sbin/sshd -D -e -f /run/imageurl-boot/sshd_config
