# A console switches to and from the store at runtime, on PostgreSQL (a private
# server, tests/pg/pg_server.sh) and on SQLite: a headless console on an account
# of its own reads BTCUSDT from the database while `collect` writes it from the
# fake exchange. The collector is killed (SIGKILL): the console notices (the
# instrument's lock is free), opens an exchange connection of its own and
# collects BTCUSDT itself, back-filling from its last candle; a collector
# started again takes the instrument and the console goes back to reading the
# database. The stored series equals the exchange's truth across both switches,
# with no missing or duplicate candle.
. tests/integration/live_helpers
pgdir=$(mktemp -d -u /tmp/ap-pgsw-XXXXXX)
trap 'cleanup; sh tests/pg/pg_server.sh stop "$pgdir" >/dev/null 2>&1' EXIT
fx_start BTCUSDT --tick-ms 100 --start 2000 || { nok "fake exchange starts"; exit 1; }
ENDPOINTS="--rest-url http://127.0.0.1:$PORT --ws-url ws://127.0.0.1:$PORT"

q() { case $SRC in postgresql:*) psql -qtA "$SRC" -c "$1" 2>/dev/null ;; *) sqlite3 "$SRC" "$1" 2>/dev/null ;; esac; }
stored() { v=$(q "SELECT count(*) FROM candles WHERE symbol='BTCUSDT' AND timeframe='1m'"); echo "${v:-0}"; }
newest() { v=$(q "SELECT coalesce(max(open_time), 0) FROM candles WHERE symbol='BTCUSDT' AND timeframe='1m'"); echo "${v:-0}"; }
# until_ok SECONDS COMMAND...: polls the command until it succeeds
until_ok() {
  lim=$(( $1 * 10 )); shift; i=0
  while [ $i -lt $lim ]; do "$@" && return 0; sleep 0.1; i=$((i + 1)); done
  return 1
}
at_least() { [ "$(stored)" -ge "$1" ]; }
newer_than() { [ "$(newest)" -gt "$1" ]; }
# grows: the stored series gains 20 candles after now
grows() { _t=$(newest); until_ok 30 newer_than $((_t + 19 * 60000)) || { echo "# newest stays $(newest)"; return 1; }; }
logged() { grep -q -- "$2" "$1" 2>/dev/null; }
above() { [ "$(stat_field "$1")" -gt "$2" ]; }
conns_are() { [ "$(stat_field connections)" = "$1" ]; }
start_collector() { # start_collector LOG: sets COL
  "$BIN" collect --db "$SRC" --symbols BTCUSDT $ENDPOINTS --stale-after 1 --log "$1" </dev/null >/dev/null 2>&1 &
  COL=$!; PIDS="$PIDS $COL"
}

round() { # round LABEL: collector, console, kill, console collects, collector again, console reads
  L=$1; CL=$TMP/$L/alphapulse/alphapulse.log
  start_collector "$TMP/collect1-$L.log"
  check "$L: the collector stores BTCUSDT" until_ok 60 at_least 300
  mkdir -p "$TMP/$L"
  XDG_STATE_HOME=$TMP/$L "$BIN" --db "$SRC" --account me --symbols BTCUSDT $ENDPOINTS --stale-after 1 --headless \
    </dev/null >"$TMP/console-$L.out" 2>&1 &
  con=$!; PIDS="$PIDS $con"
  check "$L: the console reads BTCUSDT from the database" until_ok 20 logged "$CL" "BTCUSDT read from the database"
  before=$(stat_field connections_total)
  t0=$(date +%s%N)
  kill -9 "$COL"; wait "$COL" 2>/dev/null
  check "$L: the console notices the collector is gone and collects BTCUSDT itself" \
    until_ok 30 logged "$CL" "BTCUSDT has no collector any more"
  echo "# $L: switched to the exchange $(( ($(date +%s%N) - t0) / 1000000 )) ms after SIGKILL (2 s grace, looked at every 500 ms, polled every 100 ms here)"
  check "$L: it opens an exchange connection of its own" until_ok 20 above connections_total "$before"
  check "$L: the stored series goes on growing without a collector" grows
  t0=$(date +%s%N)
  start_collector "$TMP/collect2-$L.log"
  check "$L: a collector started again takes BTCUSDT, and the console reads it from the database again" \
    until_ok 30 logged "$CL" "a collector writes BTCUSDT;"
  echo "# $L: back on the store $(( ($(date +%s%N) - t0) / 1000000 )) ms after the collector was started"
  check "$L: the console's exchange connection closes (the collector's is the only one)" until_ok 20 conns_are 1
  check "$L: the stored series grows under the new collector" grows
  check "$L: the console is still running" kill -0 "$con"
  kill -TERM "$con"; wait "$con"; rc=$?
  check "$L: the console stops cleanly" test "$rc" = 0
  kill -TERM "$COL"; wait "$COL"
  case $SRC in
    postgresql:*)
      pg_copy_out "$SRC" || nok "$L: a copy of the stored rows"
      DB=$TMP/copy.db ;;
    *) DB=$SRC ;;
  esac
  check "$L: the stored series equals the truth across both switches (no hole, no duplicate)" truth_ok BTCUSDT
}

. tests/pg/both_backends
both_backends round SRC "$TMP/switch.db"
