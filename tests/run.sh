#!/bin/sh
# Runs every test binary in $BUILD/tests and every shell test in tests/*/ (*.sh),
# counts their "ok"/"not ok" lines, and ends with "N passed, N failed".
BUILD=${BUILD:-build}
export BUILD
log=$(mktemp)
pass=0; fail=0
run_one() {
  name=$1; shift
  out=$(mktemp)
  "$@" >"$out" 2>&1
  rc=$?
  cat "$out"
  p=$(grep -c '^ok ' "$out")
  f=$(grep -c '^not ok ' "$out")
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    echo "not ok - $name exited with status $rc"
    f=1
  fi
  if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
    echo "not ok - $name ran no test"
    f=1
  fi
  pass=$((pass + p)); fail=$((fail + f))
  rm -f "$out"
}
for t in $(find "$BUILD/tests/unit" "$BUILD/tests/integration" -maxdepth 1 -type f -perm -u+x 2>/dev/null | sort); do
  echo "# $t"
  run_one "$t" "$t"
done
for t in $(ls tests/integration/*.sh tests/tui/*.sh 2>/dev/null | sort); do
  echo "# $t"
  run_one "$t" sh "$t"
done
rm -f "$log"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
