# `collect` writing into PostgreSQL while the server restarts (pg_ctl restart):
# the collector carries on, says storage is failing and then that writes work
# again, and afterwards the stored 1m series equal the fake exchange's truth,
# nothing missing or duplicated across the outage. A private server
# (tests/pg/pg_server.sh); no server is a failure with its reason.
. tests/integration/live_helpers
. tests/integration/pg_helpers

fx_start BTCUSDT,ETHUSDT || { nok "fake exchange starts"; exit 1; }
DB=$URL collect_start BTCUSDT,ETHUSDT
wait_rows BTCUSDT 1000 20 || nok "collector writes into PostgreSQL" "no rows after 20 s"
check "collecting: the series advances" advancing BTCUSDT
sh tests/pg/pg_server.sh restart "$pgdir" 2>"$TMP/why" || nok "pg_ctl restart" "$(cat "$TMP/why")"
check "the outage is reported" wait_log "write failed" 10
check "writes work again after the restart" wait_log "writes work again" 20
check "still collecting after the restart" advancing BTCUSDT
check "the collector is alive" alive
collect_stop
check "SIGTERM exits 0" test "$STOP_RC" = 0
check "the status line said the store was failing" grep -q "STORE FAILING" "$TMP/collect.log"
copy_out || nok "copy of the stored rows"
DB=$TMP/copy.db
check "BTCUSDT equals the truth across the restart" truth_ok BTCUSDT
check "ETHUSDT equals the truth across the restart" truth_ok ETHUSDT
