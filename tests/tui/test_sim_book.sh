# The demo's simulated order book and trade tape (sim_book.h): D opens the ladder
# (asks above, bids below, the spread between) and the tape beside it, both
# labelled `book: simulated`; the header shows the best bid and ask; the health
# screen has a `book: simulated` row per symbol; the demo's speed keys still work
# with the book on; in ASCII with NO_COLOR too, at 80x24, where the header keeps
# the feed state rather than the bid and ask.
. tests/tui/tmux_helpers
. tests/tui/book_helpers
header_book() { screen | head -1 | grep -qE 'bid [0-9]+\.[0-9]+ ask [0-9]+\.[0-9]+ spread [0-9]+t'; }
health_row() { screen | grep -qE 'BTCUSDT book +synced .*book: simulated +resyncs 0 +gaps 0'; }

start 200 60 "LANG=C.UTF-8 XDG_STATE_HOME=$TMP $BIN --demo --db $TMP/demo.db"
check "demo: running" wait_price 15
check "demo: the header shows the simulated book's bid and ask" wait_for_fn header_book 10
tm send-keys -t t D
check "D: the order book opens, synced and labelled simulated" wait_for "Order book BTCUSDT  synced  book: simulated" 5
check "D: a ladder of prices, sizes and cumulatives with the spread" wait_for_fn ladder_shown 10
check "D: asks above the spread, bids below" ordered
check "D: the trade tape beside the ladder" wait_for_fn tape_shown 10
check "D: the tape's columns" wait_for "time             price          size side" 2
tm send-keys -t t '>'
check "> still speeds the replay up with the book on" wait_for "replay speed 300x" 5
tm send-keys -t t ']'
check "] shows the next symbol's simulated book" wait_for "Order book BTCPERP  synced  book: simulated" 5
tm send-keys -t t Escape
check "Esc closes the order book" wait_gone "Order book BTCPERP" 5
tm send-keys -t t H
check "H: the health screen has a simulated book row" wait_for_fn health_row 5
check "H: one row per symbol" sh -c "[ \$(tmux -L $SOCK capture-pane -p -t t | grep -c 'book: simulated') -eq 4 ]"
tm send-keys -t t Escape q
check "q quits with status 0" wait_for "EXIT=0" 5

start 80 24 "XDG_STATE_HOME=$TMP NO_COLOR=1 $BIN --demo --ascii --db $TMP/demo2.db"
check "ASCII: running" wait_price 15
check "80 columns: the header keeps the feed state (the book's bid and ask give way)" wait_for "[demo replay 60x]" 5
tm send-keys -t t D
check "ASCII: the simulated book" wait_for "book: simulated" 5
check "ASCII: the ladder" wait_for_fn ladder_shown 10
check "ASCII, NO_COLOR: no colour escapes" sh -c "! tmux -L $SOCK capture-pane -e -p -t t | grep -qE '\[(3[0-7]|38;|9[0-7])'"
check "ASCII: no non-ASCII bytes" sh -c "! tmux -L $SOCK capture-pane -p -t t | LC_ALL=C grep -q '[^ -~]'"
tm send-keys -t t Escape q
check "ASCII: q quits with status 0" wait_for "EXIT=0" 5
