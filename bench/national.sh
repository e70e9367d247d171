#!/usr/bin/env bash
# National-scale benchmark: a synthetic country of N counties (default 2,800: about 150,000
# projects and 6.6 million monthly reports), every roll-up, earned value and warning for
# every county, the incremental case (one new report, the county current again), and three
# roll-ups computed by us, by DuckDB and by SQLite over the same data, with the ratios.
# DuckDB is installed with pip when missing. See crates/xiancheng/benches/national.rs for
# what is timed and bench/national_baselines.py for the two peers.
#
#   bench/national.sh [COUNTIES]        # environment: XIANCHENG_BENCH_* (see national.rs)
set -euo pipefail
cd "$(dirname "$0")/.."
counties=${1:-${XIANCHENG_BENCH_COUNTIES:-2800}}
command -v python3 >/dev/null || { echo "python3 is needed for the DuckDB and SQLite peers" >&2; exit 1; }
python3 -c 'import duckdb' 2>/dev/null || python3 -m pip install --quiet duckdb
echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
cargo bench -p xiancheng --bench national -- "$counties"
