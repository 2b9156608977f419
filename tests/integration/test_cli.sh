# Command line: help, version, usage errors and their exit codes.
BUILD=${BUILD:-build}
BIN=$BUILD/alphapulse
t() { # t NAME EXPECTED_STATUS PATTERN args...
  name=$1; want=$2; pat=$3; shift 3
  out=$("$BIN" "$@" 2>&1); rc=$?
  if [ "$rc" = "$want" ] && printf '%s' "$out" | grep -q -- "$pat"; then echo "ok - $name"
  else echo "not ok - $name (status $rc, want $want)"; printf '%s\n' "$out" | sed 's/^/#   /'; fi
}
t "--help prints usage, exit 0" 0 "usage: alphapulse" --help
t "--version prints the version, exit 0" 0 "alphapulse [0-9]" --version
t "unknown option: usage on stderr, exit 2" 2 "unknown or incomplete option --bogus" --bogus
t "stray argument: exit 2" 2 "unexpected argument" --demo stray
t "bad --speed: names the option, exit 2" 2 "\-\-speed fast: expected a number" --demo --speed fast
t "missing option value: exit 2" 2 "unknown or incomplete option --db" --demo --db
tmp=$(mktemp -d)
echo '{"paper": {"balance": -5}}' > "$tmp/bad.json"
t "invalid config value: names the file, position and key, exit 2" 2 "bad.json:1:12: paper.balance: -5 is out of range" --demo --config "$tmp/bad.json" --db "$tmp/x.db" --headless
echo '{"paper": {"balance": 5000, "colour": 1}}' > "$tmp/bad2.json"
t "unknown config key: exit 2" 2 "bad2.json:1:29: paper.colour: unknown key" --demo --config "$tmp/bad2.json" --db "$tmp/x.db" --headless
echo '{"paper": ' > "$tmp/bad3.json"
t "broken JSON: file:line:column, exit 2" 2 "bad3.json:[0-9]*:[0-9]*:" --demo --config "$tmp/bad3.json" --db "$tmp/x.db" --headless
echo 'not a database, just text' > "$tmp/text.db"
t "a file that is not SQLite: clear error, exit 1" 1 "not an SQLite database\|file is not a database" --demo --db "$tmp/text.db" --headless
t "--symbols that are not in the demo: exit 1" 1 "none of these is in the demo data" --demo --symbols NOPE --db "$tmp/y.db" --headless
t "headless demo run ends with status 0" 0 "" --demo --headless --speed 0 --events 3000 --db "$tmp/z.db"
# venue-qualified symbols: an unknown venue is named with the known ones, before
# any connection; binance:X is X
t "--symbols with an unknown venue: exit 2, the known venues named" 2 "unknown venue \"kraken\" (known venues: binance" \
  collect --symbols BTCUSDT,kraken:XBTUSD --db "$tmp/v.db"
t "--symbols with a malformed symbol: exit 2" 2 "'BTC/USDT': expected letters and digits" collect --symbols BTC/USDT --db "$tmp/v.db"
t "--symbols binance:BTCUSDT and BTCUSDT are the same symbol" 2 "BTCUSDT is listed twice" \
  collect --symbols binance:btcusdt,BTCUSDT --db "$tmp/v.db"
t "demo: --symbols binance:BTCUSDT selects the demo's BTCUSDT" 0 "" --demo --symbols binance:BTCUSDT --headless --speed 0 \
  --events 300 --db "$tmp/w.db"
t "export --symbol with an unknown venue: exit 2" 2 "unknown venue \"okx\"" export candles --symbol okx:BTCUSDT \
  --db "$tmp/w.db" --output "$tmp/out.csv"
echo '{"paper": {"balance": 5000}}' > "$tmp/good.json"
t "--check-config shows the file's value and its source" 0 "paper.balance = 5000  (file)" --check-config --config "$tmp/good.json"
t "--set overrides the file" 0 "paper.balance = 7000  (command line)" --check-config --config "$tmp/good.json" --set paper.balance=7000
t "--set with a bad value: exit 2" 2 "paper.balance: -1 is out of range" --check-config --set paper.balance=-1
t "--set venues.bybit.rest_url takes a loopback http:// URL" 0 "venues.bybit.rest_url = \"http://127.0.0.1:9\"  (command line)" \
  --check-config --set venues.bybit.rest_url=http://127.0.0.1:9
t "--set venues.binance.ws_url refuses an https:// URL" 2 "venues.binance.ws_url" --check-config --set venues.binance.ws_url=https://x
printf '{\n  "venues": {"bybit": {"ws_ur": "ws://127.0.0.1:9"}}\n}\n' > "$tmp/venue_typo.json"
t "a typo under venues: file:line:col and the key it meant" 2 "venue_typo.json:2:24: venues.bybit.ws_ur: unknown key (did you mean venues.bybit.ws_url?)" \
  --check-config --config "$tmp/venue_typo.json"
t "--check-config on a bad file: every problem, exit 2" 2 "bad2.json: 1 problem; not starting" --check-config --config "$tmp/bad2.json"
printf '{"ui": {"keys": {"Kk": "tf 4h"}}}' > "$tmp/keys1.json"
t "ui.keys: an unknown key name stops the start, exit 2" 2 "keys1.json:1:18: ui.keys.Kk: unknown key name" --demo --headless --events 10 --db "$tmp/k.db" --config "$tmp/keys1.json"
printf '{"ui": {"keys": {"K": "nosuch"}}}' > "$tmp/keys2.json"
t "ui.keys: an unknown command stops the start, exit 2" 2 "keys2.json:1:18: ui.keys.K: unknown command \"nosuch\"" --demo --headless --events 10 --db "$tmp/k.db" --config "$tmp/keys2.json"
printf '{"ui": {"keys": {"K": "tf 4h", "x": "none"}}}' > "$tmp/keys3.json"
t "ui.keys: shown by --check-config with its source" 0 'ui.keys = {"K": "tf 4h", "x": "none"}  (file)' --check-config --config "$tmp/keys3.json"
rm -rf "$tmp"
