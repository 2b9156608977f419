#!/bin/sh
# Bytes the console writes to its terminal in the demo, per timeframe: the real
# binary in a 200x60 tmux pane at its default replay speed, the pane's output
# piped to a file; a window of N replayed 1m candles is timed by the header's
# data clock. Prints bytes per second of that window, bytes per frame over the
# whole run (the UI logs its frame count at exit) and the ratio to 20 KB/s.
# Usage: sh bench/bench_output.sh   (AP_BIN=build/alphapulse, BENCH_UI_CANDLES=30,
#        BENCH_UI_SPEED=N for --speed N instead of the default speed)
cd "$(dirname "$0")/.." || exit 1
BIN=$(cd "$(dirname "${AP_BIN:-build/alphapulse}")" && pwd)/$(basename "${AP_BIN:-build/alphapulse}")
N=${BENCH_UI_CANDLES:-30}
GOAL=20480
SPEED=${BENCH_UI_SPEED:+--speed $BENCH_UI_SPEED}
if [ ! -x "$BIN" ] || ! command -v tmux >/dev/null 2>&1; then
  echo "bench_output: needs $BIN and tmux"; exit 0
fi
sock="ap-bench-out-$$"
dir=$(mktemp -d)
trap 'tmux -L "$sock" kill-server 2>/dev/null; rm -rf "$dir"' EXIT
tm() { tmux -L "$sock" "$@"; }
header() { tm capture-pane -p -t t 2>/dev/null | head -n 1; }
clock() {  # the header's data time in epoch seconds, empty before the first frame
  d=$(header | grep -o '[0-9]\{4\}-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9] UTC' | head -n 1)
  [ -n "$d" ] && date -u -d "$d" +%s
}
until_true() {  # until_true SECONDS CMD...: poll CMD ten times a second
  lim=$(($1 * 10)); shift; i=0
  while [ $i -lt $lim ]; do "$@" && return 0; sleep 0.1; i=$((i + 1)); done
  return 1
}
shows() { header | grep -qF -- "$1"; }
past() { c=$(clock); [ -n "$c" ] && [ "$c" -ge "$1" ]; }
size() { wc -c <"$dir/out" 2>/dev/null || echo 0; }
now() { date +%s.%N; }
echo "bench_output: $BIN --demo ${SPEED:-(default speed)} in a 200x60 tmux pane, $N replayed 1m candles per timeframe"
worst=0
for tf in 1m 5m 15m 1h 4h 1d; do
  key=$(echo "1m 5m 15m 1h 4h 1d" | tr ' ' '\n' | grep -nx "$tf" | cut -d: -f1)
  run="$dir/$tf"; mkdir -p "$run/cfg"; : >"$dir/out"
  tm kill-server 2>/dev/null
  tm -f /dev/null new-session -d -s t -x 200 -y 60 \
    "sh -c 'read go; XDG_CONFIG_HOME=$run/cfg XDG_STATE_HOME=$run XDG_DATA_HOME=$run LANG=C.UTF-8 LC_ALL=C.UTF-8 exec $BIN --demo --db $run/demo.db $SPEED; sleep 30'"
  tm set-option -t t status off >/dev/null
  tm pipe-pane -o -t t "cat >> $dir/out"
  tm send-keys -t t Enter
  if ! until_true 60 shows "[demo"; then echo "$tf: the demo did not start"; continue; fi
  tm send-keys -t t "$key"
  until_true 20 shows "BTCUSDT $tf " || { echo "$tf: timeframe did not switch"; continue; }
  until_true 20 past 0 || continue
  c0=$(clock); b0=$(size); t0=$(now)
  # the window starts at the next minute so it covers whole candles
  until_true 120 past $((c0 + 60)) || { echo "$tf: the replay did not advance"; continue; }
  c1=$(clock); b1=$(size); t1=$(now)
  until_true 600 past $((c1 + N * 60)) || { echo "$tf: the replay stopped"; continue; }
  c2=$(clock); b2=$(size); t2=$(now)
  tm send-keys -t t q
  until_true 20 grep -q "ui: .* frames" "$run/alphapulse/alphapulse.log"
  frames=$(sed -n 's/.*ui: \([0-9]*\) frames.*/\1/p' "$run/alphapulse/alphapulse.log" | tail -n 1)
  total=$(size)
  awk -v tf="$tf" -v b="$((b2 - b1))" -v t0="$t1" -v t1="$t2" -v m="$(((c2 - c1) / 60))" \
      -v tot="$total" -v fr="${frames:-0}" -v goal="$GOAL" 'BEGIN {
    s = t1 - t0; r = b / s; pf = 0
    if (fr > 0) pf = tot / fr
    printf "%s: %.0f B/s over %d candles in %.1f s (%.0f B per candle), %.0f B/frame over the run (%d frames, %d B), ratio to 20 KB/s %.2f\n",
      tf, r, m, s, b / m, pf, fr, tot, r / goal }'
  r=$(awk -v b="$((b2 - b1))" -v t0="$t1" -v t1="$t2" 'BEGIN { printf "%d", b / (t1 - t0) }')
  [ "$r" -gt "$worst" ] && worst=$r
done
awk -v w="$worst" -v g="$GOAL" 'BEGIN { printf "bench_output: worst timeframe %d B/s, ratio to the 20 KB/s goal %.2f\n", w, w / g }'
