# Many Bybit symbols (more than the 64 the Bybit feed once took): `alphapulse
# collect` with 150 Bybit spot symbols and 70 perpetuals against the fake Bybit,
# which holds Bybit's documented limits (10 args per subscribe request, 21,000
# characters of args per connection, 600 REST requests per 5 s per IP, answered
# with HTTP 403 past it); then 60 spot symbols more by :add, past the first two
# connections' room. Every symbol is collected up to the fake's clock, none is
# missing, every 1m series is whole from its history's start; a sample equals the
# truth; no request was refused; the symbols are spread over several connections.
. tests/integration/live_helpers
FB=$BUILD/tests/fake_exchange/fake_bybit
NS=${BYBIT_SPOT:-150}           # spot symbols at start
NA=${BYBIT_ADDED:-60}           # spot symbols added while running
NL=${BYBIT_LINEAR:-70}          # perpetuals at start
PER_CONN=100                    # the feed's symbols per connection (BYBIT_SYMBOLS_PER_CONN)
ALL_SPOT=$(gen_names $((NS + NA)))
START_SPOT=$(gen_names "$NS")
LINEAR=$(gen_names "$NL")

"$FB" --csv "$CSV" --spot "$ALL_SPOT" --linear "$LINEAR" --port 0 --tick-ms 250 --ip-limit 600 >"$TMP/fb.out" 2>&1 &
PIDS="$PIDS $!"
i=0; BPORT=""
while [ $i -lt 50 ] && [ -z "$BPORT" ]; do BPORT=$(awk '/^port /{print $2}' "$TMP/fb.out" 2>/dev/null); sleep 0.1; i=$((i + 1)); done
[ -n "$BPORT" ] || { nok "fake Bybit starts"; exit 0; }
bstat() { curl -s --max-time 5 "http://127.0.0.1:$BPORT/control?action=stats" | sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"; }

printf '{"venues": {"bybit": {"rest_url": "http://127.0.0.1:%s", "ws_url": "ws://127.0.0.1:%s"}}}\n' \
  "$BPORT" "$BPORT" >"$TMP/bybit.json"
WANT=$(printf '%s' "$START_SPOT" | tr ',' '\n' | sed 's/^/bybit:/'; echo; printf '%s' "$LINEAR" | tr ',' '\n' | sed 's/^/bybit-linear:/')
SYMS=$(printf '%s\n' "$WANT" | paste -sd, -)
collect_start "$SYMS" --history 200 --config "$TMP/bybit.json"

# caught_up N: N symbols have a stored 1m candle within 5 minutes of the fake's clock
caught_up() {
  t=$(bstat open_time)
  n=$(sqlite3 "$DB" "SELECT count(*) FROM (SELECT max(open_time) m FROM candles WHERE timeframe='1m'
       GROUP BY symbol) WHERE m >= ${t:-0} - 300000" 2>/dev/null)
  [ "${n:-0}" = "$1" ]
}
wait_caught_up() {
  i=0; while [ $i -lt 1200 ]; do caught_up "$1" && return 0; alive || break; sleep 0.1; i=$((i + 1)); done
  echo "# $(sqlite3 "$DB" "SELECT count(DISTINCT symbol) FROM candles WHERE timeframe='1m'") symbols stored, wanted $1"
  grep -m3 -i "error\|at most\|maximum" "$TMP/collect.log" | sed 's/^/# /'
  return 1
}
# missing: the wanted symbols with no candle stored, one a line
missing() {
  printf '%s\n' "$WANT" >"$TMP/want.txt"
  sqlite3 "$DB" "SELECT DISTINCT symbol FROM candles WHERE timeframe='1m'" 2>/dev/null | sort >"$TMP/have.txt"
  sort "$TMP/want.txt" | comm -23 - "$TMP/have.txt"
}
# whole: every stored 1m series has no hole and starts where the first symbol's does
whole() {
  lo=$(sqlite3 "$DB" "SELECT min(open_time) FROM candles WHERE symbol='bybit:$(gen_name 0)' AND timeframe='1m'")
  [ -n "$lo" ] || { echo "# nothing stored"; return 1; }
  h=$(sqlite3 "$DB" "SELECT count(*) FROM (SELECT count(*) c, min(open_time) lo, max(open_time) hi FROM candles
       WHERE timeframe='1m' AND symbol IN ($(printf '%s\n' "$1" | sed "s/.*/'&'/" | paste -sd, -)) GROUP BY symbol)
       WHERE c != (hi - lo) / 60000 + 1 OR c < 150 ${2:+OR lo != $lo}")
  [ "$h" = 0 ] || { echo "# $h series with a hole or a late start"; return 1; }
}

N0=$((NS + NL))
check "$NS spot + $NL perpetual symbols: all collected up to the fake's clock" wait_caught_up $N0
check "no symbol missing" test -z "$(missing)"
check "every 1m series starts at the history's start and has no hole" whole "$WANT" same-start
alive || { nok "the collector runs"; exit 0; }
ADDED=$(gen_names $((NS + NA)) | tr ',' '\n' | tail -n "$NA" | sed 's/^/bybit:/')
for s in $ADDED; do cmd ":add $s"; done
WANT=$(printf '%s\n%s\n' "$WANT" "$ADDED")
check ":add of $NA spot symbols more ($((NS + NA)) spot): all collected" wait_caught_up $((N0 + NA))
check "no symbol missing after the adds" test -z "$(missing)"
check "every added series is whole" whole "$ADDED"
fails=0
for k in 0 64 $((NS - 1)) $((NS + NA - 1)); do
  s=$(gen_name $k); bybit_truth_ok "bybit:$s" spot "$s" 150 || fails=$((fails + 1))
done
for k in 0 $((NL - 1)); do
  s=$(gen_name $k); bybit_truth_ok "bybit-linear:$s" linear "$s" 150 || fails=$((fails + 1))
done
check "a sample of six symbols (past 64, added, perpetual) equals the truth candle for candle" test $fails = 0
conns=$(bstat connections)
check "spread over connections of at most $PER_CONN symbols: $conns open (spot 3, linear 1)" test "$conns" = 4
peak=$(bstat topics_peak)
check "no connection holds more than $((2 * PER_CONN)) topics (the fullest had $peak)" test "$peak" -le $((2 * PER_CONN))
check "no subscribe request refused (10 args, 21,000 characters)" test "$(bstat sub_errors)" = 0
check "the REST limit of 600 per 5 s was never passed: no 403" test "$(bstat over_ip_limit)" = 0 -a "$(bstat rate_limited)" = 0
collect_stop
check "SIGTERM exits 0" test "$STOP_RC" = 0
