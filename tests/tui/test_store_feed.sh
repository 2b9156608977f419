# A console beside a collector on one database, PostgreSQL (a private server,
# tests/pg/pg_server.sh) and SQLite: `collect` writes BTCUSDT from the fake
# exchange; the console, on an account of its own, reads BTCUSDT's candles from
# the database (LISTEN/NOTIFY; SQLite: data_version) instead of connecting to
# the exchange, says so in the header, and its chart follows the collector's
# candles. The collector killed, the console collects the symbol itself and the
# header says so; a collector again, and the header says it reads it again.
# :add of a symbol the collector writes (ETHUSDT) while reading the store: it
# comes from the store too (the header counts it, the console's exchange
# connection closes again); :del stops reading it. In each of these states the
# window is narrowed to 80x24 a moment: the header's narrower form of the store
# text is whole (not cut) beside the symbol's name (SQLite: in ASCII mode).
. tests/tui/tmux_helpers
FXB=$(pwd)/$BUILD/tests/fake_exchange/fake_exchange
pgdir=$(mktemp -d -u /tmp/ap-pgtui-XXXXXX)
"$FXB" --csv data/binance_BTCUSDT_1m_2024.csv --symbols BTCUSDT,ETHUSDT --port 0 --tick-ms 50 >"$TMP/fx.out" 2>&1 &
FXPID=$!
CPID=""
trap 'kill $FXPID $CPID 2>/dev/null; for s in $SOCKS; do tmux -L "$s" kill-server 2>/dev/null; done
      sh tests/pg/pg_server.sh stop "$pgdir" >/dev/null 2>&1; rm -rf "$TMP"' EXIT
i=0; PORT=""
while [ $i -lt 50 ] && [ -z "$PORT" ]; do PORT=$(awk '/^port /{print $2}' "$TMP/fx.out" 2>/dev/null); sleep 0.1; i=$((i + 1)); done
conns() { curl -s --max-time 5 "http://127.0.0.1:$PORT/control?action=stats" | sed -n 's/.*"connections":\([0-9]*\).*/\1/p'; }
ENDPOINTS="--rest-url http://127.0.0.1:$PORT --ws-url ws://127.0.0.1:$PORT"
Q="SELECT count(*) FROM candles WHERE symbol='BTCUSDT' AND timeframe='1m'"
stored() {
  case $DB in postgresql:*) v=$(psql -qtA "$DB" -c "$Q" 2>/dev/null) ;; *) v=$(sqlite3 "$DB" "$Q" 2>/dev/null) ;; esac
  echo "${v:-0}"
}
wait_stored() {
  i=0; while [ $i -lt 300 ]; do [ "$(stored)" -ge "$1" ] && return 0; sleep 0.1; i=$((i + 1)); done
  echo "# stored: $(stored)"; return 1
}
# the chart follows: the watchlist's BTCUSDT price changes as the collector stores candles
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

eth_priced() { screen | grep -qE 'ETHUSDT +[0-9]+\.[0-9]'; }
streams() { curl -s --max-time 5 "http://127.0.0.1:$PORT/control?action=stats" | sed -n 's/.*"streams":\([0-9]*\).*/\1/p'; }
# the collector's connection alone, with its two streams: the console subscribes to nothing
collector_only() { [ "$(conns)" = 1 ] && [ "$(streams)" = 2 ]; }

# logs LABEL: the console's and the second collector's last log lines, after a failed check
logs() {
  echo "# console log:"; tail -n 30 "$TMP/$1/alphapulse/alphapulse.log" 2>/dev/null | sed 's/^/#   /'
  echo "# collector log:"; tail -n 15 "$TMP/collect2-$1.log" 2>/dev/null | sed 's/^/#   /'
  return 1
}

# at80 LABEL TEXT: at 80x24 the header shows TEXT whole, after the shown
# symbol's name and timeframe; then back to 150x30
HDR=""
hdr_shows() { h=$(screen | head -1); case $h in *"$HDR"*) ;; *) return 1 ;; esac; echo "$h" | grep -qE '^ AlphaPulse +BTCUSDT 1m '; }
at80() {
  tm resize-window -t t -x 80 -y 24; HDR=$2
  check "$1 at 80x24: the header shows \"$2\" whole" wait_for_fn hdr_shows 10
  tm resize-window -t t -x 150 -y 30
}

pair() { # pair LABEL [console options]: collect and a console on $DB
  "$BIN" collect --db "$DB" --symbols BTCUSDT,ETHUSDT $ENDPOINTS --log "$TMP/collect-$1.log" </dev/null >/dev/null 2>&1 &
  CPID=$!
  check "$1: the collector stores BTCUSDT" wait_stored 300
  before=$(conns)
  mkdir -p "$TMP/$1"
  start 150 30 "XDG_STATE_HOME=$TMP/$1 $BIN --db '$DB' --account me --symbols BTCUSDT $ENDPOINTS $2"
  check "$1: the header says the candles come from the database" wait_for "store: 1 symbol from a collector" 15
  at80 "$1" "[db 1 (BTCUSDT)]"
  check "$1: the log names the symbol read from the database" \
    grep -q "BTCUSDT read from the database (a collector writes them)" "$TMP/$1/alphapulse/alphapulse.log"
  check "$1: the console opened no exchange connection of its own" test "$(conns)" = "$before"
  check "$1: the console's watchlist follows the collector's candles" follows
  # switching at runtime: the collector killed, the console collects BTCUSDT
  # itself and says so; a collector again, and it reads the database again
  kill -9 "$CPID"; wait "$CPID" 2>/dev/null
  check "$1: the header says the console collects BTCUSDT when its collector ended" \
    wait_for "0 symbols from a collector; collects BTCUSDT" 20
  at80 "$1" "db 0; own BTCUSDT binance live"
  check "$1: the watchlist goes on following BTCUSDT from the exchange" follows
  "$BIN" collect --db "$DB" --symbols BTCUSDT,ETHUSDT $ENDPOINTS --log "$TMP/collect2-$1.log" </dev/null >/dev/null 2>&1 &
  CPID=$!
  check "$1: the header says BTCUSDT comes from a collector again" wait_for "store 1 symbol from a collector" 20
  check "$1: and the console's exchange feed is idle" wait_for "binance idle" 10
  at80 "$1" "db 1 (BTCUSDT) binance idle"
  check "$1: the watchlist follows the new collector's candles" follows
  tm send-keys -t t : a d d Space E T H U S D T Enter
  check "$1: :add ETHUSDT, which the collector writes: the header says 2 symbols come from a collector" \
    wait_for "store 2 symbols from a collector (BTCUSDT,ETHUSDT)" 20 || logs "$1"
  at80 "$1" "db 2 binance idle"
  check "$1: ETHUSDT reaches the watchlist with a price" wait_for_fn eth_priced 20
  check "$1: the console's exchange connection closes again (the collector's is the only one)" wait_for_fn collector_only 20
  tm send-keys -t t : d e l Space E T H U S D T Enter
  check "$1: :del ETHUSDT: the store feed stops reading it" wait_for "store 1 symbol from a collector (BTCUSDT)" 10
  tm send-keys -t t q
  check "$1: q quits with status 0" wait_for "EXIT=0" 5
  check "$1: the collector is still running" kill -0 "$CPID"
  kill -TERM "$CPID"; wait "$CPID"; CPID=""
}

# the SQLite round's console in ASCII mode
round() { if [ "$1" = SQLite ]; then pair SQLite --ascii; else pair "$1"; fi; }
. tests/pg/both_backends
both_backends round DB "$TMP/live.db"
