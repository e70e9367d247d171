//! The conformance story: every Store operation, in the order a deployment meets them.

use crate::fresh_store;
use xiancheng_core::dataset::CountyDataset;
use xiancheng_core::enums::Stage;
use xiancheng_core::{DivisionCode, Money};
use xiancheng_store::{IdPolicy, ProjectFilter, ProjectSort, StoreError};

fn demo() -> CountyDataset {
    xiancheng_data::panshan::dataset().expect("demo dataset builds")
}

/// The dataset as the store should hold it after a fresh insert: ids moved by `offset`.
fn expected(mut ds: CountyDataset, stored_county_id: i64) -> CountyDataset {
    let offset = stored_county_id - ds.county.id.0;
    ds.rebase(offset);
    ds.canonicalize();
    ds
}

#[tokio::test]
async fn store_story() {
    let (store, _url, _dir) = fresh_store().await;

    // Migrating again is a no-op; the schema check passes.
    assert!(store.migrate().await.unwrap().applied.is_empty());
    store.check_schema().await.unwrap();
    store.ping().await.unwrap();

    // Reference data: written once, read back as shipped, never overwritten.
    let framework = xiancheng_data::national_framework();
    assert!(store.ensure_national_framework(&framework).await.unwrap());
    assert!(!store.ensure_national_framework(&framework).await.unwrap());
    assert_eq!(store.national_framework().await.unwrap(), framework);

    // A whole county in, and exactly the same county out.
    let original = demo();
    let county_id = store
        .insert_county_dataset(&original, IdPolicy::Fresh)
        .await
        .unwrap();
    let stored = store.county_dataset(county_id).await.unwrap();
    assert_eq!(stored, expected(original.clone(), county_id.0));
    let counts_after_first = store.table_counts().await.unwrap();

    // The same county again is refused and writes nothing.
    let err = store
        .insert_county_dataset(&original, IdPolicy::Fresh)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err}");
    assert_eq!(store.table_counts().await.unwrap(), counts_after_first);

    // A dataset with a dangling reference is refused with the place named, and writes nothing.
    let mut broken = original.clone();
    broken.county.division_code = DivisionCode::parse("c", "211103").unwrap();
    broken.projects[0].lead = xiancheng_core::ids::DepartmentId(9_999_999);
    match store
        .insert_county_dataset(&broken, IdPolicy::Fresh)
        .await
        .unwrap_err()
    {
        StoreError::Invalid(errors) => assert!(
            errors.to_string().contains("projects[211122-001].lead"),
            "{errors}"
        ),
        other => panic!("expected Invalid, got {other}"),
    }
    assert_eq!(store.table_counts().await.unwrap(), counts_after_first);

    // A second county shares the database without id collisions.
    let mut second = original.clone();
    second.county.division_code = DivisionCode::parse("c", "211103").unwrap();
    second.county.name = "第二测试县".into();
    let second_id = store
        .insert_county_dataset(&second, IdPolicy::Fresh)
        .await
        .unwrap();
    assert_ne!(second_id, county_id);
    assert_eq!(store.counties().await.unwrap().len(), 2);
    assert_eq!(
        store.county_dataset(second_id).await.unwrap(),
        expected(second, second_id.0)
    );
    assert_eq!(
        store.county_dataset(county_id).await.unwrap(),
        stored,
        "the first county is untouched"
    );

    let by_code = store
        .county_by_code(DivisionCode::parse("c", "211122").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(by_code.id, county_id);
    assert!(
        store
            .county_by_code(DivisionCode::parse("c", "110101").unwrap())
            .await
            .unwrap()
            .is_none()
    );

    project_library_matches_the_dataset(&store, &stored).await;
}

/// The SQL filter, sort and pagination agree with the same computation done in memory.
async fn project_library_matches_the_dataset(store: &xiancheng_store::Store, ds: &CountyDataset) {
    let county = ds.county.id;
    let all = store
        .projects_page(
            county,
            &ProjectFilter {
                page: 1,
                per_page: 200,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(all.total, ds.projects.len() as i64);
    assert_eq!(
        all.total_investment,
        ds.projects
            .iter()
            .map(|p| p.total_investment)
            .sum::<Money>()
    );

    let stage = Stage::UnderConstruction;
    let township = ds.projects.iter().find_map(|p| p.township).unwrap();
    let filter = ProjectFilter {
        stage: Some(stage),
        township: Some(township),
        sort: ProjectSort::InvestmentDesc,
        page: 1,
        per_page: 200,
        ..Default::default()
    };
    let page = store.projects_page(county, &filter).await.unwrap();
    let mut expected: Vec<_> = ds
        .projects
        .iter()
        .filter(|p| p.stage == stage && p.township == Some(township))
        .collect();
    expected.sort_by(|a, b| {
        b.total_investment
            .cmp(&a.total_investment)
            .then(a.internal_code.cmp(&b.internal_code))
    });
    assert_eq!(
        page.items.iter().map(|p| p.id).collect::<Vec<_>>(),
        expected.iter().map(|p| p.id).collect::<Vec<_>>()
    );

    let category = ds.projects[0].category;
    let by_category = store
        .projects_page(
            county,
            &ProjectFilter {
                category: Some(category),
                page: 1,
                per_page: 200,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        by_category.total,
        ds.projects
            .iter()
            .filter(|p| p.category == category)
            .count() as i64
    );

    // Pages of 7 cover every project exactly once, in code order.
    let mut seen = Vec::new();
    for n in 1..=(ds.projects.len() as i64 + 6) / 7 {
        let page = store
            .projects_page(
                county,
                &ProjectFilter {
                    page: n,
                    per_page: 7,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert!(page.items.len() <= 7);
        seen.extend(page.items.into_iter().map(|p| p.internal_code));
    }
    let mut codes: Vec<_> = ds
        .projects
        .iter()
        .map(|p| p.internal_code.clone())
        .collect();
    codes.sort();
    assert_eq!(seen, codes);

    // The latest report shown in the library is the project's last approved one.
    let approved = |r: &&xiancheng_core::model::ProjectReport| {
        r.status == xiancheng_core::enums::ReportStatus::Approved
    };
    let with_reports = ds
        .projects
        .iter()
        .find(|p| {
            ds.project_reports
                .iter()
                .filter(approved)
                .any(|r| r.project_id == p.id)
        })
        .unwrap();
    let latest = ds
        .project_reports
        .iter()
        .filter(approved)
        .filter(|r| r.project_id == with_reports.id)
        .max_by_key(|r| r.period)
        .unwrap();
    assert!(
        ds.project_reports
            .iter()
            .any(|r| r.project_id == with_reports.id && r.period > latest.period),
        "the demo's latest month is not approved yet"
    );
    let line = all.items.iter().find(|p| p.id == with_reports.id).unwrap();
    assert_eq!(line.latest_period, Some(latest.period));
    assert_eq!(line.latest_cumulative, Some(latest.investment_cumulative));

    // One project, whole.
    let one = store
        .project(county, with_reports.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        &one,
        ds.projects
            .iter()
            .find(|p| p.id == with_reports.id)
            .unwrap()
    );
    assert!(
        store
            .project(county, xiancheng_core::ids::ProjectId(-1))
            .await
            .unwrap()
            .is_none()
    );

    // Stage summary equals the in-memory count.
    for (stage, n, total) in store.project_stage_summary(county).await.unwrap() {
        let mine: Vec<_> = ds.projects.iter().filter(|p| p.stage == stage).collect();
        assert_eq!(n, mine.len() as i64);
        assert_eq!(
            total,
            mine.iter().map(|p| p.total_investment).sum::<Money>()
        );
    }
}

#[tokio::test]
async fn the_dataset_cache_serves_until_something_changes() {
    let (store, _url, _dir) = fresh_store().await;
    store
        .ensure_national_framework(&xiancheng_data::national_framework())
        .await
        .unwrap();
    let county = store
        .insert_county_dataset(&demo(), IdPolicy::Fresh)
        .await
        .unwrap();
    let first = store.county_dataset_cached(county).await.unwrap();
    let again = store.county_dataset_cached(county).await.unwrap();
    assert!(
        std::sync::Arc::ptr_eq(&first, &again),
        "unchanged data comes from the cache"
    );
    assert_eq!(*first, store.county_dataset(county).await.unwrap());
    // Any audited change invalidates it, here new settings.
    let (calendar, mut warnings) = store.county_settings(county).await.unwrap();
    warnings.spi_yellow = 0.85;
    store
        .save_county_settings(None, county, &calendar, &warnings)
        .await
        .unwrap();
    let after = store.county_dataset_cached(county).await.unwrap();
    assert!(!std::sync::Arc::ptr_eq(&first, &after));
}
