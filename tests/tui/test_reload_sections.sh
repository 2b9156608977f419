# :reload runs the same checks as the start: a file whose alerts, webhook or
# ui.keys section the start would refuse is rejected with its position, the old
# configuration kept; a valid change there is named as needing a restart.
. tests/tui/tmux_helpers
CFG=$TMP/config.json
printf '{"paper": {"order_notional": 500}}\n' > "$CFG"
start 200 50 "LANG=C.UTF-8 $BIN --demo --db $TMP/r.db --config $CFG"
check "demo is up" wait_for "BTCUSDT 1m" 15
reload_says() { # reload_says TEXT: :reload until the status line shows TEXT
  tm send-keys -t t : r e l o a d Enter
  wait_for "$1" 5
}
printf '{"alerts": {"bell": "loud"}}\n' > "$CFG"
check ":reload refuses a bad alerts section at file:line:col" \
  reload_says 'reload rejected, old configuration kept: config.json:1:13: alerts.bell: "loud" is not a bell mode'
printf '{"webhook": {"listen": "somewhere"}}\n' > "$CFG"
check ":reload refuses a bad webhook section" \
  reload_says 'reload rejected, old configuration kept: config.json:1:14: webhook.listen'
printf '{"ui": {"keys": {"Kk": "tf 4h"}}}\n' > "$CFG"
check ":reload refuses an unknown key name in ui.keys" \
  reload_says 'reload rejected, old configuration kept: config.json:1:18: ui.keys.Kk: unknown key name'
printf '{"ui": {"keys": {"K": "nosuch"}}}\n' > "$CFG"
check ":reload refuses an unknown command in ui.keys" \
  reload_says 'reload rejected, old configuration kept: config.json:1:18: ui.keys.K: unknown command'
printf '{"alerts": {"bell": "flash"}}\n' > "$CFG"
check "a valid alerts change reloads and is named as needing a restart" \
  reload_says "reloaded config.json; needs a restart to change: alerts.bell"
tm send-keys -t t q
check "q quits with status 0" wait_for "EXIT=0" 5
