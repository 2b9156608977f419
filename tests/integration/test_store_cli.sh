# Storage through the real binary: a second process refused (headless), export
# options and exit codes, export agreeing with the database, and a disk that
# fills up while running (the program carries on, says so, corrupts nothing).
BUILD=${BUILD:-build}
BIN=$BUILD/alphapulse
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. tests/integration/cli_helpers

printf '1000 buy BTCUSDT\n5000 sell ETHBTC\n9000 close BTCUSDT\n13000 close ETHBTC\n17000 buy ADABTC\n' > "$tmp/script"
out=$("$BIN" --demo --headless --speed 0 --events 25000 --db "$tmp/a.db" --script "$tmp/script" 2>/dev/null); rc=$?
n=$(printf '%s\n' "$out" | grep -c '^durable fill ')
[ "$rc" = 0 ] && [ "$n" = 5 ] && ok "scripted headless run: 5 fills acknowledged" || no "scripted run (status $rc, $n fills)" "$out"

# two processes on one database: the second refuses, the first is unharmed
"$BIN" --demo --headless --speed 1 --db "$tmp/a.db" >/dev/null 2>&1 &
pid=$!
# it holds the database once its lock file names it
i=0; while [ $i -lt 100 ] && ! grep -q "pid $pid" "$tmp/a.db.lock" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
t "second process on the same database: exit 1, says why" 1 "in use by another alphapulse process" \
  --demo --headless --speed 0 --events 100 --db "$tmp/a.db"
kill -TERM $pid; wait $pid; rc=$?
[ "$rc" = 0 ] && ok "the first process stops cleanly after that" || no "first process status $rc"
t "after it stopped, the database opens again" 0 "" --demo --headless --speed 0 --events 100 --db "$tmp/a.db"

# export: options, and agreement with the database
t "export trades csv" 0 "fill_id,order_id,time,symbol,side" export trades --db "$tmp/a.db"
rows=$("$BIN" export trades --db "$tmp/a.db" | tail -n +2 | wc -l)
[ "$rows" = "$(sqlite3 "$tmp/a.db" 'select count(*) from fills')" ] && [ "$rows" = "$n" ] \
  && ok "export trades: one row per fill" || no "export trades: $rows rows"
# each exported fill reads back to the stored doubles exactly
"$BIN" export trades --db "$tmp/a.db" | tail -n +2 | cut -d, -f1,6,7,8 > "$tmp/exp.csv"
sqlite3 "$tmp/a.db" "select id, printf('%!.17g', qty), printf('%!.17g', price), printf('%!.17g', fee) from fills order by id" \
  | tr '|' ',' > "$tmp/db.csv"
awk -F, 'NR==FNR { for (i = 2; i <= 4; i++) a[$1, i] = $i; next }
         { for (i = 2; i <= 4; i++) if (a[$1, i] + 0 != $i + 0) bad++ }
         END { exit bad > 0 }' "$tmp/db.csv" "$tmp/exp.csv" \
  && ok "export trades: numbers equal the stored ones" || no "export trades numbers differ" "$(paste -d'|' "$tmp/db.csv" "$tmp/exp.csv")"
t "export journal json" 0 '"kind":"command"' export journal --db "$tmp/a.db" --format json
t "export candles with filters" 0 "BTCUSDT,1h,2024-12-01T01:00:00.000Z" export candles --db "$tmp/a.db" \
  --symbol BTCUSDT --timeframe 1h --from 2024-12-01T01:00:00Z --to 2024-12-01T01:00:00Z
"$BIN" export candles --db "$tmp/a.db" --output "$tmp/c.csv" 2>/dev/null
[ "$(($(wc -l < "$tmp/c.csv") - 1))" = "$(sqlite3 "$tmp/a.db" 'select count(*) from candles')" ] && [ ! -e "$tmp/c.csv.tmp" ] \
  && ok "export --output writes the whole table" || no "export --output"
t "export: unknown kind, exit 2" 2 "'fills': expected candles, signals" export fills --db "$tmp/a.db"
t "export: bad --format names the option" 2 "\-\-format 'xml'" export candles --format xml --db "$tmp/a.db"
t "export: bad --from names the option" 2 "\-\-from 'yesterday'" export candles --from yesterday --db "$tmp/a.db"
t "export: bad --timeframe" 2 "\-\-timeframe '7m'" export candles --timeframe 7m --db "$tmp/a.db"
t "export: --timeframe with trades" 2 "\-\-timeframe: not applicable to trades" export trades --timeframe 1m --db "$tmp/a.db"
t "export: --from after --to" 2 "\-\-from is after \-\-to" export candles --from 2024-12-02 --to 2024-12-01 --db "$tmp/a.db"
t "export: missing database, exit 1" 1 "no such database" export candles --db "$tmp/none.db"
echo 'not a database' > "$tmp/text.db"
t "export: not SQLite, exit 1" 1 "not an SQLite database" export candles --db "$tmp/text.db"
t "export: unwritable --output, exit 1" 1 "\-\-output $tmp/no/dir/x.csv" export candles --db "$tmp/a.db" --output "$tmp/no/dir/x.csv"
secret=$("$BIN" export journal --db "$tmp/a.db" | grep -ci 'secret\|token\|api_key')
[ "$secret" = 0 ] && ok "export holds no secrets" || no "export mentions secrets"

# a full disk while running: files may not grow past ~300 KB (ulimit -f, SIGXFSZ
# ignored so writes fail with EFBIG, as on a full disk)
cp "$tmp/a.db" "$tmp/full.db"
sqlite3 "$tmp/full.db" 'pragma wal_checkpoint(truncate)' >/dev/null
size=$(($(wc -c < "$tmp/full.db") / 512 + 600))
out=$(sh -c "trap '' XFSZ; ulimit -f $size; exec $BIN --demo --headless --speed 0 --events 200000 --db $tmp/full.db --script $tmp/script" 2>&1); rc=$?
[ "$rc" = 0 ] && ok "disk full while running: the program carries on to the end" || no "disk full: status $rc" "$(printf '%s' "$out" | tail -5)"
printf '%s' "$out" | grep -q "write failed" && ok "disk full: the failure is logged" || no "disk full: no message" "$(printf '%s' "$out" | tail -5)"
[ "$(sqlite3 "$tmp/full.db" 'pragma integrity_check')" = ok ] && ok "disk full: the database is intact" || no "disk full: integrity"
t "disk full: the database opens and runs afterwards" 0 "" --demo --headless --speed 0 --events 100 --db "$tmp/full.db"
