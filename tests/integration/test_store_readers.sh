# Another process reading the database from the very first moment (sqlite3, an
# export) must never make the running writer's commits disappear: this caught a
# header check that dropped the writer's POSIX locks, after which a reader
# checkpointed and deleted the WAL under it.
BUILD=${BUILD:-build}
BIN=$BUILD/alphapulse
tmp=$(mktemp -d)
trap 'kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT
"$BIN" --demo --headless --speed 3000 --db "$tmp/r.db" >/dev/null 2>&1 &
pid=$!
first=""; last=0; i=0
while [ $i -lt 40 ]; do
  n=$(sqlite3 "$tmp/r.db" 'select count(*) from candles' 2>/dev/null)
  [ -n "$n" ] && { [ -z "$first" ] && first=$n; last=$n; }
  "$BIN" export candles --db "$tmp/r.db" >/dev/null 2>&1
  sleep 0.1; i=$((i + 1))
done
kill -TERM $pid; wait $pid; rc=$?
final=$(sqlite3 "$tmp/r.db" 'select count(*) from candles')
ok() { if "$@"; then echo "ok - $name"; else echo "not ok - $name (first ${first:-none}, last $last, final $final)"; fi; }
name="a reader polling from the start sees the writer's rows grow"; ok test -n "$first" -a "$last" -gt "${first:-0}"
name="rows committed while readers polled are all there after the stop"; ok test "$final" -ge "$last"
name="the writer stopped cleanly on SIGTERM"; ok test "$rc" = 0
