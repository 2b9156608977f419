# File modes through the real binary under umask 000: the database, its -wal and
# -shm, the log and an export hold the account and its journal, so each is
# created owner-only (0600) and the directories made for them 0700.
BUILD=${BUILD:-build}
BIN=$(cd "$(dirname "$BUILD/alphapulse")" && pwd)/alphapulse
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -TERM $pid 2>/dev/null; rm -rf "$tmp"' EXIT
ok() { echo "ok - $1"; }
no() { echo "not ok - $1"; [ -n "$2" ] && printf '%s\n' "$2" | sed 's/^/#   /'; }
mode() { stat -c %a "$1" 2>/dev/null || echo missing; }
is_mode() { # is_mode NAME FILE WANT
  m=$(mode "$2"); [ "$m" = "$3" ] && ok "$1: $3" || no "$1: mode $m, want $3"
}

umask 000
export XDG_STATE_HOME="$tmp/state" XDG_DATA_HOME="$tmp/data"
# a run that lasts: real-time replay, killed below once the files are checked
"$BIN" --demo --headless --speed 1 --db "$tmp/m.db" >/dev/null 2>"$tmp/err" &
pid=$!
# the WAL and shared-memory files exist once the store has opened the database
i=0
while [ $i -lt 600 ] && { [ ! -s "$tmp/m.db-wal" ] || [ ! -e "$tmp/m.db-shm" ]; } && kill -0 $pid 2>/dev/null; do
  sleep 0.1; i=$((i + 1))
done
is_mode "database under umask 000" "$tmp/m.db" 600
is_mode "its -wal" "$tmp/m.db-wal" 600
is_mode "its -shm" "$tmp/m.db-shm" 600
is_mode "log under umask 000" "$tmp/state/alphapulse/alphapulse.log" 600
is_mode "the log's directory" "$tmp/state/alphapulse" 700
# how the run stops is not this test's business: SIGKILL is immediate
kill -KILL $pid; wait $pid 2>/dev/null; pid=

# the database made by a headless run that ends by itself
"$BIN" --demo --headless --speed 0 --events 200 --db "$tmp/n.db" >/dev/null 2>&1
is_mode "a database from a finished run" "$tmp/n.db" 600

out=$("$BIN" export journal --db "$tmp/n.db" --output "$tmp/journal.csv" 2>&1); rc=$?
[ "$rc" = 0 ] && ok "export journal --output" || no "export status $rc" "$out"
is_mode "export under umask 000" "$tmp/journal.csv" 600
# a FILE.tmp left behind with an open mode does not leak that mode into the export
: > "$tmp/trades.csv.tmp"; chmod 666 "$tmp/trades.csv.tmp"
"$BIN" export trades --db "$tmp/n.db" --output "$tmp/trades.csv" >/dev/null 2>&1
is_mode "export over a stale 0666 FILE.tmp" "$tmp/trades.csv" 600

