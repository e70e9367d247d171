//! The analysis engine on the demo county: every warning rule fires at least once, with
//! reasons that match the data, and roll-ups add up.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

use std::collections::HashSet;
use xiancheng_core::YearMonth;
use xiancheng_core::analysis::rollup::{Dimension, rollup, task_progress};
use xiancheng_core::analysis::warnings::{Level, Rule, SubjectKind, WarningConfig, evaluate};
use xiancheng_core::enums::ProgressMode;
use xiancheng_core::money::Money;
use xiancheng_data::panshan;

fn period() -> YearMonth {
    panshan::last_period()
}

#[test]
fn every_warning_rule_fires_on_the_demo_county() {
    let ds = panshan::dataset().unwrap();
    let warnings = evaluate(&ds, period(), &WarningConfig::default());
    let fired: HashSet<Rule> = warnings.iter().map(|w| w.rule).collect();
    for rule in Rule::ALL {
        assert!(
            fired.contains(rule),
            "rule {rule:?} never fires; fired: {fired:?}"
        );
    }
    assert!(
        warnings.iter().any(|w| w.level == Level::Red)
            && warnings.iter().any(|w| w.level == Level::Yellow)
    );
    for w in &warnings {
        assert!(
            !w.reason.is_empty() && w.reason.chars().any(|c| c.is_ascii_digit()),
            "a reason carries numbers: {w:?}"
        );
        assert!(
            w.department.is_some() || w.subject.kind == SubjectKind::Indicator,
            "{w:?}"
        );
    }
    if std::env::var_os("PRINT_WARNINGS").is_some() {
        for w in &warnings {
            println!(
                "{:?} {:?} {} — {}",
                w.level, w.rule, w.subject.name, w.reason
            );
        }
    }
}

#[test]
fn warning_reasons_match_the_data() {
    let ds = panshan::dataset().unwrap();
    let warnings = evaluate(&ds, period(), &WarningConfig::default());
    // The one project under construction without its construction permit.
    let clash: Vec<_> = warnings
        .iter()
        .filter(|w| w.rule == Rule::StagePermitMismatch)
        .collect();
    assert_eq!(clash.len(), 1);
    let project = ds
        .projects
        .iter()
        .find(|p| p.id.0 == clash[0].subject.id)
        .unwrap();
    assert!(clash[0].reason.contains("在建") && project.name == clash[0].subject.name);
    // An expired permit names its date.
    let expired = warnings
        .iter()
        .find(|w| w.rule == Rule::PermitExpired)
        .unwrap();
    let project = ds
        .projects
        .iter()
        .find(|p| p.id.0 == expired.subject.id)
        .unwrap();
    assert!(project.permits.iter().any(|x| {
        x.valid_until
            .is_some_and(|d| expired.reason.contains(&d.to_string()))
    }));
}

#[test]
fn rollups_add_up_to_the_county() {
    let ds = panshan::dataset().unwrap();
    let county = rollup(&ds, period(), Dimension::County);
    assert_eq!(county.len(), 1);
    let total = &county[0];
    assert_eq!(total.projects, 53);
    assert_eq!(
        total.total_investment,
        ds.projects
            .iter()
            .map(|p| p.total_investment)
            .sum::<Money>()
    );
    for by in [
        Dimension::Category,
        Dimension::Department,
        Dimension::Township,
        Dimension::Stage,
    ] {
        let rows = rollup(&ds, period(), by);
        assert_eq!(rows.iter().map(|r| r.projects).sum::<usize>(), 53, "{by:?}");
        assert_eq!(
            rows.iter().map(|r| r.total_investment).sum::<Money>(),
            total.total_investment,
            "{by:?}"
        );
        assert_eq!(
            rows.iter().map(|r| r.completed_cumulative).sum::<Money>(),
            total.completed_cumulative,
            "{by:?}"
        );
    }
    assert_eq!(rollup(&ds, period(), Dimension::Category).len(), 19);
    // Channels share each project out pro rata: totals agree to within a yuan per project.
    let channels = rollup(&ds, period(), Dimension::Channel);
    let by_channel: i64 = channels.iter().map(|r| r.total_investment.yuan()).sum();
    let lines: i64 = ds.projects.iter().map(|p| p.funding.len() as i64).sum();
    assert!(
        (by_channel - total.total_investment.yuan()).abs() <= lines,
        "{by_channel}"
    );
    assert!(total.earned_value.spi.is_some());
}

#[test]
fn task_progress_states_its_rule() {
    let ds = panshan::dataset().unwrap();
    let progress = task_progress(&ds, period());
    assert_eq!(progress.len(), 25);
    for p in &progress {
        match p.mode {
            ProgressMode::Derived => assert!(
                p.rule.contains("加权") == p.progress.is_some()
                    && (p.rule.contains("加权") || p.rule.contains("无法推算")),
                "{}",
                p.rule
            ),
            ProgressMode::Excluded => assert!(p.progress.is_none()),
            ProgressMode::Entered => assert!(p.progress.is_some()),
        }
    }
}

/// The demo county with one project's reports under test: the project, its approved reports
/// before the last period, oldest first.
fn project_with_reports(
    ds: &xiancheng_core::dataset::CountyDataset,
) -> xiancheng_core::ids::ProjectId {
    ds.projects
        .iter()
        .find(|p| {
            ds.project_reports
                .iter()
                .filter(|r| r.project_id == p.id)
                .count()
                > 12
                && p.permits.iter().all(|x| x.valid_until.is_none())
        })
        .unwrap()
        .id
}

fn warnings_for(
    ds: &xiancheng_core::dataset::CountyDataset,
    id: i64,
    rule: Rule,
    config: &WarningConfig,
) -> Vec<xiancheng_core::analysis::warnings::Warning> {
    evaluate(ds, period(), config)
        .into_iter()
        .filter(|w| w.subject.id == id && w.rule == rule)
        .collect()
}

#[test]
fn warns_when_cumulative_investment_decreases_and_names_both_figures() {
    let mut ds = panshan::dataset().unwrap();
    let id = project_with_reports(&ds);
    let config = WarningConfig::default();
    let before = warnings_for(&ds, id.0, Rule::InconsistentFigures, &config).len();
    let reports: Vec<usize> = (0..ds.project_reports.len())
        .filter(|&i| {
            ds.project_reports[i].project_id == id && ds.project_reports[i].period < period()
        })
        .collect();
    let last = *reports.last().unwrap();
    let previous = ds.project_reports[reports[reports.len() - 2]].investment_cumulative;
    ds.project_reports[last].investment_cumulative = Money::from_yuan(previous.yuan() / 2);
    let after = warnings_for(&ds, id.0, Rule::InconsistentFigures, &config);
    assert_eq!(after.len(), before + 1);
    let w = after
        .iter()
        .find(|w| w.reason.contains("累计数不应下降"))
        .unwrap();
    assert_eq!(w.level, Level::Red);
    assert!(w.reason.contains(&previous.format_wan()), "{}", w.reason);
}

#[test]
fn missing_months_in_a_row_turn_red() {
    let mut ds = panshan::dataset().unwrap();
    let id = project_with_reports(&ds);
    let config = WarningConfig::default();
    ds.project_reports
        .retain(|r| !(r.project_id == id && r.period >= period().prev()));
    let w = warnings_for(&ds, id.0, Rule::ReportMissing, &config);
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].level, Level::Red);
    assert!(w[0].reason.contains("连续 2 期"), "{}", w[0].reason);
}

#[test]
fn a_construction_permit_clears_the_stage_mismatch() {
    let mut ds = panshan::dataset().unwrap();
    let config = WarningConfig::default();
    let id = evaluate(&ds, period(), &config)
        .into_iter()
        .find(|w| w.rule == Rule::StagePermitMismatch)
        .unwrap()
        .subject
        .id;
    let project = ds.projects.iter_mut().find(|p| p.id.0 == id).unwrap();
    for permit in project
        .permits
        .iter_mut()
        .filter(|x| x.kind == xiancheng_core::enums::PermitKind::ConstructionPermit)
    {
        permit.status = xiancheng_core::enums::PermitStatus::Obtained;
    }
    assert!(warnings_for(&ds, id, Rule::StagePermitMismatch, &config).is_empty());
}

#[test]
fn thresholds_are_configuration() {
    let ds = panshan::dataset().unwrap();
    let lenient = WarningConfig {
        spi_yellow: 0.0,
        spi_red: 0.0,
        schedule_points_yellow: 101.0,
        schedule_points_red: 101.0,
        ..WarningConfig::default()
    };
    let fired: HashSet<Rule> = evaluate(&ds, period(), &lenient)
        .iter()
        .map(|w| w.rule)
        .collect();
    assert!(!fired.contains(&Rule::BehindSchedule) && !fired.contains(&Rule::InvestmentBehindPlan));
    let strict = WarningConfig {
        stalled_months_yellow: 1,
        ..WarningConfig::default()
    };
    let stalled = |c: &WarningConfig| {
        evaluate(&ds, period(), c)
            .iter()
            .filter(|w| w.rule == Rule::Stalled)
            .count()
    };
    assert!(stalled(&strict) > stalled(&WarningConfig::default()));
}

#[test]
fn nothing_reads_the_clock_the_same_inputs_give_the_same_warnings() {
    let ds = panshan::dataset().unwrap();
    assert_eq!(
        evaluate(&ds, period(), &WarningConfig::default()),
        evaluate(&ds, period(), &WarningConfig::default())
    );
    // An earlier reference period sees only what was known then.
    let earlier = YearMonth::new(2024, 6).unwrap();
    for w in evaluate(&ds, earlier, &WarningConfig::default()) {
        assert!(!w.reason.contains("2026-"), "{}", w.reason);
    }
}
