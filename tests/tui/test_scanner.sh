# The scanner (M) over the demo's symbols at 200x60 and 80x24: every symbol a
# row, sorted by a column (> moves the sort, r reverses), filtered by a typed
# name (/) and by :filter terms, w puts the chosen symbol first on the watchlist
# (and takes it off again), Enter shows it on the chart.
. tests/tui/tmux_helpers
start 200 60 "LANG=C.UTF-8 $BIN --demo --db $TMP/scan.db"
check "the demo runs" wait_for "BTCUSDT 1m" 15
tm send-keys -t t Space                      # paused: the rows hold still while the test reads them
check "paused" wait_for "paused" 5

tm send-keys -t t M
check "M opens the scanner with every symbol" wait_for "Scanner 1m  4 of 4  sort SYMBOL asc" 3
check "a row per symbol" sh -c "tmux -L $SOCK capture-pane -p -t t | grep -cE '^(ADABTC|BTCPERP|BTCUSDT|ETHBTC) ' | grep -qx 4"
check "the columns are headed" wait_for "REGIMES CONF   RSI   PATTERN    SIGNAL R:R" 3
first_row() { tmux -L $SOCK capture-pane -p -t t | sed -n 4p | cut -d' ' -f1; }
check "sorted A to Z" sh -c "[ \"\$(tmux -L $SOCK capture-pane -p -t t | sed -n 4p | cut -d' ' -f1)\" = ADABTC ]"
tm send-keys -t t '>' '>' '>' '>'
check "> moves the sort to the 24 h volume, largest first" wait_for "sort VOL24H desc" 3
check "the largest volume leads (the perpetual's, in billions of USD)" sh -c "[ \"\$(tmux -L $SOCK capture-pane -p -t t | sed -n 4p | cut -d' ' -f1)\" = BTCPERP ] && tmux -L $SOCK capture-pane -p -t t | sed -n 4p | grep -q 'B '"
tm send-keys -t t r
check "r reverses it" wait_for "sort VOL24H asc" 3
check "now the largest is last" sh -c "[ \"\$(tmux -L $SOCK capture-pane -p -t t | sed -n 7p | cut -d' ' -f1)\" = BTCPERP ]"

tm send-keys -t t / e t h
check "/ filters as you type" wait_for "1 of 4  sort VOL24H asc  /eth_" 3
check "only the matching row is left" sh -c "tmux -L $SOCK capture-pane -p -t t | grep -q '^ETHBTC ' && ! tmux -L $SOCK capture-pane -p -t t | grep -q '^BTCUSDT '"
tm send-keys -t t Escape
check "Esc clears the typed name" wait_for "4 of 4" 3

tm send-keys -t t : f i l t e r Space v o l '>' 1 M Enter
check ":filter vol>1M keeps the symbols above 1M of quote volume" wait_for "2 of 4  sort VOL24H asc vol>1M" 3
check "which are BTCUSDT then BTCPERP" sh -c "tmux -L $SOCK capture-pane -p -t t | sed -n 4,5p | cut -d' ' -f1 | tr '\n' ' ' | grep -qx 'BTCUSDT BTCPERP '"
tm send-keys -t t : f i l t e r Space v o l '>' l o t s Enter
check "a bad term is refused with the reason" wait_for "vol>lots: expected a number" 3
tm send-keys -t t : f i l t e r Enter
check ":filter alone clears it" wait_for "4 of 4" 3

tm resize-window -t t -x 80 -y 24
check "80x24: the scanner still shows its rows" wait_for "Scanner 1m  4 of 4" 3
check "80x24: the narrow columns that fit" sh -c "tmux -L $SOCK capture-pane -p -t t | grep -q '^SYMBOL' && tmux -L $SOCK capture-pane -p -t t | grep -cE '^(ADABTC|BTCPERP|BTCUSDT|ETHBTC) ' | grep -qx 4"
tm send-keys -t t Down Down
row=$(tmux -L $SOCK capture-pane -p -t t | sed -n 6p | cut -d' ' -f1)
tm send-keys -t t Enter
check "Enter shows the selected symbol ($row) on the chart" wait_for "$row 1m" 3
check "the main screen is back" wait_gone "Scanner 1m" 3
tm send-keys -t t M
check "M opens it again" wait_for "Scanner 1m" 3
tm send-keys -t t Escape
check "Esc closes it" wait_gone "Scanner 1m" 3

tm resize-window -t t -x 200 -y 60
# the watchlist panel's rows in order: a mark or a blank, the name, its price, its change
wl_names() { tmux -L $SOCK capture-pane -p -t t | grep -oE '[+•* ](ADABTC|BTCPERP|BTCUSDT|ETHBTC) +[0-9][0-9.,]* +[+-][0-9]' |
  grep -oE 'ADABTC|BTCPERP|BTCUSDT|ETHBTC'; }
wl_first_is() { i=0; while [ $i -lt 30 ]; do [ "$(wl_names | head -1)" = "$1" ] && return 0; sleep 0.1; i=$((i + 1)); done
  echo "# watchlist: $(wl_names | tr '\n' ' ')"; return 1; }
check "the watchlist lists the four symbols" sh -c "i=0; while [ \$i -lt 30 ]; do [ \"\$(tmux -L $SOCK capture-pane -p -t t | grep -oE '[+•* ](ADABTC|BTCPERP|BTCUSDT|ETHBTC) +[0-9][0-9.,]* +[+-][0-9]' | wc -l)\" = 4 ] && exit 0; sleep 0.1; i=\$((i + 1)); done; exit 1"
first=$(wl_names | head -1); last=$(wl_names | tail -1)
tm send-keys -t t M / $(echo "$last" | tr A-Z a-z | sed 's/./& /g') Enter
check "the scanner finds the watchlist's last symbol ($last)" wait_for "1 of 4" 3
tm send-keys -t t w
check "w adds it to the watchlist" wait_for "$last added to the watchlist" 3
tm send-keys -t t Escape
check "the watchlist now lists it first" wl_first_is "$last"
tm send-keys -t t M w
check "w again takes it off" wait_for "$last taken off the watchlist" 3
tm send-keys -t t Escape
check "the watchlist is back in its order" wl_first_is "$first"
tm send-keys -t t '?'
check "the help lists the scanner" wait_for "scanner: every symbol" 3
check "the help lists the scanner filter" wait_for "scanner filter" 3
tm send-keys -t t Escape q
check "q exits" wait_for "EXIT=0" 5
