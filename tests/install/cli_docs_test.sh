#!/usr/bin/env bash
# What `cmake --install` puts beside the program for people at a shell: a manual page per
# command that man(1) reads, and bash and zsh completion that offer the commands, their options
# and the words of each choice.
#   tests/install/cli_docs_test.sh BUILD-FOLDER
set -euo pipefail
build=$1
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$prefix" >/dev/null
bin=$prefix/bin/secondsight
man1=$prefix/share/man/man1

# A page for the program and for every command, each read by man -l.
[ -f "$man1/secondsight.1" ] || fail "no secondsight.1"
man -l "$man1/secondsight.1" 2>/dev/null | grep -q "SECONDSIGHT_CONFIG" || fail "secondsight.1 has no ENVIRONMENT"
count=0
while IFS=$'\t' read -r words description; do
  page="$man1/secondsight-${words// /-}.1"
  [ -f "$page" ] || fail "no page for '$words' ($page)"
  text=$(man -l "$page" 2>/dev/null)
  grep -q "secondsight $words \[OPTIONS\]" <<<"$text" || fail "$page: no synopsis"
  grep -qF -- "--help" <<<"$text" || fail "$page: no options"
  count=$((count + 1))
done < <("$bin" completion commands)
[ "$count" -ge 10 ] || fail "only $count command pages"
man -l "$man1/secondsight-scan.1" 2>/dev/null | grep -q -- "--format table|json|jsonl" ||
  fail "secondsight-scan.1 does not list the formats"
man -l "$man1/secondsight-handover-revoke.1" 2>/dev/null | grep -qF -- "--reason" ||
  fail "secondsight-handover-revoke.1 has no --reason"
man -l "$man1/secondsight-handover-list.1" 2>/dev/null | grep -qF -- "--person" ||
  fail "secondsight-handover-list.1 has no --person"

# bash: what the completion function offers after the words typed so far.
bash_offers() {
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1));
           _secondsight; printf "%s\n" "${COMPREPLY[@]}"' _ \
    "$prefix/share/bash-completion/completions/secondsight" "$@"
}
[ "$(bash_offers secondsight sc)" = "scan" ] || fail "bash: sc"
[ "$(bash_offers secondsight findings l)" = "list" ] || fail "bash: findings l"
[ "$(bash_offers secondsight handover r | sort | tr '\n' ' ')" = "record revoke " ] ||
  fail "bash: handover r"
[ "$(bash_offers secondsight handover l)" = "list" ] || fail "bash: handover l"
[ "$(bash_offers secondsight handover list --format j | tr '\n' ' ')" = "json jsonl " ] ||
  fail "bash: handover list --format j"
[ "$(bash_offers secondsight scan --format js | tr '\n' ' ')" = "json jsonl " ] || fail "bash: --format js"
bash_offers secondsight scan --fa | grep -qx -- "--fail-on" || fail "bash: --fa"
[ "$(bash_offers secondsight scan --fail-on c)" = "critical" ] || fail "bash: --fail-on c"
touch "$prefix/site.yaml"
[ "$(bash_offers secondsight policy check --config "$prefix/si")" = "$prefix/site.yaml" ] ||
  fail "bash: --config completes files"
[ -z "$(bash_offers secondsight scan --now 2)" ] || fail "bash: --now offers nothing"

# zsh: the same function body, given words and CURRENT as zsh gives them and compadd/_files
# that print what they are offered.
zsh_offers() {
  zsh -f -c 'compadd() { [[ $1 == -- ]] && shift; print -l -- "$@"; }; _files() { print FILES; };
             file=$1; shift; words=("$@"); CURRENT=$#words; source $file' _ \
    "$prefix/share/zsh/vendor-completions/_secondsight" "$@"
}
zsh -n "$prefix/share/zsh/vendor-completions/_secondsight" || fail "zsh: syntax"
head -1 "$prefix/share/zsh/vendor-completions/_secondsight" | grep -qx "#compdef secondsight" ||
  fail "zsh: no #compdef line"
zsh_offers secondsight "" | grep -qx checklist || fail "zsh: commands"
[ "$(zsh_offers secondsight checklist --format "" | tr '\n' ' ')" = "markdown md html json " ] ||
  fail "zsh: checklist --format"
[ "$(zsh_offers secondsight findings ack --config "")" = "FILES" ] || fail "zsh: --config"
echo "ok: $count command pages, bash and zsh completion"
