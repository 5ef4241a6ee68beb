# fish, `git credential-patrol <TAB>`: fish 3.6's git completion does not reach git-*
# commands, so the words after credential-patrol go to git-credential-patrol's own
# completions (git-credential-patrol.fish). Installed in vendor_conf.d: read at start-up.
function __git_credential_patrol_delegate
    set -l words (commandline -opc)
    set -e words[1..(contains -i -- credential-patrol $words)]
    complete -C "git-credential-patrol $words "(commandline -ct)
end
complete -c git -f -n '__fish_seen_subcommand_from credential-patrol' -a '(__git_credential_patrol_delegate)'
