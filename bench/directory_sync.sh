#!/usr/bin/env bash
# Benchmark: `secondsight daemon` on a large directory served by slapd with content
# synchronisation (syncprov), `poll_interval: 5s`, nothing changing: its CPU seconds over
# IDLE_SECONDS (default 60; target at most 2 s a minute) while it follows the directory's
# changes (sync: auto), beside the same daemon polling every 5 s (sync: off), in the same run.
# Then, following: the time from an ldapmodify that puts a new contractor into a group granting a
# system contractors may not use to the daemon's alert for it in its jsonl sink, REPS times
# (default 20; median, p90, max; target at most 2 s).
#   IDLE_SECONDS=60 REPS=20 bench/directory_sync.sh [PEOPLE] [GROUPS] [MEMBERSHIPS]
# LOG_LEVEL=debug KEEP_LOGS=DIR also keeps the daemons' logs, which time each step of a scan and
# of a change (changes kept, snapshot built).
#   (default 100000 10000 1000000: the directory of bench/ldap_poll.sh)
# Needs a built build/src/secondsight, slapd, ldap-utils and python3.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
bin=${SECONDSIGHT_BIN:-$top/build/src/secondsight}
idle=${IDLE_SECONDS:-60}
reps=${REPS:-20}
PATH=$PATH:/usr/sbin
for tool in slapd slapadd ldapsearch ldapmodify python3 curl; do
  command -v "$tool" >/dev/null || { echo "needs $tool: apt-get install slapd ldap-utils python3 curl" >&2; exit 2; }
done
[ -x "$bin" ] || { echo "build secondsight first (cmake --preset default && cmake --build --preset default)" >&2; exit 2; }

work=$(mktemp -d)
slapd_pid="" daemon_pid=""
cleanup() {
  [ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null || true
  [ -n "$slapd_pid" ] && kill "$slapd_pid" 2>/dev/null && wait "$slapd_pid" 2>/dev/null || true
  if [ -n "${KEEP_LOGS:-}" ]; then mkdir -p "$KEEP_LOGS" && cp "$work"/daemon-*.log "$KEEP_LOGS/" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

python3 "$here/gen_directory.py" "$work" "${1:-100000}" "${2:-10000}" "${3:-1000000}"
"$top/tests/fixtures/slapd/make-instance" "$work/slapd" dc=bench,dc=example --syncprov \
  --admin-password bench --max-size 8589934592 --size-limit unlimited "$work/directory.ldif"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
slapd -F "$work/slapd/slapd.d" -h "ldap://127.0.0.1:$port/" -d 0 >"$work/slapd.log" 2>&1 &
slapd_pid=$!
for _ in $(seq 300); do
  ldapsearch -x -H "ldap://127.0.0.1:$port" -b "" -s base >/dev/null 2>&1 && break
  kill -0 "$slapd_pid" 2>/dev/null || { cat "$work/slapd.log" >&2; exit 1; }
  sleep 0.1
done
api=$(free_port)
echo "bench-token-123456" >"$work/token"
chmod 600 "$work/token"

# daemon MODE: starts the daemon with sync MODE on a state of its own, and waits until it
# follows (auto) or has polled twice (off).
daemon() {
  local mode=$1
  sed -e "s/PORT/$port/" -e "s|^state_dir: .*|state_dir: state-$mode|" "$work/config.yaml" \
    >"$work/config-$mode.yaml"
  cat >>"$work/config-$mode.yaml" <<YAML
  poll_interval: 5s
  sync: $mode
alerts:
  - { type: jsonl, path: alerts-$mode.jsonl }
api: { listen: "127.0.0.1:$api", token_file: token }
YAML
  # The clock of the generated directory (bench/gen_directory.py), running on from there.
  "$bin" ${LOG_LEVEL:+--log-level "$LOG_LEVEL"} daemon --config "$work/config-$mode.yaml" \
    --now 2026-03-16T12:00:00Z \
    >"$work/daemon-$mode.log" 2>&1 &
  daemon_pid=$!
  local want="secondsight_directory_sync_up 1"
  [ "$mode" = off ] && want="secondsight_directory_polls_total [2-9]"
  for _ in $(seq 1200); do
    curl -sf -H "Authorization: Bearer bench-token-123456" "http://127.0.0.1:$api/metrics" \
      2>/dev/null | grep -q "^$want" && return 0
    kill -0 "$daemon_pid" 2>/dev/null || { cat "$work/daemon-$mode.log" >&2; exit 1; }
    sleep 0.5
  done
  echo "the daemon did not get ready in 10 minutes" >&2
  exit 1
}
cpu_seconds() {  # utime + stime of the daemon, in seconds
  python3 -c "import os,sys; f=open('/proc/$daemon_pid/stat').read().rsplit(')',1)[1].split(); print((int(f[11])+int(f[12]))/os.sysconf('SC_CLK_TCK'))"
}
idle_cpu() {
  sleep 10  # the scans that follow getting ready end
  local before after
  before=$(cpu_seconds)
  sleep "$idle"
  after=$(cpu_seconds)
  python3 -c "print(f'{$after - $before:.2f}')"
}
stop_daemon() {
  kill "$daemon_pid"
  wait "$daemon_pid" 2>/dev/null || true
  daemon_pid=""
}

daemon off
polling=$(idle_cpu)
stop_daemon
daemon auto
following=$(idle_cpu)

# Latency: each repetition adds contractor bench-N, in the group g00135 of system-7 (contractors
# denied), and waits for the alert that opens its need_to_know_violation.
python3 - "$work" "$port" "$reps" <<'PY'
import json, os, subprocess, sys, time
work, port, reps = sys.argv[1], sys.argv[2], int(sys.argv[3])
alerts = os.path.join(work, "alerts-auto.jsonl")
times = []
for n in range(reps):
    uid = f"bench{n}"
    ldif = (f"dn: uid={uid},ou=people,dc=bench,dc=example\nchangetype: add\n"
            "objectClass: inetOrgPerson\nobjectClass: posixAccount\nobjectClass: shadowAccount\n"
            f"uid: {uid}\ncn: Bench {n}\nsn: {n}\nemployeeType: contractor\no: Agency 1\n"
            f"uidNumber: {900000 + n}\ngidNumber: {900000 + n}\nhomeDirectory: /home/{uid}\n"
            "shadowExpire: 21000\n\n"
            "dn: cn=g00135,ou=groups,dc=bench,dc=example\nchangetype: modify\nadd: member\n"
            f"member: uid={uid},ou=people,dc=bench,dc=example\n")
    start = time.monotonic()
    subprocess.run(["ldapmodify", "-x", "-H", f"ldap://127.0.0.1:{port}",
                    "-D", "cn=admin,dc=bench,dc=example", "-w", "bench"],
                   input=ldif.encode(), check=True, stdout=subprocess.DEVNULL)
    deadline = start + 60
    seen = False
    while not seen and time.monotonic() < deadline:
        try:
            with open(alerts) as f:
                for line in f:
                    a = json.loads(line)
                    if a.get("kind") == "need_to_know_violation" and a.get("person") == uid:
                        seen = True
                        break
        except FileNotFoundError:
            pass
        if not seen:
            time.sleep(0.01)
    if not seen:
        sys.exit(f"no alert for {uid} within 60 s")
    times.append(time.monotonic() - start)
times.sort()
pick = lambda q: times[min(len(times) - 1, int(q * len(times)))]
print(f"latency {len(times)} {pick(0.5):.2f} {pick(0.9):.2f} {times[-1]:.2f}",
      file=open(os.path.join(work, "latency"), "w"))
PY
read -r _ n median p90 max <"$work/latency"
stop_daemon

echo "daemon CPU over ${idle} s, nothing changing, poll_interval 5s:"
echo "  polling every 5 s (sync: off):      ${polling} s"
echo "  following changes (sync: auto):     ${following} s"
python3 -c "print(f'  ratio following/polling:           {$following / max($polling, 0.01):.3f}')"
echo "ldapmodify to alert, $n changes: median ${median} s, p90 ${p90} s, max ${max} s"
