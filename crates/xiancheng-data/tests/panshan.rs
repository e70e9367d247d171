//! The demo county is faithful to every countable fact of the seed, internally consistent,
//! and carries the mess the warning rules will need.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

use std::collections::HashSet;
use xiancheng_core::enums::*;
use xiancheng_core::{Money, YearMonth};
use xiancheng_data::{national_framework, panshan};

#[test]
fn counts_match_the_seed() {
    let ds = panshan::dataset().unwrap();
    assert_eq!(ds.county.division_code.to_string(), "211122");
    assert_eq!(ds.county.name, "盘山县");
    assert!(
        ds.county.illustrative,
        "the demo county is marked illustrative"
    );
    assert_eq!(ds.county.primary_type, FunctionalType::PopulationShrinking);
    assert_eq!(
        ds.nodes
            .iter()
            .filter(|n| n.level == NodeLevel::Chapter)
            .count(),
        9
    );
    assert_eq!(
        ds.nodes
            .iter()
            .filter(|n| n.level == NodeLevel::Article)
            .count(),
        32
    );
    assert_eq!(ds.task_areas.len(), 6);
    assert_eq!(ds.tasks.len(), 25);
    assert_eq!(ds.safeguards.len(), 3);
    assert_eq!(ds.categories.len(), 19);
    assert_eq!(ds.projects.len(), 53);
    let plan = &ds.plans[0];
    assert_eq!(
        (plan.period_start, plan.period_end, plan.outlook_year),
        (2023, 2027, Some(2035))
    );
    let kinds: HashSet<_> = ds.positioning.iter().map(|p| p.kind).collect();
    for kind in [
        PositioningKind::TwoRaisings,
        PositioningKind::ThreeCoordinations,
        PositioningKind::FourFields,
        PositioningKind::TargetIdentity,
    ] {
        assert!(kinds.contains(&kind), "{kind:?}");
    }
    let count = |k| ds.positioning.iter().filter(|p| p.kind == k).count();
    assert_eq!(
        (
            count(PositioningKind::TwoRaisings),
            count(PositioningKind::ThreeCoordinations),
            count(PositioningKind::FourFields)
        ),
        (2, 3, 4)
    );
    assert!(
        ds.positioning
            .iter()
            .any(|p| p.text == "区域枢纽型、产服融合型新型城镇化示范县")
    );
    assert!((8..=14).contains(&ds.indicators.len()));
}

#[test]
fn every_reference_resolves() {
    let ds = panshan::dataset().unwrap();
    let items: Vec<i32> = national_framework()
        .items
        .iter()
        .map(|i| i.number)
        .collect();
    ds.validate(&items).unwrap();
}

#[test]
fn the_two_named_national_items_are_deliberately_omitted_with_the_seeds_reason() {
    let ds = panshan::dataset().unwrap();
    let fw = national_framework();
    for heading in ["畅通对外连接通道", "加强老化管网改造"] {
        let item = fw.items.iter().find(|i| i.heading == heading).unwrap();
        let row = ds
            .alignments
            .iter()
            .find(|a| a.national_item == item.number)
            .unwrap();
        assert_eq!(row.status, AlignmentStatus::Omitted, "{heading}");
        assert!(row.reason.contains("发展现状"), "{}", row.reason);
    }
    // Every one of the 39 items has a decision.
    let decided: HashSet<i32> = ds.alignments.iter().map(|a| a.national_item).collect();
    assert_eq!(decided.len(), 39);
    // Exactly one positioning item is adopted: the county's own type.
    let positioning: Vec<_> = ds
        .alignments
        .iter()
        .filter(|a| (4..=8).contains(&a.national_item) && a.status == AlignmentStatus::Covered)
        .collect();
    assert_eq!(positioning.len(), 1);
    assert_eq!(positioning[0].national_item, 8);
}

#[test]
fn every_task_has_a_lead_and_co_units_and_milestones() {
    let ds = panshan::dataset().unwrap();
    for t in &ds.tasks {
        assert!(!t.co.is_empty(), "{}", t.title);
        assert!(!t.milestones.is_empty(), "{}", t.title);
        assert!(!t.co.contains(&t.lead), "{}", t.title);
        if t.progress_mode == ProgressMode::Derived {
            assert!(
                !t.projects.is_empty(),
                "derived task without projects: {}",
                t.title
            );
        }
    }
}

#[test]
fn projects_are_plausible() {
    let ds = panshan::dataset().unwrap();
    let townships: HashSet<_> = ds
        .departments
        .iter()
        .filter(|d| d.kind.is_township())
        .map(|d| d.id)
        .collect();
    for p in &ds.projects {
        assert!(p.total_investment > Money::ZERO, "{}", p.name);
        let funding: Money = p.funding.iter().map(|f| f.planned).sum();
        assert_eq!(
            funding, p.total_investment,
            "funding plan adds up: {}",
            p.name
        );
        let annual: Money = p.annual_plan.iter().map(|a| a.amount).sum();
        assert_eq!(
            annual, p.total_investment,
            "annual plan adds up: {}",
            p.name
        );
        for f in &p.funding {
            assert!(
                f.approved <= f.planned && f.arrived <= f.approved,
                "{}",
                p.name
            );
        }
        let loc = p.location.unwrap();
        assert!(
            (121.6..=122.5).contains(&loc.lon) && (40.7..=41.6).contains(&loc.lat),
            "{} at {loc:?}",
            p.name
        );
        assert!(
            p.township.is_some_and(|t| townships.contains(&t)),
            "{}",
            p.name
        );
        if let Some(code) = &p.national_code {
            assert_eq!(code.region().unwrap().to_string(), "211122");
        }
    }
    let stages: HashSet<_> = ds.projects.iter().map(|p| p.stage).collect();
    for s in [
        Stage::Preparing,
        Stage::UnderConstruction,
        Stage::Completed,
        Stage::Suspended,
        Stage::Cancelled,
    ] {
        assert!(stages.contains(&s), "{s:?}");
    }
    // One project under construction without its construction permit: a stage/permit clash.
    let clash = ds.projects.iter().filter(|p| {
        p.stage == Stage::UnderConstruction
            && !p.permits.iter().any(|x| {
                x.kind == PermitKind::ConstructionPermit && x.status == PermitStatus::Obtained
            })
    });
    assert_eq!(clash.count(), 1);
}

#[test]
fn reports_run_to_2026_10_with_realistic_mess() {
    let ds = panshan::dataset().unwrap();
    let last = YearMonth::new(2026, 10).unwrap();
    assert_eq!(
        ds.project_reports.iter().map(|r| r.period).max(),
        Some(last)
    );
    assert!(ds.project_reports.iter().all(|r| r.period <= last));
    // Late: submitted after the due day of the following month.
    let late = ds
        .project_reports
        .iter()
        .filter(|r| r.submitted_on.is_some_and(|d| d.day() > panshan::DUE_DAY))
        .count();
    assert!(late >= 3, "late reports: {late}");
    // Inconsistent: a cumulative figure that falls.
    let mut falling = 0;
    let mut stalled = 0;
    let mut gaps = 0;
    for p in &ds.projects {
        let reports: Vec<_> = ds
            .project_reports
            .iter()
            .filter(|r| r.project_id == p.id)
            .collect();
        falling += reports
            .windows(2)
            .filter(|w| w[1].investment_cumulative < w[0].investment_cumulative)
            .count();
        gaps += reports
            .windows(2)
            .filter(|w| w[0].period.next() != w[1].period)
            .count();
        if reports.len() > 5
            && reports[reports.len() - 4..]
                .windows(2)
                .all(|w| w[0].investment_cumulative == w[1].investment_cumulative)
        {
            stalled += 1;
        }
        assert!(
            reports
                .iter()
                .all(|r| r.investment_cumulative <= p.total_investment),
            "{}",
            p.name
        );
    }
    assert!(falling >= 2, "falling cumulative figures: {falling}");
    assert!(stalled >= 3, "stalled projects: {stalled}");
    assert!(gaps >= 3, "missing months: {gaps}");
    // The latest month is not all approved yet; earlier months are.
    assert!(
        ds.project_reports
            .iter()
            .any(|r| r.period == last && r.status != ReportStatus::Approved)
    );
    assert!(
        ds.project_reports
            .iter()
            .filter(|r| r.period < last)
            .all(|r| r.status == ReportStatus::Approved)
    );
}

#[test]
fn the_interpretation_is_simplified_without_pinyin_and_flagged_truncated() {
    let ds = panshan::dataset().unwrap();
    let i = ds.plans[0].interpretation.as_ref().unwrap();
    assert!(i.truncated);
    assert!(
        i.title
            .contains("关于推进以县城为重要载体的城镇化建设工作方案")
    );
    assert!(i.text.contains("九章三十二条"));
    assert!(i.text.ends_with("确保项"));
    assert!(
        !i.text.chars().any(|c| c.is_ascii_alphabetic()),
        "no pinyin left"
    );
    for traditional in ['縣', '關', '於', '為', '進', '設', '盤'] {
        assert!(!i.text.contains(traditional), "{traditional}");
    }
    assert!(
        !i.text.contains("ICP") && !i.text.contains("0427"),
        "no footer boilerplate"
    );
}

#[test]
fn building_twice_gives_the_same_dataset() {
    assert_eq!(panshan::dataset().unwrap(), panshan::dataset().unwrap());
}
