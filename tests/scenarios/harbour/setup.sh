#!/usr/bin/env bash
# Sets up Harbour Utilities in DEST (default: a new temporary folder) and prints DEST.
# The git histories are kept as fast-import streams (repos/*.fi); each becomes a bare
# repository DEST/repos/NAME.git whose HEAD is main.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dest=${1:-$(mktemp -d)}
mkdir -p "$dest"
for item in config.yaml directory.ldif handovers.yaml logs policies repos schema; do
  cp -R "$here/$item" "$dest/"
done
for stream in "$dest"/repos/*.fi; do
  repo="${stream%.fi}.git"
  rm -rf "$repo"
  git init --quiet --bare "$repo"
  git --git-dir="$repo" fast-import --quiet <"$stream"
  git --git-dir="$repo" symbolic-ref HEAD refs/heads/main
  rm "$stream"
done
echo "$dest"
