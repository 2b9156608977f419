# Where the webhook listens, through the real binary: [::1] binds IPv6 loopback
# only, localhost binds 127.0.0.1, the log reports the address read back from
# the socket (the real port for :0), an unbracketed IPv6 address is refused,
# and a bind that fails (port taken, address not on this machine) stops the
# demo with exit status 2 and the reason, never a "listening" line.
BUILD=${BUILD:-build}
BIN=$BUILD/alphapulse
tmp=$(mktemp -d)
tok=$tmp/token
printf 'tok-9f2c61d0b7e34a58\n' > "$tok"; chmod 600 "$tok"
pids=""
ok() { echo "ok - $1"; }
notok() { echo "not ok - $1"; shift; for l in "$@"; do printf '#   %s\n' "$l"; done; }

# start NAME LISTEN: headless demo in the background, stderr to $tmp/NAME.err
start() {
  XDG_STATE_HOME=$tmp/state-$1 "$BIN" --demo --headless --speed 1 --db "$tmp/$1.db" \
    --webhook-listen "$2" --webhook-token-file "$tok" >/dev/null 2>"$tmp/$1.err" &
  eval "pid_$1=$!"; pids="$pids $!"
}
# wait_for NAME PATTERN: until the pattern is in stderr or the program exited (up to 30 s)
wait_for() {
  eval "p=\$pid_$1"; i=0
  while [ $i -lt 600 ]; do
    grep -q "$2" "$tmp/$1.err" 2>/dev/null && return 0
    kill -0 "$p" 2>/dev/null || { grep -q "$2" "$tmp/$1.err" 2>/dev/null; return $?; }
    sleep 0.05; i=$((i + 1))
  done
  return 1
}
# the port the log reports for NAME
port_of() { sed -n 's|.*listening on http://.*:\([0-9][0-9]*\)/webhook.*|\1|p' "$tmp/$1.err" | head -1; }
code() { curl -s -g -o /dev/null -m 5 -w '%{http_code}' -X POST --data x "$1"; }

if ! grep -q '^00000000000000000000000000000001 ' /proc/net/if_inet6 2>/dev/null; then
  echo "ok - # SKIP no IPv6 loopback on this machine"
else
  start v6 "[::1]:0"
  if wait_for v6 "listening on http://\[::1\]:[1-9][0-9]*/webhook"; then
    p=$(port_of v6)
    c6=$(code "http://[::1]:$p/webhook"); c4=$(code "http://127.0.0.1:$p/webhook")
    if [ "$c6" = 400 ] && [ "$c4" = 000 ]; then ok "[::1]:0 listens on IPv6 loopback only (port $p read back)"
    else notok "[::1]:0 listens on IPv6 loopback only" "IPv6 answer $c6 (want 400), IPv4 answer $c4 (want none)"; fi
  else
    notok "[::1]:0 listens on IPv6 loopback only" "$(cat "$tmp/v6.err")"
  fi
  kill "$pid_v6" 2>/dev/null
fi

start lh "localhost:0"
if wait_for lh "listening on http://127.0.0.1:[1-9][0-9]*/webhook"; then
  p=$(port_of lh)
  c=$(code "http://127.0.0.1:$p/webhook")
  if [ "$c" = 400 ]; then ok "localhost:0 binds 127.0.0.1 and answers (port $p)"
  else notok "localhost:0 binds 127.0.0.1 and answers" "answer $c (want 400)"; fi
else
  notok "localhost:0 binds 127.0.0.1 and answers" "$(cat "$tmp/lh.err")"
fi

kill "$pid_lh" 2>/dev/null

start v4 "127.0.0.1:0"
wait_for v4 "listening on http://127.0.0.1:[1-9][0-9]*/webhook"
p=$(port_of v4)
# the port taken by the first instance: the second must refuse to start (a
# wrongly accepted address would serve until stopped: each run is bounded)
if [ -z "$p" ]; then
  notok "a port in use stops the demo with exit 2 and the reason" "127.0.0.1:0 did not start" "$(cat "$tmp/v4.err")"
else
  out=$(XDG_STATE_HOME=$tmp/state-busy timeout 60 "$BIN" --demo --headless --speed 1 --db "$tmp/busy.db" \
        --webhook-listen "127.0.0.1:$p" --webhook-token-file "$tok" 2>&1 >/dev/null); rc=$?
  if [ $rc = 2 ] && printf '%s' "$out" | grep -q "127.0.0.1:$p: cannot listen there: Address already in use" &&
     ! printf '%s' "$out" | grep -q "listening"; then ok "a port in use stops the demo with exit 2 and the reason"
  else notok "a port in use stops the demo with exit 2 and the reason" "status $rc" "$out"; fi
fi
kill "$pid_v4" 2>/dev/null

out=$(XDG_STATE_HOME=$tmp/state-far timeout 60 "$BIN" --demo --headless --speed 1 --db "$tmp/far.db" \
      --webhook-listen "192.0.2.1:0" --webhook-token-file "$tok" 2>&1 >/dev/null); rc=$?
if [ $rc = 2 ] && printf '%s' "$out" | grep -q "192.0.2.1:0: cannot listen there: .*not an address of this machine" &&
   ! printf '%s' "$out" | grep -q "listening"; then ok "an address not on this machine stops the demo with exit 2"
else notok "an address not on this machine stops the demo with exit 2" "status $rc" "$out"; fi

out=$(timeout 60 "$BIN" --demo --headless --speed 1 --db "$tmp/bare.db" --webhook-listen "::1:8787" \
      --webhook-token-file "$tok" 2>&1 >/dev/null); rc=$?
if [ $rc = 2 ] && printf '%s' "$out" | grep -q "an IPv6 address goes in brackets, such as \[::1\]:8787"; then
  ok "::1:PORT without brackets is refused"
else notok "::1:PORT without brackets is refused" "status $rc" "$out"; fi

start any "0.0.0.0:0"
if wait_for any "listening on http://0.0.0.0:[1-9]" && grep -q "reachable from other machines" "$tmp/any.err"; then
  ok "0.0.0.0 is warned about"
else notok "0.0.0.0 is warned about" "$(cat "$tmp/any.err")"; fi
kill "$pid_any" 2>/dev/null

for p in $pids; do
  i=0; while kill -0 "$p" 2>/dev/null && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
  kill -9 "$p" 2>/dev/null
done
rm -rf "$tmp"
