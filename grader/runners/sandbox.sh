#!/bin/sh
# gradecheck's isolation for one submission process, run as root inside fresh mount, network, PID and IPC
# namespaces (`unshare --mount --net --pid --ipc --fork --kill-child`; see docs/security.md):
#   sandbox.sh ROOT UID GID NPROC FSIZE_BYTES TMPFS_MB [BIND_DIR...] -- CMD ARGS...
# ROOT is the grader's private staging directory (the harness and a copy of the submission in
# ROOT/gradecheck). It becomes the child's whole filesystem: the system directories read-only, a few
# device nodes, a fresh /proc of the new PID namespace, and size-capped tmpfs at /tmp and /work (the cwd).
# Then it drops to UID:GID (no groups, no capabilities, no_new_privs) with process and file-size limits.
# The repository, the assignment, the out dir and every other file of the grader's are not there.
# Any setup failure exits 125 before the harness runs (the grader reports the grade as ungradable).
set -eu
CHILD_PATH=$PATH
PATH=/usr/sbin:/usr/bin:/sbin:/bin
R=$1 U=$2 G=$3 NPROC=$4 FSIZE=$5 TMPMB=$6
shift 6
fail() { echo "gradecheck sandbox: $*" >&2; exit 125; }
ro_bind() { # ro_bind HOST_DIR
  mkdir -p "$R$1" || fail "mkdir $R$1"
  /usr/bin/mount --rbind "$1" "$R$1" || fail "bind $1"
  /usr/bin/mount -o remount,bind,ro "$R$1" || fail "read-only $1"
}
/usr/bin/mount --make-rprivate / || fail "make mounts private"
/usr/bin/mount --bind "$R" "$R" || fail "bind the root"
while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do ro_bind "$1"; shift; done
[ "${1:-}" = "--" ] || fail "usage: sandbox.sh ROOT UID GID NPROC FSIZE TMPFS_MB [BIND...] -- CMD..."
shift
for d in usr bin sbin lib lib32 lib64 libx32 etc; do
  if [ -L "/$d" ]; then ln -sfn "$(readlink "/$d")" "$R/$d" || fail "link /$d"
  elif [ -d "/$d" ]; then ro_bind "/$d"; fi
done
mkdir -p "$R/dev" "$R/proc" "$R/tmp" "$R/work" || fail "mkdir"
/usr/bin/mount -t tmpfs -o size=1m,mode=755 tmpfs "$R/dev" || fail "tmpfs /dev"
for n in null zero full random urandom; do
  : > "$R/dev/$n" && /usr/bin/mount --bind "/dev/$n" "$R/dev/$n" || fail "/dev/$n"
done
ln -s /proc/self/fd "$R/dev/fd"
/usr/bin/mount -t proc -o nosuid,nodev,noexec proc "$R/proc" || fail "proc"
/usr/bin/mount -t tmpfs -o "size=${TMPMB}m,mode=1777,nosuid,nodev" tmpfs "$R/tmp" || fail "tmpfs /tmp"
/usr/bin/mount -t tmpfs -o "size=${TMPMB}m,mode=700,uid=$U,gid=$G,nosuid,nodev" tmpfs "$R/work" || fail "tmpfs /work"
/usr/bin/mount -o remount,bind,ro "$R" || fail "read-only root"
PATH=$CHILD_PATH # the child's environment is exactly the grader's scrubbed one (plus PWD)
exec /usr/sbin/chroot "$R" /usr/bin/prlimit --nproc="$NPROC" --fsize="$FSIZE" --core=0 -- \
  /usr/bin/setpriv --reuid="$U" --regid="$G" --clear-groups --no-new-privs --inh-caps=-all --bounding-set=-all -- \
  /bin/sh -c 'cd /work && unset OLDPWD && exec "$@"' sh "$@"
