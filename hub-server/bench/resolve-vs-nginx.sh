#!/usr/bin/env bash
# Benchmark: Quiver's resolve endpoint against nginx serving the very same file (a hard link to the
# hub's LFS object, so the same inode on the same disk and the same page cache) over loopback.
#
# Measures, in one run:
#   1. download throughput of a large LFS file (curl -o /dev/null, RUNS runs each, alternating
#      hub and nginx, after one warm-up each so both read from the page cache);
#   2. the hub's resident memory (RSS) before, at its peak during, and after the large downloads;
#   3. requests/s for a small file under wrk (same bytes: a git blob for the hub, a file for nginx).
# and prints the hub/nginx ratios plus a Markdown block for docs/benchmarks.md.
#
# usage: hub-server/bench/resolve-vs-nginx.sh
# env:   SIZE_MB (1024)  RUNS (5)  WRK_SECONDS (10)  WRK_CONNECTIONS (32)  WRK_THREADS (2)
#        QUIVER_JAVA_OPTS (passed to the hub's JVM)  KEEP=1 keeps the work directory
# needs: root or sudo for apt-get when nginx-light or wrk are missing; curl; python3.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SIZE_MB=${SIZE_MB:-1024}
RUNS=${RUNS:-5}
WRK_SECONDS=${WRK_SECONDS:-10}
WRK_CONNECTIONS=${WRK_CONNECTIONS:-32}
WRK_THREADS=${WRK_THREADS:-2}

log() { echo "bench: $*" >&2; }

install_missing() {
  local missing=()
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
  command -v wrk >/dev/null || missing+=(wrk)
  [ ${#missing[@]} -eq 0 ] && return
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  log "installing ${missing[*]}"
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# curl that fails loudly, with the hub's error body, on an HTTP error
api() {
  local out status
  out=$(mktemp)
  status=$(curl -sS -o "$out" -w '%{http_code}' "$@")
  if [ "$status" -ge 400 ]; then log "HTTP $status from $*: $(head -c 500 "$out")"; rm -f "$out"; exit 1; fi
  cat "$out"; rm -f "$out"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

rss_kb() { ps -o rss= -p "$1" | tr -d ' '; }

install_missing
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
WORK=$(mktemp -d "${TMPDIR:-/var/tmp}/quiver-bench.XXXXXX")
HUB_PID=""
NGINX_PID=""
cleanup() {
  set +e
  [ -n "$HUB_PID" ] && kill "$HUB_PID" 2>/dev/null && wait "$HUB_PID" 2>/dev/null
  [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null
  if [ "${KEEP:-0}" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# --- the hub ---------------------------------------------------------------------------------
log "starting the hub (the first run builds it)"
"$ROOT/quiver" serve --port 0 --data "$WORK/data" >"$WORK/hub.log" 2>&1 &
HUB_PID=$!
for _ in $(seq 1 600); do
  grep -q 'listening on' "$WORK/hub.log" && break
  kill -0 "$HUB_PID" 2>/dev/null || { cat "$WORK/hub.log" >&2; exit 1; }
  sleep 0.5
done
HUB=$(grep -o 'listening on http://[^ ]*' "$WORK/hub.log" | head -1 | sed 's/listening on //')
TOKEN=$(cat "$(grep -o 'Admin token written to [^ ]*' "$WORK/hub.log" | sed 's/Admin token written to //')")
# the launcher execs java, but be robust if it ever forks: measure the JVM that listens
JAVA_PID=$(pgrep -P "$HUB_PID" java || echo "$HUB_PID")
log "hub at $HUB (pid $JAVA_PID)"
auth=(-H "Authorization: Bearer $TOKEN")

# --- content: one large LFS file through the HF upload flow, one small regular file ---------------
log "generating a ${SIZE_MB} MiB file"
head -c "$((SIZE_MB * 1024 * 1024))" /dev/urandom >"$WORK/big.bin"
SIZE=$(stat -c %s "$WORK/big.bin")
OID=$(sha256sum "$WORK/big.bin" | cut -d' ' -f1)
python3 -c 'import json; print(json.dumps({"model_type": "llama", "hidden_size": 4096, "vocab": list(range(150))}))' \
  >"$WORK/small.json"

api "${auth[@]}" -H 'Content-Type: application/json' -X POST "$HUB/api/repos/create" \
  -d '{"type":"model","organization":"bench","name":"files"}' >/dev/null
BATCH=$(api "${auth[@]}" -H 'Content-Type: application/vnd.git-lfs+json' -H 'Accept: application/vnd.git-lfs+json' \
  -X POST "$HUB/bench/files.git/info/lfs/objects/batch" \
  -d "{\"operation\":\"upload\",\"transfers\":[\"basic\"],\"objects\":[{\"oid\":\"$OID\",\"size\":$SIZE}]}")
HREF=$(python3 -c 'import json,sys; o=json.load(sys.stdin)["objects"][0]; print(o.get("actions",{}).get("upload",{}).get("href",""))' <<<"$BATCH")
if [ -n "$HREF" ]; then
  log "uploading through the LFS basic transfer"
  api -T "$WORK/big.bin" -H 'Content-Type: application/octet-stream' -H 'Expect:' "$HREF" >/dev/null
fi
SMALL_B64=$(base64 -w0 "$WORK/small.json")
printf '%s\n%s\n%s\n' \
  '{"key":"header","value":{"summary":"benchmark files","description":""}}' \
  "{\"key\":\"lfsFile\",\"value\":{\"path\":\"big.bin\",\"algo\":\"sha256\",\"oid\":\"$OID\",\"size\":$SIZE}}" \
  "{\"key\":\"file\",\"value\":{\"path\":\"small.json\",\"content\":\"$SMALL_B64\",\"encoding\":\"base64\"}}" \
  >"$WORK/commit.ndjson"
api "${auth[@]}" -H 'Content-Type: application/x-ndjson' -X POST "$HUB/api/models/bench/files/commit/main" \
  --data-binary @"$WORK/commit.ndjson" >/dev/null

# --- nginx on the same inode ----------------------------------------------------------------------
mkdir -p "$WORK/www" "$WORK/nginx"
ln "$WORK/data/lfs/objects/${OID:0:2}/${OID:2:2}/$OID" "$WORK/www/big.bin"
cp "$WORK/small.json" "$WORK/www/small.json"
# nginx workers started by root run as an unprivileged user: let them read the files
chmod 755 "$WORK" "$WORK/www"
chmod a+r "$WORK/www/big.bin" "$WORK/www/small.json"
rm "$WORK/big.bin"
NGINX_PORT=$(free_port)
cat >"$WORK/nginx/nginx.conf" <<NGINX
worker_processes 2;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path $WORK/nginx/body;
  proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;
  types { application/octet-stream bin; application/json json; }
  server { listen 127.0.0.1:$NGINX_PORT; root $WORK/www; }
}
NGINX
"$NGINX" -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" &
NGINX_PID=$!
NGINX_URL="http://127.0.0.1:$NGINX_PORT"
for _ in $(seq 1 50); do curl -sf -o /dev/null "$NGINX_URL/small.json" && break; sleep 0.1; done

HUB_BIG="$HUB/bench/files/resolve/main/big.bin"
HUB_SMALL="$HUB/bench/files/resolve/main/small.json"
cmp <(curl -sf "$HUB_BIG" | sha256sum | cut -d' ' -f1) <(echo "$OID") >/dev/null \
  || { log "the hub served different bytes"; exit 1; }
curl -sf -o /dev/null "$NGINX_URL/big.bin"

# --- 1 and 2: large-file throughput and hub memory -----------------------------------------------
speed() { curl -sf -o /dev/null -w '%{speed_download}\n' "$1"; }
RSS_BEFORE=$(rss_kb "$JAVA_PID")
( peak=0; while kill -0 "$JAVA_PID" 2>/dev/null && [ ! -f "$WORK/stop-rss" ]; do
    r=$(rss_kb "$JAVA_PID" || echo 0); [ "${r:-0}" -gt "$peak" ] && peak=$r; echo "$peak" >"$WORK/rss-peak"; sleep 0.1
  done ) &
RSS_WATCH=$!
hub_speeds=(); nginx_speeds=()
for i in $(seq 1 "$RUNS"); do
  if [ $((i % 2)) -eq 1 ]; then
    hub_speeds+=("$(speed "$HUB_BIG")"); nginx_speeds+=("$(speed "$NGINX_URL/big.bin")")
  else
    nginx_speeds+=("$(speed "$NGINX_URL/big.bin")"); hub_speeds+=("$(speed "$HUB_BIG")")
  fi
  log "run $i: hub ${hub_speeds[-1]} B/s, nginx ${nginx_speeds[-1]} B/s"
done
touch "$WORK/stop-rss"; wait "$RSS_WATCH" 2>/dev/null || true
RSS_PEAK=$(cat "$WORK/rss-peak")
RSS_AFTER=$(rss_kb "$JAVA_PID")

# --- 3: small-file requests/s -----------------------------------------------------------------------
rps() {
  wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"${WRK_SECONDS}s" "$1" | awk '/Requests\/sec/ {print $2}'
}
# the JIT compiles the request path during the first seconds; measure the warm server
wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d15s "$HUB_SMALL" >/dev/null
hub_rps=(); nginx_rps=()
for i in 1 2 3; do
  hub_rps+=("$(rps "$HUB_SMALL")"); nginx_rps+=("$(rps "$NGINX_URL/small.json")")
  log "wrk round $i: hub ${hub_rps[-1]} req/s, nginx ${nginx_rps[-1]} req/s"
done
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

# --- report -----------------------------------------------------------------------------------------
python3 - "$SIZE" "$RUNS" "$RSS_BEFORE" "$RSS_PEAK" "$RSS_AFTER" "${hub_rps[*]}" "${nginx_rps[*]}" \
  "$(stat -c %s "$WORK/small.json")" "${hub_speeds[*]}" "${nginx_speeds[*]}" "$LOAD_START" "$LOAD_END" \
  "$WRK_THREADS" "$WRK_CONNECTIONS" "$WRK_SECONDS" <<'PY'
import statistics, sys, os, platform
size, runs, rb, rp, ra = sys.argv[1:6]
hub_rps = statistics.median(float(x) for x in sys.argv[6].split())
nginx_rps = statistics.median(float(x) for x in sys.argv[7].split())
small = sys.argv[8]
hub = [float(x) for x in sys.argv[9].split()]
ngx = [float(x) for x in sys.argv[10].split()]
load_start, load_end, wt, wc, ws = sys.argv[11:16]
mib = lambda b: b / 1048576
hm, nm = statistics.median(hub), statistics.median(ngx)
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
print(f"""
### Hub: file serving (resolve vs nginx, loopback, same file)

Machine: {os.cpu_count()} cores ({cpu}), {round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GiB RAM, {platform.platform()}.

| measure | Quiver resolve | nginx | ratio (Quiver / nginx) |
| --- | --- | --- | --- |
| {mib(int(size)):.0f} MiB LFS download, median of {runs} (MiB/s) | {mib(hm):.0f} | {mib(nm):.0f} | {hm / nm:.2f} |
| same, best run (MiB/s) | {mib(max(hub)):.0f} | {mib(max(ngx)):.0f} | {max(hub) / max(ngx):.2f} |
| {small}-byte file, requests/s (wrk -t{wt} -c{wc}, {ws} s, median of 3) | {hub_rps:.0f} | {nginx_rps:.0f} | {hub_rps / nginx_rps:.2f} |

Hub RSS: {int(rb) / 1024:.0f} MiB before the large downloads, {int(rp) / 1024:.0f} MiB at peak during them, {int(ra) / 1024:.0f} MiB after.
All runs (MiB/s) — Quiver: {", ".join(f"{mib(x):.0f}" for x in hub)}; nginx: {", ".join(f"{mib(x):.0f}" for x in ngx)}.
Load average (1, 5, 15 min) at the start: {load_start}; at the end: {load_end}.
""")
PY
