# The systemd unit for `collect` (config/alphapulse-collect.service):
# systemd-analyze verify finds nothing to say about it, and its ExecStart
# command, run as systemd would (stdin from /dev/null, the user's default
# configuration, database and log), collects from the fake exchange, re-reads
# the configuration on its ExecReload signal and stops with exit 0 on its
# KillSignal within TimeoutStopSec.
. tests/integration/live_helpers
UNIT=config/alphapulse-collect.service
field() { sed -n "s/^$1=//p" "$UNIT"; }

if command -v systemd-analyze >/dev/null 2>&1; then
  mkdir -p "$TMP/man/man1" && cp man/alphapulse.1 "$TMP/man/man1/"
  sed "s|/usr/local/bin/alphapulse|$PWD/$BIN|" "$UNIT" >"$TMP/alphapulse-collect.service"
  out=$(MANPATH="$TMP/man" systemd-analyze verify "$TMP/alphapulse-collect.service" 2>&1); rc=$?
  [ "$rc" = 0 ] && [ -z "$out" ] && ok "systemd-analyze verify: no complaint" || nok "systemd-analyze verify" "$out"
else
  nok "systemd-analyze verify" "systemd-analyze is not installed"
fi
check "StandardInput=null" test "$(field StandardInput)" = null
check "KillSignal=SIGTERM, the signal collect flushes and exits on" test "$(field KillSignal)" = SIGTERM
check "ExecReload sends SIGHUP, the signal collect re-reads its configuration on" \
  sh -c "sed -n 's/^ExecReload=//p' '$UNIT' | grep -q -- '-HUP \\\$MAINPID'"

fx_start BTCUSDT || { nok "fake exchange starts"; exit 1; }
export XDG_CONFIG_HOME=$TMP/config XDG_DATA_HOME=$TMP/data XDG_STATE_HOME=$TMP/state
mkdir -p "$XDG_CONFIG_HOME/alphapulse"
printf '{"feed": {"symbols": ["BTCUSDT"]}, "venues": {"binance": {"rest_url": "http://127.0.0.1:%s", "ws_url": "ws://127.0.0.1:%s"}}}\n' \
  "$PORT" "$PORT" >"$XDG_CONFIG_HOME/alphapulse/config.json"
cmdline=$(field ExecStart | sed "s|^/usr/local/bin/alphapulse|$BIN|")
$cmdline </dev/null >"$TMP/unit.out" 2>&1 &
CPID=$!; PIDS="$PIDS $CPID"
DB=$XDG_DATA_HOME/alphapulse/alphapulse.db
LOGF=$XDG_STATE_HOME/alphapulse/alphapulse.log
wait_rows BTCUSDT 500 30 && ok "the unit's command collects into the default database" \
  || nok "the unit's command collects" "$(tail -5 "$TMP/unit.out")"
grep -q "collect: running" "$TMP/unit.out" && ok "--log-stderr: the log reaches the journal (stderr)" \
  || nok "the log on stderr" "$(tail -3 "$TMP/unit.out")"
kill -HUP "$CPID"
i=0; while [ $i -lt 100 ] && ! grep -q "reloaded config.json" "$LOGF" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
check "ExecReload: the configuration is re-read" grep -q "reloaded config.json" "$LOGF"
limit=$(field TimeoutStopSec)
kill -TERM "$CPID"
i=0; while [ $i -lt $((limit * 10)) ] && alive; do sleep 0.1; i=$((i + 1)); done
if alive; then nok "KillSignal: stopped within TimeoutStopSec=$limit"; else
  wait "$CPID"; rc=$?; check "KillSignal: exit 0 within TimeoutStopSec=$limit (Restart=on-failure leaves it stopped)" test "$rc" = 0
fi
check "the log says it flushed and stopped" grep -q "collect: stopped cleanly" "$LOGF"
