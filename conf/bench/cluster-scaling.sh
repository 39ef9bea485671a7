#!/usr/bin/env bash
# Memory and shuffle growth on a 2-worker cluster (docs/scaling.md, docs/benchmarks.md): the quality filter and fuzzy
# dedup on 1x, 2x and 4x the demo's lang/europarl. The k-x input is the speeches plus k - 1 copies with every letter
# shifted by 1, 2, 3 places (a Caesar cipher, as `bench dedup` scales): the same lengths, word statistics and
# near-duplicate structure, no shingle in common, so the candidate pairs grow with the input as new data would.
# Each step runs as a whole `bin/tokenmill run` on the cluster with Spark's event log on; per step the script sums
# shuffle written and read, and takes the largest peak execution memory of a task and the largest executor JVM heap.
#   conf/bench/cluster-scaling.sh LAKE
set -euo pipefail
SOURCE_LAKE="${1:?usage: cluster-scaling.sh LAKE}"
HOME_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TM="$HOME_DIR/bin/tokenmill"
WORK="$(mktemp -d)"
PORT=17277
CLUSTER=(--state-dir "$WORK/cluster" --port "$PORT" --webui-port 18280 --worker-webui-port 18281)
lscpu | grep -E "Model name|^CPU\(s\)" || true
"$TM" --lake "$SOURCE_LAKE" --master "local[2]" --no-ui export lang/europarl --format jsonl \
  --output "$WORK/x1-in" > /dev/null
python3 - "$WORK" <<'PY'
import glob, json, os, string, sys
work = sys.argv[1]
def shift(text, k):
    lo, up = string.ascii_lowercase, string.ascii_uppercase
    table = str.maketrans(lo + up, lo[k:] + lo[:k] + up[k:] + up[:k])
    return text.translate(table)
rows = []
for f in sorted(glob.glob(os.path.join(work, "x1-in", "*.json*"))):
    for line in open(f, encoding="utf-8"):
        if line.strip():
            r = json.loads(line)
            rows.append({"id": r["id"], "text": r["text"]})
for scale in (1, 2, 4):
    os.makedirs(os.path.join(work, "in-x%d" % scale), exist_ok=True)
    with open(os.path.join(work, "in-x%d" % scale, "part-0.jsonl"), "w", encoding="utf-8") as out:
        for k in range(scale):
            for r in rows:
                out.write(json.dumps({"id": r["id"] + ("" if k == 0 else "-r%d" % k), "text": shift(r["text"], k)})
                          + "\n")
PY
"$TM" cluster start --workers 2 --worker-cores 1 --worker-memory 3g "${CLUSTER[@]}"
trap '"$TM" cluster stop --state-dir "$WORK/cluster" > /dev/null' EXIT
for scale in 1 2 4; do
  LAKE="$WORK/lake-x$scale"
  cat > "$WORK/x$scale.yaml" <<END
name: cluster-scaling-x$scale
seed: 1
stages:
  - stage: ingest
    source: bench
    input: $WORK/in-x$scale
    id_field: id
  - stage: filter
    input: raw/bench
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
  mkdir -p "$WORK/events-x$scale"
  /usr/bin/time -f "x$scale: %e s wall, %U+%S CPU-s driver, %M KB driver peak RSS" -o "$WORK/t" \
    "$TM" --master "spark://127.0.0.1:$PORT" --no-ui --lake "$LAKE" \
      --conf spark.eventLog.enabled=true --conf "spark.eventLog.dir=$WORK/events-x$scale" \
      --conf spark.eventLog.logStageExecutorMetrics=true --conf spark.eventLog.compress=false \
      run "$WORK/x$scale.yaml" > "$WORK/out" 2> "$WORK/err" || { cat "$WORK/err"; exit 1; }
  grep -E "^\[[0-9]/3\]" "$WORK/out" | sed "s/^/  /" || true
  cat "$WORK/t"
  python3 - "$WORK/events-x$scale" <<'PY'
import glob, json, sys
steps = {}
stage_step = {}
# Spark 4 writes rolling event logs: a folder per application holding events_N_* files
for f in sorted(glob.glob(sys.argv[1] + "/**/events_*", recursive=True)) or glob.glob(sys.argv[1] + "/*"):
    for line in open(f, encoding="utf-8"):
        e = json.loads(line)
        kind = e.get("Event")
        if kind == "SparkListenerJobStart":
            props = e.get("Properties") or {}
            label = props.get("spark.job.description") or props.get("spark.jobGroup.id") or "?"
            for s in e.get("Stage IDs", []):
                # Delta's own jobs prefix the step's description with "Delta: "
                while label.startswith("Delta: "):
                    label = label[len("Delta: "):]
                stage_step[s] = label.split(" | ")[0] if label else "?"
        elif kind == "SparkListenerTaskEnd":
            m = e.get("Task Metrics") or {}
            step = stage_step.get(e.get("Stage ID"), "?")
            st = steps.setdefault(step, {"write": 0, "read": 0, "peak_exec": 0, "heap": 0, "tasks": 0})
            st["tasks"] += 1
            st["write"] += (m.get("Shuffle Write Metrics") or {}).get("Shuffle Bytes Written", 0)
            r = m.get("Shuffle Read Metrics") or {}
            st["read"] += r.get("Remote Bytes Read", 0) + r.get("Local Bytes Read", 0)
            st["peak_exec"] = max(st["peak_exec"], m.get("Peak Execution Memory", 0))
            st["heap"] = max(st["heap"], (e.get("Task Executor Metrics") or {}).get("JVMHeapMemory", 0))
for step, st in sorted(steps.items()):
    print("  %-12s %5d tasks, shuffle written %8.1f MB, read %8.1f MB, task peak execution memory %7.1f MB,"
          " executor heap peak %7.1f MB" % (step, st["tasks"], st["write"] / 1e6, st["read"] / 1e6,
                                             st["peak_exec"] / 1e6, st["heap"] / 1e6))
PY
done
