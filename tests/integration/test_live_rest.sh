# REST faults: 429 and 418 with Retry-After (honoured, then the backfill completes),
# slow responses, and -1121 for an unknown symbol (reported, dropped, not retried
# forever, the other symbols unaffected).
. tests/integration/live_helpers
fx_start BTCUSDT,ETHUSDT || { nok "fake exchange starts"; exit 0; }
ctl "http429&n=3&retry=1" >/dev/null
collect_start BTCUSDT,NOPEUSDT
check "429 at startup: logged with its Retry-After" wait_log "HTTP 429 (too many requests).*for 1 s" 5
check "429: the backfill completes after waiting" wait_rows BTCUSDT 1500 10
check "429: data equals the truth" truth_ok BTCUSDT
check "-1121: the unknown symbol is reported" wait_log "NOPEUSDT: HTTP 400, Binance error -1121: Invalid symbol.; symbol dropped" 3
n1=$(stat_field rest)
settle BTCUSDT 60
n2=$(stat_field rest)
check "-1121: the symbol is not retried (REST requests stay flat)" test $((n2 - n1)) -le 1
check "-1121: nothing stored for it" test "$(rows NOPEUSDT)" = 0
check "-1121: the header state says so" grep -q "feed: live, 1 invalid" "$TMP/collect.log"
check "-1121: the valid symbol is still live" advancing BTCUSDT
ctl "http418&n=2&retry=1" >/dev/null
ctl "skip&n=20" >/dev/null
check "418 during a gap fill: logged as a ban" wait_log "HTTP 418 (IP banned)" 5
check "418: the gap is filled after Retry-After" advancing BTCUSDT
check "418: data equals the truth" eventually 10 truth_ok BTCUSDT
c0=$(stat_field connections_total)
ctl "slow&ms=1500" >/dev/null
ctl close >/dev/null
wait_stat connections_total $((c0 + 1)) 10
check "slow REST during reconnect: still live" eventually 20 advancing BTCUSDT
ctl "slow&ms=0" >/dev/null
check "slow REST: data equals the truth" truth_ok BTCUSDT
check "no false silence while REST was slow (one reconnect only)" test "$(grep -c 'no message for' "$TMP/collect.log")" = 0
collect_stop
check "SIGTERM exits 0" test "$STOP_RC" = 0
