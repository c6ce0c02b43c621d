#!/usr/bin/env bash
# acceptance.sh BINARY SCENARIO NOW COMPARER: sets SCENARIO up (its setup.sh) in a temporary
# folder, scans it at NOW and compares the findings with SCENARIO/expected-findings.jsonl
# through COMPARER (compare_findings.py), whose report is the test's output.
set -euo pipefail
binary=$1 scenario=$2 now=$3 comparer=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$scenario/setup.sh" "$work/company" >/dev/null
"$binary" scan --config "$work/company/config.yaml" --now "$now" --format jsonl >"$work/found.jsonl"
python3 "$comparer" "$scenario/expected-findings.jsonl" "$work/found.jsonl"
