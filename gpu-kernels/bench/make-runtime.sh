#!/usr/bin/env bash
# Builds what run-on-gpu.sh needs on a machine without Java, into target/:
#   target/weir-runtime/ and target/weir-runtime.tar.gz   a jlinked Temurin 25 runtime (~65 MB / ~39 MB)
#   target/weir-bench-lib/                                 the benchmark's class path: the kernel layer and codec
#                                                          jars, JOCL, Jackson, slf4j and log4j (with Weir's
#                                                          log4j2.xml in conf/), and native/libOpenCL.so.1 (~7 MB)
# Carry target/weir-runtime.tar.gz and target/weir-bench-lib (about 46 MB together, under the 64 MiB a device
# run may carry). Run from anywhere; needs JDK 25 (JAVA_HOME) and the Maven repository filled by a build here.
# WEIR_SKIP_PACKAGE=1 uses the module jars already built instead of building them.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
MVN="${MVN:-./mvnw -B -q -o}"

if [ "${WEIR_SKIP_PACKAGE:-0}" != 1 ]; then
  $MVN clean install -DskipTests -pl gpu-kernels,codec
fi

rm -rf target/weir-runtime
"$JAVA_HOME/bin/jlink" \
  --add-modules java.base,java.logging,java.management,java.naming,java.desktop,jdk.incubator.vector,jdk.unsupported,java.xml,jdk.management \
  --strip-debug --no-man-pages --no-header-files --compress=zip-9 \
  --output target/weir-runtime
tar -C target -czf target/weir-runtime.tar.gz weir-runtime

# The benchmark's class path: VideoStepBenchmark (codec) on the kernel layer, and the few libraries they use.
rm -rf target/weir-bench-lib && mkdir -p target/weir-bench-lib/conf
cp gpu-kernels/target/weir-gpu-kernels-*.jar codec/target/weir-codec-*.jar target/weir-bench-lib/
rm -f target/weir-bench-lib/*-sources.jar target/weir-bench-lib/*-javadoc.jar
$MVN dependency:build-classpath -pl cli -Dmdep.outputFile="$ROOT/target/weir-bench-lib/.classpath" >/dev/null
tr ':' '\n' < target/weir-bench-lib/.classpath \
  | grep -E '/(jocl|jackson-(core|databind|annotations)|slf4j-api|log4j-(api|core|slf4j2-impl))-[0-9][^/]*\.jar$' \
  | xargs -I{} cp {} target/weir-bench-lib/
rm target/weir-bench-lib/.classpath
cp cli/src/main/resources/log4j2.xml target/weir-bench-lib/conf/
# The OpenCL ICD loader, for a GPU machine that has NVIDIA's vendor library but no libOpenCL.so.1.
OCL_LOADER="$(ldconfig -p 2>/dev/null | awk '/libOpenCL\.so\.1 / {print $NF; exit}')"
if [ -n "$OCL_LOADER" ]; then
  mkdir -p target/weir-bench-lib/native && cp -L "$OCL_LOADER" target/weir-bench-lib/native/libOpenCL.so.1
fi

du -sh target/weir-runtime target/weir-runtime.tar.gz target/weir-bench-lib 2>/dev/null || true
ls target/weir-bench-lib
