# feed.symbols patterns against the fake exchange, which lists BTCUSDT, ETHBTC,
# 1000SATSUSDT (a name starting with digits) and 30 generated USDT pairs (GAAAUSDT ... GABDUSDT) whose 24 h quote volume
# grows with their place in the list: "top:5:USDT" with "-GABDUSDT" collects the
# five most traded USDT pairs without the excluded one (GAAYUSDT ... GABCUSDT),
# plus a plain symbol; "*USDT" from the configuration file collects every USDT
# pair but the excluded. A malformed pattern is refused with what was expected,
# on the command line and in the file (file:line:col).
. tests/integration/live_helpers
fx_start BTCUSDT,ETHBTC,1000SATSUSDT --generate 30 || { nok "fake exchange starts"; exit 0; }
stored() { sqlite3 "$DB" "SELECT group_concat(symbol) FROM (SELECT DISTINCT symbol FROM candles
                          WHERE timeframe='1m' ORDER BY symbol)" 2>/dev/null; }
# wait_stored LIST: exactly these symbols have candles
wait_stored() {
  i=0; while [ $i -lt 200 ]; do [ "$(stored)" = "$1" ] && return 0; sleep 0.1; i=$((i + 1)); done
  echo "# stored: $(stored)"; return 1
}
collect_start "top:5:USDT,-GABDUSDT,ethbtc" --history 100
check "top:5:USDT without GABDUSDT, and ETHBTC: those six are collected, no other" \
  wait_stored "ETHBTC,GAAYUSDT,GAAZUSDT,GABAUSDT,GABBUSDT,GABCUSDT"
check "the resolution is logged" grep -q "top:5:USDT,-GABDUSDT,ethbtc -> 6 symbols of the 33 Binance lists" "$LOG"
check "a pattern's symbols equal the truth" truth_ok GABCUSDT
collect_stop
check "SIGTERM exits 0" test "$STOP_RC" = 0

# "*USDT" and an exclusion from the configuration file
printf '{ "feed": { "symbols": ["*usdt", "-BTCUSDT", "-GAAAUSDT"] } }\n' >"$TMP/all.json"
out=$("$BIN" --check-config --config "$TMP/all.json" 2>&1)
check "--check-config shows the patterns in canonical form" \
  sh -c "printf '%s\n' \"\$1\" | grep -qF 'feed.symbols = [\"*USDT\", \"-BTCUSDT\", \"-GAAAUSDT\"]'" _ "$out"
DB=$TMP/all.db
"$BIN" collect --db "$DB" --log "$TMP/all.log" --config "$TMP/all.json" --rest-url "http://127.0.0.1:$PORT" \
  --ws-url "ws://127.0.0.1:$PORT" --history 100 </dev/null >"$TMP/all.out" 2>&1 &
APID=$!; PIDS="$PIDS $APID"
n_stored() { [ "$(sqlite3 "$DB" "SELECT count(DISTINCT symbol) FROM candles WHERE timeframe='1m'" 2>/dev/null)" = 30 ]; }
wait_n() { i=0; while [ $i -lt 200 ]; do n_stored && return 0; sleep 0.1; i=$((i + 1)); done; return 1; }
check "*USDT less two exclusions: the 30 other USDT pairs are collected" wait_n
check "1000SATSUSDT (digits first) equals the truth" truth_ok 1000SATSUSDT
check "the excluded and the BTC-quoted pairs are not" \
  test "$(sqlite3 "$DB" "SELECT count(*) FROM candles WHERE symbol IN ('BTCUSDT','GAAAUSDT','ETHBTC')")" = 0
kill -TERM $APID; wait $APID
check "collect from the file exits 0 on SIGTERM" test $? = 0

# malformed patterns: refused before anything starts, with what was expected
out=$("$BIN" collect --db "$TMP/bad.db" --symbols "BTCUSDT,top:many:USDT" 2>&1); rc=$?
check "--symbols top:many:USDT: exit 2, top:N:QUOTE expected" \
  sh -c "test $rc = 2 && printf '%s\n' \"\$1\" | grep -qF 'expected top:N:QUOTE such as \"top:100:USDT\"'" _ "$out"
printf '{ "feed": {\n  "symbols": ["BTCUSDT", "*"] } }\n' >"$TMP/bad.json"
out=$("$BIN" --check-config --config "$TMP/bad.json" 2>&1); rc=$?
check "feed.symbols [\"*\"]: exit 2 at file:line:col, a quote asset expected" \
  sh -c "test $rc = 2 && printf '%s\n' \"\$1\" | grep -qF 'bad.json:2:26: feed.symbols[1]: \"*\": expected * and a quote asset'" _ "$out"

# the re-ranking of top:N (feed.top_refresh_s, here 10 s): two pairs whose volume
# jumps enter; of the two that leave, the one added by hand stays
printf '{ "feed": { "top_refresh_s": 10 } }\n' >"$TMP/rank.json"
DB=$TMP/rank.db
collect_start "top:3:USDT" --history 100 --config "$TMP/rank.json"
check "top:3:USDT: the three most traded USDT pairs are collected" wait_stored "GABBUSDT,GABCUSDT,GABDUSDT"
cmd ":add GABBUSDT"
check ":add of a ranked symbol is taken as by hand" wait_log "collect: add GABBUSDT queued" 5
ctl "boost&symbol=GAAAUSDT&n=1000" >/dev/null
ctl "boost&symbol=GAABUSDT&n=1000" >/dev/null
check "the re-ranking adds the two that entered, removes one, keeps the one added by hand" \
  wait_log "symbols re-ranked (top:3:USDT): 2 added, 1 removed, 1 kept" 30
check "the entering pairs are collected" wait_rows GAAAUSDT 50 20
check "the leaving pair is unsubscribed" wait_stat unsubscribes 1 10
settle GAAAUSDT 5
n1=$(rows GABCUSDT); settle GAAAUSDT 5; n2=$(rows GABCUSDT)
check "the pair that left stops growing" test "$n1" = "$n2"
check "the pair added by hand goes on" advancing GABBUSDT
collect_stop
check "SIGTERM exits 0" test "$STOP_RC" = 0
