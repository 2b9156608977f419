# Paper accounts through the real binary, on SQLite and on PostgreSQL (a
# private server, tests/pg/pg_server.sh): a second process on an account is
# refused naming the holder's host and pid, another account trades beside it on
# the same database, and export reads one account at a time. Bad names are
# refused with exit status 2.
BUILD=${BUILD:-build}
BIN=$BUILD/alphapulse
tmp=$(mktemp -d)
pgdir=$(mktemp -d -u /tmp/ap-pgacc-XXXXXX)
holder=""
trap '[ -n "$holder" ] && kill -9 $holder 2>/dev/null; sh tests/pg/pg_server.sh stop "$pgdir" >/dev/null 2>&1; rm -rf "$tmp"' EXIT
. tests/integration/cli_helpers
# held DB: the holder has opened the account (its journal has rows)
held() {
  i=0
  while [ $i -lt 300 ]; do
    "$BIN" export journal --db "$1" --account alice 2>/dev/null | grep -q . && return 0
    kill -0 $holder 2>/dev/null || return 1
    sleep 0.1; i=$((i + 1))
  done
  return 1
}
printf '1000 buy BTCUSDT\n' > "$tmp/script"

run() { # run LABEL DB
  label=$1; db=$2
  "$BIN" --demo --headless --speed 1 --db "$db" --account alice >/dev/null 2>&1 &
  holder=$!
  held "$db" || no "$label: the first console opens account alice"
  t "$label: a second process on account alice is refused, naming the holder" 1 \
    "account alice in use by another alphapulse process (host $(hostname), pid $holder" \
    --demo --headless --speed 0 --events 100 --db "$db" --account alice
  out=$("$BIN" --demo --headless --speed 0 --events 25000 --db "$db" --account bob --script "$tmp/script" 2>&1); rc=$?
  n=$(printf '%s\n' "$out" | grep -c '^durable fill ')
  [ "$rc" = 0 ] && [ "$n" = 1 ] && ok "$label: account bob trades beside it on the same database" \
    || no "$label: account bob (status $rc, $n fills)" "$out"
  kill -TERM $holder; wait $holder; rc=$?; holder=""
  [ "$rc" = 0 ] && ok "$label: the first stops cleanly" || no "$label: first process status $rc"
  rows=$("$BIN" export trades --db "$db" --account bob | tail -n +2 | wc -l)
  [ "$rows" = 1 ] && ok "$label: export --account bob: its one fill" || no "$label: export bob: $rows rows"
  rows=$("$BIN" export trades --db "$db" --account alice | tail -n +2 | wc -l)
  [ "$rows" = 0 ] && ok "$label: export --account alice: none of bob's" || no "$label: export alice: $rows rows"
  t "$label: account alice opens again once its holder stopped" 0 "" \
    --demo --headless --speed 0 --events 100 --db "$db" --account alice
}

run SQLite "$tmp/a.db"
[ -f "$tmp/a.db.alice.lock" ] && [ -f "$tmp/a.db.bob.lock" ] && ok "SQLite: one lock file per account" \
  || no "SQLite: lock files" "$(ls "$tmp")"
if URL=$(sh tests/pg/pg_server.sh start "$pgdir" 2>"$tmp/why"); then
  run PostgreSQL "$URL"
else
  no "a PostgreSQL server for the test" "$(cat "$tmp/why")"
fi
t "--account with capitals: exit 2, says what a name is" 2 "expected 1 to 32 of a-z" \
  --demo --headless --speed 0 --events 10 --db "$tmp/b.db" --account Alice
t "export --account with a space: exit 2" 2 "expected 1 to 32 of a-z" export trades --db "$tmp/a.db" --account "a b"
