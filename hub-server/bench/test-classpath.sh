#!/usr/bin/env bash
# Builds hub-server with its test classes and prints the classpath a benchmark's main class runs on
# (paths relative to the repository root).
# usage: CP=$(hub-server/bench/test-classpath.sh)   env: QUIVER_BUILD_DIR (target-bench)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
JAVA_HOME=$("$ROOT/scripts/find-java")
export JAVA_HOME
BUILD_DIR=${QUIVER_BUILD_DIR:-target-bench}
CP_FILE=$(mktemp)
trap 'rm -f "$CP_FILE"' EXIT
# dependency:build-classpath runs before packaging in the same reactor build, so sibling modules
# resolve to their jars from this build
./mvnw -B -q -pl hub-server -am -Dquiver.build.dir="$BUILD_DIR" -DskipTests \
    dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE" package >&2
echo "hub-server/$BUILD_DIR/test-classes:hub-server/$BUILD_DIR/classes:$(cat "$CP_FILE")"
