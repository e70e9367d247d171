//! National scale: every roll-up, earned value and warning for a synthetic country, the
//! incremental case, and three roll-ups against DuckDB and SQLite on the same data.
//!
//! ```sh
//! bench/national.sh                                  # N = 2800, the whole comparison
//! cargo bench -p xiancheng --bench national -- 300   # a smaller country
//! ```
//!
//! Settings (environment): `XIANCHENG_BENCH_COUNTIES` (default 2800, or the first number
//! argument), `XIANCHENG_BENCH_SEED` (1), `XIANCHENG_BENCH_BATCH` (counties in memory at
//! once, 100; the whole country with `XIANCHENG_BENCH_BATCH=N`), `XIANCHENG_BENCH_THREADS`
//! (the cores), `XIANCHENG_BENCH_REPEAT` (3), `XIANCHENG_BENCH_DIR`
//! (/tmp/xiancheng-national), `XIANCHENG_BENCH_BASELINES=0` to skip DuckDB and SQLite.
//!
//! What is timed, all on data already in memory (generation, CSV writing and database
//! loading are timed apart and never counted):
//!
//! 1. The full national recompute: for every county, `rollup` for each of the eight
//!    dimensions, `task_progress`, earned value per project and combined, and
//!    `warnings::evaluate`, as of 2025-12; the counties' earned values are then combined
//!    nationally. Counties are processed in batches on all cores, as a server recomputing
//!    the country from its store would; peak memory is the process's VmHWM.
//! 2. After one new report (a project's 2026-01 report), that county recomputed in full
//!    as of 2026-01: the median over many runs and counties.
//! 3. Three roll-ups, computed the same way by us (Rust over the in-memory counties), by
//!    DuckDB and by SQLite (bench/national_baselines.py, over a CSV export of the same
//!    reports), each result set materialised, best of `XIANCHENG_BENCH_REPEAT` runs:
//!    - (a) per county and category as of P = 2025-12, over projects with an approved
//!      report: projects, total investment, this month's investment (the latest approved
//!      report is P's), cumulative investment of the latest approved report, progress
//!      weighted by total investment (integer basis points);
//!    - (b) per project: AC = cumulative of the latest approved report, PV = the annual
//!      plans spread over their months (the core's `planned_cumulative`), schedule ratio
//!      AC ÷ PV, lagging when PV − AC exceeds 20 points of the total (5·(PV − AC) > BAC);
//!      the number lagging, nationally and the counties they are in;
//!    - (c) national investment by funding channel and year: each approved report's month
//!      investment shared out by the project's planned funding (parts per million, floor).
//!
//!    All money is integer yuan, so the three engines must agree exactly; the script
//!    checks counts and totals and fails when they differ.

use std::collections::HashMap;
use std::hint::black_box;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use xiancheng_core::YearMonth;
use xiancheng_core::analysis::earned_value;
use xiancheng_core::analysis::rollup::{self, Dimension};
use xiancheng_core::analysis::warnings::{self, Level, WarningConfig};
use xiancheng_core::calendar::ReportingCalendar;
use xiancheng_core::dataset::CountyDataset;
use xiancheng_core::enums::{FundingChannel, ReportStatus, Stage};
use xiancheng_core::ids::{ProjectId, ProjectReportId};
use xiancheng_data::synthetic;

struct Settings {
    counties: u32,
    seed: u64,
    batch: u32,
    threads: usize,
    repeat: usize,
    dir: PathBuf,
    baselines: bool,
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

fn settings() -> Settings {
    // `cargo bench` passes `--bench`; the first plain number is the county count.
    let arg = std::env::args().skip(1).find_map(|a| a.parse::<u32>().ok());
    let counties = arg.unwrap_or_else(|| env_or("XIANCHENG_BENCH_COUNTIES", 2_800));
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    Settings {
        counties,
        seed: env_or("XIANCHENG_BENCH_SEED", 1),
        batch: env_or("XIANCHENG_BENCH_BATCH", 100u32).max(1),
        threads: env_or("XIANCHENG_BENCH_THREADS", cores).max(1),
        repeat: env_or("XIANCHENG_BENCH_REPEAT", 3usize).max(1),
        dir: std::env::var("XIANCHENG_BENCH_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|_| PathBuf::from("/tmp/xiancheng-national")),
        baselines: std::env::var("XIANCHENG_BENCH_BASELINES").map_or(true, |v| v != "0"),
    }
}

/// Peak resident memory of this process (VmHWM), in MiB.
fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// Maps `f` over `items` on `threads` threads, in order.
fn par_map<T: Sync, R: Send>(items: &[T], threads: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    if threads <= 1 || items.len() < 2 {
        return items.iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|c| s.spawn(|| c.iter().map(&f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a worker thread panicked"))
            .collect()
    })
}

// ------------------------------------------------------------------ the full recompute

/// What one county's recompute produced, summed for the national figures.
#[derive(Debug, Default, Clone, Copy)]
struct Recomputed {
    rollup_rows: usize,
    tasks_with_progress: usize,
    warnings: usize,
    red: usize,
    bac: i64,
    pv: i64,
    ev: i64,
    ac: i64,
}

impl Recomputed {
    fn add(&mut self, o: &Recomputed) {
        self.rollup_rows += o.rollup_rows;
        self.tasks_with_progress += o.tasks_with_progress;
        self.warnings += o.warnings;
        self.red += o.red;
        self.bac += o.bac;
        self.pv += o.pv;
        self.ev += o.ev;
        self.ac += o.ac;
    }
}

/// Every roll-up, earned value and warning of one county as of `period`.
fn recompute(ds: &CountyDataset, period: YearMonth, config: &WarningConfig) -> Recomputed {
    let mut out = Recomputed::default();
    // One pass over the reports serves every dimension, task progress and earned value.
    let prepared = rollup::prepare(ds, period);
    for (_, by) in Dimension::ALL {
        out.rollup_rows += black_box(prepared.rollup(*by)).len();
    }
    out.tasks_with_progress = black_box(prepared.task_progress())
        .iter()
        .filter(|t| t.progress.is_some())
        .count();
    let county = black_box(earned_value::combine(
        period,
        prepared.figures.iter().map(|f| &f.earned_value),
    ));
    out.bac = county.bac.yuan();
    out.pv = county.pv.yuan();
    out.ev = county.ev.map_or(0, |m| m.yuan());
    out.ac = county.ac.yuan();
    let warnings = black_box(warnings::evaluate_prepared(
        &prepared,
        config,
        &ReportingCalendar::default(),
    ));
    out.warnings = warnings.len();
    out.red = warnings.iter().filter(|w| w.level == Level::Red).count();
    out
}

// ------------------------------------------------------------------ our three roll-ups

/// A county's figures for (a), (b), (c), as the SQL engines compute them.
#[derive(Debug, Clone, PartialEq)]
struct RowA {
    county: u32,
    category: String,
    projects: i64,
    total: i64,
    month: i64,
    cumulative: i64,
    progress_bp: i64,
}

#[derive(Debug, Clone, PartialEq)]
struct RowB {
    project: u64,
    county: u32,
    ac: i64,
    pv: i64,
    total: i64,
    schedule_ratio: Option<f64>,
    lagging: bool,
}

const YEARS: usize = 64;
const BASE_YEAR: i32 = 2000;
type ChannelYears = Vec<[i64; YEARS]>;

fn global_project(county_index: u32, k: usize) -> u64 {
    u64::from(county_index) * 64 + k as u64 + 1
}

/// The latest approved report at or before `period` of each project (by position):
/// (period, cumulative, progress, month investment).
fn latest_per_project(
    ds: &CountyDataset,
    period: YearMonth,
) -> Vec<Option<(YearMonth, i64, i64, i64)>> {
    let pos: HashMap<ProjectId, usize> = ds
        .projects
        .iter()
        .enumerate()
        .map(|(k, p)| (p.id, k))
        .collect();
    let mut latest: Vec<Option<(YearMonth, i64, i64, i64)>> = vec![None; ds.projects.len()];
    let (mut last_id, mut at) = (None, usize::MAX);
    for r in &ds.project_reports {
        if r.status != ReportStatus::Approved || r.period > period {
            continue;
        }
        if last_id != Some(r.project_id) {
            last_id = Some(r.project_id);
            at = pos.get(&r.project_id).copied().unwrap_or(usize::MAX);
        }
        if let Some(slot) = latest.get_mut(at) {
            let newer = match slot {
                Some((p, ..)) => r.period > *p,
                None => true,
            };
            if newer {
                *slot = Some((
                    r.period,
                    r.investment_cumulative.yuan(),
                    r.progress.basis_points(),
                    r.investment_month.yuan(),
                ));
            }
        }
    }
    latest
}

fn rollup_a(index: u32, ds: &CountyDataset, period: YearMonth) -> Vec<RowA> {
    let latest = latest_per_project(ds, period);
    let cat_pos: HashMap<_, usize> = ds
        .categories
        .iter()
        .enumerate()
        .map(|(k, c)| (c.id, k))
        .collect();
    // projects, total, month, cumulative, weighted progress
    let mut acc = vec![[0i64; 5]; ds.categories.len()];
    for (p, l) in ds.projects.iter().zip(&latest) {
        let (Some((at, cum, bp, month)), Some(&c)) = (l, cat_pos.get(&p.category)) else {
            continue;
        };
        let total = p.total_investment.yuan();
        let a = &mut acc[c];
        a[0] += 1;
        a[1] += total;
        a[2] += if *at == period { *month } else { 0 };
        a[3] += cum;
        a[4] += total * bp;
    }
    ds.categories
        .iter()
        .zip(acc)
        .filter(|(_, a)| a[0] > 0)
        .map(|(c, a)| RowA {
            county: index + 1,
            category: c.code.clone(),
            projects: a[0],
            total: a[1],
            month: a[2],
            cumulative: a[3],
            progress_bp: if a[1] > 0 { a[4] / a[1] } else { 0 },
        })
        .collect()
}

fn rollup_b(index: u32, ds: &CountyDataset, period: YearMonth) -> Vec<RowB> {
    let latest = latest_per_project(ds, period);
    ds.projects
        .iter()
        .zip(&latest)
        .enumerate()
        .filter_map(|(k, (p, l))| {
            let (_, ac, _, _) = (*l)?;
            let pv = earned_value::planned_cumulative(&p.annual_plan, period).yuan();
            let total = p.total_investment.yuan();
            Some(RowB {
                project: global_project(index, k),
                county: index + 1,
                ac,
                pv,
                total,
                schedule_ratio: (pv > 0).then(|| ac as f64 / pv as f64),
                lagging: 5 * (pv - ac) > total,
            })
        })
        .collect()
}

/// Parts per million of each channel in a project's planned funding (all to "other"
/// without planned funding).
fn channel_shares(p: &xiancheng_core::model::Project) -> Vec<(usize, i64)> {
    let channel = |c: FundingChannel| {
        FundingChannel::ALL
            .iter()
            .position(|x| *x == c)
            .unwrap_or(0)
    };
    let planned: i64 = p.funding.iter().map(|f| f.planned.yuan()).sum();
    if planned <= 0 {
        return vec![(channel(FundingChannel::Other), 1_000_000)];
    }
    let mut by: Vec<(usize, i64)> = Vec::with_capacity(p.funding.len());
    for f in &p.funding {
        let c = channel(f.channel);
        match by.iter_mut().find(|(x, _)| *x == c) {
            Some((_, amount)) => *amount += f.planned.yuan(),
            None => by.push((c, f.planned.yuan())),
        }
    }
    by.into_iter()
        .map(|(c, amount)| {
            (
                c,
                (i128::from(amount) * 1_000_000 / i128::from(planned)) as i64,
            )
        })
        .collect()
}

fn rollup_c(ds: &CountyDataset, period: YearMonth) -> ChannelYears {
    let mut acc: ChannelYears = vec![[0; YEARS]; FundingChannel::ALL.len()];
    let shares: HashMap<ProjectId, Vec<(usize, i64)>> = ds
        .projects
        .iter()
        .map(|p| (p.id, channel_shares(p)))
        .collect();
    let (mut last_id, mut mine): (Option<ProjectId>, &[(usize, i64)]) = (None, &[]);
    for r in &ds.project_reports {
        if r.status != ReportStatus::Approved || r.period > period {
            continue;
        }
        if last_id != Some(r.project_id) {
            last_id = Some(r.project_id);
            mine = shares.get(&r.project_id).map_or(&[], Vec::as_slice);
        }
        let y = (r.period.year() - BASE_YEAR).clamp(0, YEARS as i32 - 1) as usize;
        let month = r.investment_month.yuan();
        for &(c, ppm) in mine {
            acc[c][y] += month * ppm / 1_000_000;
        }
    }
    acc
}

// ------------------------------------------------------------------ the CSV export

struct Export {
    reports: BufWriter<std::fs::File>,
    plans: BufWriter<std::fs::File>,
    funding: BufWriter<std::fs::File>,
    rows: u64,
    fingerprint: u64,
}

fn create(path: &Path) -> BufWriter<std::fs::File> {
    BufWriter::with_capacity(
        1 << 20,
        std::fs::File::create(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    )
}

impl Export {
    fn new(dir: &Path) -> Export {
        std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        let mut e = Export {
            reports: create(&dir.join("reports.csv")),
            plans: create(&dir.join("plans.csv")),
            funding: create(&dir.join("funding.csv")),
            rows: 0,
            fingerprint: 0xCBF2_9CE4_8422_2325,
        };
        let io = [
            writeln!(
                e.reports,
                "county_id,project_id,category,period,inv_month,cumulative,progress_bp,total,approved"
            ),
            writeln!(e.plans, "project_id,year,amount"),
            writeln!(e.funding, "project_id,channel,ppm"),
        ];
        io.into_iter()
            .collect::<std::io::Result<()>>()
            .expect("CSV header");
        e
    }

    fn mix(&mut self, v: i64) {
        self.fingerprint = (self.fingerprint ^ v as u64).wrapping_mul(0x0100_0000_01B3);
    }

    fn county(&mut self, index: u32, ds: &CountyDataset) -> std::io::Result<()> {
        let pos: HashMap<ProjectId, usize> = ds
            .projects
            .iter()
            .enumerate()
            .map(|(k, p)| (p.id, k))
            .collect();
        let county = index + 1;
        for (k, p) in ds.projects.iter().enumerate() {
            let id = global_project(index, k);
            for a in &p.annual_plan {
                writeln!(self.plans, "{id},{},{}", a.year, a.amount.yuan())?;
            }
            for (c, ppm) in channel_shares(p) {
                writeln!(self.funding, "{id},{},{ppm}", FundingChannel::ALL[c].code())?;
            }
        }
        for r in &ds.project_reports {
            let k = pos.get(&r.project_id).copied().unwrap_or(0);
            let p = &ds.projects[k];
            let category = ds
                .categories
                .iter()
                .find(|c| c.id == p.category)
                .map_or("", |c| c.code.as_str());
            let approved = i64::from(r.status == ReportStatus::Approved);
            let values = [
                r.period.as_key(),
                r.investment_month.yuan(),
                r.investment_cumulative.yuan(),
                r.progress.basis_points(),
                p.total_investment.yuan(),
                approved,
            ];
            writeln!(
                self.reports,
                "{county},{},{category},{},{},{},{},{},{}",
                global_project(index, k),
                values[0],
                values[1],
                values[2],
                values[3],
                values[4],
                values[5]
            )?;
            self.rows += 1;
            values.into_iter().for_each(|v| self.mix(v));
        }
        Ok(())
    }

    fn finish(mut self) -> std::io::Result<(u64, u64)> {
        self.reports.flush()?;
        self.plans.flush()?;
        self.funding.flush()?;
        Ok((self.rows, self.fingerprint))
    }
}

// ------------------------------------------------------------------ the run

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

fn main() {
    let s = settings();
    let period = synthetic::last_period();
    let config = WarningConfig::default();
    println!(
        "national benchmark: {} counties (seed {}), batches of {}, {} threads, period {period}",
        s.counties, s.seed, s.batch, s.threads
    );

    let mut generate_time = Duration::ZERO;
    let mut recompute_time = Duration::ZERO;
    let mut export_time = Duration::ZERO;
    // Our three roll-ups: the first run and the best of `repeat`, summed over batches.
    let mut first = [Duration::ZERO; 3];
    let mut best = [Duration::ZERO; 3];
    let mut national = Recomputed::default();
    let (mut projects, mut reports, mut task_reports) = (0usize, 0usize, 0usize);
    let mut out_a: Vec<RowA> = Vec::new();
    let mut out_b: Vec<RowB> = Vec::new();
    let mut out_c: ChannelYears = vec![[0; YEARS]; FundingChannel::ALL.len()];
    let mut lagging = 0usize;
    let mut lagging_counties = 0usize;
    let mut export = Export::new(&s.dir);

    let started = Instant::now();
    let mut from = 0;
    while from < s.counties {
        let to = (from + s.batch).min(s.counties);
        let indices: Vec<u32> = (from..to).collect();

        let t = Instant::now();
        let batch: Vec<(u32, CountyDataset)> =
            par_map(&indices, s.threads, |&i| (i, synthetic::county(i, s.seed)));
        generate_time += t.elapsed();
        for (_, ds) in &batch {
            projects += ds.projects.len();
            reports += ds.project_reports.len();
            task_reports += ds.task_reports.len();
        }

        let t = Instant::now();
        let results = par_map(&batch, s.threads, |(_, ds)| recompute(ds, period, &config));
        recompute_time += t.elapsed();
        results.iter().for_each(|r| national.add(r));

        // (a), (b), (c), each timed on its own, `repeat` times.
        for (which, (f, b)) in first.iter_mut().zip(best.iter_mut()).enumerate() {
            let mut fastest = Duration::MAX;
            for run in 0..s.repeat {
                let t = Instant::now();
                match which {
                    0 => {
                        let rows: Vec<RowA> =
                            par_map(&batch, s.threads, |(i, ds)| rollup_a(*i, ds, period))
                                .into_iter()
                                .flatten()
                                .collect();
                        if run == 0 {
                            out_a.extend(rows);
                        } else {
                            black_box(rows);
                        }
                    }
                    1 => {
                        let per_county: Vec<Vec<RowB>> =
                            par_map(&batch, s.threads, |(i, ds)| rollup_b(*i, ds, period));
                        let lag: usize = per_county
                            .iter()
                            .map(|rows| rows.iter().filter(|r| r.lagging).count())
                            .sum();
                        let lag_counties = per_county
                            .iter()
                            .filter(|rows| rows.iter().any(|r| r.lagging))
                            .count();
                        if run == 0 {
                            lagging += lag;
                            lagging_counties += lag_counties;
                            out_b.extend(per_county.into_iter().flatten());
                        } else {
                            black_box((per_county, lag, lag_counties));
                        }
                    }
                    _ => {
                        let parts = par_map(&batch, s.threads, |(_, ds)| rollup_c(ds, period));
                        let mut sum: ChannelYears = vec![[0; YEARS]; FundingChannel::ALL.len()];
                        for part in &parts {
                            for (acc, p) in sum.iter_mut().zip(part) {
                                for (a, v) in acc.iter_mut().zip(p) {
                                    *a += v;
                                }
                            }
                        }
                        if run == 0 {
                            for (acc, p) in out_c.iter_mut().zip(&sum) {
                                for (a, v) in acc.iter_mut().zip(p) {
                                    *a += v;
                                }
                            }
                        } else {
                            black_box(sum);
                        }
                    }
                }
                let elapsed = t.elapsed();
                if run == 0 {
                    *f += elapsed;
                }
                fastest = fastest.min(elapsed);
            }
            *b += fastest;
        }

        let t = Instant::now();
        for (i, ds) in &batch {
            export.county(*i, ds).expect("CSV export");
        }
        export_time += t.elapsed();
        from = to;
    }
    let t = Instant::now();
    let (rows, fingerprint) = export.finish().expect("CSV export");
    export_time += t.elapsed();
    let pass = started.elapsed();
    let peak_pass = peak_rss_mib();

    // The incremental case: one new report, the county current again.
    let samples_per_county = 50;
    let sample_counties = 20.min(s.counties.max(1));
    let mut samples: Vec<f64> = Vec::new();
    let next = period.next();
    for k in 0..sample_counties {
        let index = (u64::from(k) * u64::from(s.counties) / u64::from(sample_counties)) as u32;
        let mut ds = synthetic::county(index, s.seed);
        let Some(project) = ds
            .projects
            .iter()
            .find(|p| p.stage == Stage::UnderConstruction && p.actual_start.is_some())
        else {
            continue;
        };
        let last = ds
            .project_reports
            .iter()
            .filter(|r| r.project_id == project.id)
            .max_by_key(|r| r.period)
            .cloned();
        let Some(mut report) = last else { continue };
        let (_, hi) = ds.id_range();
        report.id = ProjectReportId(hi + 1);
        report.period = next;
        report.investment_month = xiancheng_core::Money::from_yuan(1_000_000);
        report.investment_cumulative = report.investment_cumulative + report.investment_month;
        report.status = ReportStatus::Approved;
        for _ in 0..samples_per_county {
            let t = Instant::now();
            ds.project_reports.push(report.clone());
            let r = recompute(&ds, next, &config);
            samples.push(t.elapsed().as_secs_f64() * 1e6);
            black_box(r);
            ds.project_reports.pop();
        }
    }
    samples.sort_by(f64::total_cmp);
    let peak_total = peak_rss_mib();

    let best_sum: f64 = best.iter().copied().map(secs).sum();
    println!();
    println!(
        "country: {} counties, {projects} projects, {reports} project reports, {task_reports} task reports",
        s.counties
    );
    println!(
        "generation (not timed below): {:.2} s on {} threads ({:.0} counties/s); CSV export {:.2} s ({rows} rows)",
        secs(generate_time),
        s.threads,
        f64::from(s.counties) / secs(generate_time).max(1e-9),
        secs(export_time)
    );
    println!(
        "full national recompute (8 roll-ups, task progress, earned value, warnings): {:.3} s ({:.0} µs per county per thread)",
        secs(recompute_time),
        secs(recompute_time) * 1e6 * s.threads as f64 / f64::from(s.counties.max(1))
    );
    println!(
        "  {} roll-up rows, {} tasks with progress, {} warnings ({} red); national BAC {:.0} 万元, PV {:.0}, EV {:.0}, AC {:.0}",
        national.rollup_rows,
        national.tasks_with_progress,
        national.warnings,
        national.red,
        national.bac as f64 / 1e4,
        national.pv as f64 / 1e4,
        national.ev as f64 / 1e4,
        national.ac as f64 / 1e4
    );
    println!(
        "peak memory (VmHWM): {peak_pass:.0} MiB after the national pass, {peak_total:.0} MiB at the end; whole pass {:.1} s",
        secs(pass)
    );
    println!(
        "incremental (one new report, the county recomputed in full): median {:.0} µs, p90 {:.0} µs, max {:.0} µs over {} runs in {} counties",
        percentile(&samples, 0.5),
        percentile(&samples, 0.9),
        samples.last().copied().unwrap_or(f64::NAN),
        samples.len(),
        sample_counties
    );
    println!(
        "our three roll-ups, best of {}: (a) {:.3} s, (b) {:.3} s, (c) {:.3} s, together {best_sum:.3} s (first runs {:.3}, {:.3}, {:.3})",
        s.repeat,
        secs(best[0]),
        secs(best[1]),
        secs(best[2]),
        secs(first[0]),
        secs(first[1]),
        secs(first[2])
    );

    let checks_a = serde_json::json!({
        "groups": out_a.len(),
        "projects": out_a.iter().map(|r| r.projects).sum::<i64>(),
        "total": out_a.iter().map(|r| r.total).sum::<i64>(),
        "month": out_a.iter().map(|r| r.month).sum::<i64>(),
        "cumulative": out_a.iter().map(|r| r.cumulative).sum::<i64>(),
        "progress_bp": out_a.iter().map(|r| r.progress_bp).sum::<i64>(),
    });
    let checks_b = serde_json::json!({
        "projects": out_b.len(),
        "lagging": lagging,
        "lagging_counties": lagging_counties,
        "ac": out_b.iter().map(|r| r.ac).sum::<i64>(),
        "pv": out_b.iter().map(|r| r.pv).sum::<i64>(),
        "with_ratio": out_b.iter().filter(|r| r.schedule_ratio.is_some()).count(),
    });
    let mut rows_c = Vec::new();
    for (c, years) in out_c.iter().enumerate() {
        for (y, v) in years.iter().enumerate() {
            if *v != 0 {
                rows_c.push(serde_json::json!([
                    FundingChannel::ALL[c].code(),
                    BASE_YEAR + y as i32,
                    v
                ]));
            }
        }
    }
    rows_c.sort_by_key(|v| v.to_string());
    let summary = serde_json::json!({
        "counties": s.counties,
        "seed": s.seed,
        "threads": s.threads,
        "batch": s.batch,
        "repeat": s.repeat,
        "period": period.as_key(),
        "period_year": period.year(),
        "period_month": period.month(),
        "projects": projects,
        "reports": reports,
        "csv_rows": rows,
        "fingerprint": format!("{fingerprint:016x}"),
        "generate_s": secs(generate_time),
        "export_s": secs(export_time),
        "recompute_s": secs(recompute_time),
        "peak_rss_mib": peak_pass,
        "peak_rss_end_mib": peak_total,
        "incremental_us": {
            "median": percentile(&samples, 0.5),
            "p90": percentile(&samples, 0.9),
            "max": samples.last().copied().unwrap_or(f64::NAN),
            "runs": samples.len(),
        },
        "ours_s": {
            "a": {"first": secs(first[0]), "best": secs(best[0])},
            "b": {"first": secs(first[1]), "best": secs(best[1])},
            "c": {"first": secs(first[2]), "best": secs(best[2])},
        },
        "checks": {"a": checks_a, "b": checks_b, "c": rows_c},
    });
    let ours = s.dir.join("ours.json");
    std::fs::write(
        &ours,
        serde_json::to_string_pretty(&summary).expect("JSON") + "\n",
    )
    .unwrap_or_else(|e| panic!("{}: {e}", ours.display()));
    println!("figures and checks written to {}", ours.display());

    if !s.baselines {
        return;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench/national_baselines.py");
    println!();
    println!("running {} …", script.display());
    match std::process::Command::new("python3")
        .arg(&script)
        .arg("--dir")
        .arg(&s.dir)
        .arg("--repeat")
        .arg(s.repeat.to_string())
        .status()
    {
        Ok(status) if status.success() => {}
        Ok(status) => {
            eprintln!("the baselines failed ({status})");
            std::process::exit(1);
        }
        Err(e) => eprintln!("python3 not available, baselines skipped: {e}"),
    }
}
