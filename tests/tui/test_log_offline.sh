# The Log panel and the offline state, on the real binary in tmux.
# Log: every line has the engine's time (the data's time in the demo), the focused
# panel scrolls back with an indicator, and a restart opens with the last lines
# from the journal. Offline: a live start whose exchange refuses the connection
# says so (and why) in the header and on the health screen, with 0 % quality.
. tests/tui/tmux_helpers
DB=$TMP/log.db
STAMP='[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9] '
log_has() { screen | grep -qE "$STAMP$1"; }
has_filled() { log_has "filled BUY"; }
stream_zero() { screen | grep -qE "BTCUSDT 1m +checking .* 0\.0%"; }

start 200 50 "LANG=C.UTF-8 XDG_STATE_HOME=$TMP $BIN --demo --db $DB"
wait_price 20
open_paused_long "log: "
check "log: the fill's line carries the data's time" wait_for_fn has_filled 10
tm send-keys -t t : f o c u s Space l o g Enter
check "log: :focus log focuses the Log panel" wait_for "Log ◀" 5
tm send-keys -t t Up
check "log: Up scrolls back and says so" wait_for "1 newer below (End: latest)" 5
tm send-keys -t t End
check "log: End returns to the newest line" wait_gone "newer below" 5
tm send-keys -t t Home
check "log: Home shows the oldest line kept" wait_for "newer below (End: latest)" 5
tm send-keys -t t PgDn
check "log: PgDn pages down to the newest (the lines fit on one page)" wait_gone "newer below" 5
tm send-keys -t t PgUp
check "log: PgUp pages back" wait_for "newer below (End: latest)" 5
tm send-keys -t t End
check "log: End again" wait_gone "newer below" 5
tm send-keys -t t q
check "log: quit cleanly" wait_for "EXIT=0" 10

start 200 50 "LANG=C.UTF-8 XDG_STATE_HOME=$TMP $BIN --demo --db $DB"
check "restart: the Log panel opens with the journal's last lines" wait_for_fn has_filled 15
tm send-keys -t t q
check "restart: quit cleanly" wait_for "EXIT=0" 10

# a closed loopback port: nothing listens on the discard port
start 120 30 "XDG_STATE_HOME=$TMP $BIN --db $TMP/off.db --symbols BTCUSDT --rest-url http://127.0.0.1:9 --ws-url ws://127.0.0.1:9"
check "offline: the header names the reason" wait_for "[offline: cannot connect to 127.0.0.1:9: connection refused]" 10
check "offline: not left at checking symbols" sh -c "! tmux -L $SOCK capture-pane -p -t t | head -1 | grep -q 'checking symbols'"
tm send-keys -t t H
check "offline: the health screen names it too" wait_for "feed: offline: cannot connect to 127.0.0.1:9" 5
check "offline: a stream that delivered nothing is at 0 % quality" wait_for_fn stream_zero 10
tm send-keys -t t q
check "offline: q quits with status 0" wait_for "EXIT=0" 5
