#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# /init of the Slipway guest (busybox sh, PID 1). Brings up the node from the initramfs:
# mounts, cgroup v2, modules, eth0 (QEMU user-mode network), the data disk at
# /var/lib/slipway (formatted on first boot), the cluster PKI from the host, then slipwayd.
# Stops gracefully on the ACPI power button (libvirt's virDomainShutdown), on Ctrl-Alt-Del and
# on `poweroff` inside the guest: SIGTERM to slipwayd, a deadline, sync, unmount, power off.
#
# The host's settings come from /etc/slipway/guest.env and /etc/slipway/pki/*, which the
# node's config initramfs (vm::image::writeConfigInitramfs) lays over this image.

export PATH=/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root
umask 022

# The initramfs is the kernel's rootfs, which pivot_root refuses to leave ("pivot_root .:
# invalid argument" from runc for every container): copy it into a tmpfs and switch_root there
# first. switch_root frees the initramfs' files, so the copy does not double the memory used.
if [ "$$" = 1 ] && [ -z "$SLIPWAY_SWITCHED_ROOT" ]; then
    mount -t proc proc /proc
    if grep -q '^rootfs / ' /proc/mounts; then
        mkdir -p /newroot
        mount -t tmpfs -o mode=0755 root /newroot
        for entry in /* /.[!.]*; do
            case "$entry" in
            /proc | /sys | /dev | /newroot | '/.[!.]*') ;;
            *) cp -a "$entry" /newroot/ ;;
            esac
        done
        mkdir -p /newroot/proc /newroot/sys /newroot/dev
        umount /proc
        export SLIPWAY_SWITCHED_ROOT=1
        exec switch_root /newroot /init
    fi
    umount /proc
fi

DATA_DIR=/var/lib/slipway
DATA_DISK=/dev/vda
STOP_GRACE=20

say() {
    echo "slipway-guest: $*" >/dev/console
}

mount -t proc -o nosuid,nodev,noexec proc /proc
mount -t sysfs -o nosuid,nodev,noexec sysfs /sys
mount -t devtmpfs -o nosuid,mode=0755 devtmpfs /dev
exec </dev/console >/dev/console 2>&1
mkdir -p /dev/pts /dev/shm /dev/mqueue
mount -t devpts -o nosuid,noexec,gid=5,mode=620,ptmxmode=000 devpts /dev/pts
mount -t tmpfs -o nosuid,nodev,mode=1777 shm /dev/shm
mount -t mqueue -o nosuid,nodev,noexec mqueue /dev/mqueue
mount -t tmpfs -o nosuid,nodev,mode=0755 run /run
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
# runc and the node agent find cgroup v2 by /sys/fs/cgroup/cgroup.controllers.
mount -t cgroup2 -o nosuid,nodev,noexec,nsdelegate cgroup2 /sys/fs/cgroup
echo "+cpuset +cpu +io +memory +pids" >/sys/fs/cgroup/cgroup.subtree_control 2>/dev/null
mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
# Ctrl-Alt-Del sends SIGINT to init instead of rebooting at once.
echo 0 >/proc/sys/kernel/ctrl-alt-del
echo /usr/sbin/modprobe >/proc/sys/kernel/modprobe
dmesg -n 1

SLIPWAY_ROLE=server
SLIPWAY_NODE_NAME=slipway
SLIPWAY_CLUSTER_NAME=slipway
SLIPWAY_API_PORT=6443
SLIPWAY_NODE_IP=10.0.2.15
SLIPWAY_NODE_PREFIX=24
SLIPWAY_GATEWAY=10.0.2.2
SLIPWAY_DNS=10.0.2.3
SLIPWAY_EXTRA_ARGS=
if [ -r /etc/slipway/guest.env ]; then
    . /etc/slipway/guest.env
else
    say "no /etc/slipway/guest.env: using defaults"
fi

# Devices first (virtio over PCI, or MMIO on microvm), then what the data disk and the pod
# network need; nftables expressions load on demand through the kernel's modprobe.
for module in virtio_pci virtio_mmio virtio_blk virtio_net virtio_console virtio_rng \
    virtio_balloon crc32c_generic ext4 overlay br_netfilter veth button evdev; do
    modprobe -q "$module" 2>/dev/null
done

hostname "$SLIPWAY_NODE_NAME"
echo "$SLIPWAY_NODE_NAME" >/etc/hostname
ip link set lo up
wait_for() { # PATH SECONDS
    tries=$(($2 * 10))
    while [ ! -e "$1" ] && [ "$tries" -gt 0 ]; do
        usleep 100000
        tries=$((tries - 1))
    done
    [ -e "$1" ]
}
if wait_for /sys/class/net/eth0 10; then
    ip link set eth0 up
    ip addr add "$SLIPWAY_NODE_IP/$SLIPWAY_NODE_PREFIX" dev eth0
    ip route add default via "$SLIPWAY_GATEWAY" dev eth0
    echo "nameserver $SLIPWAY_DNS" >/etc/resolv.conf
    if [ -n "$SLIPWAY_PRIVATE_INTERFACE" ] && [ -n "$SLIPWAY_PRIVATE_ADDRESS" ]; then
        if wait_for "/sys/class/net/$SLIPWAY_PRIVATE_INTERFACE" 10; then
            ip link set "$SLIPWAY_PRIVATE_INTERFACE" up
            ip addr add "$SLIPWAY_PRIVATE_ADDRESS" dev "$SLIPWAY_PRIVATE_INTERFACE"
        else
            say "no network interface $SLIPWAY_PRIVATE_INTERFACE"
        fi
    fi
    say "network up"
else
    say "no network interface eth0"
fi

# The data disk: formatted only while it holds no filesystem and nothing but zeros at its
# start (a fresh qcow2), so a disk that fails to mount is never wiped.
ext_magic() {
    dd if="$DATA_DISK" bs=1 skip=1080 count=2 2>/dev/null | hexdump -e '2/1 "%02x"'
}
blank_start() {
    [ "$(dd if="$DATA_DISK" bs=65536 count=1 2>/dev/null | tr -d '\000' | wc -c)" -eq 0 ]
}
data_ready=
if wait_for "$DATA_DISK" 10; then
    if [ "$(ext_magic)" != "53ef" ]; then
        if blank_start; then
            say "formatting $DATA_DISK (first boot)"
            # The real mke2fs by path: busybox sh would run its own applet of that name.
            /usr/sbin/mke2fs -q -F -t ext4 -L slipway-data -E lazy_itable_init=1,lazy_journal_init=1 \
                "$DATA_DISK" || say "mke2fs $DATA_DISK failed"
        else
            say "$DATA_DISK holds data that is not an ext4 filesystem: not formatting it"
        fi
    fi
    mkdir -p "$DATA_DIR"
    if mount -t ext4 -o noatime "$DATA_DISK" "$DATA_DIR"; then
        data_ready=1
    else
        say "cannot mount $DATA_DISK"
    fi
else
    say "no data disk $DATA_DISK: state lives in memory only"
fi
mkdir -p "$DATA_DIR/pki" "$DATA_DIR/log"
chmod 0700 "$DATA_DIR/pki"
# The host is authoritative for the cluster CA and the admin credentials.
for file in ca.crt ca.key admin.crt admin.key; do
    if [ -f "/etc/slipway/pki/$file" ]; then
        cp "/etc/slipway/pki/$file" "$DATA_DIR/pki/$file.new"
        case "$file" in
        *.key) chmod 0600 "$DATA_DIR/pki/$file.new" ;;
        *) chmod 0644 "$DATA_DIR/pki/$file.new" ;;
        esac
        mv -f "$DATA_DIR/pki/$file.new" "$DATA_DIR/pki/$file"
    fi
done
[ -n "$data_ready" ] && say "data disk ready"

sysctl -q -w net.ipv4.ip_forward=1 >/dev/null 2>&1
sysctl -q -w net.bridge.bridge-nf-call-iptables=1 >/dev/null 2>&1
ulimit -n 1048576 2>/dev/null

# The ACPI power button (button.ko) reaches acpid through evdev; it runs
# /etc/acpi/PWRF/00000080, which asks init to power off (SIGUSR2).
acpid -c /etc/acpi -l /run/acpid.log

slipwayd_pid=
stopping=
shutdown() {
    [ -n "$stopping" ] && return
    stopping=1
    say "stopping slipwayd"
    if [ -n "$slipwayd_pid" ]; then
        kill -TERM "$slipwayd_pid" 2>/dev/null
        tries=$((STOP_GRACE * 10))
        while kill -0 "$slipwayd_pid" 2>/dev/null && [ "$tries" -gt 0 ]; do
            usleep 100000
            tries=$((tries - 1))
        done
        kill -KILL "$slipwayd_pid" 2>/dev/null
    fi
    # Containers and their shims outlive slipwayd by design: stop them too.
    kill -TERM -1 2>/dev/null
    usleep 500000
    kill -KILL -1 2>/dev/null
    sync
    # Container root filesystems and volumes under the data dir first, deepest first.
    awk -v dir="$DATA_DIR/" 'index($2, dir) == 1 { print $2 }' /proc/mounts | sort -r |
        while read -r mountpoint; do
            umount -l "$mountpoint" 2>/dev/null
        done
    umount "$DATA_DIR" 2>/dev/null || mount -o remount,ro "$DATA_DIR" 2>/dev/null
    sync
    say "powering off"
    # QEMU's microvm has no ACPI: there the driver boots with reboot=t and destroys the
    # domain when it resets.
    if [ -d /sys/firmware/acpi ]; then
        poweroff -f
    fi
    reboot -f
}
trap shutdown USR1 USR2 TERM INT

LOG="$DATA_DIR/log/slipwayd.log"
[ -f "$LOG" ] && [ "$(wc -c <"$LOG")" -gt 10485760 ] && mv -f "$LOG" "$LOG.1"
mkfifo /run/slipwayd.out
tee -a "$LOG" </run/slipwayd.out >/dev/console &

eval "set -- $SLIPWAY_EXTRA_ARGS"
# On the private network between the cluster's VMs, the node's address is the private one: the
# other nodes route its pods there and reach its API server and streaming server there. Node
# ports are served on both addresses: the host's forwards arrive on the user-mode NIC.
node_ip="$SLIPWAY_NODE_IP"
if [ -n "$SLIPWAY_PRIVATE_ADDRESS" ]; then
    node_ip="${SLIPWAY_PRIVATE_ADDRESS%/*}"
    set -- --nodeport-addresses "$SLIPWAY_NODE_IP,$node_ip" "$@"
fi
case "$SLIPWAY_ROLE" in
server)
    # Agents join with the cluster's join token: one line of the static token file, in group
    # system:nodes.
    if [ -n "$SLIPWAY_JOIN_TOKEN" ]; then
        umask 077
        printf '%s,system:node-join,system:node-join,"system:nodes"\n' "$SLIPWAY_JOIN_TOKEN" \
            >/run/slipway-tokens.csv
        umask 022
        set -- --token-auth-file /run/slipway-tokens.csv "$@"
    fi
    slipwayd server --data-dir "$DATA_DIR" --listen "0.0.0.0:$SLIPWAY_API_PORT" --node-agent \
        --node-name "$SLIPWAY_NODE_NAME" --cluster-name "$SLIPWAY_CLUSTER_NAME" \
        --node-ip "$node_ip" "$@" >/run/slipwayd.out 2>&1 &
    slipwayd_pid=$!
    say "slipwayd started"
    ;;
agent)
    # A node joining the server (slipwayd agent): its token, the cluster CA, and the serving
    # certificate the host issued for it.
    umask 077
    printf '%s\n' "$SLIPWAY_JOIN_TOKEN" >/run/slipway-token
    umask 022
    set -- --ca-cert /etc/slipway/pki/ca.crt "$@"
    if [ -f /etc/slipway/pki/kubelet.crt ]; then
        set -- --kubelet-cert /etc/slipway/pki/kubelet.crt \
            --kubelet-key /etc/slipway/pki/kubelet.key "$@"
    fi
    slipwayd agent --server "$SLIPWAY_SERVER_URL" --token-file /run/slipway-token \
        --data-dir "$DATA_DIR" --node-name "$SLIPWAY_NODE_NAME" --node-ip "$node_ip" \
        "$@" >/run/slipwayd.out 2>&1 &
    slipwayd_pid=$!
    say "slipwayd started"
    ;;
*)
    slipwayd_pid=
    say "role $SLIPWAY_ROLE is not supported by this image"
    ;;
esac


# PID 1 never exits: it wakes every second to reap orphans, and at once for the signals above.
while :; do
    sleep 1 &
    wait $!
    if [ -z "$stopping" ] && [ -n "$slipwayd_pid" ] && ! kill -0 "$slipwayd_pid" 2>/dev/null; then
        say "slipwayd exited"
        slipwayd_pid=
    fi
done
