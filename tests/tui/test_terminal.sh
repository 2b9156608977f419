# The terminal around the console: resize storms (down to 20x10 and back), the
# terminal restored after SIGHUP (SSH drop), SIGTERM, SIGINT, a crash (SIGSEGV)
# and SIGQUIT, checked from the shell afterwards (UI gone, cursor visible, tty
# back in canonical mode with echo), mouse clicks and wheel, --theme errors.
. tests/tui/tmux_helpers

# A runner that records the shell's pid and, after the binary exits, the exit
# status and the tty modes that matter.
runner() { # runner NAME ARGS...
  name=$1; shift
  cat >"$TMP/$name.sh" <<EOF
echo \$\$ >"$TMP/$name.pid"
LANG=C.UTF-8 $BIN --demo --db "$TMP/$name.db" $*
echo EXIT=\$?
stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' '; echo "<- tty"
sleep 60
EOF
  echo "sh $TMP/$name.sh"
}
app_pid() { ps -o pid= --ppid "$(cat "$TMP/$1.pid")" | tr -d ' ' | head -1; }

# ---- resize storm ----
start 120 40 "$(runner storm)"
check "storm: console up" wait_for "BTCUSDT 1m" 15
sizes="20x10 250x70 80x24 41x12 39x11 300x100 100x30 20x10 160x30 159x29 80x24 60x15"
for round in 1 2 3 4; do
  # the storm also hits the help screen, the search popup and the crosshair
  case $round in 2) tm send-keys -t t '?' ;; 3) tm send-keys -t t Escape / e ;; 4) tm send-keys -t t Escape c ;; esac
  for s in $sizes; do
    tm resize-window -t t -x "${s%x*}" -y "${s#*x}"
  done
done
tm send-keys -t t Escape
tm resize-window -t t -x 20 -y 10
check "storm: 20x10 says the terminal is too small" wait_for "terminal too small" 5
tm resize-window -t t -x 120 -y 40
check "storm: back at 120x40 the layout is whole" wait_for "Watchlist" 5
check "storm: header back" wait_for "BTCUSDT 1m" 3
check "storm: status line back" wait_for "? help" 3
check "storm: no 'too small' left over" sh -c "! tmux -L $SOCK capture-pane -p -t t | grep -q 'too small'"
tm resize-window -t t -x 200 -y 60
check "storm: 200x60 is the wide layout (all panels)" wait_for "Signals" 5
check "storm: wide layout has the log" wait_for "Log" 3
pid=$(app_pid storm)
check "storm: the process survived" kill -0 "$pid"
tm send-keys -t t q
check "storm: quits cleanly" wait_for "EXIT=0" 5

# ---- exit paths: the shell gets a sane terminal back ----
for sig in HUP TERM INT SEGV QUIT; do
  start 100 30 "$(runner "sig$sig")"
  wait_for "BTCUSDT 1m" 5 >/dev/null || true
  wait_for "Watchlist" 5 >/dev/null || true
  pid=$(app_pid "sig$sig")
  kill -s "$sig" "$pid"
  case $sig in SEGV) want="EXIT=139" ;; QUIT) want="EXIT=131" ;; *) want="EXIT=0" ;; esac
  check "SIG$sig: the process ends ($want)" wait_for "$want" 5
  check "SIG$sig: tty back in canonical mode with echo" wait_for "icanon echo <- tty" 5
  check "SIG$sig: the UI is gone from the shell's screen" sh -c "! tmux -L $SOCK capture-pane -p -t t | grep -q 'AlphaPulse'"
  check "SIG$sig: the cursor is visible again" sh -c "[ \"\$(tmux -L $SOCK display -p -t t '#{cursor_flag}')\" = 1 ]"
done

# ---- mouse (xterm X10 reports, as tmux forwards them) ----
mouse() { # mouse BUTTON X Y  (0-based cell)
  tm send-keys -t t -H 1b 5b 4d "$(printf '%x' $((32 + $1)))" "$(printf '%x' $((33 + $2)))" "$(printf '%x' $((33 + $3)))"
}
start 120 40 "$(runner mouse)"
check "mouse: console up" wait_for "Watchlist" 5
mouse_on() { i=0; while [ $i -lt 50 ]; do [ "$(tm display -p -t t '#{mouse_standard_flag}#{mouse_button_flag}#{mouse_any_flag}')" != 000 ] && return 0; sleep 0.1; i=$((i+1)); done; return 1; }
check "mouse: the console turns mouse reporting on" mouse_on
# ncurses (with TERM=screen in tmux) drops the very first report after start-up;
# a release over the header is harmless, and clicks are retried a few times
# (each retry waits for the effect: no fixed sleeps)
wait_for " [1-9][0-9] candles" 5 >/dev/null
mouse 3 0 0
click_until() { # click_until X Y TEXT-REGEX
  n=0
  while [ $n -lt 3 ]; do
    mouse 0 "$1" "$2"; mouse 3 "$1" "$2"
    j=0; while [ $j -lt 10 ]; do screen | grep -qE -- "$3" && return 0; sleep 0.1; j=$((j+1)); done
    n=$((n+1))
  done
  return 1
}
check "mouse: watchlist rows drawn" wait_for "BTCPERP" 5
y=$(screen | grep -n 'BTCPERP' | head -1 | cut -d: -f1)
check "mouse: a click on a watchlist row shows that symbol" click_until 100 $((y - 1)) "BTCPERP 1m"
check "mouse: a click on the chart puts the crosshair on a candle" click_until 10 12 ' O [0-9.]+ H [0-9.]+ L '
tm send-keys -t t Escape
wait_for "zoom 2" 3 >/dev/null
mouse 64 10 12                               # wheel up over the chart
check "mouse: the wheel zooms the chart" wait_for "zoom 3" 5
tm send-keys -t t q
check "mouse: quits cleanly" wait_for "EXIT=0" 5

# ---- --theme ----
start 100 30 "LANG=C.UTF-8 $BIN --demo --db $TMP/theme.db --theme solarized-dark"
check "--theme NAME starts with that theme" wait_for "BTCUSDT 1m" 15
tm send-keys -t t q
wait_for "EXIT=0" 5 >/dev/null
printf 'bull = green\nbear = notacolour\n' >"$TMP/bad.theme"
start 100 30 "LANG=C.UTF-8 $BIN --demo --db $TMP/theme2.db --theme $TMP/bad.theme"
check "--theme with a bad file: exit 2" wait_for "EXIT=2" 5
check "--theme with a bad file names file:line" wait_for "bad.theme:2: bear: bad colour" 3
start 100 30 "LANG=C.UTF-8 $BIN --demo --db $TMP/theme3.db --theme nosuch"
check "--theme with an unknown name: exit 2 and says so" wait_for "no theme \"nosuch\"" 5
