#!/usr/bin/env bash
# Runs the kernel benchmark on a GPU machine that has no Java and no network: the PyTorch reference
# (torch_ref.py, if python3 has torch) and the Java benchmark (opencl backend on the GPU, jvm backend on
# the CPU for comparison) in the same run, writing JSON and logs to $OUT.
#
# Expects, carried beside the repository (build them here with make-runtime.sh):
#   target/weir-runtime/ (or target/weir-runtime.tar.gz)   a jlinked Temurin 25 runtime
#   target/weir-bench-lib/*.jar, or target/weir.jar         the classes
# Environment: OUT (default target/gpu-bench), WEIR_BENCH_ARGS (extra KernelBenchmark options, e.g.
# "--sizes 384x288 --k 1024" for a quick run), WEIR_OPENCL_DEVICE (device name substring), SKIP_TORCH=1.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/gpu-kernels/bench"
OUT="${OUT:-$ROOT/target/gpu-bench}"
mkdir -p "$OUT"
exec > >(tee "$OUT/run-on-gpu.log") 2>&1

# 1. Java runtime: the jlinked one, unpacked from its tarball if need be.
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
  CP="$(ls "$ROOT"/target/weir-bench-lib/*.jar | tr '\n' ':')"   # made by make-runtime.sh with the runtime
elif [ -f "$ROOT/target/weir.jar" ]; then
  CP="$ROOT/target/weir.jar"
else
  echo "no classes: carry target/weir.jar or target/weir-bench-lib/" >&2
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

# 3. PyTorch reference, same frame step (JSON lines).
if [ "${SKIP_TORCH:-0}" != 1 ] && python3 -c 'import torch; assert torch.cuda.is_available()' 2>/dev/null; then
  echo "running torch_ref.py"
  python3 "$HERE/torch_ref.py" > "$OUT/torch_ref.jsonl" 2> "$OUT/torch_ref.err" || echo "torch_ref.py failed (see torch_ref.err)"
else
  echo "skipping torch_ref.py: python3 with CUDA torch not available" | tee "$OUT/torch_ref.err"
fi

# 4. The Java benchmark: OpenCL on the GPU with torch_ref.py's frame counts (64 frames one by one, and
#    64 per batch), then the jvm backend on this machine's CPU with its defaults.
JFLAGS=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx24g)
for BACKEND in opencl jvm; do
  echo "running KernelBenchmark --backend $BACKEND"
  ARGS=()
  [ "$BACKEND" = opencl ] && ARGS=(--frames 64 --batch 64 --scalar-frames 1 --no-peak)
  # shellcheck disable=SC2086
  "$JAVA" "${JFLAGS[@]}" -cp "$CP" dev.weir.kernels.bench.KernelBenchmark --backend "$BACKEND" \
      "${ARGS[@]}" --out "$OUT/kernels-$BACKEND.json" ${WEIR_BENCH_ARGS:-} \
    || echo "KernelBenchmark --backend $BACKEND failed"
done

# 5. The GPU goal: Weir vs torch_ref.py, float32, same machine, same run.
if [ -s "$OUT/torch_ref.jsonl" ] && [ -s "$OUT/kernels-opencl.json" ]; then
  python3 "$HERE/compare.py" "$OUT/torch_ref.jsonl" "$OUT/kernels-opencl.json" | tee "$OUT/comparison.md"
fi
echo "results in $OUT:"; ls -l "$OUT"
