# The whole market: 1,000 symbols collected at once from the fake exchange
# (--generate: the bundled BTCUSDT candles, symbol k's prices times 1 + k/100).
# The fake caps streams at Binance's 1,024 per connection; the collector is told
# 500 (feed.streams_per_connection), so two connections. The REST weight limit is
# 2,400 a minute (announced in exchangeInfo, enforced with 429) and, just before
# the collector starts, someone else has used 1,200 of it: only the
# X-MBX-USED-WEIGHT-1M header tells the collector, so it must pause at its budget
# and go on the next minute, never meeting a 429. The check: every symbol's 1m
# series starts at the history's start, has no hole and reaches the fake's clock;
# 50 symbols equal the truth candle for candle; nothing was dropped on the way to
# the database (the store's back-pressure).
. tests/integration/live_helpers
N=${MARKET_SYMBOLS:-1000}
W=2400
SYMS=$(gen_names $N)
# the fake's clock one hour into a UTC day (index 60 of the CSV is 00:00), so the
# back-fill (history 30, rounded back to the day's start) is one page a symbol
fx_start BTCUSDT --generate $N --weight-limit $W --tick-ms 1000 --start 1560 || { nok "fake exchange starts"; exit 0; }
printf '{ "feed": { "streams_per_connection": 500 } }\n' >"$TMP/market.json"
# the other client's weight and the start in the same wall-clock minute
i=0; while [ $i -lt 400 ] && [ "$(date +%S | sed 's/^0//')" -ge 30 ]; do sleep 0.1; i=$((i + 1)); done
ctl "spend&n=1200" >/dev/null
collect_start "$SYMS" --history 30 --stale-after 10 --config "$TMP/market.json"
caught_up() {
  t=$(stat_field open_time)
  n=$(sqlite3 "$DB" "SELECT count(*) FROM (SELECT max(open_time) m FROM candles WHERE timeframe='1m'
       GROUP BY symbol) WHERE m >= $t - 300000" 2>/dev/null)
  [ "${n:-0}" = "$N" ]
}
# 1,000 pages of weight 2 at 90 % of 2,400 a minute: two minutes at most, and
# two more for a busy machine
wait_caught_up() {
  i=0; while [ $i -lt 2400 ]; do caught_up && return 0; sleep 0.1; i=$((i + 1)); done
  echo "# $(sqlite3 "$DB" "SELECT count(DISTINCT symbol) FROM candles WHERE timeframe='1m'") symbols stored"; return 1
}
check "$N symbols: all collected up to the fake's clock" wait_caught_up
LO=$(sqlite3 "$DB" "SELECT min(open_time) FROM candles WHERE symbol='$(gen_name 0)' AND timeframe='1m'")
holes=$(sqlite3 "$DB" "SELECT count(*) FROM (SELECT count(*) c, min(open_time) lo, max(open_time) hi FROM candles
         WHERE timeframe='1m' GROUP BY symbol) WHERE c != (hi - lo) / 60000 + 1 OR lo != $LO")
check "$N symbols: every 1m series starts at the history's start and has no hole" test "$holes" = 0
# the truth check wants more than 100 candles: the clock moves a candle a second
wait_rows "$(gen_name $((N - 1)))" 110 60
fails=0
k=0; while [ $k -lt $N ]; do truth_ok "$(gen_name $k)" || fails=$((fails + 1)); k=$((k + N / 50)); done
check "50 symbols equal the truth candle for candle" test $fails = 0
peak=$(stat_field streams_peak)
check "the streams are spread over $(( (N + 499) / 500 )) connections of at most 500 (the fullest had $peak)" \
  test "$(stat_field connections)" = $(( (N + 499) / 500 )) -a "$peak" -le 500 -a "$(stat_field over_cap)" = 0
check "the REST weight limit was never passed: no 429" test "$(stat_field over_weight)" = 0 -a "$(stat_field rate_limited)" = 0
check "the weight limit was read from exchangeInfo" grep -q "request weight limit $W per minute" "$LOG"
check "the collector paused at its budget, counting the weight the exchange said was used" \
  grep -q "rest: request weight [0-9]* of $W used this minute; pausing requests" "$LOG"
collect_stop
check "SIGTERM exits 0" test "$STOP_RC" = 0
check "no storage record was dropped" sh -c "! grep -q 'storage records dropped' '$LOG'"
