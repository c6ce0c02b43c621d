#!/usr/bin/env bash
# Benchmark: the dashboard's server time per page on a large company. The directory is
# bench/gen_directory.py's (100,000 people, 10,000 groups, 1,000,000 memberships by default),
# read from its LDIF export; the first scan at 2026-03-16T12:00Z opens about 3,500 findings
# (need-to-know violations, missing end dates, access after the end). `secondsight daemon`
# serves the dashboard on 127.0.0.1 (plain HTTP, loopback); after one login, each page
# (/, a person, a system, /agencies, an agency, a checklist) is requested REPS times (default
# 100) with the session cookie, and the median and p99 (nearest rank) of curl's time_total (the
# request sent to the last byte of the answer read, on a new loopback connection) are printed
# beside the target, 100 ms.
#   REPS=100 bench/dashboard.sh [PEOPLE] [GROUPS] [MEMBERSHIPS]
# Needs a built build/src/secondsight, python3 and curl.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
bin=${SECONDSIGHT_BIN:-$top/build/src/secondsight}
reps=${REPS:-100}
now=2026-03-16T12:00:00Z  # gen_directory.py's clock
for tool in python3 curl; do
  command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 2; }
done
[ -x "$bin" ] || { echo "build secondsight first (cmake --preset default && cmake --build --preset default)" >&2; exit 2; }

work=$(mktemp -d)
daemon=""
cleanup() {
  if [ -n "$daemon" ]; then kill "$daemon" 2>/dev/null || true; wait "$daemon" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

python3 "$here/gen_directory.py" "$work" "${1:-100000}" "${2:-10000}" "${3:-1000000}"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port
new_token() { python3 -c 'import secrets; print(secrets.token_urlsafe(32))'; }
(
  umask 077
  new_token >"$work/token"
  printf 'bench: %s\n' "$(new_token)" >"$work/dashboard-tokens"
)
sed -i 's#uri: ldap://127.0.0.1:PORT#uri: ldif:directory.ldif#' "$work/config.yaml"
cat >>"$work/config.yaml" <<EOF
api:
  listen: "127.0.0.1:$port"
  token_file: $work/token
  dashboard_tokens_file: $work/dashboard-tokens
EOF
bearer="Authorization: Bearer $(cat "$work/token")"

echo "load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
(cd "$work" && exec env -u NOTIFY_SOCKET "$bin" --log-level warn daemon --config config.yaml \
  --now "$now" 2>"$work/daemon.log") &
daemon=$!
# Ready when /healthz says a scan finished; at most 10 minutes.
deadline=$((SECONDS + 600))
scanned='import json, sys; sys.exit(0 if json.load(sys.stdin).get("last_scan") else 1)'
until curl -s -H "$bearer" "$base/healthz" 2>/dev/null | python3 -c "$scanned" 2>/dev/null; do
  if ! kill -0 "$daemon" 2>/dev/null; then
    echo "the daemon stopped:" >&2
    cat "$work/daemon.log" >&2
    exit 1
  fi
  [ "$SECONDS" -lt "$deadline" ] || { echo "no scan finished within 10 minutes" >&2; exit 1; }
  sleep 0.5
done
findings=$(curl -s -H "$bearer" "$base/api/v1/findings" |
  python3 -c 'import json, sys; print(len(json.load(sys.stdin)["findings"]))')
echo "first scan done: $findings open findings"

token=$(sed -n 's/^bench: //p' "$work/dashboard-tokens")
cookie=$(curl -s -o /dev/null -D - --data-urlencode "token=$token" --data-urlencode "next=/" \
  "$base/login" | sed -n 's/^[Ss]et-[Cc]ookie: secondsight_session=\([^;]*\).*/\1/p' | tr -d '\r')
[ -n "$cookie" ] || { echo "POST /login gave no session cookie" >&2; exit 1; }

# A contractor past the end (u000013: access after the end, a checklist), the first system, and
# the agency of one contractor in seven.
pages=(
  "overview /"
  "person /people/u000013"
  "system /systems/system-0"
  "agencies /agencies"
  "agency /agencies/Agency%203"
  "checklist /checklists/u000013"
)
printf '%-10s %-26s %10s %9s %9s %8s\n' page path bytes median p99 target
for entry in "${pages[@]}"; do
  name=${entry%% *}
  path=${entry#* }
  times=$work/$name.times
  : >"$times"
  for _ in $(seq "$reps"); do
    curl -s -o /dev/null -H "Accept: text/html" -H "Cookie: secondsight_session=$cookie" \
      -w '%{http_code} %{time_total} %{size_download}\n' "$base$path" >>"$times"
  done
  python3 - "$name" "$path" "$times" <<'EOF'
import math, sys
name, path, file = sys.argv[1:]
rows = [line.split() for line in open(file)]
bad = sorted({r[0] for r in rows if r[0] != "200"})
if bad:
    sys.exit(f"{path}: answers {', '.join(bad)} (expected 200)")
times = sorted(float(r[1]) * 1000 for r in rows)
def rank(p):  # nearest rank: p99 of 100 is the 99th fastest
    return times[max(0, math.ceil(p / 100 * len(times)) - 1)]
median = rank(50)
p99 = rank(99)
verdict = "ok" if p99 <= 100 else "over"
print(f"{name:<10} {path:<26} {rows[-1][2]:>10} {median:7.1f}ms {p99:7.1f}ms {'100 ms':>8} {verdict}")
EOF
done

kill -TERM "$daemon"
status=0
wait "$daemon" || status=$?
daemon=""
if [ "$status" -ne 0 ]; then
  echo "the daemon ended with $status after SIGTERM" >&2
  cat "$work/daemon.log" >&2
  exit 1
fi
echo "load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
