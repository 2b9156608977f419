# Live collection over real TLS: the fake exchange serves https:// and wss://
# with certificates from a throwaway CA made here with the openssl command.
# With feed.ca_file naming that CA, REST backfill and WebSocket candles arrive
# and are stored exactly as over plain HTTP (compared with the server's truth).
# Refused, each with the reason in the header line and the log, never a silent
# hang: the system's trust store (no feed.ca_file), a certificate for another
# host, one from another CA, an expired one, a plain server on a wss:// URL.
# Verification has no switch to turn it off, so none is tried.
. tests/integration/live_helpers
command -v openssl >/dev/null 2>&1 || { nok "the openssl command is installed (tests/deps.sh installs it)"; exit 0; }

# ---- the throwaway PKI ------------------------------------------------------
PKI=$TMP/pki; mkdir -p "$PKI"
# mkca NAME CN: a CA certificate and key
mkca() {
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$PKI/$1.key" -out "$PKI/$1.pem" -days 2 -subj "/CN=$2" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" >/dev/null 2>&1
}
# mkcert NAME CA CN SAN: a server certificate signed by CA, valid from now for two days
mkcert() {
  openssl req -newkey rsa:2048 -nodes -keyout "$PKI/$1.key" -out "$PKI/$1.csr" -subj "/CN=$3" >/dev/null 2>&1 &&
  printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' "$4" >"$PKI/$1.ext" &&
  openssl x509 -req -in "$PKI/$1.csr" -CA "$PKI/$2.pem" -CAkey "$PKI/$2.key" -CAcreateserial -days 2 \
    -extfile "$PKI/$1.ext" -out "$PKI/$1.pem" >/dev/null 2>&1
}
# mkexpired NAME CA CN SAN: the same, valid for one day in January 2020 (x509 -req cannot backdate)
mkexpired() {
  mkdir -p "$PKI/ca-db" && : >"$PKI/ca-db/index.txt" && echo 01 >"$PKI/ca-db/serial" &&
  printf '[ca]\ndefault_ca=d\n[d]\ndatabase=%s\nnew_certs_dir=%s\nserial=%s\ndefault_md=sha256\npolicy=p\n[p]\ncommonName=supplied\n' \
    "$PKI/ca-db/index.txt" "$PKI/ca-db" "$PKI/ca-db/serial" >"$PKI/ca-db/ca.cnf" &&
  openssl req -newkey rsa:2048 -nodes -keyout "$PKI/$1.key" -out "$PKI/$1.csr" -subj "/CN=$3" >/dev/null 2>&1 &&
  printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' "$4" >"$PKI/$1.ext" &&
  openssl ca -batch -config "$PKI/ca-db/ca.cnf" -cert "$PKI/$2.pem" -keyfile "$PKI/$2.key" -in "$PKI/$1.csr" \
    -out "$PKI/$1.pem" -startdate 20200101000000Z -enddate 20200102000000Z -extfile "$PKI/$1.ext" >/dev/null 2>&1
}
mkca ca "AlphaPulse test CA" && mkca stranger_ca "Some other CA" &&
  mkcert localhost ca localhost "DNS:localhost,IP:127.0.0.1" &&
  mkcert otherhost ca otherhost "DNS:otherhost" &&
  mkcert stranger stranger_ca localhost "DNS:localhost,IP:127.0.0.1" &&
  mkexpired expired ca localhost "DNS:localhost,IP:127.0.0.1"
check "openssl made a CA and certificates for localhost, otherhost, another CA and an expired one" \
  test -s "$PKI/localhost.pem" -a -s "$PKI/otherhost.pem" -a -s "$PKI/stranger.pem" -a -s "$PKI/expired.pem"
check "the certificates are what the cases below need (openssl verify)" sh -c \
  "openssl verify -CAfile '$PKI/ca.pem' '$PKI/localhost.pem' '$PKI/otherhost.pem' >/dev/null 2>&1 &&
   ! openssl verify -CAfile '$PKI/ca.pem' '$PKI/stranger.pem' >/dev/null 2>&1 &&
   openssl verify -CAfile '$PKI/ca.pem' '$PKI/expired.pem' 2>&1 | grep -q 'certificate has expired'"

# fx_tls NAME CERT [args]: another fake exchange over TLS with CERT; sets NAME_PORT
fx_tls() {
  "$FX" --csv "$CSV" --symbols BTCUSDT,ETHUSDT --port 0 --tls-cert "$PKI/$2.pem" --tls-key "$PKI/$2.key" \
    >"$TMP/fx-$1.out" 2>&1 &
  PIDS="$PIDS $!"
  i=0; p=""
  while [ $i -lt 50 ] && [ -z "$p" ]; do p=$(awk '/^port /{print $2}' "$TMP/fx-$1.out" 2>/dev/null); sleep 0.1; i=$((i + 1)); done
  eval "$1_PORT=\$p"
  [ -n "$p" ]
}
# config FILE REST WS [CA]: a configuration naming the endpoints and feed.ca_file
config() {
  if [ -n "$4" ]; then ca="\"ca_file\": \"$4\""; else ca=""; fi
  printf '{"venues": {"binance": {"rest_url": "%s", "ws_url": "%s"}}, "feed": {%s}}\n' "$2" "$3" "$ca" >"$1"
}
# port_stat NAME PORT FIELD: a counter of the fake exchange on PORT whose certificate
# is for NAME (read over TLS, the name resolved to 127.0.0.1)
port_stat() {
  fx_curl --resolve "$1:$2:127.0.0.1" "https://$1:$2/control?action=stats" | sed -n "s/.*\"$3\":\([0-9]*\).*/\1/p"
}
URLS_FROM_CONFIG=1

# ---- trusted: the same data as over plain HTTP --------------------------------
fx_start BTCUSDT,ETHUSDT --tls-cert "$PKI/localhost.pem" --tls-key "$PKI/localhost.key" ||
  { nok "fake exchange starts with --tls-cert"; exit 0; }
FX_BASE=https://localhost; FX_CURL="--cacert $PKI/ca.pem"
GOOD=$PORT
check "the fake exchange answers https:// to a client trusting the test CA" \
  test "$(fx_curl "https://localhost:$GOOD/api/v3/ping")" = "{}"
check "and refuses plain http:// on its TLS port" sh -c "! curl -s --max-time 3 http://127.0.0.1:$GOOD/api/v3/ping >/dev/null"
check "curl without the test CA refuses it (the CA is not in the system's store)" \
  sh -c "! curl -s --max-time 3 https://localhost:$GOOD/api/v3/ping >/dev/null"
config "$TMP/tls.json" "https://localhost:$GOOD" "wss://localhost:$GOOD" "$PKI/ca.pem"
check "--check-config shows feed.ca_file from the file" sh -c \
  "'$BIN' --config '$TMP/tls.json' --check-config | grep -qF 'feed.ca_file = \"$PKI/ca.pem\"  (file)'"
t0=$(stat_field open_time)
collect_start BTCUSDT,ETHUSDT --config "$TMP/tls.json" --ws-max-age 2
check "TLS: collect stores live candles" wait_rows BTCUSDT 1500 10
check "TLS: the feed reports live" wait_log "feed: live" 5
check "TLS: the WebSocket is wss:// to localhost" grep -q "ws: connected to wss://localhost:$GOOD" "$TMP/collect.log"
lo=$(sqlite3 "$DB" "SELECT min(open_time) FROM candles WHERE symbol='BTCUSDT' AND timeframe='1m'")
check "TLS: REST back-filled the history over https (1000+ candles before the first live one)" \
  test "${lo:-0}" -gt 0 -a "${lo:-0}" -le $(( ${t0:-0} - 1000 * 60000 ))
check "TLS: WebSocket candles keep arriving" advancing BTCUSDT
check "stored BTCUSDT 1m over TLS equals the server's truth" truth_ok BTCUSDT
check "stored ETHUSDT 1m over TLS equals the server's truth" truth_ok ETHUSDT
check "TLS: server pings are answered with pongs" wait_stat pongs 2 4
check "TLS: planned reconnects (--ws-max-age 2) handshake again" wait_log "planned reconnect" 5
check "TLS: still live after the planned reconnect" advancing ETHUSDT
check "TLS: no candle lost across planned reconnects" truth_ok ETHUSDT
check "TLS: no TLS error in the log" sh -c "! grep -q 'TLS:' '$TMP/collect.log'"
collect_stop
check "TLS: SIGTERM exits 0" test "$STOP_RC" = 0

# refused: start each with an empty database and a fresh log
refused_start() {   # CONFIG
  collect_stop >/dev/null 2>&1
  rm -f "$TMP/live.db" "$TMP/live.db-wal" "$TMP/live.db-shm" "$TMP/collect.log"
  collect_start BTCUSDT --config "$1"
}

# ---- refused: the system's trust store does not know the test CA --------------
rest0=$(stat_field rest)
config "$TMP/system.json" "https://localhost:$GOOD" "wss://localhost:$GOOD"
refused_start "$TMP/system.json"
check "no feed.ca_file: the header says the certificate is not trusted (REST)" \
  wait_log "feed: error: TLS: certificate not trusted (REST)" 5
check "no feed.ca_file: the log names the reason and the trust store" \
  grep -q "error rest: TLS: certificate not trusted: https://localhost:$GOOD not accepted (.*unable to get local issuer certificate; trusting the system's CA store); .*feed.ca_file" "$TMP/collect.log"
check "no feed.ca_file: no request got through the handshake" test "$(stat_field rest)" = "$rest0"
check "no feed.ca_file: nothing stored" test "$(rows BTCUSDT)" = 0
retried() { test "$(grep -c 'rest: BTCUSDT: TLS refused' "$TMP/collect.log")" -ge 2; }
check "no feed.ca_file: it keeps retrying with backoff (not hung)" eventually 10 retried
check "no feed.ca_file: the explanation is logged once, not per retry" \
  test "$(grep -c 'error rest: TLS:' "$TMP/collect.log")" = 1
collect_stop
check "no feed.ca_file: SIGTERM still exits 0" test "$STOP_RC" = 0

# ---- refused: a certificate for another host name ------------------------------
fx_tls other otherhost || nok "second fake exchange (otherhost) starts"
config "$TMP/other-ws.json" "https://localhost:$GOOD" "wss://localhost:$other_PORT" "$PKI/ca.pem"
refused_start "$TMP/other-ws.json"
check "WS to a certificate for otherhost: the header says so" \
  wait_log "feed: backoff in [0-9]* s: TLS: certificate for another host (WS)" 5
check "WS to otherhost: the log says hostname mismatch" \
  grep -q "error ws: TLS: certificate for another host: wss://localhost:$other_PORT not accepted (TLS certificate verify failed: hostname mismatch" "$TMP/collect.log"
check "WS to otherhost: no WebSocket was accepted" test "$(port_stat otherhost "$other_PORT" connections_total)" = 0
check "WS to otherhost: nothing stored" test "$(rows BTCUSDT)" = 0
ws_retried() { test "$(grep -c 'ws: connecting to' "$TMP/collect.log")" -ge 2; }
check "WS to otherhost: it keeps retrying with backoff (not hung)" eventually 10 ws_retried
config "$TMP/other-rest.json" "https://localhost:$other_PORT" "wss://localhost:$GOOD" "$PKI/ca.pem"
refused_start "$TMP/other-rest.json"
check "REST to a certificate for otherhost: the header says so" \
  wait_log "feed: error: TLS: certificate for another host (REST)" 5
check "REST to otherhost: the log has libcurl's reason" \
  grep -q "no alternative certificate subject name matches target host name 'localhost'" "$TMP/collect.log"
check "REST to otherhost: no request got through" test "$(port_stat otherhost "$other_PORT" rest)" = 0

# ---- refused: another CA's certificate, an expired one --------------------------
fx_tls stranger stranger || nok "third fake exchange (other CA) starts"
config "$TMP/stranger.json" "https://localhost:$GOOD" "wss://localhost:$stranger_PORT" "$PKI/ca.pem"
refused_start "$TMP/stranger.json"
check "WS to another CA's certificate: not trusted (feed.ca_file adds no other CA)" \
  wait_log "feed: backoff in [0-9]* s: TLS: certificate not trusted (WS)" 5
check "WS to another CA's certificate: nothing stored" test "$(rows BTCUSDT)" = 0
fx_tls expired expired || nok "fourth fake exchange (expired certificate) starts"
config "$TMP/expired.json" "https://localhost:$expired_PORT" "wss://localhost:$expired_PORT" "$PKI/ca.pem"
refused_start "$TMP/expired.json"
check "an expired certificate: the header says so" wait_log "feed: error: TLS: certificate expired (REST)" 5
check "an expired certificate: the log points at the clock" grep -q "certificate has expired.*check this machine's clock" "$TMP/collect.log"

# ---- refused: wss:// to a plain server ------------------------------------------
PLAIN_FX=$TMP/fx-plain.out
"$FX" --csv "$CSV" --symbols BTCUSDT --port 0 >"$PLAIN_FX" 2>&1 &
PIDS="$PIDS $!"; PLAIN=""
i=0; while [ $i -lt 50 ] && [ -z "$PLAIN" ]; do sleep 0.1; PLAIN=$(awk '/^port /{print $2}' "$PLAIN_FX"); i=$((i + 1)); done
config "$TMP/plain.json" "https://localhost:$GOOD" "wss://localhost:$PLAIN" "$PKI/ca.pem"
refused_start "$TMP/plain.json"
check "wss:// to a plain server: the header says the TLS handshake failed" \
  wait_log "feed: backoff in [0-9]* s: TLS: handshake failed (WS)" 5

# ---- which store: feed.ca_file replaces the system's, empty uses it -------------
# OpenSSL's default store honours SSL_CERT_FILE, so the WebSocket can be shown
# using "the system's" store without root; libcurl reads its own built-in bundle
# path instead, so REST goes to the plain server here.
config "$TMP/sysstore.json" "http://127.0.0.1:$PLAIN" "wss://localhost:$GOOD"
collect_stop >/dev/null 2>&1
rm -f "$TMP/live.db" "$TMP/live.db-wal" "$TMP/live.db-shm" "$TMP/collect.log"
export SSL_CERT_FILE="$PKI/ca.pem"
collect_start BTCUSDT --config "$TMP/sysstore.json"
check "feed.ca_file empty: the WebSocket trusts the system store (here SSL_CERT_FILE)" \
  wait_log "ws: connected to wss://localhost:$GOOD" 5
config "$TMP/replace.json" "http://127.0.0.1:$PLAIN" "wss://localhost:$GOOD" "$PKI/stranger_ca.pem"
collect_stop >/dev/null 2>&1
rm -f "$TMP/live.db" "$TMP/live.db-wal" "$TMP/live.db-shm" "$TMP/collect.log"
collect_start BTCUSDT --config "$TMP/replace.json"
check "feed.ca_file set: it replaces the system store (the CA there is no longer trusted)" \
  wait_log "feed: backoff in [0-9]* s: TLS: certificate not trusted (WS)" 5
collect_stop
unset SSL_CERT_FILE
check "last SIGTERM exits 0" test "$STOP_RC" = 0
