#!/usr/bin/env bash
# Benchmark: `secondsight knowledge --repo R --format json` on a generated repository of COMMITS
# commits and about FILES files (default 60000 and 6000; bench/gen_history.py), beside
# `git log --no-merges --name-status` on the same repository in the same run (RUNS alternating
# runs of each, default 5; medians). Prints both times, the ratio and the peak memory.
# The repository is built once and kept in $BENCH_DIR (default ${TMPDIR:-/tmp}/secondsight-bench).
# With LIBGIT2=1 (and Debian's libgit2-dev) it also times the same walk through libgit2, once.
#   bench/knowledge.sh [COMMITS [FILES]]        (needs a built build/src/secondsight)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
commits=${1:-60000}
files=${2:-6000}
bin=${SECONDSIGHT_BIN:-$top/build/src/secondsight}
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time: apt-get install time" >&2; exit 2; }
[ -x "$bin" ] || { echo "build secondsight first (cmake --preset default && cmake --build --preset default)" >&2; exit 2; }

cache=${BENCH_DIR:-${TMPDIR:-/tmp}/secondsight-bench}
repo="$cache/history-$commits-$files.git"
mkdir -p "$cache"
if [ ! -f "$repo/bench-complete" ]; then
  echo "building $repo (once) ..." >&2
  rm -rf "$repo"
  git init -q --bare "$repo"
  python3 "$here/gen_history.py" "$commits" "$files" | git --git-dir="$repo" fast-import --quiet
  git --git-dir="$repo" symbolic-ref HEAD refs/heads/main
  git --git-dir="$repo" gc --quiet  # packed and with a commit-graph, as a maintained server keeps it
  touch "$repo/bench-complete"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
measure() {  # measure NAME COMMAND...: wall seconds and peak RSS (KiB) into globals
  /usr/bin/time -f "%e %M" -o "$work/time.$1" "${@:2}" >/dev/null 2>"$work/stderr.$1" || {
    cat "$work/stderr.$1" >&2; exit 1;
  }
  read -r seconds kib <"$work/time.$1"
}

git --git-dir="$repo" log --no-merges --name-status >/dev/null  # a warm page cache for both
runs=${RUNS:-5}
g_all=() s_all=() g_kib=0 s_kib=0
for _ in $(seq "$runs"); do
  measure git git --git-dir="$repo" log --no-merges --name-status
  g_all+=("$seconds"); [ "$kib" -gt "$g_kib" ] && g_kib=$kib
  measure secondsight "$bin" knowledge --repo "$repo" --format json
  s_all+=("$seconds"); [ "$kib" -gt "$s_kib" ] && s_kib=$kib
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
g_seconds=$(median "${g_all[@]}")
s_seconds=$(median "${s_all[@]}")

n_commits=$(git --git-dir="$repo" rev-list --count HEAD)
n_merges=$(git --git-dir="$repo" rev-list --count --merges HEAD)
n_files=$(git --git-dir="$repo" ls-tree -r HEAD | wc -l)
# The peak above is of secondsight and its git child together (the larger); secondsight's own,
# sampled from /proc while it runs:
own_kib=$(python3 - "$bin" "$repo" "$work/out.json" <<'PY'
import subprocess, sys, time
with open(sys.argv[3], "w") as out:
    p = subprocess.Popen([sys.argv[1], "knowledge", "--repo", sys.argv[2], "--format", "json"],
                         stdout=out)
    hwm = 0
    while p.poll() is None:
        try:
            for line in open(f"/proc/{p.pid}/status"):
                if line.startswith("VmHWM"):
                    hwm = max(hwm, int(line.split()[1]))
        except OSError:
            pass
        time.sleep(0.001)
print(hwm)
PY
)
python3 - "$n_commits" "$n_merges" "$n_files" "$s_seconds" "$s_kib" "$g_seconds" "$g_kib" \
  "$work/out.json" "$own_kib" <<'PY'
import json, sys
commits, merges, files = map(int, sys.argv[1:4])
s_sec, s_kib, g_sec, g_kib = map(float, sys.argv[4:8])
out = json.load(open(sys.argv[8]))
own_kib = float(sys.argv[9])
print(f"repository: {commits:,} commits ({merges:,} merges), {files:,} files at HEAD; "
      f"{out['files']:,} counted, truck factor {out['truck_factor']}, {len(out['authors'])} authors")
print(f"secondsight knowledge --format json : {s_sec:6.2f} s  peak {s_kib / 1024:7.1f} MiB "
      f"(its git child; secondsight itself {own_kib / 1024:.1f} MiB)")
print(f"git log --no-merges --name-status   : {g_sec:6.2f} s  peak {g_kib / 1024:7.1f} MiB")
print(f"ratio (secondsight / git log): {s_sec / g_sec:.2f}")
PY

if [ "${LIBGIT2:-0}" = 1 ]; then
  g++ -O2 -std=c++20 "$here/libgit2_walk.cpp" -lgit2 -o "$work/libgit2_walk"
  measure libgit2 "$work/libgit2_walk" "$repo"
  echo "libgit2 walk (same diffs, once)     : $(printf '%6.2f' "$seconds") s  peak $(awk "BEGIN {printf \"%7.1f\", $kib / 1024}") MiB"
fi
