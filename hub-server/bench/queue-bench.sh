#!/usr/bin/env bash
# Benchmark: the retraining job queue (see hub-server/src/test/java/dev/quiver/server/jobs/QueueBench.java).
#
# Measures, in one run, against a real hub over HTTP on loopback:
#   (a) dataset commit (HF commit API) -> job claimed by an idle runner long-polling the real claim
#       endpoint: p50/p99 over 200 commits made one at a time (after 20 warm-up commits);
#   (b) 10,000 queued jobs drained by 32 simulated runners that claim and complete at once: jobs/s and
#       claim latency p50/p99; beside it the same drain through JobStore in the same process (no HTTP)
#       and through the naive glue (plain JDBC: SELECT ... LIMIT 1; UPDATE per worker connection).
# Runners and hub share the machine and the JVM, so latencies include the runners' own CPU use.
#
# usage: hub-server/bench/queue-bench.sh [--commits N] [--warmup N] [--jobs N] [--runners N] [--enqueuers N]
# env:   BENCH_JAVA_OPTS (default -Xmx1g)  QUIVER_BUILD_DIR (target-bench)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
JAVA_HOME=$("$ROOT/scripts/find-java")
CP=$(hub-server/bench/test-classpath.sh)
echo "command: hub-server/bench/queue-bench.sh $*"
echo "nproc: $(nproc); uptime: $(uptime)"
# shellcheck disable=SC2086
"$JAVA_HOME/bin/java" ${BENCH_JAVA_OPTS:--Xmx1g} -cp "$CP" dev.quiver.server.jobs.QueueBench "$@"
echo "uptime after: $(uptime)"
