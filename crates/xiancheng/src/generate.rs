//! `demo generate`: writes a deterministic synthetic country (xiancheng_data::synthetic)
//! into the configured database, county by county, each in its own transaction. Counties
//! whose division code is already stored are skipped, so running it again, or with a larger
//! `--counties`, only adds what is missing.

use crate::config::Settings;
use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressStyle};
use std::collections::HashSet;
use std::time::Instant;
use xiancheng_data::synthetic;
use xiancheng_store::{IdPolicy, Store};

pub async fn generate(settings: &Settings, counties: u32, seed: u64) -> Result<()> {
    if counties > synthetic::MAX_COUNTIES {
        bail!(
            "--counties 最多为 {}（合成行政区划代码的容量）",
            synthetic::MAX_COUNTIES
        );
    }
    if settings.database_url.starts_with("sqlite:") && !settings.data_dir.exists() {
        std::fs::create_dir_all(&settings.data_dir)
            .with_context(|| format!("无法创建数据目录 {}", settings.data_dir.display()))?;
    }
    let store = Store::connect(&settings.database_url).await?;
    let report = store.migrate().await?;
    if !report.applied.is_empty() {
        eprintln!(
            "数据库结构已更新到版本 {}（{}）",
            report.version,
            store.backend().name()
        );
    }
    store
        .ensure_national_framework(&xiancheng_data::national_framework())
        .await?;
    let stored: HashSet<String> = store
        .counties()
        .await?
        .into_iter()
        .map(|c| c.division_code.to_string())
        .collect();

    let bar = ProgressBar::new(u64::from(counties));
    bar.set_style(
        ProgressStyle::with_template(
            "{bar:30} {pos}/{len} 县  {per_sec}  [{elapsed_precise}，约剩 {eta}]  {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let started = Instant::now();
    let (mut written, mut skipped, mut projects, mut reports) = (0u32, 0u32, 0usize, 0usize);
    for index in 0..counties {
        if stored.contains(&synthetic::division_code(index).to_string()) {
            skipped += 1;
            bar.inc(1);
            continue;
        }
        let dataset = synthetic::county(index, seed);
        bar.set_message(format!(
            "{}（{}）",
            dataset.county.name, dataset.county.division_code
        ));
        store
            .insert_county_dataset(&dataset, IdPolicy::Fresh)
            .await
            .with_context(|| {
                format!(
                    "写入 {}（{}）",
                    dataset.county.name, dataset.county.division_code
                )
            })?;
        written += 1;
        projects += dataset.projects.len();
        reports += dataset.project_reports.len();
        bar.inc(1);
    }
    bar.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "已生成 {written} 个合成县（种子 {seed}；{skipped} 个已在库中，跳过）：{projects} 个项目，{reports} 条项目月报，写入 {}，用时 {seconds:.1} 秒（{:.1} 县/秒）。以上均为示例数据（illustrative）。",
        store.backend().name(),
        f64::from(written) / seconds.max(1e-9),
    );
    store.close().await;
    Ok(())
}
