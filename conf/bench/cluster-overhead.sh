#!/usr/bin/env bash
# Cluster overhead benchmark (docs/benchmarks.md): the same recipe steps on the demo lake — the quality filter
# (Gopher quality + repetition) and fuzzy dedup — as whole `bin/tokenmill run --force` processes, on local[2] and on a
# 2-worker standalone cluster of one core each (bin/tokenmill cluster start --workers 2), alternating; GNU time.
# The steps write to a copy of the lake (their outputs, and the rejected rows they append), never to LAKE itself.
#   conf/bench/cluster-overhead.sh LAKE [ROUNDS]
set -euo pipefail
SOURCE_LAKE="${1:?usage: cluster-overhead.sh LAKE [ROUNDS]}"
ROUNDS="${2:-2}"
HOME_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TM="$HOME_DIR/bin/tokenmill"
WORK="$(mktemp -d)"
LAKE="$WORK/lake"
mkdir -p "$LAKE"
cp -a "$SOURCE_LAKE/lang" "$SOURCE_LAKE/rejected" "$LAKE/"
PORT=17177
CLUSTER=(--state-dir "$WORK/cluster" --port "$PORT" --webui-port 18180 --worker-webui-port 18181)
cat > "$WORK/steps.yaml" <<END
name: cluster-overhead
seed: 1
stages:
  - stage: filter
    input: lang/europarl
    output: bench/filtered
    params:
      filters: [gopher_quality, gopher_repetition]
      thresholds:
        gopher_quality: {min_stop_words: 0}
  - stage: dedup-fuzzy
    input: bench/filtered
    output: bench/neardup
    params: {threshold: 0.7}
END
lscpu | grep -E "Model name|^CPU\(s\)" || true
"$TM" cluster start --workers 2 --worker-cores 1 --worker-memory 3g "${CLUSTER[@]}"
trap '"$TM" cluster stop --state-dir "$WORK/cluster" > /dev/null' EXIT
for r in $(seq 1 "$ROUNDS"); do
  for side in local cluster; do
    master="local[2]"
    [[ "$side" == cluster ]] && master="spark://127.0.0.1:$PORT"
    /usr/bin/time -f "$side round $r: %e s wall, %U+%S CPU-s, %M KB peak RSS (driver process)" -o "$WORK/t" \
      "$TM" --master "$master" --no-ui --lake "$LAKE" run "$WORK/steps.yaml" --force > "$WORK/out" 2> "$WORK/err" \
      || { cat "$WORK/err"; exit 1; }
    grep -E "^\[[0-9]/2\] .*(kept|rows|→ .*@)" "$WORK/out" | sed "s/^/  $side: /" || true
    cat "$WORK/t"
  done
done
