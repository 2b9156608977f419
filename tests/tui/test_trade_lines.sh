# The trade on the chart: the position's entry, stop and target and a working
# order's price are horizontal lines labelled at the price axis, each kind with
# its own glyph and tag (UTF-8 and ASCII), so they are told apart without colour.
. tests/tui/tmux_helpers

line_with() { # line_with TAG GLYPH: a screen row holding the glyph run and the tag
  screen | grep -F -- "$2$2$2" | grep -qE -- "$1"
}
run() { # run MODE(utf8|ascii) ENTRY STOP TARGET ORDER
  mode=$1
  if [ "$mode" = ascii ]; then flags="--ascii"; else flags=""; fi
  start 200 60 "LANG=C.UTF-8 NO_COLOR=1 $BIN --demo $flags --db $TMP/lines-$mode.db"
  check "$mode: the demo runs" wait_price 20
  open_paused_long "$mode: "
  check "$mode: its entry is a line labelled entry" wait_for_fn entry_line 10
  check "$mode: its stop is a line labelled stop" wait_for_fn stop_line 10
  check "$mode: its first target is a line labelled tp1" wait_for_fn tp_line 10
  tm send-keys -t t s Down Right Enter
  check "$mode: a sell limit order's price is a line labelled with its id" wait_for_fn order_line 10
  tm send-keys -t t q
  check "$mode: q exits" wait_for "EXIT=0" 10
}
entry_line() { line_with 'entry [0-9]+\.[0-9]{2} ' "$G_ENTRY"; }
stop_line() { line_with 'stop [0-9]+\.[0-9]{2} ' "$G_STOP"; }
tp_line() { line_with 'tp1 [0-9]+\.[0-9]{2} ' "$G_TP"; }
order_line() { line_with 'sell limit #[0-9]+ [0-9]+\.[0-9]{2} ' "$G_ORDER"; }

G_ENTRY="━"; G_STOP="┅"; G_TP="┈"; G_ORDER="╍"
run utf8
G_ENTRY="="; G_STOP="x"; G_TP="~"; G_ORDER=":"
run ascii
