# The TUI on live data from the fake exchange: the header shows the feed state,
# and H opens the data-health screen with one row per stream. A refused TLS
# connection (https:// to the fake's plain port) is named there, not left at
# "checking symbols" (test_live_tls.sh has the certificate cases).
. tests/tui/tmux_helpers
FXB=$(pwd)/$BUILD/tests/fake_exchange/fake_exchange
"$FXB" --csv data/binance_BTCUSDT_1m_2024.csv --symbols BTCUSDT,ETHUSDT --port 0 >"$TMP/fx.out" 2>&1 &
FXPID=$!
trap 'kill $FXPID 2>/dev/null; for s in $SOCKS; do tmux -L "$s" kill-server 2>/dev/null; done; rm -rf "$TMP"' EXIT
i=0; PORT=""
while [ $i -lt 50 ] && [ -z "$PORT" ]; do PORT=$(awk '/^port /{print $2}' "$TMP/fx.out" 2>/dev/null); sleep 0.1; i=$((i + 1)); done
start 120 30 "XDG_STATE_HOME=$TMP $BIN --db $TMP/live.db --symbols BTCUSDT --rest-url http://127.0.0.1:$PORT --ws-url ws://127.0.0.1:$PORT"
check "live TUI: the header shows the feed is live" wait_for "[live" 10
check "live TUI: the market is named" wait_for "Binance spot" 5
tm send-keys -t t H
check "H: the data-health screen opens" wait_for "Data health" 5
check "H: one row per stream, live" wait_for "BTCUSDT 1m     live" 5
check "H: the connection row" wait_for "connection" 2
tm send-keys -t t H
check "H again: back to the chart" wait_for "Watchlist" 3
tm send-keys -t t : a d d Space E T H U S D T Enter
check ":add ETHUSDT subscribes it on the live connection" wait_for "subscribing ETHUSDT" 5
check ":add: the new symbol reaches the watchlist with a price" sh -c "i=0; while [ \$i -lt 100 ]; do tmux -L $SOCK capture-pane -p -t t | grep -qE 'ETHUSDT +[0-9]' && exit 0; sleep 0.1; i=\$((i+1)); done; exit 1"
tm send-keys -t t : d e l Space E T H U S D T Enter
check ":del ETHUSDT unsubscribes it" wait_for "unsubscribed ETHUSDT" 5
tm send-keys -t t q
check "q quits with status 0" wait_for "EXIT=0" 5
start 120 30 "XDG_STATE_HOME=$TMP $BIN --db $TMP/live-tls.db --symbols BTCUSDT --rest-url https://127.0.0.1:$PORT --ws-url wss://127.0.0.1:$PORT"
check "TLS refused: the header names the TLS problem" wait_for "[error: TLS: handshake failed (REST)]" 10
tm send-keys -t t H
check "TLS refused: so does the data-health screen" wait_for "feed: error: TLS: handshake failed (REST)" 5
tm send-keys -t t q
check "TLS refused: q still quits with status 0" wait_for "EXIT=0" 5
