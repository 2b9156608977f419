#!/bin/sh
# Makes sure the build's libraries are installed; with --tests also what the tests
# use: tmux, sqlite3, curl and openssl (test_live_tls.sh makes its certificates with
# the openssl command) and the PostgreSQL server for the tests of the PostgreSQL
# store. `make run` needs only the first part, so the demo never installs a server.
# On Debian/Ubuntu missing packages are installed with apt-get (sudo when not root);
# elsewhere we name what is missing and stop.
pkgs="ncursesw libwebsockets jansson sqlite3 libcurl openssl libpq"
debs="pkg-config libncurses-dev libwebsockets-dev libjansson-dev libsqlite3-dev libcurl4-openssl-dev libssl-dev libpq-dev"
tests=false
[ "$1" = "--tests" ] && { tests=true; debs="$debs postgresql tmux sqlite3 curl openssl"; }
missing=""
command -v pkg-config >/dev/null 2>&1 || missing="pkg-config"
for p in $pkgs; do
  pkg-config --exists "$p" 2>/dev/null || missing="$missing $p"
done
if $tests; then
  for c in tmux sqlite3 curl openssl; do command -v $c >/dev/null 2>&1 || missing="$missing $c"; done
  # the server binaries (initdb, pg_ctl) live outside PATH on Debian
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || missing="$missing postgresql"
fi
[ -z "$missing" ] && exit 0
echo "alphapulse: missing build dependencies:$missing"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "alphapulse: no apt-get here; install the development packages of:" >&2
  echo "  pkg-config, ncursesw, libwebsockets, jansson, sqlite3, libcurl, openssl (libssl), libpq;" >&2
  $tests && echo "  and for the tests tmux, the sqlite3, curl and openssl commands and the PostgreSQL server (initdb, pg_ctl)" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "alphapulse: not root and no sudo; as root run: apt-get install $debs" >&2; exit 1
  fi
fi
echo "alphapulse: installing with apt-get: $debs"
$sudo apt-get update -qq || true
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $debs >/dev/null || {
  echo "alphapulse: apt-get install failed; install these packages: $debs" >&2; exit 1; }
