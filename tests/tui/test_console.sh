# Every key of the help table, at 80x24, 120x40 and 250x70, in UTF-8 and in the C
# locale, with and without NO_COLOR (12 cells, run in parallel, each with its own
# tmux server and database). Each key is sent and its visible effect asserted
# from capture-pane; all waits are for a condition, never a fixed sleep.
# The keys come from `alphapulse --keys` (the same table as `?`): a key without a
# case here fails the test, so help and tests cannot drift apart.
. tests/tui/tmux_helpers

# keys the cells below exercise; compared with the binary's own table
# (Home PgUp PgDn scroll a focused panel: tests/tui/test_log_offline.sh)
TESTED="1 2 3 4 5 6 ] [ / Tab S-Tab h Left l Right k Up j Down + = - 0 End c Enter Esc b s x t d T : ? q H A M D C e o P X i S Space > < . Home PgUp PgDn"
listed=$($BIN --keys | awk '{ print $2 }' | grep -v '^-$' | tr '\n' ' ')
all_keys=$($BIN --keys | awk '$2 != "-" { for (i = 2; i <= NF && $i !~ /^:/; i++) print $i }' | tr '\n' ' ')
missing=""
for k in $all_keys; do
  case " $TESTED " in *" $k "*) ;; *) missing="$missing $k" ;; esac
done
if [ -z "$missing" ] && [ -n "$listed" ]; then ok "every key in the help table has a test case"
else echo "not ok - keys without a test case:$missing"; fi

# cell NAME COLS ROWS LOCALE NOCOLOR(0|1) NSTART
cell() {
  name=$1; cols=$2; rows=$3; loc=$4; nocolor=$5; NSTART=$6
  DB=$TMP/$name.db
  env=""
  [ "$nocolor" = 1 ] && env="NO_COLOR=1"
  start "$cols" "$rows" "LANG=$loc LC_ALL=$loc $env $BIN --demo --db $DB"
  pre="$name:"
  if [ "$loc" = C ]; then FOCUS_L="> "; FOCUS_R=" <"; else FOCUS_L="▶ "; FOCUS_R=" ◀"; fi
  # every wait is for the state it checks; the limit (20 s) only ends a wait
  # that will never succeed, so a loaded machine is slow but not failing
  t() { check "$pre $1" wait_for "$2" 20; }
  title() { screen | grep -o "zoom [0-9]*  [0-9]* candles  [^ ]*[a-z0-9 :()]*" | head -1; }
  title_has() { i=0; while [ $i -lt 200 ]; do title | grep -qE -- "$1" && return 0; sleep 0.1; i=$((i+1)); done; return 1; }
  tt() { check "$pre $1" title_has "$2"; }
  tre() { check "$pre $1" sh -c "i=0; while [ \$i -lt 200 ]; do tmux -L $SOCK capture-pane -p -t t | grep -qE '$2' && exit 0; sleep 0.1; i=\$((i+1)); done; exit 1"; }
  send() { tm send-keys -t t "$@"; }

  t "header" "BTCUSDT 1m"
  if [ "$loc" = C ]; then
    check "$pre ASCII candles in the C locale" sh -c "i=0; while [ \$i -lt 200 ]; do tmux -L $SOCK capture-pane -p -t t | grep -qE '[#O]' && exit 0; sleep 0.1; i=\$((i+1)); done; exit 1"
    t "ASCII panel frames in the C locale" "+- Watchlist -"
    check "$pre no UTF-8 bytes on screen in the C locale" sh -c "! tmux -L $SOCK capture-pane -p -t t | LC_ALL=C grep -q '[^ -~]'"
  else
    check "$pre half-block candles" sh -c "i=0; while [ \$i -lt 200 ]; do tmux -L $SOCK capture-pane -p -t t | grep -qE '█|▀|▄|▯' && exit 0; sleep 0.1; i=\$((i+1)); done; exit 1"
  fi
  if [ "$nocolor" = 1 ]; then
    check "$pre NO_COLOR: no colour escapes" sh -c "! tmux -L $SOCK capture-pane -e -p -t t | grep -qE '\[(3[0-7]|38;|9[0-7])'"
  else
    check "$pre colour is used" sh -c "tmux -L $SOCK capture-pane -e -p -t t | grep -qE '\[[0-9;]*(3[0-7]|38;5;)'"
  fi
  # timeframes
  for p in "2 5m" "3 15m" "4 1h" "5 4h" "6 1d" "1 1m"; do
    set -- $p; send "$1"; t "key $1 shows $2" "BTCUSDT $2"
  done
  # symbols
  send ]; t "] next symbol" "BTCPERP 1m"
  send [; t "[ previous symbol" "BTCUSDT 1m"
  # focus
  send Tab; t "Tab focuses the watchlist" "${FOCUS_L}Watchlist${FOCUS_R}"
  send BTab; t "S-Tab focuses the chart" "${FOCUS_L}Chart${FOCUS_R}"
  # zoom (chart focused): the title shows the zoom level
  send k; tt "k zooms in" "zoom 3 "
  send Up; tt "Up zooms in" "zoom 4 "
  send +; tt "+ zooms in" "zoom 5 "
  send =; tt "= zooms in" "zoom 6 "
  send j; tt "j zooms out" "zoom 5 "
  send Down; tt "Down zooms out" "zoom 4 "
  send -; tt "- zooms out" "zoom 3 "
  # pan: wait until there are candles to pan over
  title_has "[1-9][0-9] candles" >/dev/null
  send h; tt "h pans back" "8 back"
  send l; tt "l pans forward" "live"
  send Left; tt "Left pans back" "8 back"
  send 0; tt "0 returns to the latest candle" "live"
  send Left; tt "Left again" "8 back"
  send End; tt "End returns to the latest candle" "live"
  # From the crosshair to the trades the replay is paused: a new candle would
  # move the view under the crosshair (Esc would leave it "N back"), and a fast
  # replay can fill and stop out a position before the screen is read.
  send Space; check "$pre paused while the crosshair and the trades are checked" wait_for "PAUSED" 20
  # crosshair
  send c; check "$pre c shows the crosshair's OHLCV" sh -c "i=0; while [ \$i -lt 200 ]; do tmux -L $SOCK capture-pane -p -t t | grep -qE ' O [0-9.]+ H [0-9.]+ L [0-9.]+ C [0-9.]+ V ' && exit 0; sleep 0.1; i=\$((i+1)); done; exit 1"
  check "$pre crosshair shows RSI" wait_for "RSI " 20
  send Escape; tt "Esc closes the crosshair" "live"
  # panels: Tab to the watchlist, j/Enter picks the second symbol, k/Enter the first
  send Tab j Enter; t "Tab j Enter opens the second watchlist row" "BTCPERP 1m"
  send k Enter; t "k Enter opens the first row" "BTCUSDT 1m"
  send Escape; t "Esc gives the focus back to the chart" "${FOCUS_L}Chart${FOCUS_R}"
  # paper trading (paused: a market order fills at once against the demo's simulated book)
  send b; t "b opens the BUY order ticket" "Order ticket"
  send Enter; t "Enter in the ticket places the buy (filled at once against the simulated book)" "filled BUY"
  send .; t "Enter in the ticket buys (filled on the next step)" "LONG"
  send e; t "e edits the position's exits" "Edit exits"
  send Escape; t "Esc aborts the edit" "edit aborted"
  send o; t "o selects in positions & orders" "Positions"
  send Escape; send Escape; t "Esc, Esc: back to the chart" "${FOCUS_L}Chart${FOCUS_R}"
  send x; tre "x asks before closing" "Close the LONG .* BTCUSDT at market\? \(y"
  send y .; t "y closes the position (on the next step)" "no position in BTCUSDT"
  send s; t "s opens the SELL order ticket" "Order ticket"
  send Enter; t "Enter in the ticket places the sell (filled at once against the simulated book)" "filled SELL"
  send .; t "Enter in the ticket sells (filled on the next step)" "SHORT"
  send x; tre "x asks before closing the short" "Close the SHORT .* BTCUSDT at market\? \(y"
  send y .; t "y closes the short (on the next step)" "no position in BTCUSDT"
  send C; t "C cancels working orders (none here)" "BTCUSDT"
  send P; t "P opens the performance screen" "Performance"
  send P; t "P again closes it" "${FOCUS_L}Chart${FOCUS_R}"
  send Space; check "$pre the replay runs again" wait_gone "PAUSED" 20
  # replay time control
  send Space; t "Space pauses the replay" "replay paused"
  send .; t ". steps one candle while paused" "stepped one 1m candle"
  send ">"; t "> is faster" "replay speed 300x"
  send "<"; t "< is slower" "replay speed 60x"
  send Space; t "Space resumes the replay" "replay running at 60x"
  send X; t "X asks before the kill switch" "KILL SWITCH"
  send n; t "anything but y keeps it unused" "kill switch not used"
  # signals: t takes and d dismisses the selected signal of the queue (the top
  # one unless the Signals panel moved the selection); the demo may or may not
  # have one at this moment, and either way the answer is on the status line
  send t; tre "t takes the selected signal: the order ticket opens prefilled (or the queue is empty)" "Order ticket|no signal to take|is already|no new signal"
  send Escape
  send d; tre "d dismisses the selected signal (or says why not)" "dismissed:|no signal to dismiss|is already|no new signal"
  # theme
  send T; t "T switches to the next theme" "theme high-contrast"
  # command line
  send :; check "$pre : opens the command line" sh -c "i=0; while [ \$i -lt 200 ]; do tmux -L $SOCK capture-pane -p -t t | tail -2 | grep -q '^:' && exit 0; sleep 0.1; i=\$((i+1)); done; exit 1"
  send -l "tf 4"; t "typed text shows on the command line" ":tf 4"
  send Tab; t "Tab completes the command line" ":tf 4h"
  send Enter; t ":tf 4h runs" "BTCUSDT 4h"
  send : Up; t "Up recalls the history" ":tf 4h"
  send C-u; send -l "nosuch"; send Enter; t "unknown commands get a one-line message" "nosuch: unknown command"
  send :; send -l "add SOLUSDT"; send Enter; t ":add in the demo says it needs live data" "SOLUSDT: works with live data"
  send :; send -l "theme nope"; send Enter; t "a bad theme name is reported" "no theme \"nope\""
  send :; send -l "tf 1m"; send Enter; t ":tf 1m" "BTCUSDT 1m"
  # search
  send /; t "/ opens the symbol search" "Search:"
  send -l eth; t "typing filters the symbols" "1 match"
  send Enter; t "Enter shows the found symbol" "ETHBTC 1m"
  # indicator pane
  send i; t "i switches the indicator pane to MACD" "indicator pane: MACD"
  send i; t "i again: back to RSI" "indicator pane: RSI 14"
  # settings screen
  send S; t "S shows the settings with their sources" "feed.stale_seconds = 30  (default)"
  send Escape; t "Esc closes the settings" "${FOCUS_L}Chart${FOCUS_R}"
  # data health and alerts screens
  send H; t "H opens the data health screen" "Data health"
  send H; t "H again returns to the chart" "${FOCUS_L}Chart${FOCUS_R}"
  send A; t "A opens the alerts log" "Alerts  raised"
  send Escape; t "Esc returns from the alerts log" "${FOCUS_L}Chart${FOCUS_R}"
  send M; t "M opens the scanner" "Scanner 1m"
  send Escape; t "Esc returns from the scanner" "${FOCUS_L}Chart${FOCUS_R}"
  send D; t "D opens the order book (the demo's simulated one)" "Order book ETHBTC  synced  book: simulated"
  send Escape; t "Esc returns from the order book" "${FOCUS_L}Chart${FOCUS_R}"
  # help
  send "?"; t "? opens the help" "keys and commands"
  t "help is generated from the table" ":zoom-in             zoom in (wider candles)"
  send Escape; check "$pre Esc closes the help" sh -c "i=0; while [ \$i -lt 200 ]; do tmux -L $SOCK capture-pane -p -t t | grep -q 'keys and commands' || exit 0; sleep 0.1; i=\$((i+1)); done; exit 1"
  send q; t "q quits with status 0" "EXIT=0"
  check "$pre the UI is gone after q" sh -c "! tmux -L $SOCK capture-pane -p -t t | grep -q 'AlphaPulse'"
  tm kill-server 2>/dev/null
}

n=0
pids=""
for size in "80 24" "120 40" "250 70"; do
  for loc in C.UTF-8 C; do
    for nc in 0 1; do
      set -- $size
      n=$((n + 1))
      name="${1}x${2}-$(echo $loc | tr -d .)-nocolor$nc"
      ( cell "$name" "$1" "$2" "$loc" "$nc" $((n * 10)) >"$TMP/out.$n" 2>&1 ) &
      pids="$pids $!"
    done
  done
done
for p in $pids; do wait "$p"; done
i=1
while [ $i -le $n ]; do cat "$TMP/out.$i"; i=$((i + 1)); done
