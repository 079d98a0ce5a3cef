#!/usr/bin/env bash
# The bash completion (completions/mmsim.bash): sourced into a shell, it
# registers itself for mmsim (complete -p), and with COMP_WORDS set as
# bash sets them it completes subcommands, each subcommand's options
# (read from its --help), option values and script files.
# Usage: completion_check.sh MMSIM SOURCE_DIR
set -u
mmsim=$1
src=$2
PATH=$(dirname "$mmsim"):$PATH
# shellcheck source=/dev/null
source "$src/completions/mmsim.bash" || exit 1
fail=0

complete -p mmsim | grep -q -- '-F _mmsim mmsim' || {
	echo "FAIL: complete -p mmsim: $(complete -p mmsim 2>&1)"
	fail=1
}

# complete WORDS...: the completions bash would offer for the last word.
complete_words()
{
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE="$*"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_mmsim
	printf '%s\n' "${COMPREPLY[@]}" | sort
}

# expect DESCRIPTION WANTED... -- WORDS...: each WANTED is offered.
expect()
{
	local what=$1 w got
	local -a want=()
	shift
	while [[ $1 != -- ]]; do want+=("$1"); shift; done
	shift
	got=$(complete_words "$@")
	for w in "${want[@]}"; do
		if ! grep -qx -- "$w" <<<"$got"; then
			echo "FAIL: $what: '$w' not offered for '$*' (got: $(echo $got))"
			fail=1
		fi
	done
}

# refuse DESCRIPTION UNWANTED -- WORDS...: UNWANTED is not offered.
refuse()
{
	local what=$1 w=$2 got
	shift 3
	got=$(complete_words "$@")
	if grep -qx -- "$w" <<<"$got"; then
		echo "FAIL: $what: '$w' offered for '$*'"
		fail=1
	fi
}

expect "subcommands" run oracle -- mmsim ""
expect "subcommand prefix" oracle -- mmsim or
expect "global options" --help --version -- mmsim --
expect "run options" --no-check --no-check-addr --ram --validate --quiet --version -- mmsim run --
expect "oracle options" --replay --seed --sequences --hugetlb --shmem-enabled -- mmsim oracle --
expect "--shmem-enabled values" always within_size never -- mmsim oracle --shmem-enabled ""
refuse "run's prose is not an option" -f -- mmsim run -
expect "record's program" ls -- mmsim record l
expect "report options" --html -- mmsim report --
expect "replay options" --html --save-maps --set --json -- mmsim replay --

cd "$src/examples" || exit 1
expect "script files" first.mms thp_fault.mms -- mmsim run ""
expect "script files by prefix" first.mms -- mmsim run fir
expect "--replay script" brk.mms -- mmsim oracle --replay br
refuse "only scripts" first.out -- mmsim run fir

[[ $fail == 0 ]] && echo "completion check: ok"
exit $fail
