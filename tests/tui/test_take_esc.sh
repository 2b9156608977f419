# Take, then Esc: t on a queued signal opens the order ticket; Esc closes it and
# the signal is back in the queue untouched, not "taken" (checked in the export).
. tests/tui/tmux_helpers
DB=$TMP/take.db
mkdir -p "$TMP/home"
start 200 50 "LANG=C.UTF-8 HOME=$TMP/home XDG_STATE_HOME=$TMP/state $BIN --demo --db $DB --speed 600"
check "paused with a queued signal, its detail screen open" open_queued_signal
ID=$(screen | sed -n 's/.* Signal #\([0-9]*\) .*/\1/p' | head -1)
tm send-keys -t t t
check "t opens the ticket for signal #$ID" wait_for "Order ticket" 5
tm send-keys -t t Escape
check "Esc closes the ticket" wait_gone "Order ticket" 5
check "still paused: nothing moved meanwhile" wait_for "PAUSED" 2
tm send-keys -t t : ; tm send-keys -t t -l "export signals ~/sig.json all"; tm send-keys -t t Enter
done_json() { [ -e "$TMP/home/sig.json" ] && [ ! -e "$TMP/home/sig.json.tmp" ]; }
check "the signals export completes" wait_for_fn done_json 20
row=$(grep "^{\"id\":$ID," "$TMP/home/sig.json" 2>/dev/null | head -1)
if [ -n "$ID" ] && [ -n "$row" ] && ! echo "$row" | grep -q '"state":"taken"'; then
  ok "signal #$ID is not taken after Esc ($(echo "$row" | grep -o '"state":"[a-z]*"'))"
else
  echo "not ok - signal #$ID after Esc: ${row:-not in the export}"
fi
tm send-keys -t t q
check "q exits with status 0" wait_for "EXIT=0" 5
