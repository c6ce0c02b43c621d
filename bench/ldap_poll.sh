#!/usr/bin/env bash
# Benchmark: a full secondsight poll of a large directory from slapd, plus evaluation and the
# findings store (`secondsight scan --format json`: a first scan on a fresh state, where every
# finding opens, and the same scan again, as every later poll runs), beside
# `ldapsearch -E pr=500/noprompt` dumping the same people and groups into /dev/null, in the same
# run (RUNS alternating runs of each, default 5; medians), and the later poll's scan again with
# the directory read from its LDIF export (the file slapd was loaded from). Prints the times,
# their ratios and peak memory.
#   bench/ldap_poll.sh [PEOPLE] [GROUPS] [MEMBERSHIPS]   (default 100000 10000 1000000)
# Needs a built build/src/secondsight, and slapd, ldap-utils and time (Debian packages).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
bin=${SECONDSIGHT_BIN:-$top/build/src/secondsight}
PATH=$PATH:/usr/sbin
for tool in slapd slapadd ldapsearch /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "needs $tool: apt-get install slapd ldap-utils time" >&2; exit 2; }
done
[ -x "$bin" ] || { echo "build secondsight first (cmake --preset default && cmake --build --preset default)" >&2; exit 2; }

work=$(mktemp -d)
slapd_pid=""
cleanup() {
  [ -n "$slapd_pid" ] && kill "$slapd_pid" 2>/dev/null && wait "$slapd_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

python3 "$here/gen_directory.py" "$work" "${1:-100000}" "${2:-10000}" "${3:-1000000}"
start=$(date +%s.%N)
"$top/tests/fixtures/slapd/make-instance" "$work/slapd" dc=bench,dc=example \
  --max-size 8589934592 --size-limit unlimited "$work/directory.ldif"
loaded=$(date +%s.%N)

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
slapd -F "$work/slapd/slapd.d" -h "ldap://127.0.0.1:$port/" -d 0 >"$work/slapd.log" 2>&1 &
slapd_pid=$!
for _ in $(seq 300); do  # ready when it answers; at most 30 s
  ldapsearch -x -H "ldap://127.0.0.1:$port" -b "" -s base >/dev/null 2>&1 && break
  kill -0 "$slapd_pid" 2>/dev/null || { cat "$work/slapd.log" >&2; exit 1; }
  sleep 0.1
done
sed -i "s/PORT/$port/" "$work/config.yaml"

people_base=ou=people,dc=bench,dc=example
groups_base=ou=groups,dc=bench,dc=example
# The same searches secondsight makes: every user attribute and the configured ones by name.
dump() {
  ldapsearch -x -LLL -H "ldap://127.0.0.1:$port" -E pr=500/noprompt -b "$people_base" \
    '(objectClass=inetOrgPerson)' '*' memberOf uid employeeType o uidNumber manager cn \
    shadowExpire pwdAccountLockedTime mail >/dev/null
  ldapsearch -x -LLL -H "ldap://127.0.0.1:$port" -E pr=500/noprompt -b "$groups_base" \
    '(objectClass=groupOfNames)' '*' memberOf member uniqueMember memberUid cn >/dev/null
}
export -f dump
export port people_base groups_base
dump  # warm: both start from slapd's and the kernel's caches

measure() {  # measure NAME COMMAND...: wall seconds, peak RSS (KiB), CPU seconds into globals
  local out="$work/time.$1"
  /usr/bin/time -f "%e %M %U %S" -o "$out" "${@:2}" >"$work/stdout.$1" 2>"$work/stderr.$1" ||
    { cat "$work/stderr.$1" >&2; exit 1; }
  read -r seconds kib user system <"$out"
  cpu=$(awk -v u="$user" -v s="$system" 'BEGIN { print u + s }')
}
slapd_cpu() {  # slapd's CPU seconds so far (utime + stime)
  awk -v tck="$(getconf CLK_TCK)" '{print ($14 + $15) / tck}' "/proc/$slapd_pid/stat"
}

runs=${RUNS:-5}
l_all=() s_all=() r_all=() f_all=() l_kib=0 s_kib=0 r_kib=0 f_kib=0 run=0
r_cpu=() d_cpu=() f_cpu=()
for _ in $(seq "$runs"); do
  measure ldapsearch bash -c dump
  l_all+=("$seconds"); [ "$kib" -gt "$l_kib" ] && l_kib=$kib
  # A first scan: every finding opens, every checklist is written. Each run gets a state folder
  # of its own, and the old ones go only at the end: ext4 does not reuse the inodes of files
  # deleted a moment ago, and hunting for free ones would be timed as the scan's.
  run=$((run + 1))
  sed "s|^state_dir: .*|state_dir: state-$run|" "$work/config.yaml" >"$work/config-$run.yaml"
  measure secondsight "$bin" scan --config "$work/config-$run.yaml" --now 2026-03-16T12:00:00Z --format json
  s_all+=("$seconds"); [ "$kib" -gt "$s_kib" ] && s_kib=$kib
  # The scan every poll makes after that: the same directory, its findings already stored.
  before=$(slapd_cpu)
  measure secondsight "$bin" scan --config "$work/config-$run.yaml" --now 2026-03-16T12:00:00Z --format json
  r_all+=("$seconds"); [ "$kib" -gt "$r_kib" ] && r_kib=$kib
  r_cpu+=("$cpu"); d_cpu+=("$(awk -v a="$(slapd_cpu)" -v b="$before" 'BEGIN { print a - b }')")
  # The same later poll with the directory read from the LDIF export instead.
  sed "s|^  uri: .*|  uri: ldif://$work/directory.ldif|" "$work/config-$run.yaml" >"$work/ldif-$run.yaml"
  measure secondsight "$bin" scan --config "$work/ldif-$run.yaml" --now 2026-03-16T12:00:00Z --format json
  f_all+=("$seconds"); [ "$kib" -gt "$f_kib" ] && f_kib=$kib
  f_cpu+=("$cpu")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
l_seconds=$(median "${l_all[@]}")
s_seconds=$(median "${s_all[@]}")
r_seconds=$(median "${r_all[@]}")
f_seconds=$(median "${f_all[@]}")
cpu_ldap=$(median "${r_cpu[@]}") cpu_slapd=$(median "${d_cpu[@]}") cpu_ldif=$(median "${f_cpu[@]}")
summary=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); d=r["directory"]; print(d["people"], d["groups"], len(r["findings"]), d["complete"])' "$work/stdout.secondsight")

python3 - "$s_seconds" "$s_kib" "$r_seconds" "$r_kib" "$l_seconds" "$l_kib" "$start" "$loaded" \
  "$f_seconds" "$f_kib" "$cpu_ldap" "$cpu_slapd" "$cpu_ldif" $summary <<'PY'
import sys
s_sec, s_kib, r_sec, r_kib, l_sec, l_kib, start, loaded, f_sec, f_kib = map(float, sys.argv[1:11])
cpu_ldap, cpu_slapd, cpu_ldif = map(float, sys.argv[11:14])
people, groups, findings, complete = sys.argv[14:18]
print(f"slapadd: {loaded - start:.1f} s; secondsight read {int(people):,} people, {int(groups):,} groups "
      f"(complete: {complete}), {int(findings):,} open findings")
print(f"secondsight scan, first  : {s_sec:6.2f} s  peak {s_kib / 1024:7.1f} MiB")
print(f"secondsight scan, again  : {r_sec:6.2f} s  peak {r_kib / 1024:7.1f} MiB")
print(f"ldapsearch pr=500 (x2)   : {l_sec:6.2f} s  peak {l_kib / 1024:7.1f} MiB")
print(f"secondsight scan, LDIF   : {f_sec:6.2f} s  peak {f_kib / 1024:7.1f} MiB  (a later poll, from the export)")
print(f"ratio (secondsight / ldapsearch): first scan {s_sec / l_sec:.2f}, every later poll {r_sec / l_sec:.2f}")
print(f"ratio (LDIF / LDAP), a later poll: {f_sec / r_sec:.2f} in time; in CPU {cpu_ldif:.2f} s "
      f"against {cpu_ldap:.2f} s + slapd's {cpu_slapd:.2f} s = {cpu_ldif / (cpu_ldap + cpu_slapd):.2f}")
PY
