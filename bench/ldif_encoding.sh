#!/usr/bin/env bash
# Benchmark: what reading an LDIF export in UTF-16 (as `ldifde -u` writes it, with a byte-order
# mark and CRLF) costs over the same export in UTF-8, beside glibc's `iconv` converting that
# UTF-16 file to UTF-8, in the same run (RUNS alternating runs of each, default 5; medians).
# `secondsight policy check` reads the export whole (decode, parse, snapshot) each time.
#   bench/ldif_encoding.sh [PEOPLE] [GROUPS] [MEMBERSHIPS]   (default 100000 10000 1000000)
# Needs a built build/src/secondsight, and time and python3 (Debian packages).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
bin=${SECONDSIGHT_BIN:-$top/build/src/secondsight}
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time: apt-get install time" >&2; exit 2; }
[ -x "$bin" ] || { echo "build secondsight first (cmake --preset default && cmake --build --preset default)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$here/gen_directory.py" "$work" "${1:-100000}" "${2:-10000}" "${3:-1000000}"
sed -i "s|^\( *uri:\).*|\1 ldif:directory.ldif|" "$work/config.yaml"
sed "s|ldif:directory.ldif|ldif:directory-utf16.ldif|" "$work/config.yaml" >"$work/config-utf16.yaml"
python3 - "$work/directory.ldif" "$work/directory-utf16.ldif" <<'PY'
import sys
text = open(sys.argv[1], encoding="utf-8").read().replace("\n", "\r\n")
open(sys.argv[2], "wb").write("\ufeff".encode("utf-16-le") + text.encode("utf-16-le"))
PY

measure() {  # measure NAME COMMAND...: wall seconds and peak RSS (KiB) into globals
  local out="$work/time.$1"
  /usr/bin/time -f "%e %M" -o "$out" "${@:2}" >"$work/stdout.$1" 2>"$work/stderr.$1" || true
  grep -q "0 errors" "$work/stdout.$1" 2>/dev/null || [ "$1" = iconv ] ||
    { cat "$work/stdout.$1" "$work/stderr.$1" >&2; exit 1; }
  read -r seconds kib <"$out"
}

runs=${RUNS:-5}
u8=() u16=() ic=() u8_kib=0 u16_kib=0
for _ in $(seq "$runs"); do
  measure utf8 "$bin" policy check --config "$work/config.yaml"
  u8+=("$seconds"); [ "$kib" -gt "$u8_kib" ] && u8_kib=$kib
  measure utf16 "$bin" policy check --config "$work/config-utf16.yaml"
  u16+=("$seconds"); [ "$kib" -gt "$u16_kib" ] && u16_kib=$kib
  measure iconv bash -c "iconv -f UTF-16 -t UTF-8 '$work/directory-utf16.ldif' >/dev/null"
  ic+=("$seconds")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
python3 - "$(median "${u8[@]}")" "$(median "${u16[@]}")" "$(median "${ic[@]}")" "$u8_kib" "$u16_kib" \
  "$(stat -c %s "$work/directory.ldif")" "$(stat -c %s "$work/directory-utf16.ldif")" <<'PY'
import sys
u8, u16, ic, u8_kib, u16_kib, size8, size16 = map(float, sys.argv[1:8])
print(f"export: {size8 / 2**20:.0f} MiB as UTF-8, {size16 / 2**20:.0f} MiB as UTF-16LE with CRLF")
print(f"policy check, UTF-8 export : {u8:6.2f} s  peak {u8_kib / 1024:7.1f} MiB")
print(f"policy check, UTF-16 export: {u16:6.2f} s  peak {u16_kib / 1024:7.1f} MiB")
print(f"iconv UTF-16 -> UTF-8      : {ic:6.2f} s")
print(f"decoding cost (UTF-16 - UTF-8): {u16 - u8:.2f} s; ratio to iconv {(u16 - u8) / ic:.2f}")
PY
