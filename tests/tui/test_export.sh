# :export in the running demo: the file the status line names holds a header and
# exactly the rows it counts, all of the shown symbol and timeframe; JSON for a
# .json name, ~/ is $HOME; an unknown WHAT and an unwritable FILE say so and leave
# no file behind.
. tests/tui/tmux_helpers
DB=$TMP/e.db
mkdir -p "$TMP/home" "$TMP/out"
start 200 50 "LANG=C.UTF-8 HOME=$TMP/home XDG_CONFIG_HOME=$TMP/cfg XDG_STATE_HOME=$TMP/state $BIN --demo --db $DB"
check "demo is up" wait_for "BTCUSDT 1m" 15
tm send-keys -t t ]
check "] shows the second symbol" wait_for "BTCPERP 1m" 5

# stored candles of the shown series, read by the CLI on its own connection
# the demo replays at 60x: 30 candles take 30 s of replay, longer on a loaded machine
stored() { "$BIN" export candles --db "$DB" --symbol BTCPERP --timeframe 1m 2>/dev/null | tail -n +2 | wc -l; }
wait_stored() { i=0; while [ $i -lt 900 ]; do [ "$(stored)" -ge 30 ] && return 0; sleep 0.1; i=$((i + 1)); done; return 1; }
check "candles of BTCPERP 1m are stored" wait_stored

# type :LINE Enter
cmd() { tm send-keys -t t -l ":$1"; tm send-keys -t t Enter; }

cmd "export candles $TMP/out/c.csv"
check ":export candles reports on the status line" wait_for "exported " 10
msg=$(screen | grep -o "exported [0-9]* candles of [A-Z]* [0-9a-z]* to [^ ]*" | head -1)
n=$(echo "$msg" | sed -n 's/^exported \([0-9]*\) .*/\1/p')
[ "$msg" = "exported $n candles of BTCPERP 1m to $TMP/out/c.csv" ] \
  && ok "the message names the count, the shown symbol and timeframe, and the file" \
  || { echo "not ok - export message: '$msg'"; screen | tail -2 | sed 's/^/#   /'; }
[ -n "$n" ] && [ "$n" -ge 30 ] && ok "the count covers the candles seen stored before ($n >= 30)" || echo "not ok - count '$n'"
[ "$(head -1 "$TMP/out/c.csv" 2>/dev/null)" = "symbol,timeframe,open_time,open,high,low,close,volume,quote_volume,trades,flags,partial" ] \
  && ok "the file starts with the CSV header" || echo "not ok - header: $(head -1 "$TMP/out/c.csv" 2>&1)"
rows=$(tail -n +2 "$TMP/out/c.csv" 2>/dev/null | wc -l)
[ -n "$n" ] && [ "$rows" -eq "$n" ] && ok "the file holds as many rows as the message says" \
  || echo "not ok - $rows rows in the file, message says '$n'"
other=$(tail -n +2 "$TMP/out/c.csv" 2>/dev/null | grep -vc '^BTCPERP,1m,20')
[ "$rows" -gt 0 ] && [ "$other" -eq 0 ] && ok "every row is a BTCPERP 1m candle" \
  || echo "not ok - $other rows of another series: $(tail -n +2 "$TMP/out/c.csv" | grep -v '^BTCPERP,1m,' | head -2)"
[ ! -e "$TMP/out/c.csv.tmp" ] && ok "no FILE.tmp is left behind" || echo "not ok - c.csv.tmp left"

cmd "export candles $TMP/out/d.csv all 5m"
check "SYMBOL all and a TF: every symbol's 5m candles" wait_for "candles of all symbols 5m to $TMP/out/d.csv" 10
# the file appears (renamed from FILE.tmp) when the worker has written every row
d_done() { [ -e "$TMP/out/d.csv" ] && [ ! -e "$TMP/out/d.csv.tmp" ]; }
check "the export of every symbol's 5m candles completes" wait_for_fn d_done 30
syms=$(tail -n +2 "$TMP/out/d.csv" 2>/dev/null | cut -d, -f1 | sort -u | wc -l)
tfs=$(tail -n +2 "$TMP/out/d.csv" 2>/dev/null | cut -d, -f2 | sort -u)
[ "$syms" -gt 1 ] && [ "$tfs" = "5m" ] && ok "all: $syms symbols, timeframe 5m only" \
  || echo "not ok - all 5m: $syms symbols, timeframes '$tfs'"

cmd "export signals ~/sig.json all"
check "~/ expands to \$HOME; .json writes JSON" wait_for "of all symbols to $TMP/home/sig.json" 10
ns=$(screen | sed -n 's/.*exported \([0-9]*\) signals\{0,1\} of all symbols.*/\1/p' | head -1)
[ "$(head -c 1 "$TMP/home/sig.json" 2>/dev/null)" = "[" ] && [ "$(grep -c '^{"id":' "$TMP/home/sig.json")" = "$ns" ] \
  && ok "the JSON file is an array of $ns signals" || echo "not ok - sig.json: '$ns' signals? $(head -c 200 "$TMP/home/sig.json" 2>&1)"

cmd "export bogus $TMP/out/x"
check "an unknown WHAT is an error that lists the kinds" \
  wait_for "export bogus: unknown; expected candles, signals, trades, equity, journal or tape" 5
cmd "export candle $TMP/out/x"
check "a near miss gets a did-you-mean" wait_for "export candle: unknown, did you mean candles?" 5
[ ! -e "$TMP/out/x" ] && [ ! -e "$TMP/out/x.tmp" ] && ok "a rejected export writes nothing" \
  || echo "not ok - a file appeared for a rejected export"

cmd "export candles $TMP/out/no/such/dir/c.csv"
check "an unwritable FILE says why (strerror)" \
  wait_for "export candles: cannot write $TMP/out/no/such/dir/c.csv: No such file or directory" 10
[ ! -e "$TMP/out/no" ] && ok "and leaves no file" || echo "not ok - something was created under out/no"
cmd "export equity $TMP/out/e.csv BTCUSDT"
check "SYMBOL with equity is refused" wait_for "export equity: no SYMBOL (the account is one curve)" 5
cmd "export candles"
check "too few words give the usage" wait_for "usage: :export WHAT FILE [SYM] [TF]" 5
ls "$TMP/out" | grep -q '\.tmp$' && echo "not ok - a .tmp file is left in out/" || ok "no .tmp files anywhere"

tm send-keys -t t q
check "q quits with status 0" wait_for "EXIT=0" 10
