#!/usr/bin/env bash
# Builds what run-on-gpu.sh needs on a machine without Java, into target/:
#   target/weir-runtime/          a jlinked Temurin 25 runtime (and target/weir-runtime.tar.gz)
#   target/weir.jar               the fat jar (mvn package), unless WEIR_SKIP_PACKAGE=1
#   target/weir-bench-lib/        a slim classpath for the kernel benchmark only (weir-thin.jar + the
#                                 few libraries the kernels use), small enough to carry when weir.jar is not
# Run from anywhere; needs JDK 25 (JAVA_HOME) and Maven with the dependencies cached (-o).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
MVN="${MVN:-mvn -B -o -q}"

if [ "${WEIR_SKIP_PACKAGE:-0}" != 1 ]; then
  $MVN package -DskipTests -Dsurefire.failIfNoSpecifiedTests=false
fi

rm -rf target/weir-runtime
"$JAVA_HOME/bin/jlink" \
  --add-modules java.base,java.logging,java.management,java.naming,java.net.http,java.desktop,jdk.incubator.vector,jdk.unsupported,java.sql,java.xml,jdk.management \
  --strip-debug --no-man-pages --no-header-files --compress=zip-9 \
  --output target/weir-runtime
tar -C target -czf target/weir-runtime.tar.gz weir-runtime

# Slim benchmark classpath: our classes plus JOCL, Jackson, slf4j and log4j.
rm -rf target/weir-bench-lib && mkdir -p target/weir-bench-lib
if [ "${WEIR_SKIP_PACKAGE:-0}" != 1 ]; then
  cp target/weir-thin.jar target/weir-bench-lib/
else
  $MVN compile
  "$JAVA_HOME/bin/jar" --create --file target/weir-bench-lib/weir-classes.jar -C target/classes .
fi
$MVN dependency:build-classpath -Dmdep.outputFile=target/weir-bench-lib/.classpath >/dev/null
tr ':' '\n' < target/weir-bench-lib/.classpath \
  | grep -E '/(jocl|jackson-(core|databind|annotations)|slf4j-api|log4j-(api|core|slf4j2-impl))-[0-9][^/]*\.jar$' \
  | xargs -I{} cp {} target/weir-bench-lib/
rm target/weir-bench-lib/.classpath
# The OpenCL ICD loader, for a GPU machine that has NVIDIA's vendor library but no libOpenCL.so.1.
OCL_LOADER="$(ldconfig -p 2>/dev/null | awk '/libOpenCL\.so\.1 / {print $NF; exit}')"
if [ -n "$OCL_LOADER" ]; then
  mkdir -p target/weir-bench-lib/native && cp -L "$OCL_LOADER" target/weir-bench-lib/native/libOpenCL.so.1
fi

du -sh target/weir-runtime target/weir-runtime.tar.gz target/weir-bench-lib ${WEIR_SKIP_PACKAGE:+} 2>/dev/null || true
[ -f target/weir.jar ] && du -sh target/weir.jar || true
