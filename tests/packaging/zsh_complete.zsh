# An interactive zsh in a pty (zsh/zpty) with the completions of $COMPDIR: types "$1<TAB>"
# and prints what the completion system offered, between HITS-BEGIN and HITS-END lines
# (compadd wrapped to print its matches; ${:-} keeps the markers out of zsh's echo).
zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z "PS1=''; fpath=($COMPDIR \$fpath); autoload -Uz compinit; compinit -u -d $ZDOTDIR/.zcompdump"
zpty -w z 'compadd () {
  if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return $?; fi
  typeset -a __hits
  builtin compadd -A __hits "$@"
  (( $#__hits )) && print -r -l -- "HITS${:-}-BEGIN" $__hits "HITS${:-}-END"
  builtin compadd "$@"
}'
zpty -w z "zstyle ':completion:*' list-grouped false; zstyle ':completion:*' menu no"
zpty -w z 'bindkey "^I" complete-word; print READY${:-}-NOW'
zpty -r z line '*READY-NOW*'
zpty -n -w z "$1"$'\t'
zpty -r z out '*HITS-END*'
print -r -- $out
zpty -d z
