# The order book screen (D, :book): with feed.depth on, the shown symbol's price
# ladder from the fake exchange's book (asks above, bids below, the spread between),
# :book-group 10 and 100 group the rows, Esc closes; at 80x24 and 200x60, in ASCII with
# NO_COLOR, with the trade tape beside it when wide and its big trades (ui.big_trade)
# marked and in reverse video; the book panel in the wide layout's right column from
# 180x50 (not at 80x24, nor without a book); the ticket's expected fill from the
# book (the bps model without one); the user's limit order marked on the ladder; a
# market buy filled against the book (its fill stored with the top of book);
# in the demo the simulated book (tests/tui/test_sim_book.sh has more of it).
. tests/tui/tmux_helpers
FXB=$(pwd)/$BUILD/tests/fake_exchange/fake_exchange
FXPIDS=""
trap 'kill $FXPIDS 2>/dev/null; for s in $SOCKS; do tmux -L "$s" kill-server 2>/dev/null; done; rm -rf "$TMP"' EXIT
# fake NAME [options]: a fake exchange on a free port; URLS points at it
fake() {
  name=$1; shift
  "$FXB" --csv data/binance_BTCUSDT_1m_2024.csv --symbols BTCUSDT --port 0 "$@" >"$TMP/$name.out" 2>&1 &
  FXPIDS="$FXPIDS $!"
  i=0; port=""
  while [ $i -lt 50 ] && [ -z "$port" ]; do port=$(awk '/^port /{print $2}' "$TMP/$name.out" 2>/dev/null); sleep 0.1; i=$((i + 1)); done
  URLS="--rest-url http://127.0.0.1:$port --ws-url ws://127.0.0.1:$port"
}
fake fx
printf '{"feed": {"depth": true}}\n' >"$TMP/depth.json"
printf '{"feed": {"depth": true}, "ui": {"ascii": true, "big_trade": 1e12}}\n' >"$TMP/depth-ascii.json"
printf '{"feed": {"depth": true}, "ui": {"big_trade": 1}}\n' >"$TMP/depth-big.json"
. tests/tui/book_helpers
# the ladder's rows with the fake's prices (BTC in 2024: five digits, two decimals)
prices_shown() { screen | grep -qE '^ +[0-9]{5}\.[0-9]{2} '; }

start 80 24 "XDG_STATE_HOME=$TMP $BIN --db $TMP/d.db --symbols BTCUSDT --config $TMP/depth.json $URLS"
tm send-keys -t t D
check "D: the order book screen opens" wait_for "Order book BTCUSDT" 5
check "D: the book is synced" wait_for "Order book BTCUSDT  synced" 10
check "D: a ladder of prices, sizes and cumulatives with the spread" wait_for_fn ladder_shown 10
check "D: the prices are the fake's book" prices_shown
check "D: asks above the spread, bids below" ordered
check "80x24: no room for the tape" sh -c "! tmux -L $SOCK capture-pane -p -t t | grep -qE ' (buy|sell)\$'"
check "D: the rows fit in 24 lines" sh -c "[ \$(tmux -L $SOCK capture-pane -p -t t | wc -l) -le 24 ]"
# the fake's levels are 50 ticks apart (0.50): 10-tick buckets keep them, 100-tick
# buckets (1.00) merge them in pairs
tm send-keys -t t ':book-group 10' Enter
check ":book-group 10: the header says so" wait_for "group 10 ticks (0.10)" 5
tens() { screen | awk '/^ +[0-9]+\.[0-9]+ +[0-9.]+ +[0-9.]+ /{n++; if ($1 !~ /0$/) bad++} END{exit !(n > 0 && !bad)}'; }
check ":book-group 10: every price is on a 10-tick bucket" wait_for_fn tens 5
check ":book-group 10: half-dollar levels still shown" sh -c "tmux -L $SOCK capture-pane -p -t t | grep -qE '^ +[0-9]+\.50 '"
tm send-keys -t t ':book-group 100' Enter
check ":book-group 100: the header says so" wait_for "group 100 ticks (1.00)" 5
wholes() { screen | awk '/^ +[0-9]+\.[0-9]+ +[0-9.]+ +[0-9.]+ /{n++; if ($1 !~ /\.00$/) bad++} END{exit !(n >= 4 && !bad)}'; }
check ":book-group 100: the rows change: whole-dollar buckets only" wait_for_fn wholes 5
steps() {
  screen | awk '/^ +[0-9]+\.[0-9]+ +[0-9.]+ +[0-9.]+ /{p[n++]=$1} /spread [0-9]+t/ && !/Esc/{m=n}
    END{for (i = 1; i < n; i++) if (i != m && (p[i-1] - p[i] < 0.99 || p[i-1] - p[i] > 1.01)) exit 1; exit !(n >= 4)}'
}
check ":book-group 100: one row per dollar on each side" wait_for_fn steps 5
tm send-keys -t t ':book-group 1' Enter
check ":book-group 1: back to single ticks" wait_for "group 1 tick (0.01)" 5
tm send-keys -t t Escape
check "Esc closes the order book" wait_gone "Order book BTCUSDT" 5
check "80x24: no order book panel on the main screen" sh -c "! tmux -L $SOCK capture-pane -p -t t | grep -q 'Order book'"
tm send-keys -t t q
check "q quits with status 0" wait_for "EXIT=0" 5

start 200 60 "XDG_STATE_HOME=$TMP NO_COLOR=1 $BIN --db $TMP/a.db --symbols BTCUSDT --config $TMP/depth-ascii.json $URLS"
# the main screen: the right column (from column 150 at 200 wide) ends with the book
right() { screen | cut -c151-; }
panel_title() { right | grep -qE '^\+- Order book -+\+$'; }
panel_ladder() {
  right | awk '/ Order book /{p=1; next} p && /^\| +[0-9]+\.[0-9][0-9] +[0-9.]+ /{n++} p && /spread [0-9]+t/{s=1}
    END{exit !(n >= 6 && s)}'
}
check "200x60: the order book panel in the right column" wait_for_fn panel_title 15
check "200x60: the panel's ladder (prices, sizes, the spread)" wait_for_fn panel_ladder 15
tm send-keys -t t D
check "200x60 ASCII: the order book opens synced" wait_for "Order book BTCUSDT  synced" 15
check "200x60 ASCII: the ladder with the spread" wait_for_fn ladder_shown 10
check "200x60: the trade tape beside the ladder (time, price, size, side)" wait_for_fn tape_shown 10
check "200x60: the tape's columns" wait_for "time             price          size side" 2
check "200x60 ASCII: depth bars in ASCII" sh -c "tmux -L $SOCK capture-pane -p -t t | grep -qE '[0-9] +#+\$'"
check "ASCII, NO_COLOR: no colour escapes" sh -c "! tmux -L $SOCK capture-pane -e -p -t t | grep -qE '\[(3[0-7]|38;|9[0-7])'"
check "ASCII: no non-ASCII bytes" sh -c "! tmux -L $SOCK capture-pane -p -t t | LC_ALL=C grep -q '[^ -~]'"
check "ui.big_trade 1e12: no trade marked big" sh -c "! tmux -L $SOCK capture-pane -p -t t | grep -qE ' (buy|sell) \*\$'"
tm send-keys -t t Escape q
check "200x60: q quits with status 0" wait_for "EXIT=0" 5

# ui.big_trade 1: every trade is big: marked '*' after its side and in reverse video
start 200 60 "XDG_STATE_HOME=$TMP $BIN --db $TMP/b.db --symbols BTCUSDT --config $TMP/depth-big.json $URLS"
tm send-keys -t t D
check "big trades: the tape" wait_for "time             price          size side" 15
big_marked() { screen | grep -qE '[0-9]{2}:[0-9]{2}:[0-9]{2} +[0-9]{5}\.[0-9]{2} +[0-9.]+ +(buy|sell) \*$'; }
check "ui.big_trade 1: the big trades marked '*' after their side" wait_for_fn big_marked 10
check "ui.big_trade 1: no trade left unmarked" sh -c "! tmux -L $SOCK capture-pane -p -t t | grep -qE ' (buy|sell)\$'"
# reverse video (SGR 7) on a tape row: tmux's -e capture gives each cell's attributes
check "ui.big_trade 1: big trades in reverse video" sh -c "tmux -L $SOCK capture-pane -e -p -t t | grep -E '[0-9]{2}:[0-9]{2}:[0-9]{2} ' | grep -qE '\[[0-9;]*7[;m]'"
tm send-keys -t t Escape q
check "big trades: q quits with status 0" wait_for "EXIT=0" 5

# no book (feed.depth off): the wide layout's right column stays as it was
start 200 60 "XDG_STATE_HOME=$TMP $BIN --db $TMP/nb.db --symbols BTCUSDT $URLS"
check "200x60 without a book: running" wait_price 15
check "200x60 without a book: no order book panel" sh -c "! tmux -L $SOCK capture-pane -p -t t | grep -q 'Order book'"
tm send-keys -t t q
check "200x60 without a book: q quits with status 0" wait_for "EXIT=0" 5

# A second fake whose candles (and so its book and trades) move every 10 s, so the
# screen holds still while the test reads it: the ticket's expected fill from the
# book, and the user's limit order marked on the ladder.
fake fx2 --tick-ms 10000

start 120 40 "XDG_STATE_HOME=$TMP $BIN --db $TMP/n.db --symbols BTCUSDT $URLS"
check "no depth: running" wait_price 15
tm send-keys -t t b
check "no depth: the ticket says the bps model fills" wait_for "expected fill: no synced book, the model's 2 bps slippage applies" 5
check "no depth: a market order fills at the next price" wait_for "(fills at the next price)" 2
tm send-keys -t t Escape q
check "no depth: q quits with status 0" wait_for "EXIT=0" 5

start 200 60 "XDG_STATE_HOME=$TMP NO_COLOR=1 $BIN --db $TMP/o.db --symbols BTCUSDT --config $TMP/depth-ascii.json $URLS"
check "own orders: running" wait_price 15
tm send-keys -t t D
check "own orders: the book syncs" wait_for "Order book BTCUSDT  synced" 30
check "own orders: the ladder" wait_for_fn ladder_shown 10
tm send-keys -t t Escape b
expected() { screen | grep -qE 'expected fill: [0-9]{5}\.[0-9]{2}, slippage [0-9]+\.[0-9] bps over [0-9]+ levels?'; }
check "the ticket: a market order's expected fill and slippage from the book" wait_for_fn expected 5
check "the ticket: a market order fills at once against the book" wait_for "(fills at once, walking the book)" 2
tm send-keys -t t Down Right
check "the ticket: a limit order" wait_for "(waits below the market)" 5
check "the ticket: the limit's queue, its price beyond the book's levels" wait_for "queue: its price is beyond the book's" 2
tm send-keys -t t Enter
check "the limit order is placed" wait_for "order #1 new limit BUY" 5
tm send-keys -t t D
check "the book: the order far below is beyond the rows" wait_for "1 own order beyond the rows" 10
# the best bid (the first row under the spread line), less 2.23: between the fake's
# levels (every 0.50), so the order gets a row of its own with its size marked
best_bid() { screen | awk '/spread [0-9]+t/ && !/Esc/{m=1; next} m && /^ +[0-9]+\.[0-9]+ /{print $1; exit}'; }
PX=$(awk -v b="$(best_bid)" 'BEGIN{printf "%.2f", b - 2.23}')
tm send-keys -t t ":amend 1 price $PX" Enter
marked() { screen | grep -qE "^ +$PX +0(\.0+)? +[0-9.]+ +<[0-9.]+"; }
check "the book: the order marked on a row at its price ($PX)" wait_for_fn marked 5
check "the book: no order beyond the rows" wait_gone "own order beyond the rows" 5
tm send-keys -t t Escape b
check "the ticket again" wait_for "expected fill: " 5
tm send-keys -t t Enter
check "a market buy fills" wait_for "filled BUY" 5
# (a taker buy: levels >= 1; the limit, should a candle have reached it, has levels 0)
walked() {
  [ "$(sqlite3 "$TMP/o.db" 'SELECT count(*) FROM fills WHERE side = 1 AND levels >= 1 AND bid > 0 AND ask > bid' \
       2>/dev/null)" = 1 ]
}
check "its fill walked the book: stored with the top of book and the levels taken" wait_for_fn walked 10
# a limit at the best bid (from the header) queues behind the size resting there
tm send-keys -t t b
check "the ticket once more" wait_for "expected fill: " 5
BID=$(screen | head -1 | grep -oE 'bid [0-9]+\.[0-9]+' | cut -d' ' -f2)
tm send-keys -t t Down Right Down Down Down "$BID"
queued() { screen | grep -qE 'queue: (0\.0*[1-9][0-9]*|[1-9][0-9.]*) ahead of it at its price'; }
check "the ticket: a limit at the best bid ($BID) queues behind the size resting there" wait_for_fn queued 5
tm send-keys -t t Escape
tm send-keys -t t q
check "own orders: q quits with status 0" wait_for "EXIT=0" 5

start 100 30 "XDG_STATE_HOME=$TMP $BIN --demo --db $TMP/demo.db"
check "demo: running" wait_price 15
tm send-keys -t t D
check "demo: the simulated book" wait_for "book: simulated" 5
tm send-keys -t t Escape
check "demo: Esc closes it" wait_gone "book: simulated" 5
tm send-keys -t t ':book-group x' Enter
check ":book-group x: refused with the reason" wait_for "book-group: N is a whole number of ticks" 5
tm send-keys -t t ':book' Enter
check ":book opens the order book too" wait_for "book: simulated" 5
tm send-keys -t t Escape
check ":book: Esc closes it" wait_gone "book: simulated" 5
tm send-keys -t t '?'
check "help lists D" sh -c "i=0; while [ \$i -lt 50 ]; do tmux -L $SOCK capture-pane -p -t t | grep -qE '^ *D +.*order book' && exit 0; tmux -L $SOCK send-keys -t t PgDn; sleep 0.1; i=\$((i+1)); done; exit 1"
tm send-keys -t t Escape q
check "demo: q quits with status 0" wait_for "EXIT=0" 5
