#!/bin/sh
# Installs what the HTML report's browser test needs (ctest report/chromium):
# Debian's chromium and zlib (to decode its screenshots). Not part of
# install-deps.sh: chromium is large and only this test uses it.
set -e
pkgs="chromium zlib1g-dev"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing:$missing" >&2
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
