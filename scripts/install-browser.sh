#!/bin/sh
# Installs what the HTML report's browser test needs (ctest report/chromium):
# Debian's chromium and zlib (to decode its screenshots). Not part of the
# default set of install-deps.sh: chromium is large and only this test
# uses it.
exec sh "$(dirname "$0")/install-deps.sh" chromium zlib1g-dev
