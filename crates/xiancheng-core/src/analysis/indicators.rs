//! Indicator progress against targets, in the categories of Open SDG (the Statistics Canada
//! method, DOMAIN §9.2): target achieved, substantial, moderate or limited progress,
//! deterioration, not available.
//!
//! With a target, the observed compound growth from the baseline is compared with the growth
//! the target requires. Where compound growth means nothing (a baseline of zero, a target of
//! zero, values that change sign), the share of the gap closed is compared with the share of
//! the time elapsed instead, and the method used is returned with the category.

use crate::enums::Direction;
use crate::model::{Indicator, YearValue};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProgressCategory {
    TargetAchieved,
    Substantial,
    Moderate,
    Limited,
    Deterioration,
    NotAvailable,
}

impl ProgressCategory {
    pub fn label_zh(self) -> &'static str {
        match self {
            ProgressCategory::TargetAchieved => "已达目标",
            ProgressCategory::Substantial => "进展显著",
            ProgressCategory::Moderate => "进展一般",
            ProgressCategory::Limited => "进展有限",
            ProgressCategory::Deterioration => "出现倒退",
            ProgressCategory::NotAvailable => "数据不足",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Observed ÷ required compound annual growth.
    CompoundGrowth,
    /// Share of the gap to the target closed ÷ share of the time elapsed.
    GapClosed,
    /// No target: observed compound growth against fixed rates.
    GrowthWithoutTarget,
    None,
}

/// Cut-offs (DOMAIN §9.2; defaults as commonly described for Open SDG, unverified, so kept
/// as configuration).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProgressConfig {
    /// Ratio of observed to required progress at or above which progress is substantial.
    pub substantial_ratio: f64,
    /// Ratio at or above which progress is moderate (below: limited, if still positive).
    pub moderate_ratio: f64,
    /// Without a target: yearly growth above which progress is substantial.
    pub substantial_growth: f64,
    /// Without a target: yearly growth above which progress is moderate.
    pub moderate_growth: f64,
}

impl Default for ProgressConfig {
    fn default() -> Self {
        ProgressConfig {
            substantial_ratio: 0.95,
            moderate_ratio: 0.5,
            substantial_growth: 0.01,
            moderate_growth: 0.005,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorProgress {
    pub category: ProgressCategory,
    pub method: Method,
    /// Observed ÷ required (or the growth rate, without a target).
    pub score: Option<f64>,
    pub latest: Option<YearValue>,
    pub target: Option<YearValue>,
    /// One sentence in Chinese with the numbers.
    pub reason: String,
}

fn not_available(
    reason: &str,
    latest: Option<YearValue>,
    target: Option<YearValue>,
) -> IndicatorProgress {
    IndicatorProgress {
        category: ProgressCategory::NotAvailable,
        method: Method::None,
        score: None,
        latest,
        target,
        reason: reason.into(),
    }
}

fn band(ratio: f64, c: &ProgressConfig) -> ProgressCategory {
    if ratio >= c.substantial_ratio {
        ProgressCategory::Substantial
    } else if ratio >= c.moderate_ratio {
        ProgressCategory::Moderate
    } else if ratio >= 0.0 {
        ProgressCategory::Limited
    } else {
        ProgressCategory::Deterioration
    }
}

/// Progress of `indicator` using actual values up to `as_of_year`.
pub fn progress(
    indicator: &Indicator,
    as_of_year: i32,
    config: &ProgressConfig,
) -> IndicatorProgress {
    let latest = indicator
        .actuals
        .iter()
        .filter(|v| v.year <= as_of_year)
        .max_by_key(|v| v.year)
        .copied();
    let target = indicator
        .targets
        .iter()
        .filter(|t| latest.is_none_or(|l| t.year >= l.year))
        .min_by_key(|t| t.year)
        .or_else(|| indicator.targets.iter().max_by_key(|t| t.year))
        .copied();
    let Some(base) = indicator.baseline else {
        return not_available("缺少基期值，无法评价进展", latest, target);
    };
    let Some(now) = latest.filter(|l| l.year > base.year) else {
        return not_available("基期之后尚无实际值，无法评价进展", latest, target);
    };
    let sign = if indicator.direction == Direction::Up {
        1.0
    } else {
        -1.0
    };
    let years = f64::from(now.year - base.year);
    if let Some(target) = target {
        let achieved = (now.value - target.value) * sign >= 0.0;
        if achieved {
            return IndicatorProgress {
                category: ProgressCategory::TargetAchieved,
                method: Method::GapClosed,
                score: Some(1.0),
                latest,
                target: Some(target),
                reason: format!(
                    "{}年实际值 {} 已达到{}年目标 {}",
                    now.year, now.value, target.year, target.value
                ),
            };
        }
        let compound_ok =
            base.value > 0.0 && now.value > 0.0 && target.value > 0.0 && target.year > base.year;
        if compound_ok {
            let observed = (now.value / base.value).powf(1.0 / years) - 1.0;
            let required =
                (target.value / base.value).powf(1.0 / f64::from(target.year - base.year)) - 1.0;
            if required.abs() > f64::EPSILON {
                let ratio = observed / required;
                let category = band(ratio, config);
                return IndicatorProgress {
                    category,
                    method: Method::CompoundGrowth,
                    score: Some(ratio),
                    latest,
                    target: Some(target),
                    reason: format!(
                        "{}年实际值 {}（基期{}年 {}），年均变化 {:.2}%，实现{}年目标 {} 需年均 {:.2}%，{}",
                        now.year,
                        now.value,
                        base.year,
                        base.value,
                        observed * 100.0,
                        target.year,
                        target.value,
                        required * 100.0,
                        category.label_zh()
                    ),
                };
            }
        }
        // Share of the gap closed against the share of time elapsed.
        let gap = target.value - base.value;
        if gap.abs() <= f64::EPSILON || target.year <= base.year {
            return not_available("目标值与基期值相同，无法评价进展", latest, Some(target));
        }
        let closed = (now.value - base.value) / gap;
        let elapsed = years / f64::from(target.year - base.year);
        let ratio = closed / elapsed.max(f64::EPSILON);
        let category = band(ratio, config);
        return IndicatorProgress {
            category,
            method: Method::GapClosed,
            score: Some(ratio),
            latest,
            target: Some(target),
            reason: format!(
                "{}年实际值 {}，已完成基期（{}年 {}）至{}年目标 {} 差距的 {:.0}%，时间已过 {:.0}%，{}",
                now.year,
                now.value,
                base.year,
                base.value,
                target.year,
                target.value,
                closed * 100.0,
                elapsed * 100.0,
                category.label_zh()
            ),
        };
    }
    if base.value <= 0.0 || now.value <= 0.0 {
        return not_available("无目标值且基期值为零，无法评价增速", latest, None);
    }
    let growth = ((now.value / base.value).powf(1.0 / years) - 1.0) * sign;
    let category = if growth > config.substantial_growth {
        ProgressCategory::Substantial
    } else if growth > config.moderate_growth {
        ProgressCategory::Moderate
    } else if growth >= 0.0 {
        ProgressCategory::Limited
    } else {
        ProgressCategory::Deterioration
    };
    IndicatorProgress {
        category,
        method: Method::GrowthWithoutTarget,
        score: Some(growth),
        latest,
        target: None,
        reason: format!(
            "无目标值；{}年实际值 {}，较基期{}年 {} 年均变化 {:.2}%，{}",
            now.year,
            now.value,
            base.year,
            base.value,
            growth * 100.0,
            category.label_zh()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::*;

    fn indicator(
        direction: Direction,
        base: (i32, f64),
        targets: &[(i32, f64)],
        actuals: &[(i32, f64)],
    ) -> Indicator {
        let yv = |&(year, value): &(i32, f64)| YearValue { year, value };
        Indicator {
            id: IndicatorId(1),
            county_id: CountyId(1),
            plan_id: PlanId(1),
            code: "T".into(),
            name: "测试指标".into(),
            unit: "%".into(),
            direction,
            decimals: 1,
            theme: String::new(),
            source_department: None,
            baseline: Some(yv(&base)),
            targets: targets.iter().map(yv).collect(),
            actuals: actuals.iter().map(yv).collect(),
        }
    }

    fn category(i: &Indicator, year: i32) -> ProgressCategory {
        progress(i, year, &ProgressConfig::default()).category
    }

    #[test]
    fn achieved_when_the_latest_value_meets_the_target() {
        assert_eq!(
            category(
                &indicator(
                    Direction::Up,
                    (2022, 90.0),
                    &[(2025, 95.0)],
                    &[(2024, 96.0)]
                ),
                2026
            ),
            ProgressCategory::TargetAchieved
        );
        assert_eq!(
            category(
                &indicator(Direction::Down, (2022, 3.0), &[(2025, 0.0)], &[(2025, 0.0)]),
                2026
            ),
            ProgressCategory::TargetAchieved
        );
    }

    #[test]
    fn bands_the_ratio_of_observed_to_required_growth() {
        // Required: 100 → 121 in 2 years = 10 %/yr. Observed after 1 year: 10 % → substantial.
        assert_eq!(
            category(
                &indicator(
                    Direction::Up,
                    (2022, 100.0),
                    &[(2024, 121.0)],
                    &[(2023, 110.0)]
                ),
                2026
            ),
            ProgressCategory::Substantial
        );
        // Observed 6 %: ratio 0.6 → moderate.
        assert_eq!(
            category(
                &indicator(
                    Direction::Up,
                    (2022, 100.0),
                    &[(2024, 121.0)],
                    &[(2023, 106.0)]
                ),
                2026
            ),
            ProgressCategory::Moderate
        );
        // Observed 2 %: limited.
        assert_eq!(
            category(
                &indicator(
                    Direction::Up,
                    (2022, 100.0),
                    &[(2024, 121.0)],
                    &[(2023, 102.0)]
                ),
                2026
            ),
            ProgressCategory::Limited
        );
        // Falling: deterioration.
        assert_eq!(
            category(
                &indicator(
                    Direction::Up,
                    (2022, 100.0),
                    &[(2024, 121.0)],
                    &[(2023, 97.0)]
                ),
                2026
            ),
            ProgressCategory::Deterioration
        );
    }

    #[test]
    fn uses_the_gap_closed_method_where_compound_growth_is_undefined() {
        // Baseline 0 households renovated, target 5,000 by 2027; 2,000 by 2025 (60 % of time, 40 % of gap).
        let i = indicator(
            Direction::Up,
            (2022, 0.0),
            &[(2027, 5_000.0)],
            &[(2025, 2_000.0)],
        );
        let p = progress(&i, 2026, &ProgressConfig::default());
        assert_eq!(p.method, Method::GapClosed);
        assert_eq!(p.category, ProgressCategory::Moderate);
        assert!(p.reason.contains("40%"), "{}", p.reason);
        // Black-odorous water bodies: 3 → 0 by 2025, still 2.5 on average in 2024: a sixth of the gap in two thirds of the time.
        let i = indicator(Direction::Down, (2022, 3.0), &[(2025, 0.0)], &[(2024, 2.5)]);
        assert_eq!(
            progress(&i, 2026, &ProgressConfig::default()).category,
            ProgressCategory::Limited
        );
    }

    #[test]
    fn not_available_without_a_baseline_or_later_value() {
        let mut i = indicator(Direction::Up, (2022, 50.0), &[(2025, 60.0)], &[]);
        assert_eq!(category(&i, 2026), ProgressCategory::NotAvailable);
        i.baseline = None;
        i.actuals = vec![YearValue {
            year: 2024,
            value: 55.0,
        }];
        assert_eq!(category(&i, 2026), ProgressCategory::NotAvailable);
    }

    #[test]
    fn values_after_the_reference_year_are_ignored() {
        let i = indicator(
            Direction::Up,
            (2022, 100.0),
            &[(2024, 121.0)],
            &[(2023, 97.0), (2024, 130.0)],
        );
        assert_eq!(category(&i, 2023), ProgressCategory::Deterioration);
        assert_eq!(category(&i, 2024), ProgressCategory::TargetAchieved);
    }

    #[test]
    fn without_a_target_bands_the_growth_rate() {
        assert_eq!(
            category(
                &indicator(Direction::Up, (2022, 100.0), &[], &[(2024, 104.0)]),
                2026
            ),
            ProgressCategory::Substantial
        );
        assert_eq!(
            category(
                &indicator(Direction::Down, (2022, 100.0), &[], &[(2024, 104.0)]),
                2026
            ),
            ProgressCategory::Deterioration
        );
    }
}
