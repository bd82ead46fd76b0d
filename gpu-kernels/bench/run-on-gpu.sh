#!/usr/bin/env bash
# The GPU comparison of issue 13, one prepared run on a GPU machine that has no Java and no network: Weir's
# product frame step (the video encoder's whole step, fused on the device with OpenCL) and the same step in
# PyTorch float32 (torch_product_step.py), on the same synthetic clip, frame by frame, at 384x288, 768x576 and
# 1920x1088, in the same run; writes JSON, logs and comparison.md to $OUT.
#
# Expects, carried beside the repository (build them here with make-runtime.sh):
#   target/weir-runtime/ (or target/weir-runtime.tar.gz)   a jlinked Temurin 25 runtime
#   target/weir-bench-lib/                                  the benchmark's jars (or target/weir.jar)
# Environment: OUT (default target/gpu-bench), FRAMES (32), WARMUP (8), SIZES (384x288,768x576,1920x1088),
# WEIR_BENCH_ARGS (extra VideoStepBenchmark options), WEIR_OPENCL_DEVICE (device name substring),
# SKIP_TORCH=1, TORCH_DEVICE (cuda; cpu to rehearse without a GPU). About 2-4 minutes on a GPU machine.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/gpu-kernels/bench"
OUT="${OUT:-$ROOT/target/gpu-bench}"
FRAMES="${FRAMES:-32}"
WARMUP="${WARMUP:-8}"
SIZES="${SIZES:-384x288,768x576,1920x1088}"
mkdir -p "$OUT"
exec > >(tee "$OUT/run-on-gpu.log") 2>&1
START=$(date +%s)

# 1. Java runtime: the jlinked one, unpacked from its tarball if need be; the benchmark's class path.
RUNTIME="${WEIR_RUNTIME:-$ROOT/target/weir-runtime}"
if [ ! -x "$RUNTIME/bin/java" ] && [ -f "$ROOT/target/weir-runtime.tar.gz" ]; then
  mkdir -p /tmp/weir-runtime-unpacked
  tar -C /tmp/weir-runtime-unpacked -xzf "$ROOT/target/weir-runtime.tar.gz"
  RUNTIME=/tmp/weir-runtime-unpacked/weir-runtime
fi
JAVA="$RUNTIME/bin/java"
if [ ! -x "$JAVA" ]; then
  echo "no Java runtime: build target/weir-runtime with gpu-kernels/bench/make-runtime.sh and carry it" >&2
  exit 2
fi
if ls "$ROOT"/target/weir-bench-lib/*.jar >/dev/null 2>&1; then
  CP="$ROOT/target/weir-bench-lib/conf:$(ls "$ROOT"/target/weir-bench-lib/*.jar | tr '\n' ':')"
elif [ -f "$ROOT/target/weir.jar" ]; then
  CP="$ROOT/target/weir.jar"
else
  echo "no classes: carry target/weir-bench-lib/ (make-runtime.sh) or target/weir.jar" >&2
  exit 2
fi

# 2. OpenCL: an ICD folder naming NVIDIA's vendor library, and libOpenCL.so for JOCL (which loads
#    that exact name; most machines only have libOpenCL.so.1).
if [ -z "${OCL_ICD_VENDORS:-}" ]; then
  mkdir -p /tmp/icd && echo libnvidia-opencl.so.1 > /tmp/icd/nvidia.icd
  export OCL_ICD_VENDORS=/tmp/icd
fi
LOADER="$(ldconfig -p 2>/dev/null | awk '/libOpenCL\.so\.1 / {print $NF; exit}')"
if [ -z "$LOADER" ] && [ -f "$ROOT/target/weir-bench-lib/native/libOpenCL.so.1" ]; then
  # No ICD loader installed: the one make-runtime.sh carried (Debian's ocl-icd, needs glibc >= 2.34).
  LOADER="$ROOT/target/weir-bench-lib/native/libOpenCL.so.1"
fi
if [ -n "$LOADER" ]; then
  mkdir -p /tmp/weir-ocl && ln -sf "$LOADER" /tmp/weir-ocl/libOpenCL.so
  export LD_LIBRARY_PATH="/tmp/weir-ocl${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
echo "OpenCL loader: ${LOADER:-none found}; OCL_ICD_VENDORS=$OCL_ICD_VENDORS"
nvidia-smi > "$OUT/nvidia-smi.txt" 2>&1 || echo "nvidia-smi not available"
lscpu > "$OUT/lscpu.txt" 2>&1 || true

# 3. PyTorch, the same product step, float32 (JSON lines).
TORCH_DEVICE="${TORCH_DEVICE:-cuda}"
if [ "${SKIP_TORCH:-0}" != 1 ] && python3 -c "import torch, sys; sys.exit(0 if '$TORCH_DEVICE' == 'cpu' or torch.cuda.is_available() else 1)" 2>/dev/null; then
  echo "running torch_product_step.py on $TORCH_DEVICE"
  python3 -c 'import torch; print("torch", torch.__version__)'
  python3 "$HERE/torch_product_step.py" --sizes "$SIZES" --frames "$FRAMES" --warmup "$WARMUP" --device "$TORCH_DEVICE" \
      > "$OUT/torch_product_step.jsonl" 2> "$OUT/torch_product_step.err" \
    || echo "torch_product_step.py failed (see torch_product_step.err)"
else
  echo "skipping torch_product_step.py: SKIP_TORCH=1 or no python3 with CUDA torch" | tee "$OUT/torch_product_step.err"
fi
echo "elapsed $(( $(date +%s) - START )) s"

# 4. Weir: the encoder's step fused on the OpenCL device, composed from the host on it, and jvm on the CPU
#    beside it on the same frames (whose packets the others must equal).
JFLAGS=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx16g)
echo "running VideoStepBenchmark --backend opencl"
# shellcheck disable=SC2086
"$JAVA" "${JFLAGS[@]}" -cp "$CP" dev.weir.codec.video.VideoStepBenchmark --backend opencl --sizes "$SIZES" \
    --frames "$FRAMES" --warmup "$WARMUP" --reference jvm --out "$OUT/kernels-opencl.json" ${WEIR_BENCH_ARGS:-} \
  || echo "VideoStepBenchmark --backend opencl failed"
echo "elapsed $(( $(date +%s) - START )) s"

# 5. The comparison table.
if [ -s "$OUT/kernels-opencl.json" ]; then
  python3 "$HERE/compare.py" "$OUT/torch_product_step.jsonl" "$OUT/kernels-opencl.json" | tee "$OUT/comparison.md"
fi
echo "results in $OUT (elapsed $(( $(date +%s) - START )) s):"; ls -l "$OUT"
