# Panning the chart back past the candles the engine keeps (ENGINE_HISTORY, 120
# per series) loads older ones of the shown symbol and timeframe from the
# session's database in the background, down to the start of what is stored.
. tests/tui/tmux_helpers
DB=$TMP/hist.db
# the whole replay of BTCUSDT, as fast as it goes: its candles are all stored
# (1h: 696 of them) and nothing moves afterwards while the test looks
start 200 60 "LANG=C.UTF-8 $BIN --demo --symbols BTCUSDT --speed 0 --db $DB"
check "the replay finishes" wait_for "demo replay finished" 120
tm send-keys -t t 4
check "the 1h chart is shown" wait_for "BTCUSDT 1h  zoom" 10
title() { screen | sed -n 3p; }
# the chart's rows: below the title, left of the price axis (the wide layout's chart is the left column)
# ... and a screenful of them (the title counts the candles in view: 20 or more)
plot_has_candles() {
  screen | sed -n '4,40p' | cut -c1-100 | grep -qE '[█▀▄▯]' && title | grep -qE ' ([2-9][0-9]|[0-9]{3,}) candles'
}
press_h() { keys=""; k=0; while [ $k -lt "$1" ]; do keys="$keys h"; k=$((k + 1)); done; tm send-keys -t t $keys; }
# pan_until FUNCTION: h in rounds of 10 (8 candles each) until it holds; panning
# stops at the oldest candle held while a page of older ones loads
pan_until() {
  rounds=0      # not i: wait_for_fn counts with i
  while [ $rounds -lt 30 ] && ! "$1"; do
    press_h 10
    wait_for_fn "$1" 1
    rounds=$((rounds + 1))
  done
  "$1"
}
back_300() { title | grep -qE ' ([3-9][0-9][0-9]|[0-9]{4,}) back'; }
check "panning goes beyond the engine's 120 candles (300 back or more)" pan_until back_300
check "the older candles are drawn" plot_has_candles
check "the title says the older candles carry no indicators" sh -c "tmux -L $SOCK capture-pane -p -t t | sed -n 3p | grep -q 'no indicators before'"
# on to the start of the stored 1h candles: 696, fewer than a cache holds
at_start() { title | grep -q 'start of stored history'; }
check "panning to the very beginning says it is the start of the stored history" pan_until at_start
check "the oldest stored candles are drawn" plot_has_candles
oldest_shown() { pan=$(title | grep -oE '[0-9]+ back' | grep -oE '[0-9]+'); [ "${pan:-0}" -ge 500 ]; }
check "the start lies hundreds of candles back" oldest_shown
# a switch of timeframe drops the older candles and starts live again
tm send-keys -t t 2
live_5m() { title | grep -q 'BTCUSDT 5m .* live'; }
check "5m after the switch is live" wait_for_fn live_5m 10
tm send-keys -t t q
check "q exits" wait_for "EXIT=0" 10
