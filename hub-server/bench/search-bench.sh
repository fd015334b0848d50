#!/usr/bin/env bash
# Benchmark: search over 100,000 generated repositories whose cards read like the Hub's.
#
# Measures, in one run (see hub-server/src/test/java/dev/quiver/server/search/SearchBench.java):
#   1. index build time for the corpus, index size on disk, heap used after the build;
#   2. how long a commit takes to become findable through /api/models, idle and under load;
#   3. latency (p50/p90/p99) and throughput of a mix of listing and search requests over HTTP from
#      concurrent clients (16 by default) against a real hub started over the built index;
#   4. the web UI's time to first result in Chromium (when installed), each page load in a fresh profile;
#   5. the rebuild a hub does when its index is lost, from real git repositories (1,000 by default).
# Client and hub share the machine, so latencies include the clients' own CPU use.
#
# usage: hub-server/bench/search-bench.sh [--repos N] [--clients N] [--seconds N] [--warmup N] [--seed N] [--git-repos N]
# env:   BENCH_JAVA_OPTS (default -Xmx2g)  QUIVER_BUILD_DIR (target-bench)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
JAVA_HOME=$("$ROOT/scripts/find-java")
CP=$(hub-server/bench/test-classpath.sh)
echo "command: hub-server/bench/search-bench.sh $*"
# shellcheck disable=SC2086
exec "$JAVA_HOME/bin/java" ${BENCH_JAVA_OPTS:--Xmx2g} -cp "$CP" dev.quiver.server.search.SearchBench "$@"
