# History is analysed, never news: `collect` with a long history against the
# fake exchange back-fills thousands of candles before the live edge; none of
# them raises a signal (the alerts' only source), while they are stored and
# analysed. The alert rule for signals points at a local receiver address.
. tests/integration/live_helpers
START=5000
fx_start BTCUSDT --start $START --tick-ms 100 || { nok "fake exchange starts"; exit 0; }
cat > "$TMP/alerts.json" <<JSON
{"alerts": {"rules": {"signal": {"min_confidence": 0.0, "channels": ["webhook"]}},
            "webhook": {"url": "http://127.0.0.1:9/alerts"}}}
JSON
collect_start BTCUSDT --history 3000 --config "$TMP/alerts.json"
check "the history is back-filled and stored" wait_rows BTCUSDT 3000 30
check "the feed goes live" wait_log "feed: live" 20
n=$(rows BTCUSDT)
check "live candles follow" wait_rows BTCUSDT $((n + 20)) 20
collect_stop
check "stops cleanly" test "$STOP_RC" = 0
# the open time of the exchange's first live candle: everything before is history
edge=$(awk -F, -v k=$((START + 2)) 'NR == k { print $1 }' "$CSV")
hist=$(sqlite3 "$DB" "SELECT count(*) FROM journal WHERE text LIKE 'signal #% conf %' AND time < $edge")
check "no signal (so no alert) for any candle closed before the live edge ($hist)" test "$hist" = 0
stored=$(sqlite3 "$DB" "SELECT count(*) FROM candles WHERE symbol='BTCUSDT' AND timeframe='1m' AND open_time < $edge")
check "while the history before the edge was stored and analysed ($stored candles)" test "$stored" -ge 3000
