# A hung collector's instruments are taken over, on PostgreSQL (a private
# server, tests/pg/pg_server.sh) and on SQLite. Collector a writes BTCUSDT (and
# on PostgreSQL ETHUSDT, for which collector b stands by); a headless console
# beside reads BTCUSDT from the database. a is stopped (SIGSTOP): it keeps its
# session, advisory locks and lock file, but stops renewing its liveness stamp,
# so after feed.failover_s (3 s here) the console collects BTCUSDT itself and,
# on PostgreSQL, b ends a's claims session and takes ETHUSDT over. a is then
# continued (SIGCONT): on PostgreSQL it finds its claims lost and stops writing
# ETHUSDT; the console goes back to reading BTCUSDT from the database. The
# stored series equal the exchange's truth, no hole, no duplicate.
. tests/integration/live_helpers
pgdir=$(mktemp -d -u /tmp/ap-pghung-XXXXXX)
trap 'cleanup; sh tests/pg/pg_server.sh stop "$pgdir" >/dev/null 2>&1' EXIT
fx_start BTCUSDT,ETHUSDT --tick-ms 100 --start 2000 || { nok "fake exchange starts"; exit 1; }
ENDPOINTS="--rest-url http://127.0.0.1:$PORT --ws-url ws://127.0.0.1:$PORT"
printf '{"feed": {"failover_s": 3}}\n' >"$TMP/cfg.json"

q() { case $SRC in postgresql:*) psql -qtA "$SRC" -c "$1" 2>/dev/null ;; *) sqlite3 "$SRC" "$1" 2>/dev/null ;; esac; }
stored() { v=$(q "SELECT count(*) FROM candles WHERE symbol='$1' AND timeframe='1m'"); echo "${v:-0}"; }
newest() { v=$(q "SELECT coalesce(max(open_time), 0) FROM candles WHERE symbol='$1' AND timeframe='1m'"); echo "${v:-0}"; }
# until_ok SECONDS COMMAND...: polls the command until it succeeds
until_ok() {
  lim=$(( $1 * 10 )); shift; i=0
  while [ $i -lt $lim ]; do "$@" && return 0; sleep 0.1; i=$((i + 1)); done
  return 1
}
at_least() { [ "$(stored "$1")" -ge "$2" ]; }
newer_than() { [ "$(newest "$1")" -gt "$2" ]; }
# grows SYMBOL: its stored series gains 20 candles after now
grows() { _t=$(newest "$1"); until_ok 30 newer_than "$1" $((_t + 19 * 60000)) || { echo "# $1: newest stays $(newest "$1")"; return 1; }; }
logged() { grep -q -- "$2" "$1" 2>/dev/null; }
# collector VAR LOG SYMBOLS: sets VAR to its pid
collector() {
  "$BIN" collect --db "$SRC" --config "$TMP/cfg.json" --symbols "$3" $ENDPOINTS --stale-after 1 --log "$2" \
    </dev/null >/dev/null 2>&1 &
  eval "$1=$!"; PIDS="$PIDS $!"
}
# last_role LOG: the last "collect: writes ..." line's list
last_role() { sed -n 's/.*collect: writes //p' "$1" | tail -1; }
stop() { kill -TERM "$1" 2>/dev/null; wait "$1"; }

round() { # round LABEL
  L=$1; CL=$TMP/$L/alphapulse/alphapulse.log; AL=$TMP/a-$L.log; BL=$TMP/b-$L.log
  case $L in PostgreSQL) A_SYMS=BTCUSDT,ETHUSDT ;; *) A_SYMS=BTCUSDT ;; esac
  collector A "$AL" $A_SYMS
  check "$L: collector a runs" until_ok 30 logged "$AL" "collect: running"
  check "$L: a stores BTCUSDT" until_ok 60 at_least BTCUSDT 300
  if [ "$L" = PostgreSQL ]; then
    check "$L: a writes both its instruments" until_ok 30 logged "$AL" "collect: writes $A_SYMS"
    collector B "$BL" ETHUSDT
    check "$L: collector b stands by for ETHUSDT" until_ok 30 logged "$BL" "stands by for ETHUSDT"
  fi
  mkdir -p "$TMP/$L"
  XDG_STATE_HOME=$TMP/$L "$BIN" --db "$SRC" --config "$TMP/cfg.json" --account me --symbols BTCUSDT $ENDPOINTS \
    --stale-after 1 --headless </dev/null >"$TMP/console-$L.out" 2>&1 &
  con=$!; PIDS="$PIDS $con"
  check "$L: the console reads BTCUSDT from the database" until_ok 20 logged "$CL" "BTCUSDT read from the database"

  t0=$(date +%s%N)
  kill -STOP "$A"
  if [ "$L" = PostgreSQL ]; then
    check "$L: b ends the hung holder's session" until_ok 30 logged "$BL" "has not been seen alive for 3 s (hung)"
    check "$L: b takes ETHUSDT over" until_ok 30 logged "$BL" "collect: takes over ETHUSDT"
    echo "# $L: b takes ETHUSDT over $(( ($(date +%s%N) - t0) / 1000000 )) ms after SIGSTOP (feed.failover_s = 3, b asks every 500 ms, polled every 100 ms here)"
  fi
  check "$L: the console takes BTCUSDT over from the hung collector" \
    until_ok 30 logged "$CL" "BTCUSDT has no collector any more"
  echo "# $L: the console collects BTCUSDT $(( ($(date +%s%N) - t0) / 1000000 )) ms after SIGSTOP (feed.failover_s = 3, then 2 s grace, looked at every 500 ms)"
  check "$L: BTCUSDT goes on growing with its collector stopped" grows BTCUSDT
  [ "$L" = PostgreSQL ] && check "$L: ETHUSDT goes on growing under b" grows ETHUSDT

  kill -CONT "$A"
  if [ "$L" = PostgreSQL ]; then
    check "$L: a, continued, finds ETHUSDT taken and stops writing it" \
      until_ok 30 logged "$AL" "ETHUSDT was taken by another collector while the connection was down; stops writing it"
    check "$L: a writes BTCUSDT alone now" until_ok 30 logged "$AL" "collect: writes BTCUSDT$"
    check "$L: b still writes ETHUSDT" test "$(last_role "$BL")" = ETHUSDT
  fi
  check "$L: the console reads BTCUSDT from the database again" until_ok 30 logged "$CL" "a collector writes BTCUSDT;"
  check "$L: BTCUSDT grows under a again" grows BTCUSDT
  [ "$L" = PostgreSQL ] && check "$L: ETHUSDT grows under b" grows ETHUSDT
  check "$L: the console is still running" kill -0 "$con"
  stop "$con"; check "$L: the console stops cleanly" test $? = 0
  stop "$A"; check "$L: a stops cleanly" test $? = 0
  case $SRC in
    postgresql:*)
      stop "$B"; check "$L: b stops cleanly" test $? = 0
      pg_copy_out "$SRC" || nok "$L: a copy of the stored rows"
      DB=$TMP/copy.db
      check "$L: ETHUSDT equals the truth across the takeover (no hole, no duplicate)" truth_ok ETHUSDT ;;
    *) DB=$SRC ;;
  esac
  check "$L: BTCUSDT equals the truth across both switches (no hole, no duplicate)" truth_ok BTCUSDT
}

. tests/pg/both_backends
both_backends round SRC "$TMP/hung.db"
