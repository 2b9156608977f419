# The console on live data with feed.depth on: the header shows the best bid and
# ask and the spread (in ticks and basis points) from the engine's synced book;
# without feed.depth nothing of it shows. Also in ASCII with NO_COLOR.
. tests/tui/tmux_helpers
FXB=$(pwd)/$BUILD/tests/fake_exchange/fake_exchange
"$FXB" --csv data/binance_BTCUSDT_1m_2024.csv --symbols BTCUSDT --port 0 >"$TMP/fx.out" 2>&1 &
FXPID=$!
trap 'kill $FXPID 2>/dev/null; for s in $SOCKS; do tmux -L "$s" kill-server 2>/dev/null; done; rm -rf "$TMP"' EXIT
i=0; PORT=""
while [ $i -lt 50 ] && [ -z "$PORT" ]; do PORT=$(awk '/^port /{print $2}' "$TMP/fx.out" 2>/dev/null); sleep 0.1; i=$((i + 1)); done
URLS="--rest-url http://127.0.0.1:$PORT --ws-url ws://127.0.0.1:$PORT"
printf '{"feed": {"depth": true}}\n' >"$TMP/depth.json"
printf '{"feed": {"depth": true}, "ui": {"ascii": true}}\n' >"$TMP/depth-ascii.json"
spread_shown() {
  i=0
  while [ $i -lt 100 ]; do
    screen | grep -qE 'bid [0-9.]+ ask [0-9.]+ spread [0-9]+t [0-9.]+bps' && return 0
    sleep 0.1; i=$((i + 1))
  done
  screen | head -n 2 | sed 's/^/# /'; return 1
}
start 160 30 "XDG_STATE_HOME=$TMP $BIN --db $TMP/d.db --symbols BTCUSDT --config $TMP/depth.json $URLS"
check "feed.depth: the header shows bid, ask and the spread" spread_shown
tm send-keys -t t q
check "q quits with status 0" wait_for "EXIT=0" 5
start 160 30 "XDG_STATE_HOME=$TMP NO_COLOR=1 $BIN --db $TMP/a.db --symbols BTCUSDT --config $TMP/depth-ascii.json $URLS"
check "ASCII, NO_COLOR: the header shows bid, ask and the spread" spread_shown
check "ASCII, NO_COLOR: no colour escapes" sh -c "! tmux -L $SOCK capture-pane -e -p -t t | grep -qE '\[(3[0-7]|38;|9[0-7])'"
tm send-keys -t t q
check "ASCII: q quits with status 0" wait_for "EXIT=0" 5
start 160 30 "XDG_STATE_HOME=$TMP $BIN --db $TMP/n.db --symbols BTCUSDT $URLS"
check "without feed.depth: live" wait_for "[live" 10
check "without feed.depth: no book in the header" sh -c "! tmux -L $SOCK capture-pane -p -t t | grep -qE ' bid [0-9]| book (syncing|resyncing)'"
tm send-keys -t t q
check "without: q quits with status 0" wait_for "EXIT=0" 5
