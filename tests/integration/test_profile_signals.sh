# Per-symbol profiles reach the signal engine: the same replay with a lower
# signals.threshold for BTCUSDT emits clearly more BTCUSDT signals, a higher one
# clearly fewer. (A headless --events run stops at a snapshot boundary, so counts
# are compared with a margin.)
BUILD=${BUILD:-build}
BIN=$BUILD/alphapulse
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
count() { "$BIN" export signals --db "$1" --symbol "$2" --format csv 2>/dev/null | tail -n +2 | wc -l; }
"$BIN" --demo --headless --speed 0 --events 90000 --db "$tmp/a.db" >/dev/null 2>&1
printf '{"profiles": {"BTCUSDT": {"signals": {"threshold": 0.6, "min_voters": 2, "min_rr": 1}}}}\n' > "$tmp/p.json"
"$BIN" --demo --headless --speed 0 --events 90000 --db "$tmp/b.db" --config "$tmp/p.json" >/dev/null 2>&1
a=$(count "$tmp/a.db" BTCUSDT); b=$(count "$tmp/b.db" BTCUSDT)
if [ "$b" -gt $((a + a / 10)) ]; then echo "ok - a lower BTCUSDT threshold emits more BTCUSDT signals ($a -> $b)"
else echo "not ok - a lower BTCUSDT threshold emits more BTCUSDT signals ($a -> $b)"; fi
printf '{"profiles": {"BTCUSDT": {"signals": {"threshold": 0.95}}}}\n' > "$tmp/h.json"
"$BIN" --demo --headless --speed 0 --events 90000 --db "$tmp/c.db" --config "$tmp/h.json" >/dev/null 2>&1
c=$(count "$tmp/c.db" BTCUSDT)
if [ "$c" -lt $((a - a / 4)) ]; then echo "ok - a higher BTCUSDT threshold emits fewer BTCUSDT signals ($a -> $c)"
else echo "not ok - a higher BTCUSDT threshold emits fewer BTCUSDT signals ($a -> $c)"; fi
"$BIN" --check-config --config "$tmp/p.json" | grep -q 'profiles.BTCUSDT.signals.threshold = 0.6  (profile BTCUSDT)' &&
  echo "ok - --check-config shows the profile's signal threshold and its source" ||
  echo "not ok - --check-config shows the profile's signal threshold and its source"
