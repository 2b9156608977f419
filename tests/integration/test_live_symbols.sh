# Ten symbols on one connection, all six timeframes checked against the server's
# truth; then symbols added and removed at runtime through collect's command
# channel (stdin lines ':add SYM' / ':del SYM' -> SUBSCRIBE / UNSUBSCRIBE).
. tests/integration/live_helpers
ALL=BTCUSDT,ETHUSDT,SOLUSDT,BNBUSDT,XRPUSDT,ADAUSDT,DOGEUSDT,TRXUSDT,LINKUSDT,DOTUSDT,AVAXUSDT
TEN=BTCUSDT,ETHUSDT,SOLUSDT,BNBUSDT,XRPUSDT,ADAUSDT,DOGEUSDT,TRXUSDT,LINKUSDT,DOTUSDT
fx_start $ALL || { nok "fake exchange starts"; exit 0; }
collect_start $TEN --history 1500
all_collecting() { for s in $(echo $TEN | tr , ' '); do wait_rows $s 500 10 || return 1; done; }
check "10 symbols: all collecting" all_collecting
wait_rows DOTUSDT 2000 15
fails=0
for s in $(echo $TEN | tr , ' '); do truth_ok $s || fails=$((fails + 1)); done
check "10 symbols: every 1m series equals the truth" test $fails = 0
fails=0
for s in BTCUSDT DOTUSDT; do timeframes_ok $s || fails=$((fails + 1)); done
check "5m 15m 1h 4h 1d built from 1m equal the truth's aggregates" test $fails = 0
check "one connection carries all ten streams" test "$(stat_field connections_total)" = 1
cmd ":add AVAXUSDT"
check ":add: the new symbol is subscribed on the live connection" wait_stat subscribes 1 5
check ":add: it is back-filled and collected" wait_rows AVAXUSDT 1000 10
check ":add: no reconnect was needed" test "$(stat_field connections_total)" = 1
check ":add: data equals the truth" truth_ok AVAXUSDT
cmd ":del ETHUSDT"
check ":del: UNSUBSCRIBE sent" wait_stat unsubscribes 1 5
settle BTCUSDT 5
n1=$(rows ETHUSDT); settle BTCUSDT; n2=$(rows ETHUSDT)
check ":del: the removed symbol stops growing" test "$n1" = "$n2"
check ":del: the others go on" advancing BTCUSDT
cmd ":add ETHUSDT"
check ":add again: the removed symbol resumes" wait_rows ETHUSDT $((n2 + 200)) 10
check ":add again: its pause was back-filled, none missing" truth_ok ETHUSDT
cmd ":add bad!"
check "a malformed command is refused with a reason" wait_log "expected letters and digits" 3
check "collector still live" advancing AVAXUSDT
collect_stop
check "SIGTERM exits 0" test "$STOP_RC" = 0
