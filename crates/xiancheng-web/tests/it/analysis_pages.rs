//! The analysis pages: dashboard, warnings, indicators, and the earned-value section of the
//! project page, checked against the analysis engine run on the same dataset.

use crate::TestApp;
use axum::http::StatusCode;
use xiancheng_core::DivisionCode;
use xiancheng_core::analysis::warnings::{self, Level, WarningConfig};
use xiancheng_core::dataset::CountyDataset;
use xiancheng_core::enums::ReportStatus;

const CODE: &str = "211122";

async fn dataset(app: &TestApp) -> CountyDataset {
    let county = app
        .store
        .county_by_code(DivisionCode::parse("code", CODE).unwrap())
        .await
        .unwrap()
        .unwrap();
    app.store.county_dataset(county.id).await.unwrap()
}

fn period() -> String {
    xiancheng_data::panshan::last_period().to_string()
}

#[tokio::test]
async fn analysis_pages_render_with_their_headings() {
    let app = TestApp::demo().await;
    let p = period();
    for (uri, headings) in [
        (
            format!("/counties/{CODE}/dashboard?period={p}"),
            &[
                "领导看板",
                "分类别投资",
                "计划与完成",
                "月报未报送",
                "重点预警",
            ][..],
        ),
        (
            format!("/counties/{CODE}/warnings?period={p}"),
            &["预警清单", "按规则统计", "预警明细"][..],
        ),
        (
            format!("/counties/{CODE}/indicators?period={p}"),
            &["主要指标进展", "指标进展一览", "评价方法"][..],
        ),
    ] {
        let (status, content_type, body) = app.get(&uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}: {body}");
        assert!(content_type.starts_with("text/html"), "{uri}");
        assert!(
            body.contains("示例数据"),
            "{uri} must say the data is illustrative"
        );
        assert!(body.contains(&p), "{uri} names the period");
        for h in headings {
            assert!(body.contains(h), "{uri} lacks {h}");
        }
        for nav in ["看板", "预警", "指标"] {
            assert!(body.contains(&format!(">{nav}</a>")), "{uri} nav {nav}");
        }
    }
}

#[tokio::test]
async fn the_period_defaults_to_the_latest_reported_month() {
    let app = TestApp::demo().await;
    let (status, _, body) = app.get(&format!("/counties/{CODE}/dashboard")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains(&format!("报告期 {}", period())),
        "default period"
    );
}

#[tokio::test]
async fn dashboard_counts_equal_the_engine_and_charts_have_tables() {
    let app = TestApp::demo().await;
    let ds = dataset(&app).await;
    let last = xiancheng_data::panshan::last_period();
    let all = warnings::evaluate(&ds, last, &WarningConfig::default());
    let red = all.iter().filter(|w| w.level == Level::Red).count();
    let yellow = all.iter().filter(|w| w.level == Level::Yellow).count();
    assert!(red > 0 && yellow > 0, "the demo fires both levels");
    let (status, _, body) = app
        .get(&format!("/counties/{CODE}/dashboard?period={last}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains(&format!(r#"id="red-count">{red}<"#)),
        "red {red}"
    );
    assert!(
        body.contains(&format!(r#"id="yellow-count">{yellow}<"#)),
        "yellow {yellow}"
    );
    // Charts are accessible images with a table behind them.
    assert!(body.contains("<svg") && body.contains(r#"role="img""#));
    assert_eq!(
        body.matches("<svg").count(),
        2,
        "a category chart and a month chart"
    );
    assert!(body.contains("aria-labelledby=\"chart-categories-t chart-categories-d\""));
    assert!(body.contains("<title id=\"chart-months-t\">"));
    assert!(body.contains("各月末累计计划与累计完成投资"));
    assert!(body.contains("<th scope=\"row\">2026-01</th>"));
    // Figures link down: categories to the filtered library, warnings to their subject.
    let category = &ds.categories[0];
    assert!(body.contains(&format!(
        "/counties/{CODE}/projects?category={}",
        category.id
    )));
    assert!(body.contains(&format!(
        "/counties/{CODE}/warnings?period={last}&amp;level=red"
    )));
    let first_project_warning = all
        .iter()
        .find(|w| w.subject.kind == warnings::SubjectKind::Project)
        .unwrap();
    if all.iter().position(|w| w == first_project_warning).unwrap() < 10 {
        assert!(body.contains(&format!(
            "/counties/{CODE}/projects/{}",
            first_project_warning.subject.id
        )));
    }
    assert_eq!(
        body.matches(r#"<tr class="warn level-"#).count(),
        all.len().min(10),
        "the top ten"
    );
}

#[tokio::test]
async fn dashboard_lists_projects_that_have_not_reported() {
    let mut data = xiancheng_data::panshan::dataset().unwrap();
    let last = xiancheng_data::panshan::last_period();
    // Remove one expected project's report for the period.
    let victim = data
        .projects
        .iter()
        .find(|p| {
            warnings::expected_to_report(p, last)
                && data.project_reports.iter().any(|r| {
                    r.project_id == p.id
                        && r.period == last
                        && matches!(r.status, ReportStatus::Submitted | ReportStatus::Approved)
                })
        })
        .unwrap()
        .clone();
    data.project_reports
        .retain(|r| !(r.project_id == victim.id && r.period == last));
    let app = TestApp::with(Some(data)).await;
    let (status, _, body) = app
        .get(&format!("/counties/{CODE}/dashboard?period={last}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let section = body.split("月报未报送").nth(1).unwrap();
    let section = section.split("重点预警").next().unwrap();
    assert!(section.contains(&victim.name), "{section}");
    assert!(section.contains("未报送"));
}

#[tokio::test]
async fn warnings_filter_by_level_and_rule() {
    let app = TestApp::demo().await;
    let ds = dataset(&app).await;
    let last = xiancheng_data::panshan::last_period();
    let all = warnings::evaluate(&ds, last, &WarningConfig::default());
    let red = all.iter().filter(|w| w.level == Level::Red).count();

    let (status, _, body) = app
        .get(&format!("/counties/{CODE}/warnings?period={last}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body.matches(r#"<tr class="warn level-"#).count(), all.len());

    let (status, _, body) = app
        .get(&format!(
            "/counties/{CODE}/warnings?period={last}&level=red"
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body.matches(r#"<tr class="warn level-red""#).count(), red);
    assert_eq!(
        body.matches(r#"<tr class="warn level-yellow""#).count(),
        0,
        "only red rows"
    );

    let (status, _, body) = app
        .get(&format!(
            "/counties/{CODE}/warnings?period={last}&rule=stage_permit_mismatch"
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    let expected = all
        .iter()
        .filter(|w| w.rule == warnings::Rule::StagePermitMismatch)
        .count();
    assert_eq!(body.matches(r#"<tr class="warn level-"#).count(), expected);
    assert!(body.contains("阶段与手续不符"));
}

#[tokio::test]
async fn bad_query_values_answer_400_naming_them() {
    let app = TestApp::demo().await;
    for uri in [
        format!("/counties/{CODE}/dashboard?period=2026-13"),
        format!("/counties/{CODE}/warnings?period=2026-13"),
        format!("/counties/{CODE}/indicators?period=2026-13"),
    ] {
        let (status, _, body) = app.get(&uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        assert!(
            body.contains("2026-13") && body.contains("period"),
            "{uri}: {body}"
        );
    }
    let (status, _, body) = app
        .get(&format!("/counties/{CODE}/warnings?level=orange"))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("orange"));
    let (status, _, body) = app
        .get(&format!("/counties/{CODE}/warnings?rule=%3Cb%3Enope"))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("&lt;b&gt;nope") && !body.contains("<b>nope"));
}

#[tokio::test]
async fn indicators_show_progress_and_sparklines() {
    let app = TestApp::demo().await;
    let ds = dataset(&app).await;
    let (status, _, body) = app
        .get(&format!("/counties/{CODE}/indicators?period={}", period()))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body.matches("<svg").count(),
        ds.indicators.len(),
        "one sparkline per indicator"
    );
    for i in &ds.indicators {
        assert!(body.contains(&i.name), "{}", i.name);
        assert!(body.contains(&format!(r#"id="ind{}""#, i.id)));
    }
    assert!(body.contains(r#"role="img""#));
    assert!(body.contains("进展类别") && body.contains("理由"));
}

#[tokio::test]
async fn project_page_shows_earned_value() {
    let app = TestApp::demo().await;
    let ds = dataset(&app).await;
    let project = ds
        .projects
        .iter()
        .find(|p| {
            ds.project_reports
                .iter()
                .any(|r| r.project_id == p.id && r.status == ReportStatus::Approved)
        })
        .unwrap();
    let (status, _, body) = app
        .get(&format!(
            "/counties/{CODE}/projects/{}?period={}",
            project.id,
            period()
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("挣值分析"));
    assert!(body.contains(&format!(
        "aria-labelledby=\"chart-ev-{0}-t chart-ev-{0}-d\"",
        project.id
    )));
    assert!(body.contains("SPI") && body.contains("CPI") && body.contains("EAC"));
    assert!(body.contains("各月末挣值"));
    let (status, _, body) = app
        .get(&format!(
            "/counties/{CODE}/projects/{}?period=2026-13",
            project.id
        ))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("2026-13"));
}

#[tokio::test]
async fn analysis_pages_escape_stored_text() {
    let payload = "<script>alert(1)</script>";
    let mut data = xiancheng_data::panshan::dataset().unwrap();
    for p in &mut data.projects {
        p.name = format!("{payload}{}", p.name);
    }
    data.categories[0].name = payload.into();
    data.indicators[0].name = payload.into();
    let app = TestApp::with(Some(data)).await;
    let ds = dataset(&app).await;
    for uri in [
        format!("/counties/{CODE}/dashboard"),
        format!("/counties/{CODE}/warnings"),
        format!("/counties/{CODE}/indicators"),
        format!("/counties/{CODE}/projects/{}", ds.projects[0].id),
    ] {
        let (status, _, body) = app.get(&uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert!(!body.contains(payload), "{uri} must escape stored text");
    }
}

#[tokio::test]
async fn internal_analysis_pages_need_a_login() {
    let app = TestApp::demo().await;
    for page in ["dashboard", "warnings", "indicators"] {
        let (status, _, body) = app.get_anonymous(&format!("/counties/{CODE}/{page}")).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{page}");
        assert!(body.contains("请先登录"), "{page}");
    }
}
