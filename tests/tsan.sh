# The threaded paths under ThreadSanitizer (make tsan, BUILD=build-tsan): the demo
# headless with the webhook listening, stopped by SIGTERM; the webhook and alert
# tests; collect against the fake exchange; store readers beside the writer; the
# console's export worker and the chart's older-candles worker; the store thread;
# the Bybit feed, two venues at once and the depth streams; forming candles
# through the store thread and the store feed; a console handing symbols to a
# collector; collectors' claims (their liveness thread) and failover on
# PostgreSQL. Every report goes to a file; any file fails the run. Ends with
# "N passed, N failed" like tests/run.sh.
BUILD=${BUILD:-build-tsan}
export BUILD
logs=$(mktemp -d)
export TSAN_OPTIONS="log_path=$logs/tsan second_deadlock_stack=1 history_size=4"
pass=0; fail=0
one() {  # one NAME COMMAND...: counts the ok / not ok lines it prints
  name=$1; shift
  out=$("$@" 2>&1); rc=$?
  p=$(printf '%s\n' "$out" | grep -c '^ok ')
  f=$(printf '%s\n' "$out" | grep -c '^not ok ')
  # each failure with the diagnostic lines that follow it
  printf '%s\n' "$out" | awk '/^not ok /{p=1; print; next} p && /^#/{print; next} {p=0}' | sed "s|^|# $name: |"
  [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && { echo "# $name exited with status $rc"; f=1; }
  pass=$((pass + p)); fail=$((fail + f))
}

# the shutdown of a session with the webhook on (a use-after-free once)
demo_webhook_sigterm() {
  d=$(mktemp -d)
  echo "tsan-test-token-0123456789abcdef" > "$d/token"; chmod 600 "$d/token"
  XDG_STATE_HOME="$d" "$BUILD/alphapulse" --demo --headless --speed 3000 --db "$d/w.db" \
    --webhook-listen 127.0.0.1:0 --webhook-token-file "$d/token" >/dev/null 2>"$d/err" &
  pid=$!
  i=0
  while [ $i -lt 300 ] && ! sqlite3 "$d/w.db" 'select count(*) from candles' 2>/dev/null | grep -q '^[1-9]'; do
    sleep 0.1; i=$((i + 1))
  done
  kill -TERM $pid; wait $pid; rc=$?
  [ "$rc" = 0 ] && echo "ok - demo headless with the webhook stops on SIGTERM (status 0)" ||
    { echo "not ok - demo headless with the webhook: status $rc"; tail -5 "$d/err" | sed 's/^/#   /'; }
  rm -rf "$d"
}

one demo_webhook demo_webhook_sigterm
for t in unit/test_store unit/test_console_export unit/test_binance_feed integration/test_webhook_in \
         integration/test_alert_out integration/test_shutdown_deadline unit/test_webhook_http \
         integration/test_bybit_feed integration/test_store_forming integration/test_bybit_rest_pace \
         unit/test_chart_history; do
  one "$t" "$BUILD/tests/$t"
done
# two venues' feed threads into their own queues; the depth streams beside the klines
for t in tests/integration/test_live_basic.sh tests/integration/test_store_readers.sh \
         tests/integration/test_live_bybit.sh tests/integration/test_depth_live.sh \
         tests/integration/test_store_handoff.sh tests/integration/test_store_pg_failover.sh; do
  one "$t" sh "$t"
done

reports=$(ls "$logs" | wc -l)
if [ "$reports" -eq 0 ]; then
  echo "ok - no ThreadSanitizer report"; pass=$((pass + 1))
else
  echo "not ok - $reports ThreadSanitizer report file(s)"; fail=$((fail + 1))
  for f in "$logs"/*; do sed -n '1,30p' "$f" | sed 's/^/#   /'; done
fi
rm -rf "$logs"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
