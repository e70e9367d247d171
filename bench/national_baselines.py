#!/usr/bin/env python3
"""The national roll-ups of crates/xiancheng/benches/national.rs in DuckDB and in SQLite.

The Rust benchmark writes, in --dir:
  reports.csv  one row per project report: county_id, project_id, category, period
               (YYYYMM), inv_month, cumulative (yuan), progress_bp, total (yuan), approved
  plans.csv    annual investment plans: project_id, year, amount (yuan)
  funding.csv  planned funding split: project_id, channel, ppm (parts per million)
  ours.json    its own timings and the check figures of its three roll-ups

This script loads the CSV files into DuckDB (in memory) and into a SQLite file (kept in
--dir and reused while the data's fingerprint is unchanged), runs the same three
roll-ups in each (see the Rust file for their definitions), each result set materialised
in a temporary table, first run and best of --repeat, checks that counts and totals
agree exactly with ours, and prints the comparison. Each engine runs in its own process
so that its peak memory can be reported. Loading is timed but never counted.

Usage: python3 bench/national_baselines.py --dir /tmp/xiancheng-national [--repeat 3]
"""
import argparse
import json
import os
import resource
import sqlite3
import subprocess
import sys
import time

# ----------------------------------------------------------------- the queries

DUCKDB = {
    "a": """
CREATE OR REPLACE TEMP TABLE out_a AS
WITH l AS (
    SELECT project_id, any_value(county_id) AS county_id, any_value(category) AS category,
           any_value(total) AS total, max(period) AS m,
           arg_max(cumulative, period) AS cum, arg_max(progress_bp, period) AS bp,
           arg_max(inv_month, period) AS inv
    FROM reports WHERE approved = 1 AND period <= {p}
    GROUP BY project_id)
SELECT county_id, category, count(*) AS projects, sum(total) AS total,
       sum(CASE WHEN m = {p} THEN inv ELSE 0 END) AS month, sum(cum) AS cumulative,
       sum(total * bp) // sum(total) AS progress_bp
FROM l GROUP BY county_id, category""",
    "b": """
CREATE OR REPLACE TEMP TABLE out_b AS
WITH l AS (
    SELECT project_id, any_value(county_id) AS county_id, any_value(total) AS total,
           arg_max(cumulative, period) AS ac
    FROM reports WHERE approved = 1 AND period <= {p}
    GROUP BY project_id),
pv AS (
    SELECT project_id,
           sum(CASE WHEN year < {py} THEN amount
                    WHEN year = {py} THEN (amount * {pm} + 6) // 12
                    ELSE 0 END) AS pv
    FROM plans GROUP BY project_id)
SELECT l.project_id, l.county_id, l.ac, coalesce(pv.pv, 0) AS pv, l.total,
       CASE WHEN pv.pv > 0 THEN l.ac / pv.pv END AS schedule_ratio,
       5 * (coalesce(pv.pv, 0) - l.ac) > l.total AS lagging
FROM l LEFT JOIN pv ON pv.project_id = l.project_id""",
    "b_count": """
SELECT count(*) FILTER (WHERE lagging), count(DISTINCT county_id) FILTER (WHERE lagging)
FROM out_b""",
    "c": """
CREATE OR REPLACE TEMP TABLE out_c AS
SELECT f.channel, r.period // 100 AS year, sum(r.inv_month * f.ppm // 1000000) AS investment
FROM reports r JOIN funding f ON f.project_id = r.project_id
WHERE r.approved = 1 AND r.period <= {p}
GROUP BY f.channel, year""",
}

# SQLite has no arg_max: a bare column next to the one max() takes its value from the row
# holding the maximum (documented behaviour); integer / integer is integer division.
SQLITE = {
    "a": """
CREATE TEMP TABLE out_a AS
WITH l AS (
    SELECT project_id, county_id, category, total, MAX(period) AS m,
           cumulative AS cum, progress_bp AS bp, inv_month AS inv
    FROM reports WHERE approved = 1 AND period <= {p}
    GROUP BY project_id)
SELECT county_id, category, COUNT(*) AS projects, SUM(total) AS total,
       SUM(CASE WHEN m = {p} THEN inv ELSE 0 END) AS month, SUM(cum) AS cumulative,
       SUM(total * bp) / SUM(total) AS progress_bp
FROM l GROUP BY county_id, category""",
    "b": """
CREATE TEMP TABLE out_b AS
WITH l AS (
    SELECT project_id, county_id, total, MAX(period) AS m, cumulative AS ac
    FROM reports WHERE approved = 1 AND period <= {p}
    GROUP BY project_id),
pv AS (
    SELECT project_id,
           SUM(CASE WHEN year < {py} THEN amount
                    WHEN year = {py} THEN (amount * {pm} + 6) / 12
                    ELSE 0 END) AS pv
    FROM plans GROUP BY project_id)
SELECT l.project_id, l.county_id, l.ac, COALESCE(pv.pv, 0) AS pv, l.total,
       CASE WHEN pv.pv > 0 THEN CAST(l.ac AS REAL) / pv.pv END AS schedule_ratio,
       5 * (COALESCE(pv.pv, 0) - l.ac) > l.total AS lagging
FROM l LEFT JOIN pv ON pv.project_id = l.project_id""",
    "b_count": """
SELECT SUM(lagging), COUNT(DISTINCT CASE WHEN lagging THEN county_id END) FROM out_b""",
    "c": """
CREATE TEMP TABLE out_c AS
SELECT f.channel, r.period / 100 AS year, SUM(r.inv_month * f.ppm / 1000000) AS investment
FROM reports r JOIN funding f ON f.project_id = r.project_id
WHERE r.approved = 1 AND r.period <= {p}
GROUP BY f.channel, year""",
}

CHECKS = {
    "a": "SELECT COUNT(*), SUM(projects), SUM(total), SUM(month), SUM(cumulative), "
         "SUM(progress_bp) FROM out_a",
    "b": "SELECT COUNT(*), SUM(CASE WHEN lagging THEN 1 ELSE 0 END), "
         "COUNT(DISTINCT CASE WHEN lagging THEN county_id END), SUM(ac), SUM(pv), "
         "COUNT(schedule_ratio) FROM out_b",
    "c": "SELECT channel, year, investment FROM out_c ORDER BY channel, year",
}
KEYS = {
    "a": ["groups", "projects", "total", "month", "cumulative", "progress_bp"],
    "b": ["projects", "lagging", "lagging_counties", "ac", "pv", "with_ratio"],
}

REPORT_COLUMNS = [
    ("county_id", "INTEGER"), ("project_id", "BIGINT"), ("category", "VARCHAR"),
    ("period", "INTEGER"), ("inv_month", "BIGINT"), ("cumulative", "BIGINT"),
    ("progress_bp", "INTEGER"), ("total", "BIGINT"), ("approved", "INTEGER"),
]
PLAN_COLUMNS = [("project_id", "BIGINT"), ("year", "INTEGER"), ("amount", "BIGINT")]
FUNDING_COLUMNS = [("project_id", "BIGINT"), ("channel", "VARCHAR"), ("ppm", "BIGINT")]


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def params(ours):
    return {"p": int(ours["period"]), "py": int(ours["period_year"]),
            "pm": int(ours["period_month"])}


def timed_runs(repeat, reset, run):
    times, extra = [], None
    for _ in range(repeat):
        reset()
        t0 = time.perf_counter()
        extra = run()
        times.append(time.perf_counter() - t0)
    return times, extra


def collect_checks(fetch):
    out = {}
    for name in ("a", "b"):
        row = fetch(CHECKS[name])[0]
        out[name] = {k: (int(v) if v is not None else 0) for k, v in zip(KEYS[name], row)}
    out["c"] = [[str(ch), int(y), int(v)] for ch, y, v in fetch(CHECKS["c"])]
    return out


# ----------------------------------------------------------------- one engine per process

def engine_duckdb(d, ours, repeat):
    try:
        import duckdb
    except ImportError:
        print("installing duckdb with pip …", file=sys.stderr, flush=True)
        subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", "duckdb"])
        import duckdb
    con = duckdb.connect()
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    t0 = time.perf_counter()
    for table, columns in (("reports", REPORT_COLUMNS), ("plans", PLAN_COLUMNS),
                           ("funding", FUNDING_COLUMNS)):
        spec = "{" + ", ".join("'%s': '%s'" % c for c in columns) + "}"
        con.execute("CREATE TABLE %s AS SELECT * FROM read_csv('%s', header = true, "
                    "columns = %s)" % (table, os.path.join(d, table + ".csv"), spec))
    load = time.perf_counter() - t0
    p = params(ours)
    timings = {}
    for name in ("a", "b", "c"):
        sql = DUCKDB[name].format(**p)

        def run(sql=sql, name=name):
            con.execute(sql)
            if name == "b":
                return con.execute(DUCKDB["b_count"]).fetchone()
        timings[name], _ = timed_runs(repeat, lambda: None, run)
    checks = collect_checks(lambda q: con.execute(q).fetchall())
    return {"engine": "DuckDB %s (%s threads)" % (duckdb.__version__, threads),
            "load_s": load, "times": timings, "checks": checks, "peak_rss_mib": peak_rss_mib()}


def engine_sqlite(d, ours, repeat):
    path = os.path.join(d, "national.sqlite")
    fingerprint = "%s/%s" % (ours["fingerprint"], ours["csv_rows"])
    load = None
    if os.path.exists(path):
        try:
            con = sqlite3.connect(path)
            row = con.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
            if row is None or row[0] != fingerprint:
                con.close()
                os.remove(path)
        except sqlite3.DatabaseError:
            os.remove(path)
    if not os.path.exists(path):
        t0 = time.perf_counter()
        con = sqlite3.connect(path)
        con.executescript("""
            PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
            CREATE TABLE reports (county_id INTEGER, project_id INTEGER, category TEXT,
                period INTEGER, inv_month INTEGER, cumulative INTEGER, progress_bp INTEGER,
                total INTEGER, approved INTEGER, PRIMARY KEY (project_id, period)) WITHOUT ROWID;
            CREATE TABLE plans (project_id INTEGER, year INTEGER, amount INTEGER,
                PRIMARY KEY (project_id, year)) WITHOUT ROWID;
            CREATE TABLE funding (project_id INTEGER, channel TEXT, ppm INTEGER,
                PRIMARY KEY (project_id, channel)) WITHOUT ROWID;
        """)
        import csv
        for table, n in (("reports", 9), ("plans", 3), ("funding", 3)):
            with open(os.path.join(d, table + ".csv"), newline="") as f:
                rows = csv.reader(f)
                next(rows)
                # INTEGER affinity turns the digits into integers inside SQLite.
                con.executemany("INSERT INTO %s VALUES (%s)" % (table, ",".join("?" * n)), rows)
        con.execute("INSERT INTO meta VALUES ('fingerprint', ?)", (fingerprint,))
        con.commit()
        con.execute("ANALYZE")
        con.commit()
        load = time.perf_counter() - t0
    con.executescript("PRAGMA temp_store = MEMORY; PRAGMA cache_size = -1048576; "
                      "PRAGMA mmap_size = 4294967296;")
    p = params(ours)
    timings = {}
    for name in ("a", "b", "c"):
        sql = SQLITE[name].format(**p)

        def reset(name=name):
            con.execute("DROP TABLE IF EXISTS temp.out_%s" % name)

        def run(sql=sql, name=name):
            con.execute(sql)
            if name == "b":
                return con.execute(SQLITE["b_count"]).fetchone()
        timings[name], _ = timed_runs(repeat, reset, run)
    checks = collect_checks(lambda q: con.execute(q).fetchall())
    return {"engine": "SQLite %s (Python sqlite3, one thread)" % sqlite3.sqlite_version,
            "load_s": load, "times": timings, "checks": checks, "peak_rss_mib": peak_rss_mib(),
            "file_mib": os.path.getsize(path) / 2**20}


# ----------------------------------------------------------------- the comparison

def compare(name, ours, theirs):
    """Differences between our checks and an engine's, as strings."""
    problems = []
    for k in ("a", "b"):
        for key in KEYS[k]:
            if int(ours[k][key]) != int(theirs[k][key]):
                problems.append("(%s) %s: ours %s, %s %s" % (k, key, ours[k][key], name,
                                                            theirs[k][key]))
    oc = sorted((str(c), int(y), int(v)) for c, y, v in ours["c"])
    tc = sorted((str(c), int(y), int(v)) for c, y, v in theirs["c"])
    if oc != tc:
        problems.append("(c) ours %s, %s %s" % (oc, name, tc))
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", default="/tmp/xiancheng-national")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--engine", choices=["duckdb", "sqlite"], help=argparse.SUPPRESS)
    ap.add_argument("--only", choices=["duckdb", "sqlite"], help="run one engine only")
    args = ap.parse_args()
    with open(os.path.join(args.dir, "ours.json")) as f:
        ours = json.load(f)

    if args.engine:
        run = engine_duckdb if args.engine == "duckdb" else engine_sqlite
        print(json.dumps(run(args.dir, ours, args.repeat)))
        return

    results = {}
    for engine in ("duckdb", "sqlite"):
        if args.only and engine != args.only:
            continue
        print("%s: loading and running …" % engine, flush=True)
        out = subprocess.run([sys.executable, os.path.abspath(__file__), "--engine", engine,
                              "--dir", args.dir, "--repeat", str(args.repeat)],
                             stdout=subprocess.PIPE, text=True, check=True)
        results[engine] = json.loads(out.stdout.strip().splitlines()[-1])

    failed = False
    print()
    print("country: %d counties, %d projects, %d report rows (period %s)" % (
        ours["counties"], ours["projects"], ours["csv_rows"], ours["period"]))
    ca, cb = ours["checks"]["a"], ours["checks"]["b"]
    print("checks: (a) %d groups, %d projects; (b) %d projects, %d lagging > 20 points in %d "
          "counties; (c) %d channel-year groups" % (
              ca["groups"], ca["projects"], cb["projects"], cb["lagging"],
              cb["lagging_counties"], len(ours["checks"]["c"])))
    for engine, r in results.items():
        problems = compare(engine, ours["checks"], r["checks"])
        load = ("load %.1f s" % r["load_s"]) if r["load_s"] is not None else "reused file"
        extra = (", file %.0f MiB" % r["file_mib"]) if "file_mib" in r else ""
        status = "agree with ours" if not problems else "DISAGREE"
        print("  %s: %s; %s, peak RSS %.0f MiB%s" % (r["engine"], status, load,
                                                   r["peak_rss_mib"], extra))
        for p in problems:
            print("    " + p)
        failed |= bool(problems)

    def best(engine, name):
        return min(results[engine]["times"][name]) if engine in results else None

    def first(engine, name):
        return results[engine]["times"][name][0] if engine in results else None

    def fmt(v):
        return "%.3f" % v if v is not None else "—"

    def ratio(a, b):
        return "%.1f×" % (a / b) if a is not None and b else "—"

    print()
    print("best of %d, seconds (first run in brackets); ratio = their time ÷ ours" % args.repeat)
    print()
    print("| roll-up | xiancheng (Rust) | DuckDB | SQLite | DuckDB ÷ ours | SQLite ÷ ours |")
    print("|---|---|---|---|---|---|")
    labels = {"a": "(a) county × category, latest month",
              "b": "(b) per-project schedule ratio, lagging count",
              "c": "(c) national by funding channel × year"}
    totals = {"ours": 0.0, "duckdb": 0.0, "sqlite": 0.0}
    for name in ("a", "b", "c"):
        o = ours["ours_s"][name]["best"]
        of = ours["ours_s"][name]["first"]
        d, s = best("duckdb", name), best("sqlite", name)
        totals["ours"] += o
        totals["duckdb"] += d or 0
        totals["sqlite"] += s or 0
        print("| %s | %s (%s) | %s (%s) | %s (%s) | %s | %s |" % (
            labels[name], fmt(o), fmt(of), fmt(d), fmt(first("duckdb", name)),
            fmt(s), fmt(first("sqlite", name)), ratio(d, o), ratio(s, o)))
    d = totals["duckdb"] if "duckdb" in results else None
    s = totals["sqlite"] if "sqlite" in results else None
    print("| the three together | %s | %s | %s | %s | %s |" % (
        fmt(totals["ours"]), fmt(d), fmt(s), ratio(d, totals["ours"]), ratio(s, totals["ours"])))
    full = ours["recompute_s"]
    print("| **full national recompute** (ours: 8 roll-ups, task progress, earned value, "
          "warnings for every county) vs their three roll-ups | %s | %s | %s | %s | %s |" % (
              fmt(full), fmt(d), fmt(s), ratio(d, full), ratio(s, full)))
    print()
    print("ours: peak RSS %.0f MiB (VmHWM, batches of %d counties); incremental median %.0f µs "
          "(p90 %.0f µs)" % (ours["peak_rss_mib"], ours["batch"],
                             ours["incremental_us"]["median"], ours["incremental_us"]["p90"]))
    targets = [
        ("full national recompute at least as fast as DuckDB's three roll-ups",
         d is not None and full <= d),
        ("within 1 GB of memory", ours["peak_rss_end_mib"] <= 1024),
        ("incremental under 1 ms", ours["incremental_us"]["median"] < 1000),
    ]
    for text, ok in targets:
        print("target: %s: %s" % (text, "met" if ok else "NOT met"))
    if failed:
        sys.exit("the engines disagree")


if __name__ == "__main__":
    main()
