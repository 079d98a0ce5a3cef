#!/bin/sh
# The examples are what the live kernel shows: replays the operations of
# each example named below on a live process and on the model with
# `mmsim oracle --replay` (which compares return values, signals, data,
# maps, smaps, pagemap and fault counts after every step).
#
# An example is written for `mmsim run`; the oracle runs only syscalls,
# touch, fork and the child's exit. So this drops what the oracle does not
# run: echo, expect, explain and show lines (they only print); set lines (the
# oracle does not set the live machine's sysctls, so what follows runs
# with the host's: both sides still run the same); lines marked with a
# trailing "# live: skip" (a step the oracle refuses to run live, e.g.
# making 32 GiB writable); and everything from a spawn on (a new process
# the oracle cannot start). It turns `pid N` selections into the PID
# prefixes the oracle reads ("2  touch ..."): the script's first process
# (1000 in the model) is 1, the child of its first fork 2.
# A `file` line becomes an "# oracle-file:" line (the oracle makes the
# file, zero-filled, for both sides) when it is a regular file or a tmpfs
# one under /dev/shm; `set mm.transparent_hugepage.shmem_enabled=MODE`
# becomes "# oracle-config: shmem_enabled=MODE" (the oracle sets that
# live knob under its lock and gives it back), and 64 KiB mTHPs set to
# always become the oracle's mTHP profile 1 (mthp=1).
# KEEP=1 keeps the converted scripts.
# Usage: examples_check.sh MMSIM EXAMPLES_DIR NAME...
# Exit 0 when every example replays with no difference, 77 when the
# oracle cannot run here, 1 otherwise.
mmsim=$1
dir=$2
shift 2
tmp=$(mktemp -d)
trap '[ -n "$KEEP" ] && echo "kept $tmp" >&2 || rm -rf "$tmp"' EXIT
status=0
skipped=0
for name in "$@"; do
	script=$dir/$name.mms
	awk 'BEGIN { ids[1000] = 1 }
	/^[ \t]*set[ \t]+mm\.transparent_hugepage\.shmem_enabled=/ {
		# the oracle sets this live knob itself, under its lock
		sub(/.*shmem_enabled=/, "")
		print "# oracle-config: shmem_enabled=" $1; next
	}
	/^[ \t]*set[ \t]+mm\.transparent_hugepage\.hugepages-64kB\.enabled=always[ \t]*$/ {
		# mTHP profile 1 of the oracle: 64kB always (16kB madvise,
		# the same for a mapping without MADV_HUGEPAGE)
		print "# oracle-config: mthp=1"; next
	}
	/^[ \t]*(echo|expect|show|set|explain)([ \t]|$)/ { next }
	/^[ \t]*spawn([ \t]|$)/ { exit }
	/#[ \t]*live: skip/ { next }
	/^[ \t]*file[ \t]/ {
		# a regular file, or a tmpfs one in /dev/shm: the oracle
		# makes it (zeroes) for both sides
		size = ""
		for (i = 3; i <= NF; i++) {
			if ($i ~ /^size=/) size = substr($i, 6)
			if ($i ~ /^kind=/ && $i != "kind=regular" &&
			    !($i == "kind=tmpfs" && $2 ~ /^\/dev\/shm\//))
				size = ""
		}
		if (size == "") { print "# (not replayed) " $0; next }
		printf "# oracle-file: %s %s\n", $2, size; next
	}
	/^[ \t]*pid[ \t]+[0-9]+/ {
		cur = ($2 in ids) ? ids[$2] : $2; next
	}
	/^[ \t]*fork\(\)[ \t]*=[ \t]*[0-9]+/ {
		child = $NF; ids[child] = ++n + 1
		if (cur == "") cur = 1
		printf "%s     fork() = %d\n", cur, ids[child]; next
	}
	/^[ \t]*exit[ \t]*$/ { printf "%s     exit\n", cur; next }
	/^[ \t]*(#|$)/ { print; next }
	{ if (cur != "") printf "%s     %s\n", cur, $0; else print }
	' "$script" >"$tmp/$name.mms"
	(cd "$tmp" && "$mmsim" oracle --replay "$name.mms") >"$tmp/$name.log" 2>&1
	rc=$?
	case $rc in
	0) echo "ok: $name" ;;
	77) echo "skip: $name: $(tail -n 1 "$tmp/$name.log")"; skipped=$((skipped + 1)) ;;
	*) cat "$tmp/$name.log"; echo "FAIL: $name (exit $rc)"; status=1 ;;
	esac
done
if [ "$status" -eq 0 ] && [ "$skipped" -eq $# ]; then
	exit 77
fi
exit $status
