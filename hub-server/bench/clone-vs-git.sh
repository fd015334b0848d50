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
HUB_PID=$!
PIDS+=($HUB_PID)
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

echo "== waiting (up to 2 minutes) for housekeeping to repack with bitmaps" >&2
BITMAP=no
for _ in $(seq 240); do
  if ls "$SERVER_REPO"/objects/pack/*.bitmap > /dev/null 2>&1; then BITMAP=yes; break; fi
  sleep 0.5
done
sleep 2
mkdir -p "$WORK/cgit"
cp -a "$SERVER_REPO" "$WORK/cgit/history.git"
PACK_MB=$(du -sm "$SERVER_REPO/objects/pack" | cut -f1)

DAEMON_PORT=$(free_port)
# the daemon binary itself (the `git daemon` wrapper would hide its children's CPU time until exit)
"$(git --exec-path)/git-daemon" --reuseaddr --export-all --base-path="$WORK/cgit" --listen=127.0.0.1 --port="$DAEMON_PORT" "$WORK/cgit" &
DAEMON_PID=$!
PIDS+=($DAEMON_PID)
CGI_PORT=$(free_port)
python3 "$BENCH/git_cgi.py" "$CGI_PORT" "$WORK/cgit" &
CGI_PID=$!
PIDS+=($CGI_PID)
sleep 1

cpu_seconds() { # CPU time of a server process and of the children it has reaped (upload-pack, pack-objects)
  awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15 + $16 + $17) / hz}' "/proc/$1/stat"
}
echo "== timing clones" >&2
mkdir -p "$WORK/clones"
declare -A SERVER_PID=([quiver]=$HUB_PID [daemon]=$DAEMON_PID [cgi]=$CGI_PID)
declare -A SERVER_URL=([quiver]="$HUB/bench/history" [daemon]="git://127.0.0.1:$DAEMON_PORT/history.git"
  [cgi]="http://127.0.0.1:$CGI_PORT/history.git")
WARMUP=3
for name in quiver daemon cgi; do
  before=$(cpu_seconds "${SERVER_PID[$name]}")
  hyperfine --style basic --warmup "$WARMUP" --runs "$RUNS" --export-json "$WORK/clone-$name.json" \
    --prepare "rm -rf $WORK/clones/x" -n "$name" "git clone -q --bare ${SERVER_URL[$name]} $WORK/clones/x" >&2
  git ls-remote "${SERVER_URL[$name]}" > /dev/null # git-daemon reaps finished children on its next connection
  sleep 1
  after=$(cpu_seconds "${SERVER_PID[$name]}")
  echo "$name $(python3 -c "print(($after - $before) / ($WARMUP + $RUNS))")" >> "$WORK/cpu.txt"
done

latency() { # median and p90 of N sequential info/refs requests, in ms
  local url=$1 args=()
  for _ in $(seq 200); do args+=(-o /dev/null "$url"); done
  curl -s -w '%{time_total}\n' "${args[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.2f / %.2f", a[int(NR*0.5)]*1000, a[int(NR*0.9)]*1000}'
}
echo "== timing info/refs" >&2
Q_LAT=$(latency "$HUB/bench/history/info/refs?service=git-upload-pack")
C_LAT=$(latency "http://127.0.0.1:$CGI_PORT/history.git/info/refs?service=git-upload-pack")

python3 - "$WORK" "$Q_LAT" "$C_LAT" "$COMMITS" "$FILES" "$PACK_MB" "$PUSH_START" "$PUSH_END" "$PROTOCOL" "$BITMAP" <<'PY'
import json, sys
res = {n: json.load(open(f"{sys.argv[1]}/clone-{n}.json"))["results"][0] for n in ("quiver", "daemon", "cgi")}
cpu = dict(line.split() for line in open(f"{sys.argv[1]}/cpu.txt"))
q = res["quiver"]["median"]
print(f"repository: {sys.argv[4]} commits, {sys.argv[5]} files, {sys.argv[6]} MB packed, bitmap: {sys.argv[10]}; "
      f"protocol v{sys.argv[9]}; "
      f"push of the whole history through Quiver: {float(sys.argv[8]) - float(sys.argv[7]):.1f} s")
print()
print("| server | clone median (s) | min | max | Quiver / this | server CPU per clone (s) |")
print("|---|---|---|---|---|---|")
for name, label in [("quiver", "Quiver (Helidon + JGit)"), ("daemon", "C git: git daemon"), ("cgi", "C git: http-backend (CGI)")]:
    r = res[name]
    print(f"| {label} | {r['median']:.3f} | {r['min']:.3f} | {r['max']:.3f} | {q / r['median']:.2f}x "
          f"| {float(cpu[name]):.3f} |")
print()
print(f"info/refs latency, median / p90 over 200 sequential requests: Quiver {sys.argv[2]} ms, "
      f"http-backend (CGI) {sys.argv[3]} ms")
PY
