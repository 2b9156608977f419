#!/bin/sh
# A private PostgreSQL server for the tests: initdb in a temporary directory, a
# Unix socket in that directory, no TCP port. As root (CI) the server runs as the
# `postgres` system user the Debian package creates (initdb refuses root).
#
#   sh tests/pg/pg_server.sh start DIR    # DIR must not exist; prints the URL
#   sh tests/pg/pg_server.sh restart DIR  # pg_ctl restart (tests of an outage)
#   sh tests/pg/pg_server.sh stop DIR     # stops the server, removes DIR
#
# The URL (also written to DIR/url) names database `alphapulse` on the socket.
# When the server cannot be started the reason goes to stderr and the status is 1:
# the tests then fail with it, they never skip silently.
set -u
cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|restart|stop DIR" >&2; exit 2; }

bindir=""
for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
  [ -x "$d/initdb" ] && { bindir=$d; break; }
done
[ -z "$bindir" ] && command -v initdb >/dev/null 2>&1 && bindir=$(dirname "$(command -v initdb)")

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case $cmd in
start)
  [ -n "$bindir" ] || { echo "pg_server: no initdb found (install the postgresql package)" >&2; exit 1; }
  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    echo "pg_server: running as root and there is no postgres user to run the server as" >&2; exit 1
  fi
  mkdir -p "$dir" || exit 1
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  as_pg "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
    as_pg "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 || {
    echo "pg_server: initdb failed:" >&2; tail -5 "$dir/initdb.log" >&2; exit 1; }
  # small and quick: a test server, not a production one
  cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$dir'
max_connections = 60
shared_buffers = 64MB
max_locks_per_transaction = 256
CONF
  as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null 2>&1 || {
    echo "pg_server: the server did not start:" >&2; tail -10 "$dir/server.log" >&2; exit 1; }
  as_pg "$bindir/createdb" -h "$dir" -U postgres alphapulse 2>"$dir/createdb.log" || {
    echo "pg_server: createdb failed:" >&2; cat "$dir/createdb.log" >&2; exit 1; }
  url="postgresql://postgres@/alphapulse?host=$dir"
  echo "$url" >"$dir/url"
  echo "$url"
  ;;
restart)
  as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -m fast restart >/dev/null 2>&1 || {
    echo "pg_server: restart failed:" >&2; tail -10 "$dir/server.log" >&2; exit 1; }
  ;;
stop)
  [ -d "$dir/data" ] && as_pg "$bindir/pg_ctl" -D "$dir/data" -w -t 60 -m immediate stop >/dev/null 2>&1
  rm -rf "$dir"
  ;;
*) echo "usage: $0 start|restart|stop DIR" >&2; exit 2 ;;
esac
