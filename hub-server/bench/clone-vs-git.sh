#!/usr/bin/env bash
# Git clone over Quiver's HTTP vs C git's own servers, same machine, same repository, same run.
#
#   hub-server/bench/clone-vs-git.sh            # 2,000 commits, 5,000 files, 10 timed clones each
#   COMMITS=200 FILES=500 RUNS=3 hub-server/bench/clone-vs-git.sh   # a quick look
#
# Builds a history with `git fast-import`, pushes it to a fresh hub through git (so the push rules
# run), waits for the hub's housekeeping to repack it with bitmaps, copies that bare repository
# byte for byte for C git, then times `git clone --bare` (no checkout: the checkout costs the
# same whichever server answered) with hyperfine against:
#   quiver  - ./quiver serve (Helidon + JGit UploadPack)
#   daemon  - git daemon (git:// protocol: C git with no HTTP at all)
#   cgi     - git http-backend behind bench/git_cgi.py (C git's smart HTTP, one CGI process per request)
# and the latency of GET info/refs?service=git-upload-pack (protocol v0) on the HTTP servers.
# Needs: git, hyperfine, curl, python3 (>= 3.10). Prints a markdown table.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BENCH=$ROOT/hub-server/bench
COMMITS=${COMMITS:-2000}
FILES=${FILES:-5000}
RUNS=${RUNS:-10}
PROTOCOL=${PROTOCOL:-2}
WORK=$(mktemp -d /tmp/quiver-clone-bench.XXXXXX)
TOKEN=hf_benchToken000000000000000000000000
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=$WORK/gitconfig GIT_TERMINAL_PROMPT=0
git config --global user.name Bench
git config --global user.email bench@example.com
git config --global protocol.version "$PROTOCOL"

echo "== starting the hub" >&2
# HUB_CMD runs another build of the hub, e.g. "java -jar hub-server/target-x/quiver-hub-server.jar serve"
QUIVER_ADMIN_TOKEN=$TOKEN ${HUB_CMD:-"$ROOT/quiver" serve} --data "$WORK/data" --port 0 > "$WORK/hub.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 600); do grep -q "listening on" "$WORK/hub.log" && break; sleep 0.5; done
HUB=$(grep -o 'http://[0-9.:]*' "$WORK/hub.log" | head -1)
[ -n "$HUB" ] || { cat "$WORK/hub.log" >&2; exit 1; }
curl -sf -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"type":"model","organization":"bench","name":"history"}' "$HUB/api/repos/create" > /dev/null

echo "== writing $COMMITS commits over $FILES files and pushing them" >&2
AUTHED=${HUB/http:\/\//http:\/\/bench:$TOKEN@}
git clone -q "$AUTHED/bench/history" "$WORK/src"
python3 "$BENCH/make_history.py" "$COMMITS" "$FILES" | git -C "$WORK/src" fast-import --quiet
git -C "$WORK/src" reset -q --hard main
PUSH_START=$(date +%s.%N)
git -C "$WORK/src" push -q origin main
PUSH_END=$(date +%s.%N)
SERVER_REPO=$WORK/data/repos/models/bench/history.git

echo "== waiting for housekeeping to repack with bitmaps" >&2
for _ in $(seq 600); do ls "$SERVER_REPO"/objects/pack/*.bitmap > /dev/null 2>&1 && break; sleep 0.5; done
ls "$SERVER_REPO"/objects/pack/*.bitmap > /dev/null
sleep 2
mkdir -p "$WORK/cgit"
cp -a "$SERVER_REPO" "$WORK/cgit/history.git"
PACK_MB=$(du -sm "$SERVER_REPO/objects/pack" | cut -f1)

DAEMON_PORT=$(free_port)
git daemon --reuseaddr --export-all --base-path="$WORK/cgit" --listen=127.0.0.1 --port="$DAEMON_PORT" "$WORK/cgit" &
PIDS+=($!)
CGI_PORT=$(free_port)
python3 "$BENCH/git_cgi.py" "$CGI_PORT" "$WORK/cgit" &
PIDS+=($!)
sleep 1

echo "== timing clones" >&2
mkdir -p "$WORK/clones"
hyperfine --style basic --warmup 2 --runs "$RUNS" --export-json "$WORK/clone.json" \
  --prepare "rm -rf $WORK/clones/x" \
  -n quiver "git clone -q --bare $HUB/bench/history $WORK/clones/x" \
  -n daemon "git clone -q --bare git://127.0.0.1:$DAEMON_PORT/history.git $WORK/clones/x" \
  -n cgi "git clone -q --bare http://127.0.0.1:$CGI_PORT/history.git $WORK/clones/x" >&2

latency() { # median and p90 of N sequential info/refs requests, in ms
  local url=$1 args=()
  for _ in $(seq 200); do args+=("$url"); done
  curl -s -o /dev/null -w '%{time_total}\n' "${args[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.2f / %.2f", a[int(NR*0.5)]*1000, a[int(NR*0.9)]*1000}'
}
echo "== timing info/refs" >&2
Q_LAT=$(latency "$HUB/bench/history/info/refs?service=git-upload-pack")
C_LAT=$(latency "http://127.0.0.1:$CGI_PORT/history.git/info/refs?service=git-upload-pack")

python3 - "$WORK/clone.json" "$Q_LAT" "$C_LAT" "$COMMITS" "$FILES" "$PACK_MB" "$PUSH_START" "$PUSH_END" "$PROTOCOL" <<'PY'
import json, sys
res = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
q = res["quiver"]["median"]
print(f"repository: {sys.argv[4]} commits, {sys.argv[5]} files, {sys.argv[6]} MB packed; protocol v{sys.argv[9]}; "
      f"push of the whole history through Quiver: {float(sys.argv[8]) - float(sys.argv[7]):.1f} s")
print()
print("| server | clone median (s) | min | max | Quiver / this |")
print("|---|---|---|---|---|")
for name, label in [("quiver", "Quiver (Helidon + JGit)"), ("daemon", "C git: git daemon"), ("cgi", "C git: http-backend (CGI)")]:
    r = res[name]
    print(f"| {label} | {r['median']:.3f} | {r['min']:.3f} | {r['max']:.3f} | {q / r['median']:.2f}x |")
print()
print(f"info/refs latency, median / p90 over 200 sequential requests: Quiver {sys.argv[2]} ms, "
      f"http-backend (CGI) {sys.argv[3]} ms")
PY
