#!/usr/bin/env bash
# Benchmark: search over 100,000 generated repositories whose cards read like the Hub's.
#
# Measures, in one run (see hub-server/src/test/java/dev/quiver/server/search/SearchBench.java):
#   1. index build time for the corpus, index size on disk, heap used after the build;
#   2. how long a commit takes to become findable through /api/models, idle and under load;
#   3. latency (p50/p90/p99) and throughput of a mix of listing and search requests over HTTP from
#      16 concurrent connections (--clients) against a real hub started over the built index. The
#      load comes from wrk in its own process (hub-server/bench/search-mix.lua cycles through a
#      request list drawn from BenchQueries), closed loop: first queries only, then again while
#      commits are made (each makes a new reader, which carries over the answers the change cannot
#      have touched). Without wrk, or with --wrk 0, the clients run in the hub's JVM (java.net.http);
#   4. service time per request kind: one client in the hub's JVM (--kind-seconds, 0 skips);
#   5. the web UI's time to first result in Chromium (when installed; --web-ui 0 skips);
#   6. the rebuild a hub does when its index is lost, from real git repositories (1,000 by default).
#
# usage: hub-server/bench/search-bench.sh [--repos N] [--clients N] [--seconds N] [--warmup N] [--seed N]
#            [--git-repos N] [--wrk 1|0] [--kind-seconds N] [--web-ui 1|0]
# env:   BENCH_JAVA_OPTS (default -Xmx2g; -Dquiver.search.cache-entries=0 turns the search caches off)
#        QUIVER_BUILD_DIR (target-bench)
#        MAVEN_ARGS (passed to Maven, e.g. "-o -Dexec.skip=true" to build offline without the web UI)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
JAVA_HOME=$("$ROOT/scripts/find-java")
CP=$(hub-server/bench/test-classpath.sh)
echo "command: hub-server/bench/search-bench.sh $*"
echo "java options: ${BENCH_JAVA_OPTS:--Xmx2g}; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
# shellcheck disable=SC2086
exec "$JAVA_HOME/bin/java" ${BENCH_JAVA_OPTS:--Xmx2g} -cp "$CP" dev.quiver.server.search.SearchBench "$@"
