# A collector's signals are stored once and shown by every console reading its
# instrument, on PostgreSQL (a private server, tests/pg/pg_server.sh) and on
# SQLite: `collect` writes BTCUSDT from the fake exchange with its engine
# raising signals (on its own account, "collector"); two headless consoles read
# BTCUSDT from the database: one on the default account (no --account, as a
# user who logs in beside the collector service types it), one on account b. Each of the collector's signals made while they read is
# named in each console's journal once, as the collector's (shown in its queue,
# or said to have come and gone between two reads); neither console raises or
# stores a signal of its own, and no signal is stored twice.
. tests/integration/live_helpers
pgdir=$(mktemp -d -u /tmp/ap-pgsig-XXXXXX)
trap 'cleanup; sh tests/pg/pg_server.sh stop "$pgdir" >/dev/null 2>&1' EXIT
fx_start BTCUSDT --tick-ms 50 --start 2000 || { nok "fake exchange starts"; exit 1; }
# signals on 1m only, any confidence, costs not counted: several a minute of test time
printf '{"signals": {"min_confidence": 0.0, "timeframes": ["1m"], "max_cost_r": 1000}}\n' >"$TMP/cfg.json"
ENDPOINTS="--rest-url http://127.0.0.1:$PORT --ws-url ws://127.0.0.1:$PORT"

q() { case $DB in postgresql:*) psql -qtA "$DB" -c "$1" 2>/dev/null ;; *) sqlite3 "$DB" "$1" 2>/dev/null ;; esac; }
num() { v=$(q "$1"); echo "${v:-0}"; }
# until SECONDS COMMAND...: polls the command until it succeeds
until_ok() {
  lim=$(( $1 * 10 )); shift; i=0
  while [ $i -lt $lim ]; do "$@" && return 0; sleep 0.1; i=$((i + 1)); done
  return 1
}
collector_signals_above() { [ "$(num "SELECT count(*) FROM signals WHERE account='collector' AND id > $1")" -ge "$2" ]; }
# named ACCOUNT ID: the console's journal names the collector's signal ID (its first sight of it)
named() { num "SELECT count(*) FROM journal WHERE account='$1' AND kind='decision' AND text LIKE 'signal #$2 %(a collector''s%'"; }
names_all() {
  for id in $IDS; do for a in default b; do [ "$(named $a "$id")" -ge 1 ] || return 1; done; done
}
reading() { grep -q "BTCUSDT read from the database" "$TMP/$1/alphapulse/alphapulse.log" 2>/dev/null; }
both_reading() { reading default && reading b; }
shown_one() { [ "$(num "SELECT count(*) FROM journal WHERE account='$1' AND text LIKE '%(a collector''s%'")" -ge 1 ]; }
both_shown() { until_ok 60 shown_one default && until_ok 60 shown_one b; }

round() { # round LABEL: a collector and two consoles on $DB
  "$BIN" collect --db "$DB" --symbols BTCUSDT $ENDPOINTS --config "$TMP/cfg.json" --log "$TMP/collect-$1.log" \
    </dev/null >/dev/null 2>&1 &
  cpid=$!; PIDS="$PIDS $cpid"
  check "$1: the collector's engine raises signals" until_ok 60 collector_signals_above 0 1
  cons=""
  for a in default b; do
    rm -rf "$TMP/$a"; mkdir -p "$TMP/$a"
    acct="--account $a"; [ $a = default ] && acct=""
    XDG_STATE_HOME=$TMP/$a "$BIN" --db "$DB" $acct --symbols BTCUSDT $ENDPOINTS --config "$TMP/cfg.json" \
      --headless </dev/null >"$TMP/$a.out" 2>&1 &
    cons="$cons $!"; PIDS="$PIDS $!"
  done
  check "$1: both consoles read BTCUSDT from the database" until_ok 20 both_reading
  check "$1: both consoles show a collector's signal" both_shown
  base=$(num "SELECT coalesce(max(id), 0) FROM signals WHERE account='collector'")
  check "$1: the collector raises three more signals" until_ok 90 collector_signals_above "$base" 3
  IDS=$(q "SELECT id FROM signals WHERE account='collector' AND id > $base ORDER BY id LIMIT 3" | tr '\n' ' ')
  check "$1: both consoles name each of them (signals $IDS)" until_ok 30 names_all
  for id in $IDS; do
    for a in default b; do
      n=$(named $a "$id")
      check "$1: console $a names signal #$id once ($n)" test "$n" = 1
    done
  done
  for p in $cons; do kill -TERM "$p"; done
  for p in $cons; do wait "$p"; done
  check "$1: the consoles stored no signal" test "$(num "SELECT count(*) FROM signals WHERE account <> 'collector'")" = 0
  own=$(num "SELECT count(*) FROM journal WHERE account <> 'collector' AND text LIKE 'signal #% conf %' AND text NOT LIKE '%(a collector''s%'")
  check "$1: the consoles raised no signal of their own ($own)" test "$own" = 0
  dup=$(num "SELECT count(*) - count(DISTINCT symbol || timeframe || time || side) FROM signals")
  check "$1: no signal is stored twice ($dup)" test "$dup" = 0
  kill -TERM "$cpid"; wait "$cpid"; rc=$?
  check "$1: the collector stops cleanly" test "$rc" = 0
}

. tests/pg/both_backends
both_backends round DB "$TMP/live.db"
