# Binance and Bybit at once: `alphapulse collect` with a Binance symbol, a Bybit
# spot symbol and a Bybit perpetual against the two fake exchanges on 127.0.0.1
# (Bybit's endpoints from the configuration, venues.bybit.*), through faults on
# the Bybit side (a dropped connection, skipped candles, duplicates, garbage, a
# REST rate limit): every stored 1m candle of every venue equals its server's
# truth, none missing, none twice; an unknown Bybit symbol is reported and
# dropped while the rest go on; :del and :add of a Bybit symbol live.
. tests/integration/live_helpers
FB=$BUILD/tests/fake_exchange/fake_bybit

fb_start() {
  "$FB" --csv "$CSV" --spot BTCUSDT,ETHUSDT --linear BTCUSDT --port 0 "$@" >"$TMP/fb.out" 2>&1 &
  FBPID=$!; PIDS="$PIDS $FBPID"
  i=0; BPORT=""
  while [ $i -lt 50 ] && [ -z "$BPORT" ]; do
    BPORT=$(awk '/^port /{print $2}' "$TMP/fb.out" 2>/dev/null); sleep 0.1; i=$((i + 1))
  done
  [ -n "$BPORT" ]
}
bctl() { curl -s --max-time 5 "http://127.0.0.1:$BPORT/control?action=$1"; }


fx_start BTCUSDT || { nok "fake Binance starts"; exit 0; }
fb_start || { nok "fake Bybit starts"; exit 0; }
printf '{"venues": {"bybit": {"rest_url": "http://127.0.0.1:%s", "ws_url": "ws://127.0.0.1:%s"}}}\n' \
  "$BPORT" "$BPORT" >"$TMP/bybit.json"
collect_start BTCUSDT,bybit:BTCUSDT,bybit:NOPEUSDT,bybit-linear:BTCUSDT --history 1200 --config "$TMP/bybit.json"
check "binance BTCUSDT collecting" wait_rows BTCUSDT 1000 30
check "bybit:BTCUSDT collecting" wait_rows bybit:BTCUSDT 1000 30
check "bybit-linear:BTCUSDT collecting" wait_rows bybit-linear:BTCUSDT 1000 30
check "the unknown Bybit symbol is reported and dropped" wait_log "bybit:NOPEUSDT: .*unknown symbol NOPEUSDT.*dropped" 10
check "nothing stored for the unknown symbol" test "$(rows bybit:NOPEUSDT)" = 0
bctl close >/dev/null
check "after a dropped Bybit connection: still advancing" advancing bybit:BTCUSDT
bctl "skip&n=5" >/dev/null
n=$(rows bybit:BTCUSDT); wait_rows bybit:BTCUSDT $((n + 40)) 20
bctl "dup&n=5" >/dev/null; bctl "garbage&n=4" >/dev/null
bctl "ratelimit&n=2" >/dev/null; bctl close >/dev/null
n=$(rows bybit:BTCUSDT); wait_rows bybit:BTCUSDT $((n + 60)) 20
check "after skip, dup, garbage, rate limit: still advancing" advancing bybit-linear:BTCUSDT
cmd ":del bybit:BTCUSDT"
settle bybit-linear:BTCUSDT 5
n1=$(rows bybit:BTCUSDT); settle bybit-linear:BTCUSDT; n2=$(rows bybit:BTCUSDT)
check ":del bybit:BTCUSDT: it stops growing" test "$n1" = "$n2"
cmd ":add bybit:BTCUSDT"
check ":add bybit:BTCUSDT: it resumes" wait_rows bybit:BTCUSDT $((n2 + 100)) 20
n=$(rows BTCUSDT); wait_rows BTCUSDT $((n + 20)) 10
collect_stop
check "SIGTERM exits 0" test "$STOP_RC" = 0
check "binance BTCUSDT equals its truth" truth_ok BTCUSDT
check "bybit:BTCUSDT equals its truth (through the faults, its pause back-filled)" bybit_truth_ok bybit:BTCUSDT spot BTCUSDT
check "bybit-linear:BTCUSDT equals its truth" bybit_truth_ok bybit-linear:BTCUSDT linear BTCUSDT
dups=$(sqlite3 "$DB" "SELECT count(*) FROM (SELECT symbol, timeframe, open_time FROM candles GROUP BY 1,2,3 HAVING count(*) > 1)")
check "no candle stored twice" test "$dups" = 0
