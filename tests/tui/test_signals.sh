# Regimes and signals on screen: the regime panel, the signal queue with its
# stats line, the detail view from Enter, dismissing with d.
. tests/tui/tmux_helpers
DB=$TMP/signals.db
start 150 45 "LANG=C.UTF-8 $BIN --demo --db $DB --speed 0"

check "regime panel is drawn in the sidebar" wait_for "Regimes BTCUSDT" 5
check "the 1m regime is labelled once warm" sh -c "i=0; while [ \$i -lt 100 ]; do tmux -L $SOCK capture-pane -p -t t | grep -qE ' 1m +(BULL\+|BEAR\+|WEAK|RANGE|BRKOUT|CHOP) +[0-9]+%' && exit 0; sleep 0.1; i=\$((i+1)); done; exit 1"
check "confluence line" wait_for "MTF " 5
check "signal stats line with the filter rate and latency" wait_for "close->signal p50" 5
has_signal() { screen | grep -qE '[0-9][0-9]:[0-9][0-9] [A-Z]+ +[0-9]+[mhd] +(LONG|SHORT) +[0-9]+%'; }
wait_signal() { i=0; while [ $i -lt 100 ]; do has_signal && return 0; sleep 0.1; i=$((i+1)); done; return 1; }
check "a signal row: time, symbol, timeframe, side, confidence" wait_signal
# the queue changes with every candle; act on it once the replay has finished
check "the replay finishes" wait_for "replay finished" 30

tm send-keys -t t Enter
check "Enter opens the detail view with every voter" wait_for "volatility" 3
check "the detail view shows the levels" wait_for "tp4" 3
tm send-keys -t t d
check "d dismisses the selected signal" wait_for "dismissed:" 5
check "the detail view closed" sh -c "! tmux -L $SOCK capture-pane -p -t t | grep -q 'Enter/Esc close'"

tm send-keys -t t '?'
check "help lists the signal keys" wait_for "take the selected signal" 3
tm send-keys -t t Escape
tm send-keys -t t q
check "q exits with status 0" wait_for "EXIT=0" 5
