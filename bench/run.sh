#!/bin/sh
# Runs every benchmark binary in $BUILD/bench, then TA-Lib's own timing of the
# same work (ta_ref, built from ${TALIB_REF:-../shared/bench/talib-ref}) and the
# ratios ours/TA-Lib, then the whole `analyze` process against ta_ref's CSV pass
# on the same file (N/5 and N rows). Without the reference it still prints our figures.
cd "$(dirname "$0")/.." || exit 1      # paths below are relative to the repo root
BUILD=${BUILD:-build-bench}
N=${BENCH_N:-1000000}
ours=$(mktemp)
trap 'rm -f "$ours"' EXIT
found=0
for b in "$BUILD"/bench/bench_*; do
  [ -x "$b" ] || continue
  found=1
  echo "# $b"
  case "$b" in                         # the count only for the benchmarks that take one
    */bench_ta|*/bench_patterns|*/bench_signals) "$b" "$N" | tee -a "$ours" ;;
    *) "$b" | tee -a "$ours" ;;
  esac
done
[ "$found" -eq 1 ] || echo "no benchmark binaries in $BUILD/bench"
# the long form of the formatter's unit test: >= 10M values against glibc
if [ -x "$BUILD/tests/unit/test_fmt_double" ]; then
  echo "# $BUILD/tests/unit/test_fmt_double 2000000 (about 11M values)"
  "$BUILD/tests/unit/test_fmt_double" 2000000 | grep -v '^#   '
fi

# bytes written to the terminal by the demo at 200x60 on each timeframe (tmux)
AP_BIN=${AP_BIN:-build/alphapulse} sh bench/bench_output.sh

# RSS and CPU of a collector with 100, 500 and 1,000 symbols live (fake exchange)
AP_BIN=${AP_BIN:-build/alphapulse} FX_BIN=${FX_BIN:-build/tests/fake_exchange/fake_exchange} sh bench/bench_market.sh

ref_dir=${TALIB_REF:-../shared/bench/talib-ref}
if [ ! -f "$ref_dir/build.sh" ]; then
  echo "TA-Lib reference not found at $ref_dir/build.sh: no ratios"
  exit 0
fi
if command -v bash >/dev/null 2>&1; then shell=bash; else shell=sh; fi
ta_ref=$($shell "$ref_dir/build.sh" 2>/dev/null | tail -n 1)
if [ -z "$ta_ref" ] || [ ! -x "$ta_ref" ]; then
  echo "TA-Lib reference did not build (needs gcc and npm): no ratios"
  exit 0
fi
echo "# $ta_ref bench $N"
line=$("$ta_ref" bench "$N")
echo "$line"
# "TA-Lib ..., N=...: indicators X ns/candle, 61 patterns Y ns/candle, total Z ns/candle"
ti=$(echo "$line" | sed -n 's/.*indicators \([0-9.]*\) ns\/candle.*/\1/p')
tp=$(echo "$line" | sed -n 's/.* patterns \([0-9.]*\) ns\/candle.*/\1/p')
echo "TA-Lib indicators: ${ti:-?} ns/candle"
echo "TA-Lib patterns: ${tp:-?} ns/candle"
ratio() {  # ratio NAME OUR_LINE_PREFIX TALIB_FIGURE
  o=$(grep -F "$2" "$ours" | head -n 1 | sed -n 's/.*: \([0-9.]*\) ns\/candle.*/\1/p')
  [ -n "$o" ] && [ -n "$3" ] || return 0
  awk -v o="$o" -v t="$3" -v n="$1" 'BEGIN { if (t > 0) printf "ratio vs TA-Lib (%s): %.2f\n", n, o / t }'
}
ratio "batch indicators" "indicators batch" "$ti"
ratio "streaming indicators" "indicators streaming" "$ti"
ratio "batch patterns, 61 in one pass" "patterns batch (61, one pass):" "$tp"
ratio "batch patterns, 61 separate calls" "patterns batch (61 x cdl_batch):" "$tp"
ratio "streaming patterns" "patterns streaming (61):" "$tp"
if [ -n "$ti" ] && [ -n "$tp" ]; then
  oi=$(grep -F "indicators batch:" "$ours" | head -n 1 | sed -n 's/.*: \([0-9.]*\) ns.*/\1/p')
  op=$(grep -F "patterns batch (61, one pass):" "$ours" | head -n 1 | sed -n 's/.*: \([0-9.]*\) ns.*/\1/p')
  [ -n "$oi" ] && [ -n "$op" ] && awk -v a="$oi" -v b="$op" -v c="$ti" -v d="$tp" \
    'BEGIN { printf "ratio vs TA-Lib (full batch set: indicators + 61 patterns): %.2f\n", (a + b) / (c + d) }'
fi

# Whole process, as a user runs it: `alphapulse analyze` (the normal build) and
# `ta_ref csv` (TA-Lib's 25 indicators and 61 patterns, "%.17g" CSV) reading the
# same candle file and writing their CSV to disk; wall time, best of 2, alternated.
ap=${AP_BIN:-build/alphapulse}
gen=$BUILD/bench/gen_candles
if [ ! -x "$ap" ] || [ ! -x "$gen" ]; then
  echo "no $ap or $gen: no analyze process ratio"
  exit 0
fi
elapsed() {  # elapsed OUT CMD...: seconds CMD took, its stdout to OUT
  out=$1; shift
  s=$(date +%s.%N)
  "$@" >"$out" || return 1
  e=$(date +%s.%N)
  awk -v s="$s" -v e="$e" 'BEGIN { printf "%.3f", e - s }'
}
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b < a) ? b : a }'; }
dir=$(mktemp -d)
trap 'rm -f "$ours"; rm -rf "$dir"' EXIT
for rows in $((N / 5)) "$N"; do
  "$gen" "$rows" >"$dir/in.csv"
  to=""; tref=""
  for rep in 1 2; do
    t=$(elapsed "$dir/ours.csv" "$ap" analyze --input "$dir/in.csv") || { echo "analyze failed"; exit 1; }
    to=$(min "$to" "$t")
    t=$(elapsed "$dir/ref.csv" "$ta_ref" csv <"$dir/in.csv") || { echo "ta_ref failed"; exit 1; }
    tref=$(min "$tref" "$t")
  done
  so=$(wc -c <"$dir/ours.csv"); sr=$(wc -c <"$dir/ref.csv")
  co=$(head -n 1 "$dir/ours.csv" | tr ',' '\n' | wc -l); cr=$(head -n 1 "$dir/ref.csv" | tr ',' '\n' | wc -l)
  echo "analyze process, $rows rows: alphapulse $to s ($so bytes, $co columns), TA-Lib ta_ref csv $tref s ($sr bytes, $cr columns)"
  awk -v o="$to" -v t="$tref" -v n="$rows" 'BEGIN { if (t > 0) printf "ratio vs TA-Lib (analyze process, %d rows): %.2f\n", n, o / t }'
done
exit 0
