#!/usr/bin/env bash
# Trainer benchmark: DJL LoRA training vs a plain-PyTorch LoRA loop on the same model, data and CPU.
# Model: tiny Llama, 6 layers, hidden 256, 8 heads; data: the support Q&A test set (60 rows);
# LoRA r=8 alpha=16 on q_proj,v_proj; batch 8, max length 128, 40 steps, dropout 0, 2 threads.
# Needs Debian's python3-torch (/usr/bin/python3). Run from the repository root: trainer-runner/bench/run.sh
set -euo pipefail
export JAVA_HOME=$(scripts/find-java)
STEPS=${STEPS:-40}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
BUILD=${QUIVER_BUILD_DIR:-target-trainer}
# -o: nothing new to download; exec.skip: no web UI npm step; -DskipTests, not maven.test.skip: hub-cli needs hub-server's test jar
./mvnw -B -q -o -pl trainer-runner -am -Dexec.skip=true -Dquiver.build.dir="$BUILD" -DskipTests package >/dev/null
JAVA=("$JAVA_HOME/bin/java" -Dai.djl.pytorch.num_threads=2 -Dai.djl.pytorch.num_interop_threads=1 -jar "trainer-runner/$BUILD/quiver-trainer-runner.jar")
DATA=trainer-runner/src/test/resources/data/support-qa.jsonl
"${JAVA[@]}" model init-tiny "$WORK/model" --arch llama --layers 6 --hidden 256 --heads 8 --seed 0 >/dev/null
"${JAVA[@]}" train --base "$WORK/model" --data "$DATA" --out "$WORK/adapter" --format qa --eval-fraction 0 \
  --r 8 --alpha 16 --dropout 0 --batch-size 8 --max-length 128 --max-steps "$STEPS" --lr 2e-4 --warmup-ratio 0 --quiet >/dev/null
# Like torch_lora.py: tokens over wall time of steps 3..N (each step's time is its tokens / its rate)
DJL=$(/usr/bin/python3 -c "import json,sys; m=json.load(open(sys.argv[1])); h=m['history'][2:]; \
print(json.dumps({'tokens_per_second': sum(x['tokens'] for x in h)/sum(x['tokens']/x['tokensPerSecond'] for x in h), 'peak_rss_bytes': m['peak_resident_bytes']}))" "$WORK/adapter/metrics.json")
TORCH=$(/usr/bin/python3 trainer-runner/bench/torch_lora.py "$WORK/model" "$DATA" "$STEPS")
FULL=$(/usr/bin/python3 trainer-runner/bench/torch_lora.py "$WORK/model" "$DATA" "$STEPS" --full)
echo "djl:   $DJL"
echo "torch: $TORCH"
echo "torch full fine-tuning: $FULL"
/usr/bin/python3 -c "import json,sys; d,t,f=(json.loads(a) for a in sys.argv[1:]); \
print('DJL/PyTorch tokens/s ratio: %.2f; peak RSS DJL %.0f MiB, PyTorch LoRA %.0f MiB, PyTorch full FT %.0f MiB' % \
(d['tokens_per_second']/t['tokens_per_second'], d['peak_rss_bytes']/2**20, t['peak_rss_bytes']/2**20, f['peak_rss_bytes']/2**20))" "$DJL" "$TORCH" "$FULL"
