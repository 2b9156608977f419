# Webhook options on the command line: a listener without a token, a bad address,
# and a missing token file are refused with exit status 2 and a clear message.
BUILD=${BUILD:-build}
BIN=$BUILD/alphapulse
tmp=$(mktemp -d)
t() { # t NAME EXPECTED_STATUS PATTERN args...
  name=$1; want=$2; pat=$3; shift 3
  out=$(ALPHAPULSE_WEBHOOK_TOKEN= "$BIN" "$@" 2>&1); rc=$?
  if [ "$rc" = "$want" ] && printf '%s' "$out" | grep -q -- "$pat"; then echo "ok - $name"
  else echo "not ok - $name (status $rc, want $want)"; printf '%s\n' "$out" | sed 's/^/#   /'; fi
}
t "listening without a token is refused" 2 "needs a shared token of at least 16 characters" \
  --demo --headless --db "$tmp/a.db" --webhook-listen 127.0.0.1:18999
t "a bad listen address names the option" 2 "webhook-listen: .*expected A.B.C.D:PORT" \
  --demo --headless --db "$tmp/a.db" --webhook-listen 127.0.0.1:http
t "a missing token file is named" 2 "/nonexistent/tok: cannot read" \
  --demo --headless --db "$tmp/a.db" --webhook-listen 18999 --webhook-token-file /nonexistent/tok
echo '{"alerts": {"rules": {"fill": {"channels": ["pager"]}}}}' > "$tmp/bad.json"
t "a bad alerts section names file, position and key" 2 "bad.json:1:45: alerts.rules.fill.channels\[0\]: \"pager\" is not a channel" \
  --demo --headless --db "$tmp/a.db" --config "$tmp/bad.json"
printf '{"webhook": {"token": "inline-token-0123456789"}}\n' > "$tmp/open.json"; chmod 644 "$tmp/open.json"
t "a world-readable config holding a secret is warned about" 0 "open.json holds a secret.*readable by group or others" \
  --demo --headless --speed 0 --events 10 --db "$tmp/b.db" --config "$tmp/open.json"
rm -rf "$tmp"
