# Take, then Esc: t on a queued signal opens the order ticket; Esc closes it and
# the signal is back in the queue untouched, not "taken" (checked in the export).
. tests/tui/tmux_helpers
DB=$TMP/take.db
mkdir -p "$TMP/home"
start 200 50 "LANG=C.UTF-8 HOME=$TMP/home XDG_STATE_HOME=$TMP/state $BIN --demo --db $DB --speed 600"
wait_re() { i=0; while [ $i -lt ${2:-100} ]; do screen | grep -qE -- "$1" && return 0; sleep 0.1; i=$((i+1)); done; return 1; }
ROW='[0-9][0-9]:[0-9][0-9] [A-Z]+ +[0-9]+[mhd] +(LONG|SHORT) +[0-9]+%'
# pause with a signal queued and open its detail screen (a signal may leave the
# queue in the candle that closes as the pause lands: then resume and retry)
open_queued_signal() {
  n=0
  while [ $n -lt 40 ]; do
    n=$((n + 1))
    wait_re "$ROW" 300 || return 1
    tm send-keys -t t Space
    wait_for "PAUSED" 10 || return 1
    tm send-keys -t t : ; tm send-keys -t t -l "focus signals"; tm send-keys -t t Enter
    wait_re "(▶ |> )Signals( ◀| <)" || return 1
    tm send-keys -t t Enter
    wait_re " Signal #[0-9]+ " 30 && ! screen | grep -q "has left the queue" && return 0
    tm send-keys -t t Escape Space
    wait_gone "PAUSED" 10 || return 1
  done
  return 1
}
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
