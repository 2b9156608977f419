# Replay time control in the demo: Space pauses and resumes, > and < walk the
# speed ladder, . steps exactly one 1m candle while paused, :speed N, and the
# order ticket holds the replay while it is open.
. tests/tui/tmux_helpers
DB=$TMP/replay.db
start 200 60 "LANG=C.UTF-8 $BIN --demo --db $DB"

check "the demo starts at 60x" wait_for "[demo replay 60x]" 20
check "candles arrive" wait_price 20

# the header's data time (HH:MM) and date
hdr_time() { screen | head -1 | grep -oE '20[0-9]{2}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} UTC' | head -1; }
plus_min() { date -u -d "$(echo "$1" | sed 's/ UTC//') UTC + $2 minute" '+%Y-%m-%d %H:%M UTC'; }

tm send-keys -t t Space
check "Space pauses: the header says PAUSED" wait_for "[demo replay PAUSED (60x)]" 10
T0=$(hdr_time)
check "the paused header shows a data time" test -n "$T0"
tm send-keys -t t .
check ". steps one 1m candle" wait_for "$(plus_min "$T0" 1)" 10
tm send-keys -t t .
check "a second . steps the next one" wait_for "$(plus_min "$T0" 2)" 10
tm send-keys -t t '>'
check "> while paused: the header shows the next speed, still paused" wait_for "[demo replay PAUSED (300x)]" 5
check "no time passed while paused" sh -c "tmux -L $SOCK capture-pane -p -t t | head -1 | grep -qF '$(plus_min "$T0" 2)'"
tm send-keys -t t '>'
check "> again: 600x" wait_for "[demo replay PAUSED (600x)]" 5
tm send-keys -t t '>'
check "> again: max speed" wait_for "[demo replay PAUSED (max speed)]" 5
tm send-keys -t t '>'
check "> at the top stays at max speed" wait_for "replay speed max speed" 5
tm send-keys -t t '<' '<' '<' '<'
check "< walks down to 10x" wait_for "[demo replay PAUSED (10x)]" 5
tm send-keys -t t '<' '<'
check "< stops at 1x" wait_for "[demo replay PAUSED (1x)]" 5
tm send-keys -t t : 'speed 60' Enter
check ":speed 60" wait_for "[demo replay PAUSED (60x)]" 5
tm send-keys -t t : 'speed fast' Enter
check ":speed with a bad value says what it expects" wait_for "expected N x real time" 5
tm send-keys -t t Space
check "Space resumes" wait_for "[demo replay 60x]" 5
check "time runs again" wait_for "$(plus_min "$T0" 3)" 15

tm send-keys -t t b
check "the ticket opens" wait_for "Order ticket BTCUSDT" 5
check "the open ticket pauses the replay" wait_for "[demo replay PAUSED (60x)]" 10
T1=$(hdr_time)
tm send-keys -t t Escape
check "closing the ticket resumes the replay" wait_for "[demo replay 60x]" 10
# the header's data time leaves the one shown while paused (at 60x a minute of
# data is a second; a loaded machine may take longer)
time_moved() { t=$(hdr_time); [ -n "$t" ] && [ -n "$T1" ] && [ "$t" != "$T1" ]; }
check "and time moves on (from $T1)" wait_for_fn time_moved 30

tm send-keys -t t '?'
check "help lists the time keys" wait_for "replay: pause / resume" 5
check "help names Space for it" sh -c "tmux -L $SOCK capture-pane -p -t t | grep -E 'Space' | grep -q 'pause'"
tm send-keys -t t Escape
tm send-keys -t t q
check "q exits" wait_for "EXIT=0" 10
