# bash completion for git-credential-patrol, both as `git-credential-patrol <TAB>` and as
# `git credential-patrol <TAB>` (git's completion calls _git_credential_patrol for that).

__git_credential_patrol_commands="status check rotate login logout unlock lock import configure unconfigure diagnose get store erase --help --version"

# $1: index of the subcommand word in COMP_WORDS.
__git_credential_patrol_complete() {
  local base=$1 cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
  if [ "$COMP_CWORD" -eq "$base" ]; then
    COMPREPLY=($(compgen -W "$__git_credential_patrol_commands" -- "$cur"))
    return
  fi
  local options=""
  case "${COMP_WORDS[base]}" in
    status) options="--json" ;;
    check) options="--days --json --offline" ;;
    rotate) options="--expires-at" ;;
    login) options="--username --stdin --oauth" ;;
    logout) options="--username" ;;
    import)
      case "$prev" in
        --from) COMPREPLY=($(compgen -W "store-file libsecret" -- "$cur")); return ;;
      esac
      options="--from --dry-run --remove-source"
      COMPREPLY=($(compgen -f -- "$cur"))
      ;;
    configure) options="--global --system --url --oauth" ;;
    unconfigure) options="--global --system --url" ;;
    diagnose) options="--probe" ;;
  esac
  COMPREPLY+=($(compgen -W "$options" -- "$cur"))
}

_git_credential_patrol() {
  local i base=2
  for ((i = 1; i < COMP_CWORD; i++)); do
    if [ "${COMP_WORDS[i]}" = credential-patrol ]; then
      base=$((i + 1))
      break
    fi
  done
  __git_credential_patrol_complete "$base"
}

_git_credential_patrol_main() {
  __git_credential_patrol_complete 1
}

complete -F _git_credential_patrol_main git-credential-patrol
