# The TUI on a Bybit perpetual from the fake Bybit server (endpoints set with
# --set venues.bybit.*): the header shows the mark price, the funding rate and
# the next funding time, the watchlist the rate; a paper long held across a
# funding time pays funding, journalled in the log.
. tests/tui/tmux_helpers
FB=$(pwd)/$BUILD/tests/fake_exchange/fake_bybit
"$FB" --csv data/binance_BTCUSDT_1m_2024.csv --linear BTCUSDT --port 0 --tick-ms 200 --funding-every 10 \
  >"$TMP/fb.out" 2>&1 &
FBPID=$!
trap 'kill $FBPID 2>/dev/null; for s in $SOCKS; do tmux -L "$s" kill-server 2>/dev/null; done; rm -rf "$TMP"' EXIT
i=0; PORT=""
while [ $i -lt 50 ] && [ -z "$PORT" ]; do PORT=$(awk '/^port /{print $2}' "$TMP/fb.out" 2>/dev/null); sleep 0.1; i=$((i + 1)); done
start 200 50 "XDG_STATE_HOME=$TMP $BIN --db $TMP/bybit.db --symbols bybit-linear:BTCUSDT --set venues.bybit.rest_url=http://127.0.0.1:$PORT --set venues.bybit.ws_url=ws://127.0.0.1:$PORT"
check "bybit TUI: the header shows the feed is live" wait_for "[bybit: live" 20
check "bybit TUI: the market is named" wait_for "Bybit USDT perpetual" 5
check "bybit TUI: the header shows the mark and the funding rate" wait_re "mark [0-9.]+ fund \+0\.0[0-9]+% @[0-9][0-9]:[0-9][0-9]" 100
check "bybit TUI: the watchlist shows the funding rate" wait_re "f\+0\.0[0-9]+%" 50
tm send-keys -t t b
check "b: the order ticket for the perpetual" wait_for "Order ticket bybit-linear:BTCUSDT" 5
tm send-keys -t t Enter
check "a long position opens" wait_for "LONG" 20
check "a funding time passes: the long pays, journalled" wait_re "funding bybit-linear:BTCUSDT: long [0-9.]+ @ mark [0-9.]+ rate 0\.0[0-9]+%: paid" 150
tm send-keys -t t q
check "q quits with status 0" wait_for "EXIT=0" 10
