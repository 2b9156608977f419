# :reload while the demo runs: a valid file applies (and says what needs a
# restart), an invalid one is rejected with its message and changes nothing.
. tests/tui/tmux_helpers
CFG=$TMP/config.json
printf '{"paper": {"order_notional": 500}}\n' > "$CFG"
start 200 50 "LANG=C.UTF-8 $BIN --demo --db $TMP/r.db --config $CFG"
check "demo is up" wait_for "BTCUSDT 1m" 15
tm send-keys -t t : r e l o a d Enter
check ":reload with the same file reloads" wait_for "reloaded config.json" 5
printf '{"paper": {"order_notional": -3}}\n' > "$CFG"
tm send-keys -t t : r e l o a d Enter
check "an invalid file is rejected with its position and the old one kept" \
  wait_for "reload rejected, old configuration kept: config.json:1:12: paper.order_notional" 5
printf '{"paper": {"order_notional": 300, "balance": 20000},\n "profiles": {"default": {"analysis": {"ema_period": 50}}}}\n' > "$CFG"
tm send-keys -t t : r e l o a d Enter
check "a valid change applies and names what needs a restart" wait_for "needs a restart to change: paper.balance" 5
check "the engine recomputed the indicators with the new periods" wait_for "indicators recomputed" 5
# The engine applies a reload on its next step and the screen shows it with the
# next snapshot: open the ticket until it shows the new value (or give up).
ticket_shows() { n=0; while [ $n -lt 10 ]; do tm send-keys -t t b; wait_for "$1" 1 && return 0; tm send-keys -t t Escape; n=$((n + 1)); done; return 1; }
# a profile's own risk limit for the symbol on screen: the ticket and the engine use it
printf '{"paper": {"order_notional": 300},\n "profiles": {"BTCUSDT": {"risk": {"max_position": 0.01}}}}\n' > "$CFG"
tm send-keys -t t : r e l o a d Enter
check "a per-symbol risk limit reloads" wait_for "reloaded config.json" 5
check "the ticket caps the size at BTCUSDT's own limit (5 % of equity asked, 1 % allowed)" ticket_shows "capped by max position"
check "the capped size passes the preview of the engine's check" wait_for "risk check: OK" 5
tm send-keys -t t Enter
check "the engine takes the capped order" wait_for "order #" 5
# the ticket's default sizing comes from the configuration
tm send-keys -t t Escape
printf '{"paper": {"sizing_method": "risk", "sizing_value": 0.004}}\n' > "$CFG"
tm send-keys -t t : r e l o a d Enter
check "paper.sizing_method reloads" wait_for "reloaded config.json" 5
check "the ticket opens sized by risk, 0.4 %" ticket_shows "Size      0.004"
tm send-keys -t t Escape
tm send-keys -t t q
check "q quits with status 0" wait_for "EXIT=0" 5
