# A console beside a collector on one PostgreSQL database (a private server,
# tests/pg/pg_server.sh): `collect` writes BTCUSDT from the fake exchange; the
# console, on an account of its own, reads BTCUSDT's candles from the database
# (LISTEN/NOTIFY) instead of connecting to the exchange, says so in the header,
# and its chart follows the collector's candles.
. tests/tui/tmux_helpers
FXB=$(pwd)/$BUILD/tests/fake_exchange/fake_exchange
pgdir=$(mktemp -d -u /tmp/ap-pgtui-XXXXXX)
"$FXB" --csv data/binance_BTCUSDT_1m_2024.csv --symbols BTCUSDT --port 0 --tick-ms 50 >"$TMP/fx.out" 2>&1 &
FXPID=$!
CPID=""
trap 'kill $FXPID $CPID 2>/dev/null; for s in $SOCKS; do tmux -L "$s" kill-server 2>/dev/null; done
      sh tests/pg/pg_server.sh stop "$pgdir" >/dev/null 2>&1; rm -rf "$TMP"' EXIT
i=0; PORT=""
while [ $i -lt 50 ] && [ -z "$PORT" ]; do PORT=$(awk '/^port /{print $2}' "$TMP/fx.out" 2>/dev/null); sleep 0.1; i=$((i + 1)); done
if ! URL=$(sh tests/pg/pg_server.sh start "$pgdir" 2>"$TMP/why"); then
  echo "not ok - a PostgreSQL server for the test"; sed 's/^/# /' "$TMP/why"; exit 1
fi
pgq() { psql -qtA "$URL" -c "$1" 2>/dev/null; }
conns() { curl -s --max-time 5 "http://127.0.0.1:$PORT/control?action=stats" | sed -n 's/.*"connections":\([0-9]*\).*/\1/p'; }
ENDPOINTS="--rest-url http://127.0.0.1:$PORT --ws-url ws://127.0.0.1:$PORT"

"$BIN" collect --db "$URL" --symbols BTCUSDT $ENDPOINTS --log "$TMP/collect.log" </dev/null >/dev/null 2>&1 &
CPID=$!
stored() { v=$(pgq "SELECT count(*) FROM candles WHERE symbol='BTCUSDT' AND timeframe='1m'"); echo "${v:-0}"; }
wait_stored() {
  i=0; while [ $i -lt 300 ]; do [ "$(stored)" -ge "$1" ] && return 0; sleep 0.1; i=$((i + 1)); done
  echo "# stored: $(stored)"; return 1
}
check "the collector stores BTCUSDT" wait_stored 300
before=$(conns)
start 120 30 "XDG_STATE_HOME=$TMP $BIN --db '$URL' --account me --symbols BTCUSDT $ENDPOINTS"
check "the header says the candles come from the database" wait_for "store: 1 symbol from a collector" 15
check "the log names the symbol read from the database" \
  grep -q "BTCUSDT read from the database (a collector writes them)" "$TMP/alphapulse/alphapulse.log"
check "the console opened no exchange connection of its own" test "$(conns)" = "$before"
# the chart follows: the watchlist's BTCUSDT line changes as the collector stores candles
line() { screen | grep -oE 'BTCUSDT +[0-9]+\.[0-9]+' | head -1; }
follows() {
  a=$(line); n=0; i=0
  while [ $i -lt 200 ]; do
    b=$(line)
    if [ -n "$b" ] && [ "$b" != "$a" ]; then n=$((n + 1)); a=$b; [ $n -ge 3 ] && return 0; fi
    sleep 0.1; i=$((i + 1))
  done
  echo "# watchlist line: $a"; return 1
}
check "the console's watchlist follows the collector's candles" follows
tm send-keys -t t q
check "q quits with status 0" wait_for "EXIT=0" 5
check "the collector is still the one writing" kill -0 "$CPID"
