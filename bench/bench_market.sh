#!/bin/sh
# The whole market live: `alphapulse collect` against the fake exchange with
# 100, 500 and 1,000 symbols (--generate), the fake's clock one 1m candle a
# second (60 times Binance's pace of closed candles). For each: the time and CPU
# to back-fill and catch up at start, then over a steady window of W seconds the
# collector's CPU (share of one core) and its RSS; per symbol, and as ratios to
# the 100-symbol run of the same invocation.
# Usage: sh bench/bench_market.sh   (AP_BIN=build/alphapulse, FX_BIN=build/tests/fake_exchange/fake_exchange,
#        BENCH_MARKET="100 500 1000", BENCH_MARKET_WINDOW=30)
cd "$(dirname "$0")/.." || exit 1
BIN=${AP_BIN:-build/alphapulse}
FX=${FX_BIN:-build/tests/fake_exchange/fake_exchange}
W=${BENCH_MARKET_WINDOW:-30}
HZ=$(getconf CLK_TCK)
if [ ! -x "$BIN" ] || [ ! -x "$FX" ] || ! command -v sqlite3 >/dev/null 2>&1; then
  echo "bench_market: needs $BIN, $FX and sqlite3"; exit 0
fi
dir=$(mktemp -d)
pids=""
trap 'for p in $pids; do kill -9 $p 2>/dev/null; done; rm -rf "$dir"' EXIT
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }
now_ms() { date +%s%3N; }
ref_rss=""; ref_cpu=""
for n in ${BENCH_MARKET:-100 500 1000}; do
  "$FX" --csv data/binance_BTCUSDT_1m_2024.csv --symbols BTCUSDT --generate "$n" --tick-ms 1000 --start 1560 \
    --port 0 >"$dir/fx.out" 2>&1 &
  fx=$!; pids="$pids $fx"
  i=0; port=""
  while [ $i -lt 50 ] && [ -z "$port" ]; do port=$(awk '/^port /{print $2}' "$dir/fx.out"); sleep 0.1; i=$((i + 1)); done
  syms=$(awk -v n="$n" 'BEGIN { a = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"; for (k = 0; k < n; k++)
    printf "%sG%s%s%sUSDT", k ? "," : "", substr(a, int(k / 676) % 26 + 1, 1), substr(a, int(k / 26) % 26 + 1, 1),
    substr(a, k % 26 + 1, 1) }')
  db="$dir/m$n.db"
  t0=$(now_ms)
  "$BIN" collect --db "$db" --log "$dir/c$n.log" --symbols "$syms" --rest-url "http://127.0.0.1:$port" \
    --ws-url "ws://127.0.0.1:$port" --history 30 --stale-after 10 </dev/null >/dev/null 2>&1 &
  ap=$!; pids="$pids $ap"
  # caught up: every symbol stored to within 5 candles of the fake's clock
  i=0
  while [ $i -lt 3000 ]; do
    t=$(curl -s "http://127.0.0.1:$port/control?action=stats" | sed -n 's/.*"open_time":\([0-9]*\).*/\1/p')
    c=$(sqlite3 "$db" "SELECT count(*) FROM (SELECT max(open_time) m FROM candles WHERE timeframe='1m'
         GROUP BY symbol) WHERE m >= ${t:-0} - 300000" 2>/dev/null)
    [ "${c:-0}" = "$n" ] && break
    sleep 0.2; i=$((i + 1))
  done
  t1=$(now_ms); c1=$(cpu_ticks $ap)
  sleep "$W"
  t2=$(now_ms); c2=$(cpu_ticks $ap); rss=$(rss_kb $ap)
  kill -TERM $ap; wait $ap 2>/dev/null
  kill -TERM $fx; wait $fx 2>/dev/null
  awk -v n="$n" -v up=$((t1 - t0)) -v upcpu="$c1" -v hz="$HZ" -v dc=$((c2 - c1)) -v dt=$((t2 - t1)) -v rss="$rss" \
      -v rr="$ref_rss" -v rc="$ref_cpu" 'BEGIN {
    cpu = 100 * dc / hz / (dt / 1000)
    printf "market %4d symbols: caught up in %.1f s (%.1f s CPU); live: %.1f %% of a core, RSS %.0f MB = %.0f KB/symbol",
      n, up / 1000, upcpu / hz, cpu, rss / 1024, rss / n
    if (rr != "") printf "; per symbol vs 100: RSS x%.2f, CPU x%.2f", (rss / n) / rr, (cpu / n) / rc
    printf "\n" }'
  if [ -z "$ref_rss" ]; then
    ref_rss=$(awk -v r="$rss" -v n="$n" 'BEGIN { print r / n }')
    ref_cpu=$(awk -v d=$((c2 - c1)) -v hz="$HZ" -v t=$((t2 - t1)) -v n="$n" 'BEGIN { print 100 * d / hz / (t / 1000) / n }')
  fi
done
