#!/usr/bin/env bash
# The benchmark of docs/performance.md, from a clean clone:
#   bench/run.sh [--jvms 5] [--warm 200] [--only TranscribeFunction,NaiveTranscribe]
# Builds the functions' deployment packages exactly as `sam build` does (make build-<Function>),
# the two reference functions and the local Lambda runtime folder, then runs every function in fresh
# JVMs under the Lambda runtime interface client against moto_server and the Deepgram stand-in on
# loopback, and prints the table. Needs what scripts/test.sh needs (Java 17+, Maven, make, .venv with
# moto). Takes a few minutes; it is not part of the test command.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export MOTO_SERVER="${MOTO_SERVER:-$root/.venv/bin/moto_server}"
packages=bench/target/packages

mvn -B -q -ntp -DskipTests -pl bench -am package
rm -rf "$packages"
for function in TranscribeFunction HealthCheckFunction KeyRotationFunction; do
  make -s "build-$function" ARTIFACTS_DIR="$root/$packages/$function"
done
mkdir -p "$packages/Floor/lib" "$packages/Naive/lib"
cp bench/handlers/target/bench-handlers.jar "$packages/Floor/lib/"
cp bench/handlers/target/bench-handlers.jar bench/handlers/target/naive-lib/*.jar "$packages/Naive/lib/"

exec java -cp "bench/target/bench.jar:bench/target/lib/*" dev.deepgramlambda.bench.Benchmark "$@"
