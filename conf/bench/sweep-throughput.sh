#!/usr/bin/env bash
# Sweep throughput benchmark (docs/benchmarks.md): the same 8 proxy runs (4 configurations × 2 seeds on tokens/europarl
# of the demo lake) as 1-thread Spark tasks, two at a time, against one after another with 2 torch threads each
# (--master local[1]); whole processes under GNU time, alternating, every sweep under a fresh name (nothing reused).
#   conf/bench/sweep-throughput.sh LAKE [ROUNDS]      (the environment reaches both sides, e.g. MALLOC_ARENA_MAX=1)
set -euo pipefail
LAKE="${1:?usage: sweep-throughput.sh LAKE [ROUNDS]}"
ROUNDS="${2:-2}"
HOME_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK="$(mktemp -d)"
spec() { # name threads
  cat > "$WORK/$1.yaml" <<END
name: $1
seed: 3
seeds: 2
threads_per_task: $2
base: {layers: 2, d_model: 64, heads: 4, kv_heads: 2, seq_len: 128, micro_batch: 8, steps: 60, lr: 0.003,
       warmup_steps: 6, eval_every: 60, eval_samples: 32, checkpoint_every: 60}
runs:
  - {name: base, data: tokens/europarl}
  - {name: narrow, data: tokens/europarl, d_model: 48}
  - {name: wide, data: tokens/europarl, d_model: 96}
  - {name: shallow, data: tokens/europarl, layers: 1}
END
}
lscpu | grep -E "Model name|^CPU\(s\)" || true
echo "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset} MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-unset}"
stamp=$(date +%s)
for r in $(seq 1 "$ROUNDS"); do
  par="par-$stamp-$r"; seq="seq-$stamp-$r"
  spec "$par" 1; spec "$seq" 2
  order=("$par" "$seq"); if (( r % 2 == 0 )); then order=("$seq" "$par"); fi
  for name in "${order[@]}"; do
    master=(); [[ "$name" == seq-* ]] && master=(--master "local[1]")
    /usr/bin/time -f "$name: %e s wall, %U user + %S sys CPU-s, %M KB peak, %R minor faults" \
      "$HOME_DIR/bin/tokenmill" "${master[@]}" --lake "$LAKE" sweep "$WORK/$name.yaml" 2>&1 | grep -E "^(par|seq)-|Δ vs" || true
  done
done
rm -rf "$WORK"
