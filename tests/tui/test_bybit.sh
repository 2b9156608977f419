# The TUI on a Bybit perpetual from the fake Bybit server (endpoints set with
# --set venues.bybit.*): the header shows the mark price, the funding rate and
# the next funding time, the watchlist the rate; a paper long held across a
# funding time pays funding, journalled in the log and the database: each payment
# is qty x mark x rate with the mark and rate of the server's truth (/funding).
. tests/tui/tmux_helpers
FB=$(pwd)/$BUILD/tests/fake_exchange/fake_bybit
"$FB" --csv data/binance_BTCUSDT_1m_2024.csv --linear BTCUSDT --port 0 --tick-ms 200 --funding-every 10 \
  >"$TMP/fb.out" 2>&1 &
FBPID=$!
trap 'kill $FBPID 2>/dev/null; for s in $SOCKS; do tmux -L "$s" kill-server 2>/dev/null; done; rm -rf "$TMP"' EXIT
i=0; PORT=""
while [ $i -lt 50 ] && [ -z "$PORT" ]; do PORT=$(awk '/^port /{print $2}' "$TMP/fb.out" 2>/dev/null); sleep 0.1; i=$((i + 1)); done
start 200 50 "XDG_STATE_HOME=$TMP $BIN --db $TMP/bybit.db --symbols bybit-linear:BTCUSDT --set venues.bybit.rest_url=http://127.0.0.1:$PORT --set venues.bybit.ws_url=ws://127.0.0.1:$PORT"
check "bybit TUI: the header shows the feed is live" wait_for "[bybit: live" 20
check "bybit TUI: the market is named" wait_for "Bybit USDT perpetual" 5
check "bybit TUI: the header shows the mark and the funding rate" wait_re "mark [0-9.]+ fund \+0\.0[0-9]+% @[0-9][0-9]:[0-9][0-9]" 100
check "bybit TUI: the watchlist shows the funding rate" wait_re "f\+0\.0[0-9]+%" 50
tm send-keys -t t b
check "b: the order ticket for the perpetual" wait_for "Order ticket bybit-linear:BTCUSDT" 5
tm send-keys -t t Enter
check "a long position opens" wait_for "LONG" 20
check "a funding time passes: the long pays, journalled" wait_re "funding bybit-linear:BTCUSDT: long [0-9.]+ @ mark [0-9.]+ rate 0\.0[0-9]+%: paid" 150
tm send-keys -t t q
check "q quits with status 0" wait_for "EXIT=0" 10
sqlite3 "$TMP/bybit.db" "SELECT text FROM journal WHERE text LIKE 'funding bybit-linear:BTCUSDT:%'" >"$TMP/fund.txt"
curl -s --max-time 5 "http://127.0.0.1:$PORT/funding?symbol=BTCUSDT" >"$TMP/fund_truth.csv"
# every journalled payment: its mark and rate are one funding time's truth, and
# paid = qty x mark x rate (the journal prints 4 decimals, the mark to its 0.1 tick)
fund_ok() {
  awk -F, 'NR == FNR { m[NR] = $2; r[NR] = $3; n = NR; next }
    { sub(/.*: long /, ""); q = $0 + 0; sub(/.*@ mark /, ""); mk = $0 + 0; sub(/.* rate /, ""); rt = ($0 + 0) / 100;
      sub(/.*paid /, ""); paid = $0 + 0; found = 0
      for (i = 1; i <= n; i++) {
        d = mk - m[i]; if (d < 0) d = -d; e = rt - r[i]; if (e < 0) e = -e
        if (d <= 0.050001 && e < 1e-12) { want = q * m[i] * r[i]; f = paid - want; if (f < 0) f = -f; if (f <= 0.0000501) found = 1 }
      }
      lines++; good += found; if (!found) print "# no truth for: " $0 }
    END { if (lines < 1) print "# no funding line in the journal"; exit !(lines >= 1 && good == lines) }' \
    "$TMP/fund_truth.csv" "$TMP/fund.txt"
}
check "every journalled funding payment is exactly qty x mark x rate of the truth" fund_ok
