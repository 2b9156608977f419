# A console hands its symbols to a collector that starts after it, on
# PostgreSQL (a private server, tests/pg/pg_server.sh) and on SQLite: a headless
# console on an account of its own starts with no collector running and
# collects BTCUSDT from the fake exchange itself; `collect` is then started on
# the same database and symbol. The console notices, ends its own exchange
# subscription (the fake exchange counts the streams subscribed) and reads
# BTCUSDT from the database from then on. Its engine's 1m series, which it
# notes in its log when it stops, equals the exchange's truth with no missing
# and no duplicate candle across the handover, and so does the stored series.
. tests/integration/live_helpers
pgdir=$(mktemp -d -u /tmp/ap-pgho-XXXXXX)
trap 'cleanup; sh tests/pg/pg_server.sh stop "$pgdir" >/dev/null 2>&1' EXIT
fx_start BTCUSDT --tick-ms 100 --start 2000 || { nok "fake exchange starts"; exit 1; }
ENDPOINTS="--rest-url http://127.0.0.1:$PORT --ws-url ws://127.0.0.1:$PORT"

q() { case $SRC in postgresql:*) psql -qtA "$SRC" -c "$1" 2>/dev/null ;; *) sqlite3 "$SRC" "$1" 2>/dev/null ;; esac; }
newest() { v=$(q "SELECT coalesce(max(open_time), 0) FROM candles WHERE symbol='BTCUSDT' AND timeframe='1m'"); echo "${v:-0}"; }
# until_ok SECONDS COMMAND...: polls the command until it succeeds
until_ok() {
  lim=$(( $1 * 10 )); shift; i=0
  while [ $i -lt $lim ]; do "$@" && return 0; sleep 0.1; i=$((i + 1)); done
  return 1
}
newer_than() { [ "$(newest)" -gt "$1" ]; }
# grows: the stored series gains 20 candles after now
grows() { _t=$(newest); until_ok 30 newer_than $((_t + 19 * 60000)) || { echo "# newest stays $(newest)"; return 1; }; }
logged() { grep -q -- "$2" "$1" 2>/dev/null; }
streams_are() { [ "$(stat_field streams)" = "$1" ]; }
# unsubscribed: one stream is left, the collector's, and the console's ended: it
# sent UNSUBSCRIBE (counted past $UNSUB) or closed its connection (one left)
unsubscribed() { streams_are 1 && { [ "$(stat_field unsubscribes)" -gt "$UNSUB" ] || [ "$(stat_field connections)" = 1 ]; }; }

# series_ok LOG: the console's noted 1m series of BTCUSDT (at its stop) spans
# the handover, from before $HANDED (the newest stored candle when the console
# handed the symbol over) to after $GONE (the newest when its own subscription
# was seen ended: what comes after came from the store), has no missing and no
# duplicate candle, and its candles are the exchange's: as many as the truth
# over its span, the same sum of closes.
series_ok() {
  line=$(grep "BTCUSDT 1m series at stop:" "$1" | tail -1)
  [ -n "$line" ] || { echo "# the console noted no series at its stop"; return 1; }
  echo "# $line" | sed 's/.*series at stop/# console series/'
  set -- $(echo "$line" | sed -n 's/.*at stop: \([0-9]*\) candles, \([0-9]*\) to \([0-9]*\), \([-0-9]*\) missing, \([0-9]*\) duplicate, closes sum \([-0-9.e+]*\).*/\1 \2 \3 \4 \5 \6/p')
  [ $# = 6 ] || { echo "# cannot read: $line"; return 1; }
  n=$1 lo=$2 hi=$3 missing=$4 dup=$5 sum=$6
  fx_curl "$(fx_base)/truth?symbol=BTCUSDT&from=$lo&to=$hi" >"$TMP/series-truth.csv"
  res=$(awk -F, -v n="$n" -v sum="$sum" '{ c++; s += $5 }
    END { d = s - sum; if (d < 0) d = -d; print c, (c == n && d <= 1e-8 * s) ? "same" : "differs", s }' "$TMP/series-truth.csv")
  set -- $res
  if [ "$missing" = 0 ] && [ "$dup" = 0 ] && [ "$2" = same ] && [ "$lo" -le "$HANDED" ] && [ "$hi" -gt "$GONE" ]; then
    return 0
  fi
  echo "# truth over the span: $1 candles, closes sum $3 ($2); handed over at $HANDED, subscription gone at $GONE"
  return 1
}

round() { # round LABEL
  L=$1; CL=$TMP/$L/alphapulse/alphapulse.log
  mkdir -p "$TMP/$L"
  XDG_STATE_HOME=$TMP/$L "$BIN" --db "$SRC" --account me --symbols BTCUSDT $ENDPOINTS --stale-after 1 --headless \
    </dev/null >"$TMP/console-$L.out" 2>&1 &
  con=$!; PIDS="$PIDS $con"
  check "$L: with no collector the console subscribes to BTCUSDT itself" until_ok 20 streams_are 1
  check "$L: and stores what it collects" grows
  UNSUB=$(stat_field unsubscribes)
  "$BIN" collect --db "$SRC" --symbols BTCUSDT $ENDPOINTS --stale-after 1 --log "$TMP/collect-$L.log" \
    </dev/null >/dev/null 2>&1 &
  COL=$!; PIDS="$PIDS $COL"
  t0=$(date +%s%N)
  check "$L: the console notices the collector that started after it and reads BTCUSDT from the database" \
    until_ok 30 logged "$CL" "a collector writes BTCUSDT;"
  HANDED=$(newest)
  echo "# $L: handed over $(( ($(date +%s%N) - t0) / 1000000 )) ms after the collector was started (looked at every 500 ms)"
  check "$L: the console's own exchange subscription ends (the collector's is the only one)" until_ok 20 unsubscribed
  GONE=$(newest)
  check "$L: the stored series grows under the collector" grows
  check "$L: the console's subscription stays ended" streams_are 1
  check "$L: the console is still running" kill -0 "$con"
  kill -TERM "$con"; wait "$con"; rc=$?
  check "$L: the console stops cleanly" test "$rc" = 0
  check "$L: the console's series equals the truth across the handover (no hole, no duplicate)" series_ok "$CL"
  kill -TERM "$COL"; wait "$COL"
  case $SRC in
    postgresql:*)
      pg_copy_out "$SRC" || nok "$L: a copy of the stored rows"
      DB=$TMP/copy.db ;;
    *) DB=$SRC ;;
  esac
  check "$L: the stored series equals the truth across the handover" truth_ok BTCUSDT
}

. tests/pg/both_backends
both_backends round SRC "$TMP/handoff.db"
