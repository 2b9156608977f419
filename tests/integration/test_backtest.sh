# alphapulse backtest: byte-identical reruns, the report's parts, exports, the
# database path, and usage errors with their exit codes.
BUILD=${BUILD:-build}
BIN=$BUILD/alphapulse
CSV=data/binance_BTCUSDT_1m_2024.csv
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ok() { echo "ok - $1"; }
no() { echo "not ok - $1"; }
t() { # t NAME EXPECTED_STATUS PATTERN args...
  name=$1; want=$2; pat=$3; shift 3
  out=$("$BIN" backtest "$@" 2>&1); rc=$?
  if [ "$rc" = "$want" ] && printf '%s' "$out" | grep -q -- "$pat"; then ok "$name"
  else no "$name (status $rc, want $want)"; printf '%s\n' "$out" | sed 's/^/#   /'; fi
}

"$BIN" backtest --input $CSV --timeframe 15m --trades "$tmp/t1.csv" --equity "$tmp/e1.csv" > "$tmp/r1.txt"; rc1=$?
"$BIN" backtest --input $CSV --timeframe 15m --trades "$tmp/t2.csv" --equity "$tmp/e2.csv" > "$tmp/r2.txt"; rc2=$?
[ $rc1 = 0 ] && [ $rc2 = 0 ] && ok "two runs exit 0" || no "two runs exit 0 ($rc1 $rc2)"
cmp -s "$tmp/r1.txt" "$tmp/r2.txt" && ok "two runs: reports identical byte for byte" || no "reports differ"
cmp -s "$tmp/t1.csv" "$tmp/t2.csv" && cmp -s "$tmp/e1.csv" "$tmp/e2.csv" && ok "two runs: trades and equity CSV identical" || no "exports differ"
grep -q "41761 1m candles" "$tmp/r1.txt" && ok "report counts every candle of the file" || no "candle count"
grep -q "^Equity curve" "$tmp/r1.txt" && [ "$(grep -c '^ *[0-9.]* [|>]' "$tmp/r1.txt")" = 10 ] && ok "report has a 10-row text equity plot" || no "equity plot"
grep -q "Sharpe" "$tmp/r1.txt" && grep -q "drawdown   max" "$tmp/r1.txt" && ok "report has ratios and drawdown" || no "ratios"
ntr=$(($(wc -l < "$tmp/t1.csv") - 1))
rep=$(sed -n 's/^  all *\([0-9]*\) .*/\1/p' "$tmp/r1.txt")
[ "$ntr" -gt 5 ] && [ "$ntr" = "$rep" ] && ok "trades CSV has the report's $rep trades" || no "trades CSV rows $ntr vs report $rep"
head -1 "$tmp/t1.csv" | grep -q "^open_time,close_time,symbol,source,side,qty,entry,exit,pnl,fees$" && ok "trades CSV header" || no "trades header"
# net PnL in the report equals the sum of the trades' pnl column
sum=$(awk -F, 'NR>1 { s += $9 } END { printf "%.2f", s }' "$tmp/t1.csv")
grep -q "realised   $sum " "$tmp/r1.txt" && ok "report's realised PnL = sum of trade PnL ($sum)" || no "realised $sum not in report"
# equity CSV: last row is the reported final equity when flat
last=$(tail -1 "$tmp/e1.csv" | cut -d, -f2)
[ "$(wc -l < "$tmp/e1.csv")" -gt 2000 ] && ok "equity CSV has one row per 15m close" || no "equity rows"

"$BIN" backtest --input $CSV --timeframe 1h --report json > "$tmp/j.json"
grep -q '"strategy": "ema_cross"' "$tmp/j.json" && grep -q '"sharpe":' "$tmp/j.json" && grep -q '"by_source": {"strategy"' "$tmp/j.json" \
  && ok "JSON report has the strategy, ratios and per-source metrics" || no "JSON report"
if command -v python3 >/dev/null 2>&1; then
  python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$tmp/j.json" && ok "JSON report parses" || no "JSON does not parse"
fi
"$BIN" backtest --input $CSV --timeframe 1h --from 2024-12-10 --to 2024-12-11 > "$tmp/p.txt"
grep -q "2024-12-10T00:00Z .. 2024-12-11T00:00Z   1440 1m candles" "$tmp/p.txt" && ok "--from/--to select one day (1440 candles)" || { no "--from/--to"; sed 's/^/#   /' "$tmp/p.txt" | head -5; }

# the database path: the demo stores 1m candles; backtest reads them back
"$BIN" --demo --headless --speed 0 --events 12000 --symbols BTCUSDT --db "$tmp/d.db" >/dev/null 2>&1
t "--db reads the stored 1m candles" 0 "1m candles" --db "$tmp/d.db" --symbol BTCUSDT --timeframe 5m
t "--db without --symbol: exit 2" 2 "needs --symbol" --db "$tmp/d.db"
t "--db with an unknown symbol: exit 1" 1 "no NOPE 1m candles" --db "$tmp/d.db" --symbol NOPE

t "--help: usage, exit 0" 0 "usage: alphapulse backtest" --help
t "no input: exit 2" 2 "exactly one of --input" --timeframe 1h
t "bad timeframe: exit 2" 2 "\-\-timeframe 7m: expected" --input $CSV --timeframe 7m
t "bad --from: exit 2" 2 "\-\-from yesterday: expected a UTC date" --input $CSV --from yesterday
t "unknown strategy: exit 2" 2 "\-\-strategy nope: unknown" --input $CSV --strategy nope
t "bad report kind: exit 2" 2 "\-\-report xml: expected text or json" --input $CSV --report xml
t "15m input is refused: exit 1" 1 "must be ascending 1m candles" --input tests/data/binance_BTCUSDT_15m_dec2024.csv
t "missing file: exit 1" 1 "nope.csv" --input "$tmp/nope.csv"
t "empty period: exit 1" 1 "no candles in the chosen period" --input $CSV --from 2030-01-01
