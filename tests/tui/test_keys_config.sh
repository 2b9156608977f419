# Keys remapped in the configuration file (ui.keys) act in the console, and an
# unbound key says so.
. tests/tui/tmux_helpers
printf '{"ui": {"keys": {"K": "tf 4h", "x": "none"}}}\n' > "$TMP/keys.json"
start 120 40 "LANG=C.UTF-8 $BIN --demo --db $TMP/k.db --config $TMP/keys.json"
check "demo is up" wait_for "BTCUSDT 1m" 15
tm send-keys -t t K
check "K, bound in the config to :tf 4h, switches to 4h" wait_for "BTCUSDT 4h" 5
tm send-keys -t t x
check "x, unbound in the config, is not bound" wait_for "x: key not bound" 5
tm send-keys -t t q
check "q quits with status 0" wait_for "EXIT=0" 5
