//! Earned value per project and rolled up (DOMAIN §10): PV from the annual investment plan
//! spread evenly over each year's months (序时), EV = physical progress × total investment,
//! AC = cumulative completed investment. Indices are recomputed from sums, never averaged.

use super::{latest_approved, ratio};
use crate::model::{AnnualInvestment, Project, ProjectReport};
use crate::money::Money;
use crate::period::YearMonth;
use serde::Serialize;

/// Earned-value figures as of one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EarnedValue {
    pub period: YearMonth,
    /// Budget at completion: the total investment.
    pub bac: Money,
    /// Planned value: cumulative planned investment to the end of the period.
    pub pv: Money,
    /// Earned value: BAC × physical progress; absent without an approved progress figure.
    pub ev: Option<Money>,
    /// Actual cost: cumulative completed investment of the latest approved report.
    pub ac: Money,
    pub sv: Option<Money>,
    pub cv: Option<Money>,
    pub spi: Option<f64>,
    pub cpi: Option<f64>,
    /// Estimate at completion, BAC ÷ CPI (typical variance).
    pub eac: Option<Money>,
    /// The period of the report the figures rest on.
    pub report_period: Option<YearMonth>,
}

/// Cumulative planned investment to the end of `period`: earlier years in full, the
/// period's year pro rata (month ÷ 12), later years not at all.
pub fn planned_cumulative(plan: &[AnnualInvestment], period: YearMonth) -> Money {
    let yuan: i64 = plan
        .iter()
        .map(|a| {
            if a.year < period.year() {
                a.amount.yuan()
            } else if a.year == period.year() {
                // Rounded to the yuan; i128 keeps large plans from overflowing.
                ((i128::from(a.amount.yuan()) * i128::from(period.month()) + 6) / 12) as i64
            } else {
                0
            }
        })
        .sum();
    Money::from_yuan(yuan)
}

/// The year's plan for `year`.
pub fn annual_plan(plan: &[AnnualInvestment], year: i32) -> Money {
    plan.iter()
        .filter(|a| a.year == year)
        .map(|a| a.amount)
        .sum()
}

fn indices(
    period: YearMonth,
    bac: Money,
    pv: Money,
    ev: Option<Money>,
    ac: Money,
    report_period: Option<YearMonth>,
) -> EarnedValue {
    let spi = ev.and_then(|ev| ratio(ev.yuan(), pv.yuan()));
    let cpi = ev.and_then(|ev| ratio(ev.yuan(), ac.yuan()));
    let eac = cpi
        .filter(|c| *c > 0.0)
        .map(|c| Money::from_yuan((bac.yuan() as f64 / c).round() as i64));
    EarnedValue {
        period,
        bac,
        pv,
        ev,
        ac,
        sv: ev.map(|ev| ev - pv),
        cv: ev.map(|ev| ev - ac),
        spi,
        cpi,
        eac,
        report_period,
    }
}

/// Earned value of one project as of `period`, from its approved reports.
pub fn project(project: &Project, reports: &[&ProjectReport], period: YearMonth) -> EarnedValue {
    let bac = project.total_investment;
    let pv = planned_cumulative(&project.annual_plan, period);
    let latest = latest_approved(reports, period);
    let ev = latest.as_ref().map(|r| {
        Money::from_yuan(
            ((i128::from(bac.yuan()) * i128::from(r.progress.basis_points()) + 5_000) / 10_000)
                as i64,
        )
    });
    let ac = latest
        .as_ref()
        .map(|r| r.investment_cumulative)
        .unwrap_or_default();
    indices(period, bac, pv, ev, ac, latest.map(|r| r.period))
}

/// Sums PV, EV and AC over projects and recomputes the indices. EV is summed over the
/// projects that have it; when none has, it stays absent.
pub fn combine<'a>(
    period: YearMonth,
    values: impl IntoIterator<Item = &'a EarnedValue>,
) -> EarnedValue {
    let (mut bac, mut pv, mut ac, mut ev, mut any_ev) =
        (Money::ZERO, Money::ZERO, Money::ZERO, Money::ZERO, false);
    for v in values {
        bac = bac + v.bac;
        pv = pv + v.pv;
        ac = ac + v.ac;
        if let Some(e) = v.ev {
            ev = ev + e;
            any_ev = true;
        }
    }
    indices(period, bac, pv, any_ev.then_some(ev), ac, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enums::*;
    use crate::ids::*;
    use crate::model::*;
    use crate::period::Percent;

    fn ym(s: &str) -> YearMonth {
        YearMonth::parse("p", s).unwrap()
    }

    pub(crate) fn sample_project(total_wan: i64, plan: &[(i32, i64)]) -> Project {
        Project {
            id: ProjectId(1),
            county_id: CountyId(1),
            internal_code: "P-1".into(),
            national_code: None,
            name: "污水管网".into(),
            category: CategoryId(1),
            township: None,
            location: None,
            address: String::new(),
            content: String::new(),
            nature: ConstructionNature::New,
            lead: DepartmentId(1),
            owner: String::new(),
            competent: None,
            total_investment: Money::from_wan(total_wan),
            funding_nature: FundingNature::QuasiPublic,
            stage: Stage::UnderConstruction,
            planned_start: None,
            planned_finish: None,
            actual_start: None,
            actual_finish: None,
            competent_opinion: String::new(),
            feasibility_score: None,
            feasibility_note: String::new(),
            annual_plan: plan
                .iter()
                .map(|(y, w)| AnnualInvestment {
                    year: *y,
                    amount: Money::from_wan(*w),
                })
                .collect(),
            funding: vec![],
            permits: vec![],
            risks: vec![],
        }
    }

    pub(crate) fn report(
        period: &str,
        cumulative_wan: i64,
        progress: f64,
        status: ReportStatus,
    ) -> ProjectReport {
        ProjectReport {
            id: ProjectReportId(1),
            project_id: ProjectId(1),
            period: ym(period),
            investment_month: Money::ZERO,
            investment_cumulative: Money::from_wan(cumulative_wan),
            progress: Percent::try_from(progress).unwrap(),
            narrative: String::new(),
            problems: String::new(),
            next_steps: String::new(),
            status,
            submitted_on: None,
            approved_on: None,
            submitted_by: None,
            approved_by: None,
            return_reason: String::new(),
        }
    }

    #[test]
    fn reproduces_the_worked_example_of_domain_10_4() {
        // BAC 5,000 万元; last year 600 planned; this year 2,400, linear; end of June: 30 %, AC 1,650.
        let p = sample_project(5_000, &[(2025, 600), (2026, 2_400)]);
        let r = report("2026-06", 1_650, 30.0, ReportStatus::Approved);
        let ev = project(&p, &[&r], ym("2026-06"));
        assert_eq!(ev.pv, Money::from_wan(1_800));
        assert_eq!(ev.ev, Some(Money::from_wan(1_500)));
        assert_eq!(ev.ac, Money::from_wan(1_650));
        assert!((ev.spi.unwrap() - 0.8333).abs() < 1e-3);
        assert!((ev.cpi.unwrap() - 0.9091).abs() < 1e-3);
        assert_eq!(ev.eac, Some(Money::from_wan(5_500)));
    }

    #[test]
    fn ignores_reports_that_are_not_approved_or_later() {
        let p = sample_project(1_000, &[(2026, 1_000)]);
        let approved = report("2026-03", 200, 20.0, ReportStatus::Approved);
        let submitted = report("2026-04", 300, 30.0, ReportStatus::Submitted);
        let future = report("2026-09", 900, 90.0, ReportStatus::Approved);
        let ev = project(&p, &[&approved, &submitted, &future], ym("2026-04"));
        assert_eq!(ev.report_period, Some(ym("2026-03")));
        assert_eq!(ev.ac, Money::from_wan(200));
    }

    #[test]
    fn without_an_approved_progress_ev_is_unknown_not_zero() {
        let p = sample_project(1_000, &[(2026, 1_000)]);
        let ev = project(&p, &[], ym("2026-06"));
        assert_eq!(ev.ev, None);
        assert_eq!(ev.spi, None);
        assert_eq!(ev.pv, Money::from_wan(500));
    }

    #[test]
    fn combined_indices_come_from_sums_not_averages() {
        let a = indices(
            ym("2026-06"),
            Money::from_wan(100),
            Money::from_wan(100),
            Some(Money::from_wan(50)),
            Money::from_wan(50),
            None,
        );
        let b = indices(
            ym("2026-06"),
            Money::from_wan(1_000),
            Money::from_wan(1_000),
            Some(Money::from_wan(1_000)),
            Money::from_wan(1_000),
            None,
        );
        let total = combine(ym("2026-06"), [&a, &b]);
        // Average of SPIs would be 0.75; the sum-based SPI is 1050 / 1100.
        assert!((total.spi.unwrap() - 1_050.0 / 1_100.0).abs() < 1e-9);
    }
}
