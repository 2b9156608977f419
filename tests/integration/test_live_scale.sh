# The whole market against the fake exchange: 300 symbols collected at once over
# several WebSocket connections (the fake caps streams per connection at 100, the
# collector is told the same with feed.streams_per_connection), the start-up
# back-fill kept under a REST weight limit of 400 per minute (SCALE_WEIGHT) that exchangeInfo
# announces and the fake enforces with 429. Every symbol's stored 1m series must
# have no hole and start where the history does; a sample equals the truth fully.
. tests/integration/live_helpers
N=${SCALE_SYMBOLS:-300}
W=${SCALE_WEIGHT:-400}          # the fake's REST weight limit per minute
SYMS=$(gen_names $N)
fx_start BTCUSDT --generate $N --max-streams 100 --weight-limit $W --tick-ms 250 || { nok "fake exchange starts"; exit 0; }
printf '{ "feed": { "streams_per_connection": 100 } }\n' >"$TMP/scale.json"
collect_start "$SYMS" --history 200 --config "$TMP/scale.json"
# every symbol stored up to a few candles of the fake's clock
caught_up() {
  t=$(stat_field open_time)
  n=$(sqlite3 "$DB" "SELECT count(*) FROM (SELECT max(open_time) m FROM candles WHERE timeframe='1m'
       GROUP BY symbol) WHERE m >= $t - 300000" 2>/dev/null)
  [ "${n:-0}" = "$N" ]
}
# the back-fill takes a page (weight 2) a symbol within 90 % of W a minute: a minute
# per W * 9 / 20 symbols, and up to four more for the windows' edges and a busy machine
wait_caught_up() {
  i=0; lim=$(( (N / (W * 9 / 20) + 4) * 600 ))
  while [ $i -lt $lim ]; do caught_up && return 0; sleep 0.1; i=$((i + 1)); done
  echo "# $(sqlite3 "$DB" "SELECT count(DISTINCT symbol) FROM candles WHERE timeframe='1m'") symbols stored"; return 1
}
check "$N symbols: all collected up to the fake's clock" wait_caught_up
LO=$(sqlite3 "$DB" "SELECT min(open_time) FROM candles WHERE symbol='$(gen_name 0)' AND timeframe='1m'")
holes=$(sqlite3 "$DB" "SELECT count(*) FROM (SELECT count(*) c, min(open_time) lo, max(open_time) hi FROM candles
         WHERE timeframe='1m' GROUP BY symbol) WHERE c != (hi - lo) / 60000 + 1 OR lo != $LO")
check "$N symbols: every 1m series starts at the history's start and has no hole" test "$holes" = 0
fails=0
for k in 0 37 100 163 250 $((N - 1)); do truth_ok "$(gen_name $k)" || fails=$((fails + 1)); done
check "a sample of six symbols equals the truth candle for candle" test $fails = 0
check "the streams are spread over at least $((N / 100)) connections" test "$(stat_field connections_total)" -ge $((N / 100))
check "no connection asked for more than 100 streams" test "$(stat_field over_cap)" = 0
peak=$(stat_field streams_peak)
check "the fullest connection carried at most 100 streams (it had $peak)" test "$peak" -le 100
check "the REST weight limit was never passed: no 429" test "$(stat_field over_weight)" = 0 -a "$(stat_field rate_limited)" = 0
check "the weight limit was read from exchangeInfo" grep -q "request weight limit $W per minute" "$TMP/collect.log"
collect_stop
check "SIGTERM exits 0" test "$STOP_RC" = 0
