#!/usr/bin/env bash
# Benchmark: how long `secondsight daemon` takes from a log line that opens a finding to the
# signed webhook at a receiver on 127.0.0.1, over REPS repetitions (median, p90, p99, max;
# targets: median under 1 s, p99 under 2 s), then its CPU and memory while idle for
# IDLE_SECONDS. The company is generated (bench/gen_engagements.py): CONTRACTORS seconded
# contractors, none of whom may use the system `target`; each repetition appends one sshd login
# of the next contractor on host target-1 to the followed auth.log and waits for that
# contractor's `opened` need_to_know_violation alert (bench/daemon_latency.py).
#   REPS=100 IDLE_SECONDS=600 bench/daemon_latency.sh [CONTRACTORS]   (defaults; CONTRACTORS 200)
# LOG_LEVEL=info also splits each latency into detection and delivery.
# Needs a built build/src/secondsight, python3 and openssl.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
bin=${SECONDSIGHT_BIN:-$top/build/src/secondsight}
reps=${REPS:-100}
idle=${IDLE_SECONDS:-600}
contractors=${1:-200}
for tool in python3 openssl; do
  command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 2; }
done
[ -x "$bin" ] || { echo "build secondsight first (cmake --preset default && cmake --build --preset default)" >&2; exit 2; }
[ "$reps" -lt "$contractors" ] || { echo "REPS must be below CONTRACTORS ($contractors): one login opens one finding per contractor" >&2; exit 2; }

work=$(mktemp -d)
driver=""
cleanup() {
  # The driver stops the daemon itself (SIGTERM lets it); the pid file is left only when it
  # could not.
  if [ -n "$driver" ]; then kill "$driver" 2>/dev/null || true; wait "$driver" 2>/dev/null || true; fi
  if [ -s "$work/daemon.pid" ]; then kill "$(cat "$work/daemon.pid")" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

python3 "$here/gen_engagements.py" "$work" "$contractors"

# A test CA and a certificate it signs for 127.0.0.1, as tests/fixtures/test_pki.hpp makes them.
pki=$work/pki
mkdir "$pki"
key="-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
printf 'basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1\n' >"$pki/server.ext"
{
  openssl req -x509 $key -keyout "$pki/ca.key" -out "$pki/ca.crt" -days 2 \
    -subj '/CN=secondsight bench CA' \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign
  openssl req $key -keyout "$pki/server.key" -out "$pki/server.csr" -subj '/CN=127.0.0.1'
  openssl x509 -req -in "$pki/server.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" \
    -CAcreateserial -days 1 -extfile "$pki/server.ext" -out "$pki/server.crt"
} >"$pki/openssl.log" 2>&1 || { cat "$pki/openssl.log" >&2; exit 1; }

echo "$contractors contractors; $reps repetitions; load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
python3 "$here/daemon_latency.py" "$work" "$bin" "$reps" "$idle" &
driver=$!
wait "$driver"
driver=""
echo "load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
