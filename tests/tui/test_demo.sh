# The demo console in tmux: chart drawn, a paper buy, resize, help, quit.
. tests/tui/tmux_helpers
DB=$TMP/demo.db
start 120 40 "LANG=C.UTF-8 $BIN --demo --db $DB"

check "header shows symbol, timeframe and feed state" wait_for "BTCUSDT 1m" 15
check "feed state is the demo replay" wait_for "[demo replay 60x]" 5
has_candles() { screen | grep -qE '█|▀|▄'; }
wait_for_candles() { i=0; while [ $i -lt 50 ]; do has_candles && return 0; sleep 0.1; i=$((i+1)); done; return 1; }
check "candles are drawn within 2 s" wait_for_candles
check "volume and time axis are drawn" sh -c "tmux -L $SOCK capture-pane -p -t t | grep -qE '[0-9][0-9]:[0-9][0-9]'"

tm send-keys -t t b
check "b opens the order ticket" wait_for "Order ticket BTCUSDT" 3
tm send-keys -t t Tab Tab Tab Tab 9 0 0 0 0 Tab 2 0 0 0 0 0 Enter   # far stop and target
check "Enter in the ticket opens a long position" wait_for "LONG" 5
check "the fill is reported on the status line" wait_for "filled BUY" 5

tm send-keys -t t 3
check "3 switches to the 15m chart" wait_for "BTCUSDT 15m" 3
tm send-keys -t t ]
check "] moves to the next symbol" wait_for "BTCPERP 15m" 3
tm send-keys -t t 1 [
check "[ moves back" wait_for "BTCUSDT 1m" 3
tm send-keys -t t Tab
check "Tab focuses the watchlist panel" wait_for "▶ Watchlist ◀" 3
tm send-keys -t t BTab
check "S-Tab gives the focus back to the chart" wait_for "▶ Chart ◀" 3

tm send-keys -t t '?'
check "? shows the help generated from the keymap" wait_for "order ticket: BUY" 3
check "help lists the quit key" sh -c "tmux -L $SOCK capture-pane -p -t t | grep -qE 'q +quit'"
tm send-keys -t t Escape
check "Esc closes the help" wait_gone "order ticket: BUY" 3

tm resize-window -t t -x 80 -y 24
check "80x24: header still readable" wait_for "BTCUSDT 1m" 3
check "80x24: position line still shown" wait_for "LONG" 3
check "80x24: key hint on the status line" wait_for "? help" 3
check "80x24: risk bar visible" wait_for "Risk OK" 3
check "80x24: candles still drawn" wait_for_candles
tm resize-window -t t -x 30 -y 8
check "tiny terminal says it is too small" wait_for "terminal too small" 3
tm resize-window -t t -x 120 -y 40
check "back to 120x40 after the tiny size" wait_for "Watchlist" 3

tm send-keys -t t x
check "x asks before closing" wait_for "Close the LONG" 5
tm send-keys -t t y
check "y closes the position" wait_for "no position in BTCUSDT" 5

tm send-keys -t t q
check "q exits with status 0" wait_for "EXIT=0" 5
check "the terminal is restored (shell output visible, UI gone)" sh -c "! tmux -L $SOCK capture-pane -p -t t | grep -q 'AlphaPulse'"
