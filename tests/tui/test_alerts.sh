# The alerts log screen: a paper fill raises an alert that rings the bell and is
# listed with its channel; the webhook endpoint's counters are shown; A toggles.
. tests/tui/tmux_helpers
DB=$TMP/alerts.db
printf 'tok-0123456789abcdef\n' > "$TMP/tok"; chmod 600 "$TMP/tok"
# a port can be taken by another test or program: try a few until one listens,
# below Linux's ephemeral range (32768 up), where the webhook flood test's
# thousands of closed client connections wait out TIME_WAIT
n=0
while [ $n -lt 5 ]; do
  PORT=$((20000 + ($$ * 7 + n * 1031) % 12000))
  start 140 40 "LANG=C.UTF-8 $BIN --demo --db $DB --webhook-listen 127.0.0.1:$PORT --webhook-token-file $TMP/tok"
  wait_for "BTCUSDT 1m" 15 && break
  screen | grep -q "cannot listen there" || break
  n=$((n + 1))
done
check "demo is up" wait_for "BTCUSDT 1m" 15
check "a price has arrived" wait_price 10
tm send-keys -t t b
check "b opens the order ticket" wait_for "Order ticket" 5
tm send-keys -t t Enter
check "the buy fills" wait_for "LONG" 5
tm send-keys -t t A
check "A opens the alerts log" wait_for "Alerts  raised" 3
check "the fill is listed as an alert" wait_for "fill        BTCUSDT" 3
check "delivered to the bell" wait_for "bell+" 3
check "the webhook endpoint is shown" wait_for "Webhook in  http://127.0.0.1:$PORT/webhook" 3
tm send-keys -t t A
check "A goes back to the chart" wait_gone "Alerts  raised" 3
tm send-keys -t t q
check "q quits with status 0" wait_for "EXIT=0" 5
