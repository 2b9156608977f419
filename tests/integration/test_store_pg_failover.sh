# Collector failover on PostgreSQL: two `collect` processes with overlapping
# symbols share one database, each instrument written by the one holding its
# advisory lock. The active one is killed (SIGKILL); the standby takes its
# instrument over, back-filling from the last stored candle, and the stored
# series equals the fake exchange's truth with no missing or duplicate candle.
. tests/integration/live_helpers
. tests/integration/pg_helpers

fx_start BTCUSDT,ETHUSDT,SOLUSDT || { nok "fake exchange starts"; exit 1; }
printf '{"feed": {"failover_s": 3}}\n' >"$TMP/cfg.json"
# start_collector NAME SYMBOLS: sets PID_<NAME>; logs to $TMP/NAME.log
start_collector() {
  "$BIN" collect --db "$URL" --config "$TMP/cfg.json" --log "$TMP/$1.log" --symbols "$2" \
    --rest-url "http://127.0.0.1:$PORT" --ws-url "ws://127.0.0.1:$PORT" --stale-after 1 \
    </dev/null >"$TMP/$1.out" 2>&1 &
  eval "PID_$1=$!"; PIDS="$PIDS $!"
}
# in_log NAME PATTERN [seconds]
in_log() {
  i=0; lim=$(( ${3:-20} * 10 ))
  while [ $i -lt $lim ]; do grep -q -- "$2" "$TMP/$1.log" 2>/dev/null && return 0; sleep 0.1; i=$((i + 1)); done
  echo "# $1.log has no '$2':"; tail -5 "$TMP/$1.log" 2>/dev/null | sed 's/^/#   /'; return 1
}
# locks_held N: the instruments' advisory locks number N (exclusive; the collectors' account lock is shared)
locks_held() {
  i=0
  while [ $i -lt 100 ]; do
    [ "$(pgq "SELECT count(*) FROM pg_locks WHERE locktype='advisory' AND objsubid=1 AND mode='ExclusiveLock' AND granted")" = "$1" ] && return 0
    sleep 0.1; i=$((i + 1))
  done
  echo "# advisory locks (key, mode, granted, holder pid; a=$PID_a b=$PID_b):"
  pgq "SELECT l.objid, l.mode, l.granted, a.pid, a.application_name, a.state FROM pg_locks l
       LEFT JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype='advisory'" | sed 's/^/#   /'
  for n in a b; do echo "# $n.log:"; tail -4 "$TMP/$n.log" 2>/dev/null | sed 's/^/#   /'; done
  return 1
}

start_collector a BTCUSDT,ETHUSDT
check "the first collector writes both its instruments" in_log a "collect: writes BTCUSDT,ETHUSDT"
wait_rows ETHUSDT 500 30 || nok "the first collector stores ETHUSDT" "rows: $(rows ETHUSDT)"
start_collector b ETHUSDT,SOLUSDT
check "the second writes the instrument nobody holds" in_log b "collect: writes SOLUSDT"
check "and stands by for the one the first holds" in_log b "stands by for ETHUSDT"
check "one lock per instrument: BTCUSDT, ETHUSDT, SOLUSDT" locks_held 3
wait_rows SOLUSDT 500 30 || nok "the second collector stores SOLUSDT" "rows: $(rows SOLUSDT)"
check "the standby does not take ETHUSDT while its holder lives" sh -c "! grep -q 'collect: takes over' '$TMP/b.log'"

before=$(rows ETHUSDT)
t0=$(date +%s%N)
kill -9 "$PID_a"
check "the standby takes ETHUSDT over when the holder is killed" in_log b "collect: takes over ETHUSDT" 30
t1=$(date +%s%N)
echo "# takeover seen $(( (t1 - t0) / 1000000 )) ms after SIGKILL (feed.failover_s = 3, polled every 100 ms)"
check "the standby now writes both" in_log b "collect: writes ETHUSDT,SOLUSDT"
wait_rows ETHUSDT $((before + 500)) 30 || nok "ETHUSDT grows after the takeover" "$before -> $(rows ETHUSDT)"
CPID=$PID_b
check "ETHUSDT advances under the new holder" advancing ETHUSDT
check "SOLUSDT still advances" advancing SOLUSDT
check "the killed collector's locks are gone, the standby's held" locks_held 2
kill -TERM "$PID_b"
i=0; while [ $i -lt 100 ] && kill -0 "$PID_b" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
wait "$PID_b"; rc=$?
check "the standby exits 0 on SIGTERM" test "$rc" = 0
copy_out || nok "copy of the stored rows"
DB=$TMP/copy.db
check "ETHUSDT equals the truth across the failover (no hole, no duplicate)" truth_ok ETHUSDT
check "SOLUSDT equals the truth across the restart of its session" truth_ok SOLUSDT
check "BTCUSDT (not taken over) equals the truth up to the kill" truth_ok BTCUSDT
