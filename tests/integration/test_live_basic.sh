# Live collection against the fake exchange: a clean run, pings answered, SIGHUP,
# clean SIGTERM, a restart that back-fills the time it was down, and planned
# reconnects (--ws-max-age) that lose no candle.
. tests/integration/live_helpers
fx_start BTCUSDT,ETHUSDT || { nok "fake exchange starts"; exit 0; }
collect_start BTCUSDT,ETHUSDT --ws-max-age 2
check "collect stores live candles" wait_rows BTCUSDT 1500 10
check "the feed reports live" wait_log "feed: live" 5
check "stored BTCUSDT 1m equals the server's truth" truth_ok BTCUSDT
check "stored ETHUSDT 1m equals the server's truth" truth_ok ETHUSDT
check "server pings are answered with pongs" wait_stat pongs 2 4
kill -HUP "$CPID"
check "SIGHUP without a configuration file says so" wait_log "SIGHUP: reload: no configuration file" 3
check "and collection goes on after SIGHUP" advancing BTCUSDT
check "planned reconnect (--ws-max-age 2) happens" wait_log "planned reconnect" 5
check "still live after planned reconnects" advancing ETHUSDT
check "no candle lost across planned reconnects" truth_ok ETHUSDT
collect_stop
check "SIGTERM: exit status 0" test "$STOP_RC" = 0
check "SIGTERM: the database was flushed and the log says so" grep -q "stopped cleanly" "$TMP/collect.log"
before=$(last_time BTCUSDT)
i0=$(stat_field index); wait_stat index $((i0 + 200)) 10   # the exchange moves on 200 candles while we are down
collect_start BTCUSDT,ETHUSDT
check "restart: the downtime is back-filled" wait_rows BTCUSDT $(( $(rows BTCUSDT) + 300 )) 10
after=$(last_time BTCUSDT)
check "restart: continues after the last stored candle" test "$after" -gt "$before"
check "restart: no missing candle across the restart" truth_ok BTCUSDT
collect_stop
check "second stop: exit status 0" test "$STOP_RC" = 0
