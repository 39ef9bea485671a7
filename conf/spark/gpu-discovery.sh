#!/usr/bin/env bash
# Spark resource discovery for GPUs (spark.executor.resource.gpu.discoveryScript): prints the GPUs this executor
# may use as Spark's ResourceInformation JSON, e.g. {"name": "gpu", "addresses": ["0", "1"]}.
# Respects CUDA_VISIBLE_DEVICES when the cluster manager already narrowed the set.
set -euo pipefail
if [[ -n "${CUDA_VISIBLE_DEVICES:-}" ]]; then
  ids=$(echo "$CUDA_VISIBLE_DEVICES" | tr ',' '\n')
else
  ids=$(nvidia-smi --query-gpu=index --format=csv,noheader)
fi
printf '{"name": "gpu", "addresses": [%s]}\n' "$(echo "$ids" | sed 's/.*/"&"/' | paste -sd, -)"
