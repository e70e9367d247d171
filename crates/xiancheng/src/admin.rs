//! Commands for accounts, the audit trail and the county's dispatch and analysis, run by the
//! administrator on the server: `user add|list|disable`, `audit verify`, `report status`,
//! `warnings`, `rollup`.

use crate::config::Settings;
use anyhow::{Context, Result, anyhow, bail};
use std::io::BufRead;
use xiancheng_core::analysis::rollup::{Dimension, rollup};
use xiancheng_core::analysis::warnings::evaluate_with_calendar;
use xiancheng_core::auth::{Role, check_password_strength, hash_password};
use xiancheng_core::calendar::expected_reports;
use xiancheng_core::model::County;
use xiancheng_core::{Date, DivisionCode, YearMonth};
use xiancheng_store::Store;
use xiancheng_store::accounts::NewUser;

async fn open(settings: &Settings) -> Result<Store> {
    let store = Store::connect(&settings.database_url).await?;
    store.check_schema().await?;
    Ok(store)
}

/// A fresh 16-byte salt from the operating system.
pub fn salt() -> Result<[u8; 16]> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| anyhow!("无法取得随机数：{e}"))?;
    Ok(salt)
}

/// The password: from XIANCHENG_PASSWORD if set, else the first line of standard input.
fn read_password(from_env: Option<String>) -> Result<String> {
    let password = match from_env {
        Some(p) => p,
        None => {
            eprintln!("请输入新账号的口令（一行）：");
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .context("读取口令")?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    check_password_strength("password", &password)?;
    Ok(password)
}

/// The county a command is about: the one named, or the only one in the database.
async fn county(store: &Store, code: Option<&str>) -> Result<County> {
    match code {
        Some(code) => {
            let code = DivisionCode::parse("--county", code)?;
            store
                .county_by_code(code)
                .await?
                .ok_or_else(|| anyhow!("数据库中没有行政区划代码为 {code} 的县"))
        }
        None => {
            let mut all = store.counties().await?;
            match all.len() {
                1 => Ok(all.remove(0)),
                0 => bail!("数据库中还没有县：先运行 xiancheng demo load，或导入数据"),
                n => bail!("数据库中有 {n} 个县：请用 --county 指定行政区划代码"),
            }
        }
    }
}

pub struct UserAdd {
    pub username: String,
    pub role: String,
    pub display_name: Option<String>,
    pub county: Option<String>,
    pub department: Option<String>,
    pub scope: Option<String>,
    pub password_env: Option<String>,
}

pub async fn user_add(settings: &Settings, args: UserAdd) -> Result<()> {
    let store = open(settings).await?;
    let role = Role::parse("--role", &args.role)?;
    let county = match &args.county {
        Some(code) => Some(county(&store, Some(code)).await?),
        None if matches!(role, Role::PlanOffice | Role::Reporter | Role::Leader) => {
            Some(county(&store, None).await?)
        }
        None => None,
    };
    let department = match (&args.department, &county) {
        (Some(name), Some(c)) => {
            let departments = store.departments(c.id).await?;
            let found = departments.iter().find(|d| {
                d.name == *name || d.short_name == *name || d.aliases.iter().any(|a| a == name)
            });
            Some(found.map(|d| d.id).ok_or_else(|| {
                anyhow!(
                    "{}没有名为“{name}”的责任单位（可用简称，如 县住建局）",
                    c.name
                )
            })?)
        }
        (Some(_), None) => bail!("--department 需要同时指定 --county"),
        _ => None,
    };
    let scope = args
        .scope
        .as_deref()
        .map(|s| DivisionCode::parse("--scope", s))
        .transpose()?;
    let password = read_password(args.password_env)?;
    let hash = hash_password(&password, &salt()?).map_err(|e| anyhow!("口令散列失败：{e}"))?;
    let user = store
        .create_user(
            &NewUser {
                display_name: args.display_name.unwrap_or_else(|| args.username.clone()),
                username: args.username,
                role,
                county: county.as_ref().map(|c| c.id),
                department,
                scope,
                password_hash: hash,
            },
            None,
        )
        .await?;
    say!(
        "已创建账号 {}（{}{}）。",
        user.username,
        role.label_zh(),
        county.map(|c| format!("，{}", c.name)).unwrap_or_default()
    );
    Ok(())
}

pub async fn user_list(settings: &Settings) -> Result<()> {
    let store = open(settings).await?;
    let users = store.users().await?;
    if users.is_empty() {
        say!("尚无账号。用 xiancheng user add --username NAME --role admin 创建第一个管理员。");
    }
    for u in users {
        say!(
            "{}\t{}\t{}\t{}{}",
            u.username,
            u.role.code(),
            u.display_name,
            u.scope.map(|s| format!("scope={s} ")).unwrap_or_default(),
            if u.disabled { "（已停用）" } else { "" }
        );
    }
    Ok(())
}

pub async fn user_disable(settings: &Settings, username: &str) -> Result<()> {
    let store = open(settings).await?;
    store.set_user_disabled(username, true, None).await?;
    say!("账号 {username} 已停用，其令牌与会话随即失效。");
    Ok(())
}

/// Exits non-zero when the chain is broken, so it can run from cron or CI.
pub async fn audit_verify(settings: &Settings) -> Result<()> {
    let store = open(settings).await?;
    let result = store.verify_audit().await?;
    if result.problems.is_empty() {
        say!(
            "审计记录完整：{} 条，链式哈希逐条核对一致。",
            result.entries
        );
        Ok(())
    } else {
        for p in &result.problems {
            eprintln!("- {p}");
        }
        bail!(
            "审计记录被改动或删除：发现 {} 处问题（共 {} 条记录，登记末条为第 {} 条）",
            result.problems.len(),
            result.entries,
            result.head
        )
    }
}

fn period(input: &str) -> Result<YearMonth> {
    Ok(YearMonth::parse("--period", input)?)
}

pub async fn report_status(
    settings: &Settings,
    county_code: Option<&str>,
    period_text: &str,
    as_of: Option<&str>,
    json: bool,
) -> Result<()> {
    let store = open(settings).await?;
    let period = period(period_text)?;
    let county = county(&store, county_code).await?;
    let (calendar, _) = store.county_settings(county.id).await?;
    let as_of = match as_of {
        Some(d) => Date::parse("--as-of", d)?,
        None => store.now().date(),
    };
    let ds = store.county_dataset(county.id).await?;
    let expected = expected_reports(&ds, period, &calendar, as_of);
    let names: std::collections::HashMap<_, _> = ds
        .departments
        .iter()
        .map(|d| (d.id, d.short_name.clone()))
        .collect();
    let attention: Vec<_> = expected.iter().filter(|e| e.needs_attention()).collect();
    if json {
        say!(
            "{}",
            serde_json::to_string_pretty(
                &serde_json::json!({ "county": county.division_code.to_string(), "period": period.to_string(), "as_of": as_of.to_string(), "expected": expected.len(), "attention": attention })
            )?
        );
        return Ok(());
    }
    say!(
        "{} {} 月报：应报 {} 份，需关注 {} 份（截止 {}，核对日 {}）。",
        county.name,
        period,
        expected.len(),
        attention.len(),
        calendar.due_date(period),
        as_of
    );
    let mut rows: Vec<_> = attention
        .iter()
        .map(|e| (names.get(&e.department).cloned().unwrap_or_default(), e))
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.subject_name.cmp(&b.1.subject_name)));
    for (department, e) in rows {
        let late = if e.days_late > 0 {
            format!("，逾期 {} 天", e.days_late)
        } else {
            String::new()
        };
        say!(
            "{department}\t{}\t{}{late}",
            e.subject_name,
            e.state.label_zh()
        );
    }
    Ok(())
}

pub async fn warnings(
    settings: &Settings,
    county_code: Option<&str>,
    period_text: &str,
    json: bool,
) -> Result<()> {
    let store = open(settings).await?;
    let period = period(period_text)?;
    let county = county(&store, county_code).await?;
    let (calendar, config) = store.county_settings(county.id).await?;
    let ds = store.county_dataset(county.id).await?;
    let list = evaluate_with_calendar(&ds, period, &config, &calendar);
    if json {
        say!("{}", serde_json::to_string_pretty(&list)?);
        return Ok(());
    }
    let names: std::collections::HashMap<_, _> = ds
        .departments
        .iter()
        .map(|d| (d.id, d.short_name.clone()))
        .collect();
    let red = list
        .iter()
        .filter(|w| w.level == xiancheng_core::analysis::warnings::Level::Red)
        .count();
    say!(
        "{} {}：红灯 {red} 个，黄灯 {} 个。{}",
        county.name,
        period,
        list.len() - red,
        if county.illustrative {
            "（示例数据）"
        } else {
            ""
        }
    );
    for w in &list {
        let department = w
            .department
            .and_then(|d| names.get(&d).cloned())
            .unwrap_or_default();
        say!(
            "{}\t{}\t{}\t{}\t{}",
            w.level.label_zh(),
            w.rule.label_zh(),
            w.subject.name,
            department,
            w.reason
        );
    }
    Ok(())
}

pub async fn rollup_cmd(
    settings: &Settings,
    county_code: Option<&str>,
    by: &str,
    period_text: &str,
    json: bool,
) -> Result<()> {
    let store = open(settings).await?;
    let period = period(period_text)?;
    let by = Dimension::parse("--by", by)?;
    let county = county(&store, county_code).await?;
    let ds = store.county_dataset(county.id).await?;
    let rows = rollup(&ds, period, by);
    if json {
        say!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(());
    }
    say!(
        "{} {} 汇总（万元）{}",
        county.name,
        period,
        if county.illustrative {
            "（示例数据）"
        } else {
            ""
        }
    );
    say!("分组\t项目数\t总投资\t本年计划\t本月完成\t本年完成\t累计完成\t形象进度\t投资完成率\tSPI");
    for r in rows {
        say!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            r.label,
            r.projects,
            r.total_investment.format_wan(),
            r.planned_this_year.format_wan(),
            r.completed_this_month.format_wan(),
            r.completed_this_year.format_wan(),
            r.completed_cumulative.format_wan(),
            r.progress
                .map(|p| p.to_string())
                .unwrap_or_else(|| "—".into()),
            r.completion_rate
                .map(|c| format!("{:.1}%", c * 100.0))
                .unwrap_or_else(|| "—".into()),
            r.earned_value
                .spi
                .map(|s| format!("{s:.2}"))
                .unwrap_or_else(|| "—".into()),
        );
    }
    Ok(())
}

/// Prints the county's reporting calendar and warning thresholds as JSON (the defaults until
/// they are changed), ready to edit and pass back to `settings set`.
pub async fn settings_show(settings: &Settings, county_code: Option<&str>) -> Result<()> {
    let store = open(settings).await?;
    let county = county(&store, county_code).await?;
    let (calendar, warnings) = store.county_settings(county.id).await?;
    say!(
        "{}",
        serde_json::to_string_pretty(
            &serde_json::json!({ "calendar": calendar, "warnings": warnings })
        )?
    );
    Ok(())
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SettingsFile {
    calendar: xiancheng_core::calendar::ReportingCalendar,
    warnings: xiancheng_core::analysis::warnings::WarningConfig,
}

/// Replaces the county's settings from a JSON file shaped like `settings show` prints.
pub async fn settings_set(
    settings: &Settings,
    county_code: Option<&str>,
    file: &std::path::Path,
) -> Result<()> {
    let store = open(settings).await?;
    let county = county(&store, county_code).await?;
    let text = std::fs::read_to_string(file).with_context(|| format!("读取 {}", file.display()))?;
    let parsed: SettingsFile = serde_json::from_str(&text).with_context(|| {
        format!(
            "{} 不是有效的设置文件（先用 settings show 导出再修改）",
            file.display()
        )
    })?;
    let c = &parsed.calendar;
    if !(1..=28).contains(&c.due_day)
        || c.period_offset > 2
        || c.quarter_months.iter().any(|m| !(1..=12).contains(m))
    {
        bail!("报送日历有误：due_day 应为 1–28，period_offset 0–2，quarter_months 为 1–12 的月份");
    }
    let w = &parsed.warnings;
    if w.spi_red > w.spi_yellow
        || w.schedule_points_red < w.schedule_points_yellow
        || w.stalled_months_red < w.stalled_months_yellow
    {
        bail!(
            "预警阈值有误：红灯阈值应比黄灯更严（spi_red ≤ spi_yellow，schedule_points_red ≥ schedule_points_yellow，stalled_months_red ≥ stalled_months_yellow）"
        );
    }
    store
        .save_county_settings(None, county.id, &parsed.calendar, &parsed.warnings)
        .await?;
    say!("已更新{}的报送日历与预警阈值。", county.name);
    Ok(())
}
