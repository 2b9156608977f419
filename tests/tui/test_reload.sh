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
tm send-keys -t t q
check "q quits with status 0" wait_for "EXIT=0" 5
