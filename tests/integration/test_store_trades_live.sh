# storage.trades against the fake exchange: `collect` with feed.depth and
# storage.trades stores the venue's aggregated trades as they come (the fake sends
# four per closed candle: at its open, high, low and close, summing to its volume);
# every stored candle that has trades has exactly those four, consecutive ids,
# inside its range, the last at its close, adding up to its volume; `export tape`
# writes them; without storage.trades nothing is stored; without feed.depth the log
# says why none come.
. tests/integration/live_helpers
fx_start BTCUSDT || { nok "fake exchange starts"; exit 0; }
trades() { sqlite3 "$DB" "SELECT count(*) FROM agg_trades" 2>/dev/null || echo 0; }
wait_trades() {
  i=0; while [ $i -lt 150 ]; do [ "$(trades)" -ge "$1" ] && return 0; sleep 0.1; i=$((i + 1)); done
  echo "# $(trades) trades stored, wanted $1"; return 1
}
printf '{"feed": {"depth": true}, "storage": {"trades": true}}\n' >"$TMP/on.json"
DB=$TMP/on.db
collect_start BTCUSDT --config "$TMP/on.json"
check "storage.trades: collect stores the venue's trades" wait_trades 400
collect_stop
check "storage.trades: collect stops with status 0" test "$STOP_RC" = 0
# per candle with trades: count, sum against volume, range, close, ids consecutive
bad=$(sqlite3 "$DB" "SELECT count(*) FROM candles c WHERE c.symbol='BTCUSDT' AND c.timeframe='1m' AND EXISTS
  (SELECT 1 FROM agg_trades t WHERE t.symbol='BTCUSDT' AND t.time >= c.open_time AND t.time < c.open_time + 60000)
  AND (NOT (SELECT count(*) = 4 AND abs(sum(qty) - c.volume) <= 1e-9 * (c.volume + 1e-9) AND min(price) >= c.low
    AND max(price) <= c.high AND max(id) - min(id) = 3 FROM agg_trades t WHERE t.symbol='BTCUSDT'
    AND t.time >= c.open_time AND t.time < c.open_time + 60000)
  OR NOT (SELECT price = c.close FROM agg_trades t WHERE t.symbol='BTCUSDT' AND t.time = c.open_time + 40000))")
with=$(sqlite3 "$DB" "SELECT count(DISTINCT time / 60000) FROM agg_trades")
orphans=$(sqlite3 "$DB" "SELECT count(*) FROM agg_trades t WHERE NOT EXISTS (SELECT 1 FROM candles c WHERE
  c.symbol = t.symbol AND c.timeframe = '1m' AND t.time >= c.open_time AND t.time < c.open_time + 60000)")
[ "$bad" = 0 ] || sqlite3 "$DB" "SELECT c.open_time, c.low, c.high, c.close, c.volume, count(t.id), sum(t.qty),
  min(t.price), max(t.price), min(t.id), max(t.id) FROM candles c JOIN agg_trades t ON t.symbol = c.symbol AND
  t.time >= c.open_time AND t.time < c.open_time + 60000 WHERE c.timeframe = '1m' GROUP BY c.open_time LIMIT 3" |
  sed 's/^/# /'
check "stored trades: every candle's four, inside its range, at its close, summing to its volume ($with candles)" \
  sh -c "[ '$bad' = 0 ] && [ '$with' -ge 100 ]"
check "stored trades: none without its candle (those of a candle still forming aside)" test "$orphans" -le 4
"$BIN" export tape --db "$DB" --symbol BTCUSDT --output "$TMP/tape.csv" >/dev/null 2>&1
check "export tape: a header and one line per stored trade" \
  sh -c "[ \"\$(head -1 '$TMP/tape.csv')\" = 'symbol,id,time,price,qty,side' ] && \
         [ \$(( \$(wc -l <'$TMP/tape.csv') - 1 )) = $(trades) ]"
check "export tape: buys and sells (the aggressor's side)" \
  sh -c "grep -q ',buy\$' '$TMP/tape.csv' && grep -q ',sell\$' '$TMP/tape.csv'"

printf '{"feed": {"depth": true}}\n' >"$TMP/off.json"
DB=$TMP/off.db
collect_start BTCUSDT --config "$TMP/off.json"
check "storage.trades off: candles are stored" wait_rows BTCUSDT 500 10
collect_stop
check "storage.trades off: no trade stored" test "$(trades)" = 0

printf '{"storage": {"trades": true}}\n' >"$TMP/nodepth.json"
DB=$TMP/nodepth.db
collect_start BTCUSDT --config "$TMP/nodepth.json"
check "storage.trades without feed.depth: the log says no trades come" \
  wait_log "storage.trades is on but feed.depth is off" 5
collect_stop
