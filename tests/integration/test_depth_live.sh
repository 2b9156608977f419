# Market depth against the fake exchange: `alphapulse depth --follow` syncs the
# book through the live feed and the engine; at quiet points (the fake's depth
# paused) its book equals the fake's true book, after a skipped update-id range,
# a stale snapshot and a crossed update each; resyncs are counted; and with
# feed.depth on, `collect` still stores exactly the server's candles.
. tests/integration/live_helpers
fx_start BTCUSDT,ETHUSDT || { nok "fake exchange starts"; exit 0; }
URLS="--rest-url http://127.0.0.1:$PORT --ws-url ws://127.0.0.1:$PORT"
DLOG=$TMP/depth.log
"$BIN" depth BTCUSDT --follow --levels 1000 $URLS --log "$DLOG" >"$TMP/depth.out" 2>"$TMP/depth.err" &
DPID=$!; PIDS="$PIDS $DPID"

# same_book: pause the fake's books, wait (bounded) until the last book printed
# is the fake's true one, resume. Prints the difference on failure.
same_book() {
  ctl depth_pause >/dev/null
  i=0; truth=""; last=""
  while [ $i -lt 100 ]; do
    truth=$(fx_curl "$(fx_base)/depth_truth?symbol=BTCUSDT&levels=1000")
    last=$(tail -n 1 "$TMP/depth.out" 2>/dev/null)
    [ -n "$last" ] && [ "$last" = "$truth" ] && break
    sleep 0.1; i=$((i + 1))
  done
  ctl depth_resume >/dev/null
  BOOK=$last
  [ -n "$last" ] && [ "$last" = "$truth" ] && return 0
  echo "# engine: $(echo "$last" | cut -c1-200)"; echo "# truth:  $(echo "$truth" | cut -c1-200)"
  return 1
}
# log_has PATTERN: the depth log shows it within 10 s
log_has() {
  i=0; while [ $i -lt 100 ]; do grep -q -- "$1" "$DLOG" 2>/dev/null && return 0; sleep 0.1; i=$((i + 1)); done
  echo "# not in the log: $1"; return 1
}
# moving: new books keep coming after a fault
moving() {
  a=$(wc -l <"$TMP/depth.out"); i=0
  while [ $i -lt 100 ]; do [ "$(wc -l <"$TMP/depth.out")" -gt "$((a + 3))" ] && return 0; sleep 0.1; i=$((i + 1)); done
  return 1
}
# levels_of: the levels of the book same_book last compared (the file's last line
# may be one still being written)
levels_of() { printf '%s\n' "$BOOK" | grep -o '\["[0-9.]*","[0-9.]*"\]' | wc -l; }

# the fake's book starts empty and fills with its first updates: an empty book
# synced at once is equal but says nothing yet
synced_full() { same_book && [ "$(levels_of)" -gt 20 ]; }
check "depth: the book is synced, equals the exchange's and has levels" eventually 20 synced_full
ctl "depth_skip&n=1" >/dev/null
check "skipped update ids: the gap is seen and the book resynced" log_has "resyncs 1, gaps 1"
check "skipped update ids: books flow again" moving
check "skipped update ids: the rebuilt book equals the exchange's" same_book
ctl "depth_stale&n=1" >/dev/null
ctl "depth_skip&n=1" >/dev/null
check "stale snapshot: refused as older than the buffered events" log_has "stale snapshots 1"
check "stale snapshot: the book equals the exchange's after a fresh one" same_book
ctl "depth_cross&n=1" >/dev/null
check "crossed update: counted and the book resynced" log_has "resyncs 3, gaps 2, stale snapshots 1, crossed 1"
check "crossed update: the rebuilt book equals the exchange's" same_book
kill -TERM "$DPID"
i=0; while [ $i -lt 50 ] && kill -0 "$DPID" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
wait "$DPID"; rc=$?
check "depth --follow: SIGTERM ends it with status 0" test "$rc" = 0

# unknown symbol: exit 1 with the reason
"$BIN" depth NOSUCHUSDT $URLS --timeout 10 >"$TMP/bad.out" 2>"$TMP/bad.err"; rc=$?
check "depth: unknown symbol exits 1 with the reason" sh -c "[ $rc = 1 ] && grep -q 'unknown symbol' '$TMP/bad.err'"
# one book, text form
"$BIN" depth ETHUSDT --levels 2 --format text $URLS --timeout 10 >"$TMP/eth.out" 2>&1; rc=$?
check "depth --format text: 2 bids and 2 asks, exit 0" \
  sh -c "[ $rc = 0 ] && [ \$(grep -c '^bid ' '$TMP/eth.out') = 2 ] && [ \$(grep -c '^ask ' '$TMP/eth.out') = 2 ]"

# klines with depth on the same connection
printf '{"feed": {"depth": true}}\n' >"$TMP/depth.json"
collect_start BTCUSDT --config "$TMP/depth.json"
check "feed.depth: collect stores live candles" wait_rows BTCUSDT 1500 10
check "feed.depth: the depth snapshot was fetched" wait_log "depth snapshot at update" 5
check "feed.depth: stored BTCUSDT 1m equals the server's truth" truth_ok BTCUSDT
collect_stop
check "feed.depth: collect stops with status 0" test "$STOP_RC" = 0
