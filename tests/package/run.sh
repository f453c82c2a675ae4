#!/usr/bin/env bash
# Copyright (C) 2026 The QtSocketIo authors.
# SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later
#
# The Debian packages as a new user gets them: builds them (./dev package, or takes them from --debs DIR), then in
# a fresh Debian 12 root (debootstrap --variant=minbase, cached as a tarball like /work/shared/tools/fresh-debian.sh
# does; needs root for chroot):
#   1. apt-get installs the runtime packages only (Core, QML module, Redis, PostgreSQL), qml-qt6 (Qt's `qml` tool)
#      with qml6-module-qtquick and qml6-module-qtquick-window (the tool wraps an Item root in a Window), and runs
#      tests/package/server.qml with `qml` and no import path: it imports QtSocketIo, starts a SocketIoServer
#      and takes an Engine.IO handshake from it over HTTP (XMLHttpRequest);
#   2. apt-get installs libqtsocketio-dev with a compiler, then builds tests/package/consumer
#      (find_package(QtSocketIo COMPONENTS Core Qml Redis Postgres), the tests/install consumers' sources) and a
#      consumer with `pkg-config --cflags --libs QtSocketIo` only, and runs them.
# Usage: tests/package/run.sh [--debs DIR]. Environment: FRESH_CACHE (default /tmp/fresh-bookworm.tar, shared with
# fresh-debian.sh), PACKAGE_ROOT (default /tmp/qtsocketio-package-root, removed after a pass unless KEEP_ROOT=1).
# Measured on a shared 2-core machine: 3.5-7 min in the root (mostly apt downloads of the compiler and Qt's -dev
# packages), 3 min more for the first debootstrap, plus the package build (./dev package from scratch: 3.3 min, 11
# under heavy load): 10-13 min from a clean machine, too long for .ci/run; PACKAGE_TEST=1 ./dev test runs it.
set -euo pipefail
cd "$(dirname "$0")/../.."
src=$(pwd)
debs=""
if [ "${1:-}" = "--debs" ]; then debs=$(cd "$2" && pwd); fi
cache=${FRESH_CACHE:-/tmp/fresh-bookworm.tar}
root=${PACKAGE_ROOT:-/tmp/qtsocketio-package-root}
[ "$(id -u)" -eq 0 ] || { echo "tests/package/run.sh: needs root (debootstrap, chroot)" >&2; exit 2; }
start=$(date +%s)

if [ -z "$debs" ]; then
  ./dev package
  debs=${PACKAGE_BUILD_DIR:-$src/build-package}/packages
fi
ls "$debs"/*.deb >/dev/null

mirror=$(sed -n 's/^URIs: *\(.*\/debian\)$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
mirror=${mirror:-http://deb.debian.org/debian}
if [ ! -f "$cache" ]; then
  echo "== debootstrap bookworm (once, cached in $cache)"
  rm -rf "$cache.tmp.d"
  debootstrap --variant=minbase --include=ca-certificates,git,sudo bookworm "$cache.tmp.d" "$mirror" \
    >/tmp/qtsocketio-debootstrap.log 2>&1
  tar -C "$cache.tmp.d" -cf "$cache.tmp" . && mv "$cache.tmp" "$cache" && rm -rf "$cache.tmp.d"
fi
unmount() { for m in proc sys dev; do umount -R -l "$root/$m" 2>/dev/null || true; done; }
# Removes the root only when nothing is mounted below it (the host's /dev and /sys are bound there while it runs);
# --one-file-system as a second guard.
remove_root() {
  unmount
  if grep -q " $root/" /proc/mounts; then echo "tests/package/run.sh: $root still has mounts; not removed" >&2; return 1; fi
  rm -rf --one-file-system "$root"
}
remove_root
mkdir -p "$root"; tar -C "$root" -xf "$cache"
trap unmount EXIT
cp /etc/resolv.conf "$root/etc/resolv.conf"
# A Debian 12 installation's sources: the release, its updates and security.
cat > "$root/etc/apt/sources.list" <<SOURCES
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb ${mirror%/debian}/debian-security bookworm-security main
SOURCES
mkdir -p "$root/test/debs" "$root/test/src/tests"
cp "$debs"/*.deb "$root/test/debs/"
mkdir -p "$root/test/src/tests/qml"
cp -r tests/install tests/package "$root/test/src/tests/"
cp -r tests/qml/consumer "$root/test/src/tests/qml/"
mount -t proc proc "$root/proc"; mount --rbind /sys "$root/sys"; mount --rbind /dev "$root/dev"

echo "== in a fresh Debian 12 root ($root): $(cd "$debs" && ls *.deb | tr '\n' ' ')"
chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  TERM=dumb DEBIAN_FRONTEND=noninteractive bash -euo pipefail -c '
cd /test
apt-get update -q >/dev/null
echo "== 1. the runtime packages and qml-qt6; the QML module from Qt'"'"'s qml tool, no import path"
runtime=$(ls ./debs/*.deb | grep -v -- -dev_)
apt-get install -y -q --no-install-recommends $runtime qml-qt6 qml6-module-qtquick qml6-module-qtquick-window >/tmp/apt-runtime.log 2>&1 || { cat /tmp/apt-runtime.log; exit 1; }
grep -E "^(Setting up (libqtsocketio|qml6-module-qtsocketio))" /tmp/apt-runtime.log || true
unset QML_IMPORT_PATH QML2_IMPORT_PATH
QT_QPA_PLATFORM=offscreen QT_FORCE_STDERR_LOGGING=1 timeout 60 /usr/lib/qt6/bin/qml src/tests/package/server.qml

echo "== 2. libqtsocketio-dev; consumers built with find_package(QtSocketIo COMPONENTS Core Qml Redis Postgres)"
apt-get install -y -q --no-install-recommends ./debs/*-dev_*.deb g++ cmake make pkg-config >/tmp/apt-dev.log 2>&1 \
  || { cat /tmp/apt-dev.log; exit 1; }
cmake -S src/tests/package/consumer -B build -DCMAKE_BUILD_TYPE=Release >/tmp/cmake.log 2>&1 || { cat /tmp/cmake.log; exit 1; }
cmake --build build -- -j2 >/tmp/build.log 2>&1 || { cat /tmp/build.log; exit 1; }
for exe in consumer consumer-redis consumer-postgres consumer-qml; do
  echo "-- $exe"
  ldd build/$exe | grep -i socketio || true   # consumer-qml needs none: it loads the plugin at run time
  QT_QPA_PLATFORM=offscreen timeout 60 build/$exe
done
echo "== 3. a consumer built with pkg-config only (QtSocketIo.pc, version $(pkg-config --modversion QtSocketIo))"
g++ -std=c++17 -o /tmp/pc-consumer src/tests/install/consumer/main.cpp $(pkg-config --cflags --libs QtSocketIo)
timeout 60 /tmp/pc-consumer
echo "== dpkg -L: where the files went"
dpkg -L qml6-module-qtsocketio | grep -E "qmldir|\.so"
'
unmount
[ "${KEEP_ROOT:-0}" = 1 ] || remove_root   # kept when the test fails, or with KEEP_ROOT=1
echo "== package test passed in $(( $(date +%s) - start )) s"
