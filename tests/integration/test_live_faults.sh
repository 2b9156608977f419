# The WebSocket faults of the fake exchange, one after another on one collector:
# after each, the collector must still be running and live, and the stored 1m
# series must equal the server's truth (none missing, duplicated or corrupted).
. tests/integration/live_helpers
fx_start BTCUSDT,ETHUSDT || { nok "fake exchange starts"; exit 0; }
collect_start BTCUSDT,ETHUSDT
wait_rows BTCUSDT 1000 10 || nok "collector starts" "no rows after 10 s"
fault() { # fault NAME ACTION LOGPATTERN
  name=$1; action=$2; pat=$3
  ctl "$action" >/dev/null
  [ -n "$pat" ] && { wait_log "$pat" 5 || echo "# log never showed: $pat"; }
  check "$name: still running and live" eventually 20 advancing BTCUSDT
  settle BTCUSDT 5
  check "$name: BTCUSDT equals the truth" eventually 10 truth_ok BTCUSDT
  check "$name: ETHUSDT equals the truth" eventually 10 truth_ok ETHUSDT
}
fault "server closes the connection" close "connection lost"
r0=$(stat_field connections_total)
fault "server stops sending without closing" stall "no message for 1 s"
check "stall: a new connection was made" test "$(stat_field connections_total)" -gt "$r0"
fault "malformed and oversized frames" "garbage&n=12" "rejected message"
check "malformed: counted by rule (syntax, field, high<low, nan)" sh -c \
  "grep -q '(syntax)' $TMP/collect.log && grep -q '(field)' $TMP/collect.log && grep -q '(high<low)' $TMP/collect.log && grep -q '(nan)' $TMP/collect.log"
check "oversized frame discarded" grep -q "discarded a message of" "$TMP/collect.log"
fault "duplicate and out-of-order candles (altered values)" "dup&n=40" ""
fault "candles skipped on the stream" "skip&n=30" "missing on the stream"
check "skip: the gap was back-filled over REST" grep -q "back-filling" "$TMP/collect.log"
fault "close again right after a skip" "skip&n=5" "back-filling"
ctl close >/dev/null
collect_stop
check "after all faults: SIGTERM exits 0" test "$STOP_RC" = 0
check "final database equals the truth (BTCUSDT)" truth_ok BTCUSDT
check "final database equals the truth (ETHUSDT)" truth_ok ETHUSDT
check "the status lines count duplicates/out-of-order" grep -q "status: BTCUSDT 1m .* rejected [1-9]" "$TMP/collect.log"
