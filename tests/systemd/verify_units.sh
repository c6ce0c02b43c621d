#!/usr/bin/env bash
# The systemd units as installed: `systemd-analyze verify` accepts them, and the daemon's
# sandbox rates an exposure of 2.0 or lower in `systemd-analyze security --offline=yes`.
#   verify_units.sh SOURCE_FOLDER CONFIGURED_FOLDER BINARY
set -euo pipefail
sources=$1
units=$2
binary=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for unit in secondsight.service secondsight-scan.service; do
  # The units name the installed binary; verify them against the one just built.
  sed "s|^ExecStart=[^ ]*secondsight |ExecStart=$binary |" "$units/$unit" >"$work/$unit"
done
cp "$sources/secondsight-scan.timer" "$work/"
cd "$work"
systemd-analyze verify secondsight.service secondsight-scan.service secondsight-scan.timer
exposure=$(systemd-analyze security --offline=yes secondsight.service |
  sed -n 's/.*Overall exposure level for secondsight.service: \([0-9.]*\).*/\1/p')
echo "secondsight.service exposure: $exposure"
awk -v e="$exposure" 'BEGIN { exit !(e != "" && e <= 2.0) }' ||
  { echo "exposure $exposure is above 2.0" >&2; exit 1; }
