# Two venues live at once at 80x24 (binance:BTCUSDT from the fake Binance server,
# bybit-linear:BTCUSDT from the fake Bybit server): the header shows each venue's
# feed state, not the last one reported; when the Bybit server goes away its
# venue turns to retry while Binance stays live; the health screen (H) gives each
# venue's state in full.
. tests/tui/tmux_helpers
FX=$(pwd)/$BUILD/tests/fake_exchange/fake_exchange
FB=$(pwd)/$BUILD/tests/fake_exchange/fake_bybit
"$FX" --csv data/binance_BTCUSDT_1m_2024.csv --symbols BTCUSDT --port 0 >"$TMP/fx.out" 2>&1 &
FXPID=$!
"$FB" --csv data/binance_BTCUSDT_1m_2024.csv --linear BTCUSDT --port 0 --tick-ms 200 >"$TMP/fb.out" 2>&1 &
FBPID=$!
trap 'kill $FXPID $FBPID 2>/dev/null; for s in $SOCKS; do tmux -L "$s" kill-server 2>/dev/null; done; rm -rf "$TMP"' EXIT
port_of() { awk '/^port /{print $2}' "$1" 2>/dev/null; }
i=0
while [ $i -lt 50 ] && { [ -z "$(port_of "$TMP/fx.out")" ] || [ -z "$(port_of "$TMP/fb.out")" ]; }; do sleep 0.1; i=$((i + 1)); done
PX=$(port_of "$TMP/fx.out"); PB=$(port_of "$TMP/fb.out")
start 80 24 "XDG_STATE_HOME=$TMP $BIN --db $TMP/feeds.db --symbols BTCUSDT,bybit-linear:BTCUSDT --rest-url http://127.0.0.1:$PX --ws-url ws://127.0.0.1:$PX --set venues.bybit.rest_url=http://127.0.0.1:$PB --set venues.bybit.ws_url=ws://127.0.0.1:$PB"
both_live() { screen | head -1 | grep -qE 'binance live +bybit-linear live'; }
health_both() { screen | head -1 | grep -qE 'feeds: binance \[live.*\] bybit-linear \[bybit: '; }
bybit_retries() { screen | head -1 | grep -qE 'binance live +bybit-linear (retry|wait)'; }
check "80x24: the header shows both venues live" wait_for_fn both_live 30
kill $FBPID
check "the Bybit server gone: bybit-linear retries, binance stays live" wait_for_fn bybit_retries 60
tm send-keys -t t H
check "H: each venue's state in full" wait_for_fn health_both 10
tm send-keys -t t H
tm send-keys -t t q
check "q quits with status 0" wait_for "EXIT=0" 10
