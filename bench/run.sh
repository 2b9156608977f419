#!/bin/sh
# Runs every benchmark binary in $BUILD/bench, then TA-Lib's own timing of the
# same work (ta_ref, built from ${TALIB_REF:-../shared/bench/talib-ref}) and the
# ratios ours/TA-Lib. Without the reference it still prints our figures.
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
exit 0
