# The help screen at 24 and 60 rows: long lines wrap, its last line scrolls into view, it names T
# for themes, pattern names are whole; and the chart draws the pattern codes the
# help lists (whole codes at the default zoom where their cells are free).
. tests/tui/tmux_helpers

last_line="T cycles; NO_COLOR=1 turns colour off"
for size in "80 24" "200 60"; do
  set -- $size
  pre="$1x$2:"
  start "$1" "$2" "LANG=C.UTF-8 $BIN --demo --db $TMP/help-$1.db"
  check "$pre the demo runs" wait_price 20
  tm send-keys -t t '?'
  check "$pre ? opens the help" wait_for "keys and commands" 5
  check "$pre the title says there is more below" wait_for "more below" 5
  # descriptions wrap instead of being cut at the screen's edge
  check "$pre a long description is whole" wait_for "Enter shows)" 5
  tm send-keys -t t G
  check "$pre G scrolls to the last line" wait_for "$last_line" 5
  check "$pre at the end nothing is left below" wait_gone "more below" 5
  check "$pre no line names t for themes" sh -c "! tmux -L $SOCK capture-pane -p -t t | grep -q ' t cycles'"
  tm send-keys -t t g
  check "$pre g goes back to the top" wait_gone "$last_line" 5
  # j one line at a time reaches the same last line (the limit comes from the text)
  j=0; while [ $j -lt 40 ]; do tm send-keys -t t j j j j j; j=$((j + 1)); done
  check "$pre j reaches the last line" wait_for "$last_line" 10
  check "$pre the longest pattern name is whole" wait_for "Upside/Downside Gap Three Methods" 5
  tm send-keys -t t Escape
  check "$pre Esc closes the help" wait_gone "keys and commands" 5
done

# The marker legend: collect the codes the help lists, then wait until the 1m
# chart (left of the price axis, below its title) shows one of at least two letters.
start 200 60 "LANG=C.UTF-8 $BIN --demo --db $TMP/markers.db"
check "markers: the demo runs" wait_price 20
tm send-keys -t t '?' G
wait_for "$last_line" 5 >/dev/null
codes=""
k=0
while [ $k -lt 8 ]; do
  codes="$codes $(screen | grep -oE '  [0-9A-Z]{2,4} +[A-Z][a-z]' | awk '{ print $1 }' | tr '\n' ' ')"
  tm send-keys -t t k k k k k k k k k k
  k=$((k + 1)); sleep 0.1
done
codes=$(echo "$codes" | tr ' ' '\n' | grep -E '^[0-9A-Z]{2,4}$' | sort -u)
check "markers: the help lists pattern codes" sh -c "[ $(echo "$codes" | wc -l) -ge 40 ]"
tm send-keys -t t Escape
wait_gone "keys and commands" 5 >/dev/null
echo "$codes" >"$TMP/codes"
chart_code() {
  screen | sed -n '4,40p' | cut -c2-140 | grep -oE '(^|[^0-9A-Za-z])[0-9A-Z]{2,4}([^0-9A-Za-z]|$)' \
    | tr -cd '0-9A-Z\n' | grep -qxF -f "$TMP/codes"
}
check "markers: the chart draws a whole pattern code the help lists" wait_for_fn chart_code 60
