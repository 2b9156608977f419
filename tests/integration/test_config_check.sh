# One configuration check through the real binary: --check-config refuses what
# the start refuses (the alerts and webhook sections, ui.keys), with the same
# file:line:col messages; a FIFO, a directory and a file over 1 MiB are refused
# before reading, with what they are.
BUILD=${BUILD:-build}
BIN=$BUILD/alphapulse
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ok() { echo "ok - $1"; }
no() { echo "not ok - $1"; [ -n "$2" ] && printf '%s\n' "$2" | sed 's/^/#   /'; }

printf '{"alerts": {"bell": "loud", "rules": {"fill": {"channels": ["bell", "pager"]}}}}\n' > "$tmp/alerts.json"
printf '{"webhook": {"listen": "somewhere"}}\n' > "$tmp/webhook.json"
printf '{"ui": {"keys": {"Kk": "tf 4h"}}}\n' > "$tmp/keyname.json"
printf '{"ui": {"keys": {"K": "nosuch"}}}\n' > "$tmp/keycmd.json"
want_alerts='alerts.json:1:13: alerts.bell: "loud" is not a bell mode'
want_webhook='webhook.json:1:14: webhook.listen: expected true, false or "ADDR:PORT"'
want_keyname='keyname.json:1:18: ui.keys.Kk: unknown key name'
want_keycmd='keycmd.json:1:18: ui.keys.K: unknown command "nosuch"'
for f in alerts webhook keyname keycmd; do
  eval want=\$want_$f
  chk=$("$BIN" --check-config --config "$tmp/$f.json" 2>&1 >/dev/null); rc=$?
  [ "$rc" = 2 ] && printf '%s\n' "$chk" | grep -qF -- "$want" \
    && ok "--check-config refuses the $f file at file:line:col, exit 2" \
    || no "--check-config on the $f file (status $rc)" "$chk"
  run=$("$BIN" --demo --headless --speed 0 --events 10 --db "$tmp/$f.db" --config "$tmp/$f.json" 2>&1 >/dev/null); rc=$?
  [ "$rc" = 2 ] && [ "$(printf '%s\n' "$run" | grep -F "$f.json")" = "$(printf '%s\n' "$chk" | grep -F "$f.json")" ] \
    && ok "the start refuses the $f file with the same messages" \
    || no "the start on the $f file (status $rc)" "$run"
done
out=$("$BIN" --check-config --config "$tmp/alerts.json" 2>&1); rc=$?
printf '%s\n' "$out" | grep -qF 'alerts.json:1:69: alerts.rules.fill.channels[1]: "pager" is not a channel' &&
  printf '%s\n' "$out" | grep -qF 'alerts.json: 2 problems; not starting' \
  && ok "every problem of the alerts section at once" || no "every problem at once" "$out"

# a valid alerts and webhook section: shown with sources, secrets hidden
printf '{"alerts": {"bell": "flash", "telegram": {"token": "123:SECRETVALUE"}}, "webhook": {"listen": "127.0.0.1:0", "token": "0123456789abcdefXYZ"}}\n' > "$tmp/good.json"
chmod 600 "$tmp/good.json"
out=$("$BIN" --check-config --config "$tmp/good.json" 2>&1); rc=$?
[ "$rc" = 0 ] && printf '%s\n' "$out" | grep -qF 'alerts.bell = "flash"  (file)' &&
  printf '%s\n' "$out" | grep -qF 'alerts.telegram.token = "(hidden)"  (file)' &&
  ! printf '%s\n' "$out" | grep -q 'SECRETVALUE\|0123456789abcdefXYZ' \
  && ok "--check-config prints the alerts and webhook sections without their secrets" \
  || no "--check-config on a valid alerts section (status $rc)" "$out"

# files that are not a configuration: refused before reading
mkfifo "$tmp/fifo"
# timeout only guards against a hang (the old behaviour); a pass never comes near it
out=$(timeout 60 "$BIN" --check-config --config "$tmp/fifo" 2>&1); rc=$?
[ "$rc" = 2 ] && printf '%s\n' "$out" | grep -qF 'fifo: is not a regular file' \
  && ok "a FIFO as --config is refused at once, exit 2" || no "FIFO as --config (status $rc)" "$out"
mkdir "$tmp/dir"
out=$("$BIN" --check-config --config "$tmp/dir" 2>&1); rc=$?
[ "$rc" = 2 ] && printf '%s\n' "$out" | grep -qF 'dir: is a directory (expected a JSON configuration file)' &&
  ! printf '%s\n' "$out" | grep -qF ':1:0' \
  && ok "a directory as --config says so, exit 2" || no "directory as --config (status $rc)" "$out"
# valid JSON, 2 MB of it: refused by size, not parsed
{ printf '{"paper": {"balance": 5000}}'; head -c 2000000 /dev/zero | tr '\0' ' '; echo; } > "$tmp/big.json"
out=$("$BIN" --check-config --config "$tmp/big.json" 2>&1); rc=$?
[ "$rc" = 2 ] && printf '%s\n' "$out" | grep -qF 'big.json: is 2000029 bytes, more than a configuration file may hold (1 MiB = 1048576 bytes)' \
  && ok "a config file over 1 MiB is refused, exit 2" || no "2 MB config (status $rc)" "$out"
