# A console beside a collector shows the collector's forming candle, on
# PostgreSQL (a private server, tests/pg/pg_server.sh; NOTIFY alphapulse_forming)
# and SQLite (inotify on the database's files): the fake exchange plays
# real-time minutes (--wall-clock), its forming candle's close sweeping from the
# low to the high a few times a second; `collect` stores the newest forming
# state in the forming table, and the console's watchlist price follows it
# within the minute, not only when the minute closes.
. tests/tui/tmux_helpers
FXB=$(pwd)/$BUILD/tests/fake_exchange/fake_exchange
pgdir=$(mktemp -d -u /tmp/ap-pgform-XXXXXX)
"$FXB" --csv data/binance_BTCUSDT_1m_2024.csv --symbols BTCUSDT --port 0 --wall-clock 200 >"$TMP/fx.out" 2>&1 &
FXPID=$!
CPID=""
trap 'kill $FXPID $CPID 2>/dev/null; for s in $SOCKS; do tmux -L "$s" kill-server 2>/dev/null; done
      sh tests/pg/pg_server.sh stop "$pgdir" >/dev/null 2>&1; rm -rf "$TMP"' EXIT
i=0; PORT=""
while [ $i -lt 50 ] && [ -z "$PORT" ]; do PORT=$(awk '/^port /{print $2}' "$TMP/fx.out" 2>/dev/null); sleep 0.1; i=$((i + 1)); done
ENDPOINTS="--rest-url http://127.0.0.1:$PORT --ws-url ws://127.0.0.1:$PORT"
q() {
  case $DB in postgresql:*) v=$(psql -qtA "$DB" -c "$1" 2>/dev/null) ;; *) v=$(sqlite3 "$DB" "$1" 2>/dev/null) ;; esac
  echo "${v:-0}"
}
wait_q() { # wait_q SQL: until it counts at least one row
  i=0; while [ $i -lt 300 ]; do [ "$(q "$1")" -ge 1 ] && return 0; sleep 0.1; i=$((i + 1)); done
  echo "# $1: $(q "$1")"; return 1
}
line() { screen | grep -oE 'BTCUSDT +[0-9]+\.[0-9]+' | head -1; }
# the watchlist price changes three times within one wall-clock minute: the
# forming candle, not the closes (one a minute); a minute without movement
# (a flat candle) starts the count again
follows_forming() {
  a=$(line); n=0; m=$(($(date +%s) / 60)); end=$(($(date +%s) + 130))
  while [ "$(date +%s)" -lt $end ]; do
    now=$(($(date +%s) / 60))
    [ "$now" != "$m" ] && { m=$now; n=0; }
    b=$(line)
    if [ -n "$b" ] && [ "$b" != "$a" ]; then n=$((n + 1)); a=$b; [ $n -ge 3 ] && return 0; fi
    sleep 0.1
  done
  echo "# watchlist line: $a, $n changes in the last minute"; return 1
}

pair() { # pair LABEL: collect and a console on $DB
  "$BIN" collect --db "$DB" --symbols BTCUSDT $ENDPOINTS --log "$TMP/collect-$1.log" </dev/null >/dev/null 2>&1 &
  CPID=$!
  check "$1: the collector stores BTCUSDT" wait_q "SELECT count(*) FROM candles WHERE symbol='BTCUSDT' AND timeframe='1m'"
  check "$1: the collector stores BTCUSDT's forming candle of this minute" \
    wait_q "SELECT count(*) FROM forming WHERE symbol='BTCUSDT' AND timeframe='1m' AND open_time >= $(( ($(date +%s) / 60 - 1) * 60000 ))"
  mkdir -p "$TMP/$1"
  start 120 30 "XDG_STATE_HOME=$TMP/$1 $BIN --db '$DB' --account me --symbols BTCUSDT $ENDPOINTS"
  check "$1: the header says the candles come from the database" wait_for "store: 1 symbol from a collector" 15
  check "$1: the console's watchlist follows the collector's forming candle within the minute" follows_forming
  tm send-keys -t t q
  check "$1: q quits with status 0" wait_for "EXIT=0" 5
  kill -TERM "$CPID"; wait "$CPID"; CPID=""
  check "$1: the stopped collector removed its forming row" \
    test "$(q "SELECT count(*) FROM forming WHERE symbol='BTCUSDT'")" = 0
}

. tests/pg/both_backends
both_backends pair DB "$TMP/live.db"
