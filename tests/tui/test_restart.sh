# Run, buy, quit, run again: the position and balance are back.
. tests/tui/tmux_helpers
DB=$TMP/restart.db
start 120 40 "LANG=C.UTF-8 $BIN --demo --db $DB"
wait_for "BTCUSDT 1m" 15
# b opens the ticket once a price has arrived; until then it says "no price yet"
open_ticket() { n=0; while [ $n -lt 20 ]; do tm send-keys -t t "$1"; wait_for "Order ticket" 1 && return 0; n=$((n + 1)); done; return 1; }
open_ticket b
# a stop and target far away (Down x4 reaches Stop), so the replay cannot close it mid-test
tm send-keys -t t Tab Tab Tab Tab 9 0 0 0 0 Tab 2 0 0 0 0 0 Enter
check "first run: bought through the ticket" wait_re "^Bal [0-9.]+ USDT.*LONG [0-9.e-]+ BTCUSDT @ [0-9.]+" 50
bal=$(screen | sed -n 's/^Bal \([0-9.]*\) USDT.*/\1/p' | head -1)
pos=$(screen | sed -n 's/.*\(LONG [0-9.e-]* BTCUSDT @ [0-9.]*\).*/\1/p' | head -1)
tm send-keys -t t q
check "first run: quit cleanly" wait_for "EXIT=0" 5
check "database has the fill" sh -c "[ \$(sqlite3 $DB 'select count(*) from fills') = 1 ]"

start 120 40 "LANG=C.UTF-8 $BIN --demo --db $DB"
check "second run: position restored ($pos)" wait_for "$pos" 5
check "second run: balance restored ($bal)" wait_for "Bal $bal USDT" 5
check "second run: the position's stop-loss and target restored" sh -c "tmux -L $SOCK capture-pane -p -t t | grep -q 'LONG .* SL .* TP1 '"
tm send-keys -t t q
check "second run: quit cleanly" wait_for "EXIT=0" 5

start 120 40 "LANG=C.UTF-8 $BIN --demo --db $DB"
wait_for "BTCUSDT 1m" 15
start2() { tmux -L "$SOCK" new-window -t t "sh -c '$BIN --demo --db $DB; echo EXIT2=\$?; sleep 60'"; }
start2
check "a second process on the same database is refused with exit 1" wait_for "EXIT2=1" 5
check "and says why" wait_for "in use by another alphapulse process" 5
