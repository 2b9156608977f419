# The order ticket as a framed dialog: at 80x24 every verdict line wraps inside
# the frame instead of being cut; a stop order's trigger defaults to the right
# side of the market; nonsense values are refused with the reason; sizes are
# capped at what the risk limits allow, naming the limit.
. tests/tui/tmux_helpers
DB=$TMP/ticket.db
start 80 24 "LANG=C.UTF-8 $BIN --demo --ascii --db $DB"
check "the demo runs at 80x24" wait_price 20

tm send-keys -t t b
check "b opens the framed ticket" wait_for "> Order ticket BTCUSDT <" 5
hints_framed() { screen | grep -qE '^ *\|? *\| Enter confirm  Esc abort.* +\|'; }
check "the key hints sit inside the frame" wait_for_fn hints_framed 5
# the reason wraps: its last words end the line just before the frame's right edge
stop_refused() { screen | grep -q "refused: stop 999999.00 is at or above the entry" && screen | grep -qE "goes below it +\|"; }
tm send-keys -t t Down Down Down Down 9 9 9 9 9 9
check "a stop above a long's entry is refused, the reason in full inside the frame" \
  wait_for_fn stop_refused 5
tm send-keys -t t Enter
check "Enter does not send it and says why" wait_for "not sent: stop 999999.00" 5
check "the ticket stays open" wait_for "> Order ticket BTCUSDT <" 3
tm send-keys -t t Escape
check "Esc closes it" wait_for "order ticket aborted" 5

tm send-keys -t t b
check "the ticket opens again" wait_for "> Order ticket BTCUSDT <" 5
tm send-keys -t t Down Right Right
check "type stop: a BUY stop's trigger is above the market" wait_for "(triggers above the market)" 5
trigger_above() {
  last=$(screen | grep -oE 'last [0-9]+\.[0-9]+' | head -1 | cut -d' ' -f2)
  trig=$(screen | grep -oE 'Trigger +[0-9]+\.[0-9]+' | head -1 | awk '{print $2}')
  [ -n "$last" ] && [ -n "$trig" ] && awk -v a="$trig" -v b="$last" 'BEGIN{exit !(a > b)}' && ! screen | grep -q "refused:"
}
check "and is not refused" trigger_above
tm send-keys -t t Up Left
tm send-keys -t t Down Down Down Down Down Down Down Down 9 8 0 0 0
check "a trail of 98000 ATR is refused" wait_for "refused: trail 98000 x ATR: expected 0 (none) to 20 x ATR" 5
tm send-keys -t t Escape
tm send-keys -t t b
check "a fresh ticket" wait_for "> Order ticket BTCUSDT <" 5
tm send-keys -t t Down Down Down 0 . 9 9
check "a size beyond the position limit is capped, naming the limit" wait_for "capped by max position" 5
check "the capped size passes the risk check" wait_for "risk check: OK" 5
tm send-keys -t t Escape
tm send-keys -t t q
check "q exits" wait_for "EXIT=0" 10
