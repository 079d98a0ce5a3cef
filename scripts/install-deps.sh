#!/bin/sh
# Installs the Debian packages mmsim builds and tests with, if any is
# missing; with arguments, those packages instead (without their
# recommendations: scripts/install-browser.sh).
set -e
if [ $# -gt 0 ]; then
	pkgs="$*"
	extra="--no-install-recommends"
else
	pkgs="cmake ninja-build gcc clang libclang-rt-14-dev libcmocka-dev libedit-dev libjansson-dev libzstd-dev pkg-config strace procps groff-base man-db"
	extra=""
fi
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing:$missing" >&2
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $extra $missing
