#!/usr/bin/env bash
# Inspection benchmark (docs/benchmarks.md): the look-only verbs as a user runs them, whole processes under GNU time,
# cold JVMs, alternating in each round: bin/tokenmill (Delta Kernel, no Spark), the same verb through Spark
# (--reader spark, spark-submit) and, for the metadata verbs, a plain Python read of the Delta log.
#   conf/bench/inspect.sh LAKE [ROUNDS] [TABLE]      (TABLE default clean/europarl, a table of the demo lake)
set -euo pipefail
LAKE="${1:?usage: inspect.sh LAKE [ROUNDS] [TABLE]}"
ROUNDS="${2:-3}"
TABLE="${3:-clean/europarl}"
HOME_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TM="$HOME_DIR/bin/tokenmill"
PEER="$HOME_DIR/conf/bench/delta_log_peer.py"
OUT="$(mktemp -d)"
lscpu | grep -E "Model name|^CPU\(s\)" || true
java -version 2>&1 | head -1
"$TM" --lake "$LAKE" tables > /dev/null # the first light run writes the class-data archive: not measured

measure() { # label command...
  local label="$1"
  shift
  /usr/bin/time -f "%e %U %S %M" -o "$OUT/t" "$@" > /dev/null 2> "$OUT/err" || { cat "$OUT/err" >&2; exit 1; }
  echo "$label $(cat "$OUT/t")" >> "$OUT/all"
}

for r in $(seq 1 "$ROUNDS"); do
  for side in kernel spark python; do
    case "$side" in
      kernel) T=("$TM" --lake "$LAKE") ;;
      spark) T=("$TM" --lake "$LAKE" --reader spark) ;;
    esac
    if [[ "$side" == python ]]; then
      measure "tables python" python3 "$PEER" tables "$LAKE"
      measure "versions python" python3 "$PEER" versions "$LAKE/$TABLE"
      continue
    fi
    measure "help $side" "${T[@]}" versions --help
    measure "tables $side" "${T[@]}" tables
    measure "versions $side" "${T[@]}" versions "$TABLE"
    measure "lineage $side" "${T[@]}" lineage "$TABLE"
    measure "show $side" "${T[@]}" show "$TABLE" --limit 20
    measure "show-where $side" "${T[@]}" show "$TABLE" --limit 20 --where "id > 'f' and id < 'f8'"
    measure "stats $side" "${T[@]}" stats "$TABLE"
  done
done

# medians per verb and side: wall s, user+sys CPU s, peak RSS MB
python3 - "$OUT/all" <<'PY'
import statistics, sys, collections
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    verb, side, wall, user, sys_, rss = line.split()
    rows[(verb, side)].append((float(wall), float(user) + float(sys_), int(rss) / 1024))
print("| verb | reader | wall s | CPU s | peak RSS MB | runs |")
print("|---|---|---|---|---|---|")
for (verb, side), v in rows.items():
    med = lambda i: statistics.median(x[i] for x in v)
    print(f"| {verb} | {side} | {med(0):.2f} | {med(1):.2f} | {med(2):.0f} | {len(v)} |")
PY
