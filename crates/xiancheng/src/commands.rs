//! The subcommands. Each prints what it did in words a person can act on; errors carry
//! context and are printed once, by `main`.

use crate::config::Settings;
use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressStyle};
use std::time::{Duration, Instant};
use xiancheng_store::{IdPolicy, Store};

fn spinner(message: &str) -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.set_message(message.to_owned());
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// Opens the configured database, creating the data directory for a default SQLite file.
async fn open(settings: &Settings) -> Result<Store> {
    if settings.database_url.starts_with("sqlite:") && !settings.data_dir.exists() {
        std::fs::create_dir_all(&settings.data_dir)
            .with_context(|| format!("无法创建数据目录 {}", settings.data_dir.display()))?;
    }
    Store::connect(&settings.database_url)
        .await
        .map_err(anyhow::Error::from)
}

async fn open_migrated(settings: &Settings) -> Result<Store> {
    let store = open(settings).await?;
    let report = store.migrate().await?;
    if !report.applied.is_empty() {
        eprintln!(
            "数据库结构已更新到版本 {}（{}）",
            report.version,
            store.backend().name()
        );
    }
    Ok(store)
}

pub async fn migrate(settings: &Settings) -> Result<()> {
    let store = open(settings).await?;
    let report = store.migrate().await?;
    if report.applied.is_empty() {
        say!(
            "数据库结构已是最新（版本 {}，{}）。",
            report.version,
            store.backend().name()
        );
    } else {
        say!(
            "已应用迁移 {:?}，数据库结构版本 {}（{}）。",
            report.applied,
            report.version,
            store.backend().name()
        );
    }
    Ok(())
}

/// Loads the national reference data and the demo county; returns whether the county was
/// newly written.
pub async fn demo_load(settings: &Settings) -> Result<bool> {
    let store = open_migrated(settings).await?;
    load_demo_into(&store).await
}

async fn load_demo_into(store: &Store) -> Result<bool> {
    let bar = spinner("载入国家《意见》参考数据…");
    store
        .ensure_national_framework(&xiancheng_data::national_framework())
        .await?;
    bar.set_message("生成盘山县示例数据…");
    let dataset =
        xiancheng_data::panshan::dataset().map_err(|e| anyhow::anyhow!("示例数据有误：{e}"))?;
    if store
        .county_by_code(dataset.county.division_code)
        .await?
        .is_some()
    {
        bar.finish_and_clear();
        say!(
            "示例县 {}（{}）已在数据库中，未重复载入。",
            dataset.county.name,
            dataset.county.division_code
        );
        return Ok(false);
    }
    bar.set_message(format!(
        "写入 {} 个项目、{} 条月度调度记录…",
        dataset.projects.len(),
        dataset.project_reports.len()
    ));
    let started = Instant::now();
    store
        .insert_county_dataset(&dataset, IdPolicy::Fresh)
        .await?;
    bar.finish_and_clear();
    say!(
        "已载入示例县 {}（{}）：{} 个项目，{} 项任务，{} 条项目月报，用时 {:.1} 秒。以上均为示例数据（illustrative）。",
        dataset.county.name,
        dataset.county.division_code,
        dataset.projects.len(),
        dataset.tasks.len(),
        dataset.project_reports.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(true)
}

pub async fn serve(settings: &Settings, demo: bool) -> Result<()> {
    let started = Instant::now();
    let store = open_migrated(settings).await?;
    store.check_schema().await?;
    if demo && store.counties().await?.is_empty() {
        load_demo_into(&store).await?;
    }
    let listener = tokio::net::TcpListener::bind(settings.listen)
        .await
        .with_context(|| {
            format!(
                "无法监听 {}（端口可能已被占用，可用 --listen 指定其他地址）",
                settings.listen
            )
        })?;
    let address = listener.local_addr()?;
    say!(
        "xiancheng 已启动：http://{address}/ （数据库：{}，{}；启动用时 {} 毫秒）",
        store.backend().name(),
        store.url(),
        started.elapsed().as_millis()
    );
    let app = xiancheng_web::app(xiancheng_web::AppState::new(store.clone()));
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    store.close().await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

/// Copies every county and the reference data, keeping ids, then checks the copy: every
/// table has the same number of rows and every county reads back equal.
pub async fn db_copy(from: &str, to: &str) -> Result<()> {
    let source = Store::connect(from).await.context("打开源数据库")?;
    source.check_schema().await.context("源数据库")?;
    let target = Store::connect(to).await.context("打开目标数据库")?;
    target.migrate().await.context("目标数据库")?;
    if !target.counties().await?.is_empty() {
        bail!(
            "目标数据库 {} 已有县级数据：db copy 只写入空数据库，请换一个空库或先清空",
            target.url()
        );
    }
    let counties = source.counties().await?;
    let bar = ProgressBar::new(counties.len() as u64 + 2);
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_message("参考数据");
    if let Ok(framework) = source.national_framework().await {
        target.ensure_national_framework(&framework).await?;
    }
    bar.inc(1);
    for county in &counties {
        bar.set_message(format!("{}（{}）", county.name, county.division_code));
        let dataset = source.county_dataset(county.id).await?;
        target
            .insert_county_dataset(&dataset, IdPolicy::Keep)
            .await
            .with_context(|| format!("写入 {}", county.name))?;
        bar.inc(1);
    }
    bar.set_message("账号与审计记录");
    source.copy_side_tables(&target).await?;
    target
        .set_id_counter_at_least(source.next_id().await?)
        .await?;
    bar.set_message("核对");
    let (a, b) = (source.table_counts().await?, target.table_counts().await?);
    let differing: Vec<String> = a
        .iter()
        .zip(&b)
        .filter(|(x, y)| x.rows != y.rows && x.table != "id_counter")
        .map(|(x, y)| format!("{}: {} → {}", x.table, x.rows, y.rows))
        .collect();
    if !differing.is_empty() {
        bail!("复制后行数不一致：{}", differing.join("；"));
    }
    for county in &counties {
        if source.county_dataset(county.id).await? != target.county_dataset(county.id).await? {
            bail!("复制后 {} 的数据与源库不一致", county.name);
        }
    }
    let audit = target.verify_audit().await?;
    if !audit.problems.is_empty() {
        bail!(
            "复制后的审计记录链校验失败：{}",
            audit
                .problems
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join("；")
        );
    }
    bar.inc(1);
    bar.finish_and_clear();
    let rows: i64 = a.iter().map(|t| t.rows).sum();
    say!(
        "已复制 {} 个县、{} 个表共 {} 行：{} → {}，核对一致。",
        counties.len(),
        a.len(),
        rows,
        source.url(),
        target.url()
    );
    Ok(())
}
