# Amending a working order in the real binary: a BUY limit placed from the
# ticket (the demo paused, so nothing fills or moves), its price amended with e
# in the positions & orders panel, its size and price again with :amend; the
# order's row and its line on the chart move each time, and refusals say why
# and leave the order as it was. A position's stop (a leg of its bracket, kept
# as its exits) is amended by :amend SYMBOL stop VALUE.
. tests/tui/tmux_helpers
start 200 60 "LANG=C.UTF-8 NO_COLOR=1 $BIN --demo --db $TMP/amend.db"
check "the demo runs" wait_price 20
tm send-keys -t t Space
check "paused (nothing moves while the test looks)" wait_for "PAUSED" 10
tm send-keys -t t b
check "ticket" wait_for "Order ticket BTCUSDT" 5
tm send-keys -t t Down Right
check "a limit order" wait_for "(waits below the market)" 5
tm send-keys -t t Enter
row_re='#[0-9]+ +BTCUSDT +limit +BUY +[0-9.]+ +@ [0-9.]+ SL [0-9.]+'
has_row() { screen | grep -qE -- "$row_re"; }
check "the order's row is in the positions & orders panel" wait_for_fn has_row 10
ROW=$(screen | grep -oE -- "$row_re" | head -1)
ID=$(echo "$ROW" | sed -E 's/^#([0-9]+).*/\1/')
QTY=$(echo "$ROW" | awk '{print $5}')
OLD=$(echo "$ROW" | awk '{print $7}')
SL=$(echo "$ROW" | awk '{print $9}')
LAST=$(screen | head -1 | grep -oE 'BTCUSDT 1m +[0-9]+\.[0-9]+' | awk '{print $3}')
# nearer the market, still below it and above the order's own stop-loss
NEW=$(awk -v a="$OLD" -v b="$LAST" 'BEGIN{printf "%.2f", a + (b - a) / 4}')
NEW2=$(awk -v a="$OLD" -v s="$SL" 'BEGIN{printf "%.2f", a - (a - s) / 2}')
BELOW_SL=$(awk -v s="$SL" 'BEGIN{printf "%.2f", s - 10}')
echo "# order #$ID qty $QTY @ $OLD SL $SL, last $LAST: amend to $NEW, then $NEW2"
line_at() { # line_at PRICE: the chart's line of the order, labelled at that price
  screen | grep -F -- "╍╍╍" | grep -qE -- "buy limit #$ID $1 "
}
old_line() { line_at "$OLD"; }
check "its price is a line on the chart" wait_for_fn old_line 10

tm send-keys -t t o
check "o focuses the panel" wait_for "x close/cancel  e exits/amend" 5
tm send-keys -t t e
check "e on the order's row opens the amend dialog" wait_for "Amend order #$ID" 5
check "the dialog shows the order's price" wait_for "Price    $OLD" 5
tm send-keys -t t -l "$NEW"
check "typing replaces the price" wait_for "Price    ${NEW}_" 5
tm send-keys -t t Enter
check "Enter closes the dialog" wait_gone "Amend order #$ID" 5
check "the engine amends it (log)" wait_for "order #$ID amended BTCUSDT: price $OLD -> $NEW" 10
new_row() { screen | grep -qE -- "#$ID +BTCUSDT +limit +BUY +$QTY +@ $NEW "; }
check "the row shows the new price" wait_for_fn new_row 10
new_line() { line_at "$NEW"; }
check "the chart line moved to the new price" wait_for_fn new_line 10
check "and left the old one" wait_gone "buy limit #$ID $OLD " 5

tm send-keys -t t e
check "the dialog again" wait_for "Amend order #$ID" 5
tm send-keys -t t Escape
check "Esc aborts it" wait_for "amend #$ID aborted" 5
tm send-keys -t t Escape

tm send-keys -t t :
tm send-keys -t t -l "amend $ID qty 0.006"
tm send-keys -t t Enter
qty_row() { screen | grep -qE -- "#$ID +BTCUSDT +limit +BUY +0\.00600 +@ $NEW "; }
check ":amend ID qty changes the size on the row" wait_for_fn qty_row 10
check "and the log says so" wait_for "order #$ID amended BTCUSDT: qty $(echo "$QTY" | sed -E 's/0+$//') -> 0.006" 10

tm send-keys -t t :
tm send-keys -t t -l "amend $ID price $NEW2"
tm send-keys -t t Enter
new2_line() { line_at "$NEW2"; }
check ":amend ID price moves the chart line" wait_for_fn new2_line 10
check "and the row" wait_for "@ $NEW2 SL $SL" 10

tm send-keys -t t :
tm send-keys -t t -l "amend $ID price $BELOW_SL"
tm send-keys -t t Enter
# the Log panel wraps a long line: match the two halves
check "a price below the order's own stop-loss is refused with the reason" \
  wait_for "amend #$ID rejected: price $BELOW_SL is not above" 10
check "the reason names the stop-loss" wait_for "stop-loss $SL" 5
tm send-keys -t t :
tm send-keys -t t -l "amend $ID qty 0"
tm send-keys -t t Enter
check "a quantity of 0 is refused with the reason" wait_for "amend #$ID: qty '0': expected a number > 0" 5
check "the refused amends left the order as it was" wait_for "@ $NEW2 SL $SL" 5
check "its line too" wait_for_fn new2_line 5

tm send-keys -t t q
check "q exits" wait_for "EXIT=0" 10

# a position's legs are its exits: :amend SYMBOL stop VALUE moves the stop line
start 200 60 "LANG=C.UTF-8 NO_COLOR=1 $BIN --demo --db $TMP/legs.db"
check "legs: the demo runs" wait_price 20
open_paused_long "legs: "
stop_re='┅┅┅.*stop [0-9]+\.[0-9]{2} '
has_stop() { screen | grep -qE -- "$stop_re"; }
check "legs: the stop is a line" wait_for_fn has_stop 10
STOP=$(screen | grep -oE -- 'stop [0-9]+\.[0-9]{2} ' | head -1 | awk '{print $2}')
LAST=$(screen | head -1 | grep -oE 'BTCUSDT 1m +[0-9]+\.[0-9]+' | awk '{print $3}')
NSTOP=$(awk -v s="$STOP" -v l="$LAST" 'BEGIN{printf "%.2f", s + (l - s) / 2}')
ABOVE=$(awk -v l="$LAST" 'BEGIN{printf "%.2f", l + 50}')
echo "# stop $STOP, last $LAST: amend the stop to $NSTOP"
tm send-keys -t t :
tm send-keys -t t -l "amend BTCUSDT stop $NSTOP"
tm send-keys -t t Enter
moved_stop() { screen | grep -F -- "┅┅┅" | grep -qF -- "stop $NSTOP "; }
check "legs: :amend SYMBOL stop moves the stop line" wait_for_fn moved_stop 10
check "legs: and the row" wait_for "SL $NSTOP" 10
tm send-keys -t t :
tm send-keys -t t -l "amend BTCUSDT stop $ABOVE"
tm send-keys -t t Enter
# the message prints the price without trailing zeros (95735.7 for 95735.70)
ABOVE_RE=$(echo "$ABOVE" | sed 's/0*$//; s/\.$//; s/\./\\./')
check "legs: a stop above the price is refused with the reason" \
  wait_re "exits BTCUSDT rejected: stop ${ABOVE_RE}0* is beyond the price" 100
check "legs: the stop stays" wait_for_fn moved_stop 5
tm send-keys -t t q
check "legs: q exits" wait_for "EXIT=0" 10
