#!/bin/sh
# `cmake --install` into a temporary prefix, then a small program built
# against the installed libmmsim twice: with pkg-config (mmsim.pc) and
# with CMake's find_package(mmsim) (mmsimConfig.cmake, target mmsim::mmsim).
# Both must build and run; the installed mmsim must answer --version; the
# man page and the bash completion must be where they belong.
# Usage: install_check.sh BUILD_DIR SOURCE_DIR [EXTRA_LINK_FLAGS]
# (the sanitizer trees pass -fsanitize=... for the consumer's link).
set -e
build=$1
src=$2
extra=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix

cmake --install "$build" --prefix "$prefix" >"$tmp/install.log"
"$prefix/bin/mmsim" --version
test -x "$prefix/bin/mmsim-executor"
test -f "$prefix/include/mmsim/mmsim.h"
test -f "$prefix/include/mmsim/version.h"
test -f "$prefix/share/man/man1/mmsim.1"
test -f "$prefix/share/bash-completion/completions/mmsim"
pc=$(find "$prefix" -name mmsim.pc)
test -n "$pc"

# pkg-config: the .pc file finds its prefix from where it lies.
PKG_CONFIG_PATH=$(dirname "$pc")
export PKG_CONFIG_PATH
test "$(pkg-config --modversion mmsim)" = "$("$prefix/bin/mmsim" --version | cut -d' ' -f2)"
# shellcheck disable=SC2046
cc -std=c11 -Wall -Werror -o "$tmp/consumer_pc" "$src/tests/install/consumer/consumer.c" \
	$(pkg-config --cflags --libs mmsim) $extra
"$tmp/consumer_pc"

# find_package(mmsim)
cmake -S "$src/tests/install/consumer" -B "$tmp/consumer" -G Ninja \
	-DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_EXE_LINKER_FLAGS="$extra" \
	>"$tmp/consumer.log"
cmake --build "$tmp/consumer" >>"$tmp/consumer.log"
"$tmp/consumer/consumer"
echo "install check: ok"
