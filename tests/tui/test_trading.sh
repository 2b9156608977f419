# Trading on screen: the ticket's risk verdict and Esc, a rejection line naming
# the limit, the positions panel and exits editor (stop, ATR trail), the performance screen, the
# kill switch with its confirmation, the typed unlock, and a lock surviving a restart.
. tests/tui/tmux_helpers
DB=$TMP/trade.db
start 120 40 "LANG=C.UTF-8 $BIN --demo --db $DB"
wait_for "BTCUSDT 1m" 15
# b opens the ticket once a price has arrived; until then it says "no price yet"
open_ticket() { n=0; while [ $n -lt 20 ]; do tm send-keys -t t "$1"; wait_for "Order ticket" 1 && return 0; n=$((n + 1)); done; return 1; }

check "risk bar is shown with its limits" wait_for "Risk OK  day" 3
open_ticket b
check "ticket shows the size, risk and reward" wait_for "R:R" 3
check "ticket shows the risk check's verdict" wait_for "risk check: OK - within every limit" 3
tm send-keys -t t Escape
check "Esc aborts the ticket" wait_for "order ticket aborted" 3
check "no position after Esc" wait_for "no position in BTCUSDT" 3

# size 0.5 = 50 % of equity as notional: the ticket caps it at the max-position limit
tm send-keys -t t b Tab Tab Tab 0 . 5
check "ticket caps the size, naming the limit" wait_for "capped by max position" 3
check "the capped size passes the check" wait_for "risk check: OK" 3
tm send-keys -t t Escape
check "still no position" wait_for "no position in BTCUSDT" 3

tm send-keys -t t s Tab Tab Tab Tab 9 8 0 0 0 Enter   # a stop far away (risk stays under 1 %)
check "a short through the ticket" wait_for "SHORT" 5
check "positions panel lists it with its stop" wait_for "SL " 3
tm send-keys -t t e
check "e opens the exits editor" wait_for "Edit exits BTCUSDT" 3
tm send-keys -t t 9 9 9 9 9 Enter
check "the new stop is applied" wait_for "SL 99999" 5
tm send-keys -t t e
wait_for "Edit exits BTCUSDT" 3
tm send-keys -t t Tab Tab Tab 2                       # Trail: 2 x ATR(14)
check "the exits editor shows the ATR trail and its distance" wait_for "2 x ATR (= " 3
tm send-keys -t t Enter
check "the position trails by 2 x ATR" wait_for "trail 2xATR=" 5

tm send-keys -t t P
check "P shows the performance screen" wait_for "Performance  (P or Esc closes)" 3
check "performance shows drawdown and the metrics table" wait_for "max drawdown" 3
tm send-keys -t t P
check "P again closes the performance screen" wait_gone "Performance  (P or Esc closes)" 3

tm send-keys -t t X
check "X asks for confirmation" wait_for "KILL SWITCH: cancel every order" 3
tm send-keys -t t n
check "any other key aborts the kill switch" wait_for "kill switch not used" 3
tm send-keys -t t X y
check "X y: locked" wait_for "LOCKED (kill switch)" 5
check "X y: the position is closed" wait_for "no position in BTCUSDT" 5
tm send-keys -t t b Enter
check "entries are refused while locked" wait_for "rejected by the trading lock" 5
tm send-keys -t t q
check "quit" wait_for "EXIT=0" 5

start 120 40 "LANG=C.UTF-8 $BIN --demo --db $DB"
check "the lock survives a restart" wait_for "LOCKED (kill switch)" 5
tm send-keys -t t : u n l o c k Enter
check ":unlock asks for the typed confirmation" wait_for "type UNLOCK and Enter" 3
tm send-keys -t t n o Enter
check "a wrong confirmation is refused" wait_for "unlock refused" 5
tm send-keys -t t : u n l o c k Enter U N L O C K Enter
check "UNLOCK unlocks" wait_for "Risk OK" 5
tm send-keys -t t q
check "quit again" wait_for "EXIT=0" 5
