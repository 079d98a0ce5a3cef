# bash completion for mmsim (installed as
# share/bash-completion/completions/mmsim; or: source completions/mmsim.bash).
#
# Subcommands and their options are read from `mmsim --help` and
# `mmsim COMMAND --help`, so a new subcommand or option completes without
# changing this file. Script arguments complete to *.mms and *.strace
# files and directories; `mmsim record` completes the program to run.

# Subcommand names: the indented first words under "commands:" in --help.
_mmsim_commands()
{
	"$1" --help 2>/dev/null |
		awk '/^commands:/ { on = 1; next }
		     on && /^  [a-z]/ { print $1; next }
		     on && /^$/ { exit }'
}

# Long and short options a subcommand's --help mentions.
_mmsim_options()
{
	# only usage lines and lines that start with an option, not prose
	"$1" "$2" --help 2>/dev/null |
		grep -E '^(usage:|[[:space:]]*-|[[:space:]]+(\[|mmsim ))' |
		grep -oE '(^|[[ ,|])--?[A-Za-z0-9][A-Za-z0-9-]*' |
		sed -E 's/^[[ ,|]//' | sort -u
}

# Files a script argument may name: *.mms, *.strace, directories.
_mmsim_scripts()
{
	local cur=$1 f IFS=$'\n'
	compopt -o filenames 2>/dev/null
	COMPREPLY=($(compgen -d -- "$cur"))
	for f in $(compgen -f -- "$cur"); do
		case $f in
		*.mms | *.strace) [[ -d $f ]] || COMPREPLY+=("$f") ;;
		esac
	done
}

_mmsim()
{
	local cur prev cmd i mmsim=${COMP_WORDS[0]}
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}

	# The subcommand: the first word after mmsim that is not an option.
	cmd=
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-*) ;;
		*) cmd=${COMP_WORDS[i]}; break ;;
		esac
	done

	if [[ -z $cmd ]]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W '-h --help -V --version' -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$(_mmsim_commands "$mmsim")" -- "$cur"))
		fi
		return 0
	fi

	# Option arguments.
	case $prev in
	--replay)
		_mmsim_scripts "$cur"
		return 0 ;;
	-o | --output | --save-maps)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -d -- "$cur"))
		return 0 ;;
	-s | --set | -w | --whatif)
		return 0 ;;
	--html)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -- "$cur"))
		return 0 ;;
	--executor)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -- "$cur"))
		return 0 ;;
	--shmem-enabled)
		COMPREPLY=($(compgen -W 'always within_size advise never deny force' -- "$cur"))
		return 0 ;;
	--seed | --start | --sequences | --ops | --max-reports | --ram)
		return 0 ;;
	esac

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_mmsim_options "$mmsim" "$cmd")" -- "$cur"))
		return 0
	fi
	case $cmd in
	oracle) ;;
	record)
		# the program to record, then its arguments
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -c -- "$cur") $(compgen -f -- "$cur")) ;;
	replay)
		# a recording (directory or .tar.zst) or an strace log
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -- "$cur")) ;;
	*) _mmsim_scripts "$cur" ;;
	esac
	return 0
}
complete -F _mmsim mmsim
