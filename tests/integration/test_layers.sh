# DESIGN.md's layers: a module includes only modules on its own level or below
# (core/ta 0, analysis 1, signal/paper/eval 2, engine 3, ui/feed/store/alert 4, app 5).
# A header belongs to the module whose directory holds the .c file of its name
# that includes it (log.h is core's log.c, not the UI's log panel).
level() {
  case $1 in
    core|ta) echo 0 ;; analysis) echo 1 ;; signal|paper|eval) echo 2 ;; engine) echo 3 ;;
    ui|feed|store|alert) echo 4 ;; app) echo 5 ;; *) echo "" ;;
  esac
}
module_of_header() {   # alphapulse/NAME.h -> module, or nothing
  for f in $(find src -name "$1.c"); do
    if grep -q "#include \"alphapulse/$1.h\"" "$f"; then echo "$f" | cut -d/ -f2; return; fi
  done
}
bad=0; checked=0
for file in $(find src -name '*.[ch]' | sort) $(ls include/alphapulse/*.h); do
  case $file in
    src/main.c) continue ;;
    src/*) mod=$(echo "$file" | cut -d/ -f2) ;;
    include/*) mod=$(module_of_header "$(basename "$file" .h)") ;;
  esac
  [ -n "$mod" ] || continue
  lv=$(level "$mod"); [ -n "$lv" ] || continue
  for h in $(sed -n 's|^#include "alphapulse/\([a-z0-9_]*\)\.h".*|\1|p' "$file"); do
    hm=$(module_of_header "$h"); [ -n "$hm" ] || continue
    hl=$(level "$hm"); [ -n "$hl" ] || continue
    checked=$((checked + 1))
    if [ "$hl" -gt "$lv" ]; then
      echo "# $file ($mod, level $lv) includes $h.h ($hm, level $hl)"
      bad=$((bad + 1))
    fi
  done
done
echo "# $checked includes checked"
if [ "$bad" -eq 0 ] && [ "$checked" -gt 100 ]; then echo "ok - every include goes to the same level or below"
else echo "not ok - $bad includes go up a level"; fi
