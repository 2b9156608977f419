# A console beside a collector of more than 64 symbols (the lists were capped at
# 64 once): `collect` writes 100 generated symbols from the fake exchange; a
# headless console on an account of its own, given the same 100, reads every one
# of them from the database (on SQLite through the collector's lock-file note, on
# PostgreSQL through its claims) and opens no exchange connection of its own.
. tests/integration/live_helpers
pgdir=$(mktemp -d -u /tmp/ap-pgmany-XXXXXX)
trap 'cleanup; sh tests/pg/pg_server.sh stop "$pgdir" >/dev/null 2>&1' EXIT
N=100
SYMS=$(gen_names $N)
fx_start BTCUSDT --generate $N --tick-ms 250 || { nok "fake exchange starts"; exit 1; }
ENDPOINTS="--rest-url http://127.0.0.1:$PORT --ws-url ws://127.0.0.1:$PORT"
until_ok() { lim=$(( $1 * 10 )); shift; i=0; while [ $i -lt $lim ]; do "$@" && return 0; sleep 0.1; i=$((i + 1)); done; return 1; }
q() { case $DB in postgresql:*) psql -qtA "$DB" -c "$1" 2>/dev/null ;; *) sqlite3 "$DB" "$1" 2>/dev/null ;; esac; }
all_stored() { [ "$(q "SELECT count(DISTINCT symbol) FROM candles WHERE timeframe='1m'")" = "$N" ]; }
reads_all() { grep -q "session: store, $N symbols" "$TMP/c-$1/alphapulse/alphapulse.log" 2>/dev/null; }

round() { # round LABEL
  "$BIN" collect --db "$DB" --symbols "$SYMS" $ENDPOINTS --history 50 --log "$TMP/collect-$1.log" </dev/null \
    >/dev/null 2>&1 &
  cpid=$!; PIDS="$PIDS $cpid"
  check "$1: the collector stores all $N symbols" until_ok 90 all_stored
  c0=$(stat_field connections_total)
  XDG_STATE_HOME=$TMP/c-$1 "$BIN" --db "$DB" --account me --symbols "$SYMS" $ENDPOINTS --headless \
    </dev/null >"$TMP/console-$1.out" 2>&1 &
  con=$!; PIDS="$PIDS $con"
  check "$1: the console reads all $N from the database" until_ok 30 reads_all "$1"
  check "$1: and opened no exchange connection of its own" test "$(stat_field connections_total)" = "$c0"
  kill -TERM "$con" "$cpid"; wait "$con"; rc1=$?; wait "$cpid"; rc2=$?
  check "$1: both stop cleanly" test "$rc1" = 0 -a "$rc2" = 0
}

DB=$TMP/many.db
round sqlite
if DB=$(sh tests/pg/pg_server.sh start "$pgdir" 2>"$TMP/pg.err"); then
  round postgresql
else
  nok "postgresql: the test server starts" "$(cat "$TMP/pg.err")"
fi
