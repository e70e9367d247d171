#!/usr/bin/env bash
# Whole-system load benchmark: start the release binary on a fresh SQLite database with the
# demo county, record start-up time and resident memory, then drive the project library
# (HTML and JSON) and one project's JSON with wrk (8 connections, 10 s each). When a Redmine
# peer is running on 127.0.0.1:3000 (../shared/peers/redmine, state in /tmp/redmine_state.json,
# key in /tmp/redmine_api_key), its comparable endpoints are measured in the same run and the
# ratios printed.
#
#   cargo build --release -p xiancheng && bench/load.sh [DURATION_SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
conns=${2:-8}
bin=${XIANCHENG_BIN:-target/release/xiancheng}
port=${PORT:-18080}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
[ -x "$bin" ] || { echo "build first: cargo build --release -p xiancheng" >&2; exit 1; }

data=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$data"' EXIT
"$bin" --data-dir "$data" demo load >/dev/null 2>&1
start_ns=$(date +%s%N)
XIANCHENG_LOG=warn "$bin" --data-dir "$data" serve --listen "127.0.0.1:$port" >/dev/null 2>&1 &
pid=$!
until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.005; done
start_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
project=$(curl -s "http://127.0.0.1:$port/api/v1/counties/211122/projects?per_page=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
rss_idle=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)

run() { # name url [header]
  local name=$1 url=$2 header=${3:-}
  wrk -t1 -c1 -d2s ${header:+-H "$header"} "$url" >/dev/null 2>&1 || true
  local out
  out=$(wrk -t1 -c"$conns" -d"${duration}s" --latency ${header:+-H "$header"} "$url")
  python3 - "$name" "$out" <<'PY'
import re, sys
name, out = sys.argv[1], sys.argv[2]
def ms(s):
    v, u = re.match(r"([\d.]+)(us|ms|s)", s).groups()
    return float(v) * {"us": 0.001, "ms": 1, "s": 1000}[u]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
p50 = ms(re.search(r"50%\s+(\S+)", out).group(1))
p99 = ms(re.search(r"99%\s+(\S+)", out).group(1))
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
print(f"{name}\t{rps:.1f}\t{p50:.2f}\t{p99:.2f}\t{non2xx.group(1) if non2xx else 0}")
PY
}

base="http://127.0.0.1:$port"
results=$(mktemp)
{
  run "xiancheng project library page (HTML, 20 rows)" "$base/counties/211122/projects"
  run "xiancheng project library JSON (all 53)" "$base/api/v1/counties/211122/projects?per_page=200"
  run "xiancheng one project JSON (with reports)" "$base/api/v1/counties/211122/projects/$project"
  run "xiancheng county overview page (HTML)" "$base/counties/211122"
} > "$results"
rss_loaded=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)

if curl -sf -o /dev/null http://127.0.0.1:3000/ 2>/dev/null && [ -f /tmp/redmine_api_key ]; then
  key=$(cat /tmp/redmine_api_key)
  issue=$(python3 -c 'import json; print(json.load(open("/tmp/redmine_state.json"))["counties"][0]["projects"][0])')
  jar=$(mktemp)
  token=$(curl -s -c "$jar" -b "$jar" http://127.0.0.1:3000/login | sed -n 's/.*name="authenticity_token" value="\([^"]*\)".*/\1/p' | head -1)
  curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "authenticity_token=$token" --data-urlencode username=admin \
    --data-urlencode "password=${REDMINE_PASSWORD:-peerbench-admin-1}" http://127.0.0.1:3000/login
  cookie=$(awk '!/^#/ || /^#HttpOnly_/ { if (NF>=7) printf "%s=%s; ", $6, $7 }' "$jar" | sed 's/; $//')
  {
    run "Redmine county issue list JSON (all 84)" "http://127.0.0.1:3000/projects/county-0001/issues.json?limit=100" "X-Redmine-API-Key: $key"
    run "Redmine one issue JSON (with journals)" "http://127.0.0.1:3000/issues/$issue.json?include=children,journals" "X-Redmine-API-Key: $key"
    run "Redmine project overview page (HTML)" "http://127.0.0.1:3000/projects/county-0001" "Cookie: $cookie"
  } >> "$results"
fi

echo "start-up to first /healthz 200: ${start_ms} ms; RSS idle $((rss_idle / 1024)) MiB, after load $((rss_loaded / 1024)) MiB"
echo "wrk -t1 -c$conns -d${duration}s, after a 2 s warm-up"
python3 - "$results" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
print(f"{'endpoint':52} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>7}")
for r in rows:
    print(f"{r[0]:52} {float(r[1]):9.1f} {float(r[2]):8.2f} {float(r[3]):8.2f} {r[4]:>7}")
by = {r[0]: float(r[1]) for r in rows}
pairs = [("xiancheng project library JSON (all 53)", "Redmine county issue list JSON (all 84)"),
         ("xiancheng one project JSON (with reports)", "Redmine one issue JSON (with journals)"),
         ("xiancheng county overview page (HTML)", "Redmine project overview page (HTML)")]
for a, b in pairs:
    if a in by and b in by and by[b] > 0:
        print(f"ratio {a} / {b}: {by[a] / by[b]:.1f}x")
PY
rm -f "$results"
