# Positions: mark price, open PnL in money, % and R, time in the trade; x and C
# ask before acting (ui.confirm), and do not when it is off.
. tests/tui/tmux_helpers
start 200 60 "LANG=C.UTF-8 $BIN --demo --db $TMP/pos.db"
check "the demo runs" wait_price 20
open_paused_long ""
pos_row() { screen | grep -qE 'BTCUSDT +LONG +[0-9]+\.[0-9]+ @ [0-9]+\.[0-9]{2} mark [0-9]+\.[0-9]{2}' &&
            screen | grep -qE '[+-][0-9]+\.[0-9]{2} USDT [+-][0-9]+\.[0-9]{2}% [+-][0-9]+\.[0-9]{2}R [0-9]+m'; }
check "the Positions panel shows mark, PnL in USDT, % and R, and the time in the trade" wait_for_fn pos_row 10
tm send-keys -t t x
check "x asks before closing" wait_for "Close the LONG" 5
tm send-keys -t t n
check "anything but y leaves it" wait_for "not done: Close the LONG" 5
check "the position is still open" sh -c "tmux -L $SOCK capture-pane -p -t t | sed -n 2p | grep -q LONG"
tm send-keys -t t x
check "x asks again" wait_for "Close the LONG" 5
tm send-keys -t t y .
check "y closes it (at the next price: one step)" wait_for "no position in BTCUSDT" 10
tm send-keys -t t s Down Right Enter
check "a sell limit is working" wait_for "order pending" 10
tm send-keys -t t C
check "C asks before cancelling" wait_for "Cancel 1 working order in BTCUSDT? (y" 5
tm send-keys -t t y
no_pending() { ! screen | sed -n 2p | grep -q "order pending"; }
check "y cancels it" wait_for_fn no_pending 10
tm send-keys -t t C
check "C with nothing working says so" wait_for "no working orders in BTCUSDT to cancel" 5
tm send-keys -t t q
check "q exits" wait_for "EXIT=0" 10

printf '{"ui": {"confirm": false}}\n' > $TMP/noconfirm.json
start 200 60 "LANG=C.UTF-8 $BIN --demo --db $TMP/pos2.db --config $TMP/noconfirm.json"
check "ui.confirm false: the demo runs" wait_price 20
tm send-keys -t t b
check "ticket" wait_for "Order ticket BTCUSDT" 5
tm send-keys -t t Enter
check "a long position opens" wait_for "LONG" 10
tm send-keys -t t x
check "ui.confirm false: x closes at once" wait_for "no position in BTCUSDT" 10
check "without asking" sh -c "! tmux -L $SOCK capture-pane -p -t t | grep -q 'Close the LONG'"
tm send-keys -t t q
check "q exits" wait_for "EXIT=0" 10
