#!/usr/bin/env bash
# Benchmark: a full secondsight scan (parse, resolve, attribute, store, commit) of a generated
# auditd log of RECORDS records, beside `ausearch -if FILE -k KEY --raw` on the same file in the
# same run (RUNS alternating runs of each, default 5; medians). Prints records/s, MB/s, peak
# memory and the time ratio.
#   bench/auditd_ingest.sh [RECORDS]        (default 1000000; needs a built build/src/secondsight)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
records=${1:-1000000}
bin=${SECONDSIGHT_BIN:-$top/build/src/secondsight}
for tool in ausearch /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "needs $tool: apt-get install auditd time" >&2; exit 2; }
done
[ -x "$bin" ] || { echo "build secondsight first (cmake --preset default && cmake --build --preset default)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$here/gen_auditd.py" "$work" "$records"
log="$work/audit.log"
lines=$(wc -l <"$log")
bytes=$(stat -c %s "$log")
cat "$log" >/dev/null  # both tools start from a warm page cache

measure() {  # measure NAME COMMAND...: wall seconds and peak RSS (KiB) into globals
  local out="$work/time.$1"
  /usr/bin/time -f "%e %M" -o "$out" "${@:2}" >/dev/null 2>"$work/stderr.$1" || {
    local rc=$?; [ "$1" = ausearch ] && [ $rc -eq 1 ] || { cat "$work/stderr.$1" >&2; exit 1; }
  }
  read -r seconds kib <"$out"
}

# Alternating runs, each tool's median: the two see the same machine state.
runs=${RUNS:-5}
a_all=() s_all=() a_kib=0 s_kib=0
for _ in $(seq "$runs"); do
  measure ausearch ausearch -if "$log" -k k8s-admin --raw
  a_all+=("$seconds"); [ "$kib" -gt "$a_kib" ] && a_kib=$kib
  rm -rf "$work/state"  # a full scan every time: nothing read before
  measure secondsight "$bin" scan --config "$work/config.yaml" --now 2026-01-31 --format json
  s_all+=("$seconds"); [ "$kib" -gt "$s_kib" ] && s_kib=$kib
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
a_seconds=$(median "${a_all[@]}")
s_seconds=$(median "${s_all[@]}")

python3 - "$lines" "$bytes" "$s_seconds" "$s_kib" "$a_seconds" "$a_kib" <<'PY'
import sys
lines, size, s_sec, s_kib, a_sec, a_kib = map(float, sys.argv[1:])
mb = size / 1e6
print(f"auditd log: {int(lines):,} records, {mb:.1f} MB")
print(f"secondsight scan : {s_sec:6.2f} s  {lines / s_sec:12,.0f} records/s  {mb / s_sec:7.1f} MB/s  peak {s_kib / 1024:7.1f} MiB")
print(f"ausearch -k --raw: {a_sec:6.2f} s  {lines / a_sec:12,.0f} records/s  {mb / a_sec:7.1f} MB/s  peak {a_kib / 1024:7.1f} MiB")
print(f"ratio (secondsight / ausearch): {s_sec / a_sec:.2f}")
PY
