# The PostgreSQL store through the real binary, on a private server
# (tests/pg/pg_server.sh; no server: a failure with its reason): storage.url and
# storage.password_file from the configuration, a scripted headless run whose
# acknowledged fills are all exported, export and backtest --db with the URL, a
# second process refused, a password in --db refused and never printed.
BUILD=${BUILD:-build}
BIN=$BUILD/alphapulse
tmp=$(mktemp -d)
pgdir=$(mktemp -d -u /tmp/ap-pgcli-XXXXXX)
trap 'sh tests/pg/pg_server.sh stop "$pgdir" >/dev/null 2>&1; rm -rf "$tmp"' EXIT
ok() { echo "ok - $1"; }
no() { echo "not ok - $1"; [ -n "$2" ] && printf '%s\n' "$2" | sed 's/^/#   /'; }

if ! url=$(sh tests/pg/pg_server.sh start "$pgdir" 2>"$tmp/why"); then
  no "a PostgreSQL server for the test" "$(cat "$tmp/why")"; exit 1
fi
printf 'not-checked-by-trust-auth\n' > "$tmp/pw"
printf '{"storage": {"url": "%s", "password_file": "%s"}}\n' "$url" "$tmp/pw" > "$tmp/config.json"
printf '1000 buy BTCUSDT\n5000 sell ETHBTC\n9000 close BTCUSDT\n13000 close ETHBTC\n17000 buy ADABTC\n' > "$tmp/script"
out=$("$BIN" --demo --headless --speed 0 --events 25000 --config "$tmp/config.json" --script "$tmp/script" 2>"$tmp/err"); rc=$?
n=$(printf '%s\n' "$out" | grep -c '^durable fill ')
[ "$rc" = 0 ] && [ "$n" = 5 ] && ok "storage.url: scripted headless run, 5 fills acknowledged" \
  || no "storage.url run (status $rc, $n fills)" "$(tail -5 "$tmp/err")"
rows=$("$BIN" export trades --db "$url" | tail -n +2 | wc -l)
[ "$rows" = 5 ] && ok "export trades --db URL: one row per acknowledged fill" || no "export trades: $rows rows"
# every acknowledged fill, bit for bit (export prints the shortest exact text, the ack %.17g)
printf '%s\n' "$out" | awk '/^durable fill /{ print $3","$7","$8","$11 }' | sort > "$tmp/ack.csv"
"$BIN" export trades --db "$url" | tail -n +2 | cut -d, -f1,6,7,10 | sort > "$tmp/exp.csv"
awk -F, 'NR==FNR { a[$1] = $0; next }
         { split(a[$1], x, ","); if (!($1 in a) || x[2] + 0 != $2 + 0 || x[3] + 0 != $3 + 0 || x[4] + 0 != $4 + 0) bad++ }
         END { exit bad > 0 }' "$tmp/exp.csv" "$tmp/ack.csv" \
  && ok "the exported fills are the acknowledged ones" || no "exported fills differ" "$(paste -d'|' "$tmp/ack.csv" "$tmp/exp.csv")"
"$BIN" export candles --db "$url" --symbol BTCUSDT --timeframe 1m > "$tmp/c.csv" 2>"$tmp/err"
[ "$(wc -l < "$tmp/c.csv")" -gt 1000 ] && ok "export candles --db URL" || no "export candles" "$(cat "$tmp/err")"
"$BIN" backtest --db "$url" --symbol BTCUSDT --timeframe 15m > "$tmp/bt.txt" 2>&1; rc=$?
[ "$rc" = 0 ] && grep -qi "trades" "$tmp/bt.txt" && ok "backtest --db URL reads the stored candles" \
  || no "backtest --db URL (status $rc)" "$(tail -5 "$tmp/bt.txt")"

"$BIN" --demo --headless --speed 1 --db "$url" >/dev/null 2>&1 &
pid=$!
i=0; while [ $i -lt 100 ]; do
  psql -qtA "$url" -c "select count(*) from pg_locks where locktype='advisory'" 2>/dev/null | grep -q '^[1-9]' && break
  sleep 0.1; i=$((i + 1))
done
out=$("$BIN" --demo --headless --speed 0 --events 100 --db "$url" 2>&1); rc=$?
[ "$rc" = 1 ] && printf '%s' "$out" | grep -q "in use by another alphapulse process" \
  && ok "a second process on the database is refused" || no "second process (status $rc)" "$out"
kill -TERM $pid; wait $pid; rc=$?
[ "$rc" = 0 ] && ok "the first stops cleanly" || no "first process status $rc"

bad="postgresql://postgres:hunter2@/alphapulse?host=$pgdir"
out=$("$BIN" export trades --db "$bad" 2>&1); rc=$?
[ "$rc" = 1 ] && printf '%s' "$out" | grep -q "holds a password" && ! printf '%s' "$out" | grep -q hunter2 \
  && ok "a password in --db: refused, never printed" || no "password in --db (status $rc)" "$out"
out=$("$BIN" --demo --headless --speed 0 --events 100 --db "$bad" 2>&1)
printf '%s' "$out" | grep -q hunter2 && no "the console printed the password" "$out" || ok "the console does not print it either"
