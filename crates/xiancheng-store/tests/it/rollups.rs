//! Differential test: the store's SQL roll-ups equal the domain crate's reference roll-ups,
//! field for field, on generated counties and the Panshan demo, for several periods.

use crate::fresh_store;
use xiancheng_core::YearMonth;
use xiancheng_core::analysis::rollup::rollup;
use xiancheng_core::enums::ReportStatus;
use xiancheng_store::{IdPolicy, SqlDimension};

fn ym(s: &str) -> YearMonth {
    YearMonth::parse("period", s).unwrap()
}

#[tokio::test]
async fn sql_rollups_equal_the_core_rollups() {
    let (store, _url, _dir) = fresh_store().await;
    store
        .ensure_national_framework(&xiancheng_data::national_framework())
        .await
        .unwrap();
    let datasets = [
        xiancheng_data::synthetic::county(0, 1),
        xiancheng_data::synthetic::county(1, 1),
        xiancheng_data::panshan::dataset().unwrap(),
    ];
    let periods = [
        "2020-12", "2021-01", "2022-12", "2023-06", "2024-01", "2025-11", "2025-12", "2026-10",
    ];
    assert!(
        datasets
            .iter()
            .any(|d| d.projects.iter().any(|p| p.township.is_none()))
    );
    let mut compared = 0;
    for original in &datasets {
        let id = store
            .insert_county_dataset(original, IdPolicy::Fresh)
            .await
            .unwrap();
        let stored = store.county_dataset(id).await.unwrap();
        // The data exercises what the rules distinguish.
        assert!(
            stored
                .project_reports
                .iter()
                .any(|r| r.status != ReportStatus::Approved)
        );
        for period in periods.map(ym) {
            for &by in SqlDimension::ALL {
                let sql = store.rollup_sql(id, period, by).await.unwrap();
                let core = rollup(&stored, period, by.dimension());
                assert!(!core.is_empty());
                assert_eq!(sql, core, "{} {period} by {by:?}", stored.county.name);
                compared += sql.len();
            }
        }
    }
    assert!(compared > 500, "{compared} rows compared");

    // An unknown county rolls up to nothing, as an empty dataset does.
    let none = store
        .rollup_sql(
            xiancheng_core::ids::CountyId(987_654_321),
            ym("2025-12"),
            SqlDimension::Category,
        )
        .await
        .unwrap();
    assert!(none.is_empty());
}
