# Layers as a machine-checked rule (README, Development). Every header of
# include/alphapulse belongs to one module (the table below: a header missing
# from it, or listed but gone, fails), every module has a level, and:
#  - a file includes headers of its own module or of a lower level;
#  - a header of another module on the same level only where listed in SAME;
#  - never a pair listed in NEVER, whatever the levels say;
#  - a private header (src/MOD/*.h, included without "alphapulse/") only from MOD;
#  - a venue's own headers (VENUE_OWN) only from src/feed/: the rest of the
#    program knows venues through venue.h alone.
# Prints the rule count. ROOT=DIR checks another tree (e.g. an old checkout).
ROOT=${ROOT:-.}
cd "$ROOT" || exit 1

LEVELS='core:0 ta:1 analysis:2 signal:3 paper:3 eval:2 engine:4 ui:5 feed:5 store:5 alert:5 app:6'

HEADERS='
core: aggregate alert_event book candle candle_csv clock command config depth_demand depth_sync event fmt_double instrument json_pos log series signal_record spsc suggest symbol_id symbol_pattern symtab tape version
ta: indicators patterns ta_set
analysis: confluence divergence levels regime
signal: signal voters
paper: broker funding metrics order_request portfolio risk sizing strategy
eval: eval
engine: engine engine_depth engine_thread preview record snapshot
feed: backoff binance_rest binance_ws bybit_feed bybit_parse bybit_rest json_text depth_json feed kline_json live_feed replay sim_book stream_check tls_problem venue
store: store
alert: alert webhook
ui: theme ui
app: app backtest cli failover options paths regime_table session store_feed
'

# Same-level includes that are allowed (FROM:TO); none today.
SAME=''

# Never, whatever the levels say (FROM:TO). The UI reads snapshots and sends
# commands: no broker, database or network. The engine hands records and alerts
# to queues: no store, no alert module, no feed, no screen.
NEVER='ui:paper ui:store ui:feed ui:alert ui:app
feed:engine feed:paper feed:signal feed:store feed:ui feed:alert
engine:feed engine:store engine:ui engine:alert engine:app
core:ta core:analysis core:signal core:paper core:engine core:ui core:feed core:store core:alert core:app
ta:analysis ta:signal ta:paper ta:engine ta:ui ta:feed ta:store ta:alert ta:app
analysis:signal analysis:paper
signal:paper paper:signal
store:ui alert:ui alert:app store:app feed:app'

# Headers that belong to one venue's implementation (shell patterns).
VENUE_OWN='binance_* bybit_* live_feed'

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "$HEADERS" | awk -F: 'NF == 2 { n = split($2, h, " "); for (i = 1; i <= n; i++) print h[i], $1 }' | sort > "$tmp/table"
bad=0
say() { echo "# $*"; bad=$((bad + 1)); }

level_of() { for p in $LEVELS; do [ "${p%%:*}" = "$1" ] && { echo "${p#*:}"; return; }; done; }
# module_of HEADER: one case statement built from the table (no process per lookup)
eval "module_of() { case \$1 in $(awk '{ printf "%s) echo %s ;; ", $1, $2 }' "$tmp/table") esac; }"

# the table and include/alphapulse agree, header by header
ls include/alphapulse/*.h | sed 's|.*/||; s|\.h$||' | sort > "$tmp/present"
cut -d' ' -f1 "$tmp/table" | sort > "$tmp/listed"
for h in $(comm -23 "$tmp/present" "$tmp/listed"); do say "include/alphapulse/$h.h belongs to no module: add it to HEADERS"; done
for h in $(comm -13 "$tmp/present" "$tmp/listed"); do say "HEADERS lists $h.h, which does not exist"; done
for h in $(cut -d' ' -f1 "$tmp/table" | uniq -d); do say "$h.h is listed under two modules"; done
for m in $(cut -d' ' -f2 "$tmp/table" | sort -u); do [ -n "$(level_of "$m")" ] || say "module $m has no level"; done

checked=0
for file in $(find src -name '*.[ch]' | sort) include/alphapulse/*.h; do
  case $file in
    src/main.c) mod=app ;;
    src/*) mod=$(echo "$file" | cut -d/ -f2) ;;
    include/*) mod=$(module_of "$(basename "$file" .h)") ;;
  esac
  [ -n "$mod" ] || continue
  lv=$(level_of "$mod")
  [ -n "$lv" ] || { say "$file: directory $mod has no level"; continue; }
  # private headers: only from their own module
  for h in $(sed -n 's|^#include "\([a-z0-9_/]*\.h\)".*|\1|p' "$file" | grep -v '^alphapulse/'); do
    checked=$((checked + 1))
    case $file in
      src/$mod/*) found=$(find "src/$mod" -name "$(basename "$h")" | head -1)
                  [ -n "$found" ] || say "$file includes \"$h\", which is not a private header of $mod" ;;
      *) say "$file includes the private header \"$h\"" ;;
    esac
  done
  for h in $(sed -n 's|^#include "alphapulse/\([a-z0-9_]*\)\.h".*|\1|p' "$file"); do
    checked=$((checked + 1))
    for pat in $VENUE_OWN; do
      case $h in
        $pat) case $file in
                src/feed/*) ;;
                include/*) [ "$mod" = feed ] || say "$file includes $h.h, a venue's own header (only src/feed/ may)" ;;
                *) say "$file includes $h.h, a venue's own header: outside src/feed/ use venue.h" ;;
              esac ;;
      esac
    done
    hm=$(module_of "$h")
    [ -n "$hm" ] || { say "$file includes $h.h, which belongs to no module"; continue; }
    [ "$hm" = "$mod" ] && continue
    hl=$(level_of "$hm")
    for r in $NEVER; do
      [ "$r" = "$mod:$hm" ] && say "$file ($mod) includes $h.h ($hm): $mod never includes $hm"
    done
    if [ "$hl" -gt "$lv" ]; then
      say "$file ($mod, level $lv) includes $h.h ($hm, level $hl): a higher level"
    elif [ "$hl" -eq "$lv" ]; then
      case " $SAME " in
        *" $mod:$hm "*) ;;
        *) say "$file ($mod) includes $h.h ($hm): the same level ($lv), not listed in SAME" ;;
      esac
    fi
  done
done

n_headers=$(wc -l < "$tmp/table")
n_levels=$(echo $LEVELS | wc -w)
n_never=$(echo $NEVER | wc -w)
n_same=$(echo $SAME | wc -w)
n_own=$(echo $VENUE_OWN | wc -w)
rules=$((n_headers + n_levels + n_never + n_same + n_own + 1))
echo "# $rules rules: $n_headers headers placed, $n_levels module levels, $n_never never-pairs, $n_same same-level exceptions, $n_own venue-own header patterns, 1 private-header rule"
echo "# $checked includes checked"
if [ "$bad" -eq 0 ] && [ "$checked" -gt 100 ]; then echo "ok - every include follows the layers ($rules rules)"
else echo "not ok - $bad include(s) break the layers"; fi
