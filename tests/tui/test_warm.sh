# The demo opens warm: history is loaded before the first frame (no signal from
# it), so every timeframe's regime of BTCUSDT, 1d included, is labelled at once.
. tests/tui/tmux_helpers
DB=$TMP/warm.db
# 1x: nothing new is played during the test, so what shows is the warm start
start 200 60 "LANG=C.UTF-8 $BIN --demo --speed 1 --db $DB"
check "the first frame is drawn" wait_for "Regimes" 20
regimes() { screen | grep -oE '│(1m|5m|15m|1h|4h|1d) +[A-Z]+' ; }
all_warm() {
  for tf in 1m 5m 15m 1h 4h 1d; do
    screen | grep -qE "│$tf +(BULL|BEAR|WEAK|RANGE|BRKOUT|CHOP)" || return 1
  done
  ! screen | grep -q "warming up"
}
check "every timeframe's regime is warm at the first frame, 1d included" wait_for_fn all_warm 10
check "history raised no signal" sh -c "tmux -L $SOCK capture-pane -p -t t | grep -q 'no signal in the queue'"
tm send-keys -t t 6
check "the 1d chart has history" wait_for "BTCUSDT 1d" 5
check "the 1d chart shows many candles" sh -c "tmux -L $SOCK capture-pane -p -t t | sed -n 3p | grep -qE ' ([4-9][0-9]|[1-9][0-9][0-9]+) candles'"
tm send-keys -t t q
check "q exits" wait_for "EXIT=0" 10
