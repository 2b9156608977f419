# Regimes and signals on screen (wide layout): the Regimes panel with the MTF
# confluence line, the Signals panel with its counters and latency, the detail
# screen from Enter on a signal row (Esc returns), dismissing with d, taking
# with t, and the help listing the signal commands.
. tests/tui/tmux_helpers
DB=$TMP/signals.db
start 200 50 "LANG=C.UTF-8 $BIN --demo --db $DB --speed 600"

check "Regimes panel is drawn" wait_for "Regimes" 5
check "the panel names the symbol and its confluence" wait_re "BTCUSDT +MTF [+-][0-9]"
check "the 1m regime is labelled once warm" wait_re "1m +(BULL\+|BEAR\+|WEAK|RANGE|BRKOUT|CHOP) +[0-9]+%"
check "Signals panel counters" wait_re "cand [0-9]+  emitted [0-9]+  filtered"
check "signal latency line" wait_for "close->signal p50" 5
check "a signal row: time, symbol, timeframe, side, confidence" wait_re "$SIGNAL_ROW" 300
# the queue changes with every candle: pause with a signal queued, then open it
tm send-keys -t t : ; tm send-keys -t t -l "focus signals"; tm send-keys -t t Enter
check ":focus signals focuses the Signals panel" wait_re "(▶ |> )Signals( ◀| <)"
check "Enter on a queued signal (paused) opens its detail screen" open_queued_signal
check "the detail screen shows every voter" wait_for "volatility" 3
check "the detail screen shows the levels" wait_for "tp4" 3
tm send-keys -t t Escape
check "Esc returns from the detail screen" sh -c "i=0; while [ \$i -lt 30 ]; do tmux -L $SOCK capture-pane -p -t t | grep -q 'Esc back' || exit 0; sleep 0.1; i=\$((i+1)); done; exit 1"
tm send-keys -t t Enter
check "Enter opens it again" wait_for "Esc back" 3
tm send-keys -t t d
check "d dismisses the signal on the detail screen" wait_for "dismissed:" 5
check "the detail screen closed" sh -c "! tmux -L $SOCK capture-pane -p -t t | grep -q 'Esc back'"
tm send-keys -t t t
check "t takes the selected signal: the ticket opens prefilled (or the queue is empty)" wait_re "Order ticket|no signal to take" 50
tm send-keys -t t Escape

tm send-keys -t t '?'
check "help lists the signal commands" wait_for "take the selected signal" 3
check "help shows the take and dismiss keys" wait_re "^ *t +:signal-take|:signal-dismiss" 30
tm send-keys -t t Escape
tm send-keys -t t q
check "q exits with status 0" wait_for "EXIT=0" 5
