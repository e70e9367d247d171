use crate::TestApp;
use axum::http::StatusCode;

#[tokio::test]
async fn every_page_renders_and_marks_illustrative_data() {
    let app = TestApp::demo().await;
    let (_, list) = app
        .json("/api/v1/counties/211122/projects?per_page=1")
        .await;
    let id = list["items"][0]["id"].as_i64().unwrap();
    for uri in [
        "/counties/211122".to_owned(),
        "/counties/211122/plan".into(),
        "/counties/211122/alignment".into(),
        "/counties/211122/tasks".into(),
        "/counties/211122/projects".into(),
        "/counties/211122/projects?stage=under_construction&sort=-investment&page=1".into(),
        format!("/counties/211122/projects/{id}"),
    ] {
        let (status, content_type, body) = app.get(&uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert!(content_type.starts_with("text/html"), "{uri}");
        assert!(
            body.contains("示例数据"),
            "{uri} must say the data is illustrative"
        );
        assert!(body.contains("<html lang=\"zh-CN\">"), "{uri}");
    }
    let (status, _, body) = app.get("/national/opinions").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("畅通对外连接通道"));
}

#[tokio::test]
async fn home_redirects_to_the_only_county() {
    let app = TestApp::demo().await;
    let response = app.get("/").await;
    assert_eq!(response.0, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn overview_shows_the_plan_and_its_interpretation() {
    let app = TestApp::demo().await;
    let (_, _, body) = app.get("/counties/211122").await;
    for needle in [
        "盘山县",
        "引导人口流失县城转型发展",
        "两个提升",
        "三个统筹",
        "四大领域",
        "区域枢纽型、产服融合型新型城镇化示范县",
        "政策解读",
        "原文在此中断",
    ] {
        assert!(body.contains(needle), "{needle}");
    }
}

#[tokio::test]
async fn project_library_pages_link_forward_and_back() {
    let app = TestApp::demo().await;
    let (_, _, first) = app.get("/counties/211122/projects?per_page=20").await;
    assert!(first.contains("page=2") && !first.contains("rel=\"prev\""));
    let (_, _, last) = app
        .get("/counties/211122/projects?per_page=20&page=3")
        .await;
    assert!(last.contains("rel=\"prev\"") && !last.contains("rel=\"next\""));
}

#[tokio::test]
async fn errors_are_pages_in_chinese() {
    let app = TestApp::demo().await;
    let (status, content_type, body) = app.get("/counties/110101").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(content_type.starts_with("text/html"));
    assert!(body.contains("页面不存在") && body.contains("110101"));
    let (status, _, body) = app
        .get("/counties/211122/projects?stage=%3Cb%3Ex%3C%2Fb%3E")
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body.contains("&lt;b&gt;x&lt;/b&gt;") && !body.contains("<b>x</b>"),
        "the offending value is escaped"
    );
    let (status, _, _) = app.get("/no/such/page").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn text_from_the_database_is_escaped_on_every_page() {
    let payload = "<script>alert(1)</script>";
    let mut dataset = xiancheng_data::panshan::dataset().unwrap();
    dataset.projects[0].name = format!("{payload}项目");
    dataset.projects[0].content = payload.into();
    dataset.tasks[0].title = payload.into();
    dataset.nodes[2].title = payload.into();
    dataset.positioning[0].text = payload.into();
    let app = TestApp::with(Some(dataset)).await;
    let (_, list) = app
        .json("/api/v1/counties/211122/projects?per_page=1")
        .await;
    let id = list["items"][0]["id"].as_i64().unwrap();
    for uri in [
        "/counties/211122".to_owned(),
        "/counties/211122/plan".into(),
        "/counties/211122/tasks".into(),
        "/counties/211122/projects".into(),
        format!("/counties/211122/projects/{id}"),
    ] {
        let (status, _, body) = app.get(&uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert!(!body.contains(payload), "{uri} must escape stored text");
    }
    let (_, _, body) = app.get(&format!("/counties/211122/projects/{id}")).await;
    assert!(body.contains("&lt;script&gt;"));
}

#[tokio::test]
async fn stylesheet_is_served() {
    let app = TestApp::demo().await;
    let (status, content_type, body) = app.get("/static/site.css").await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.starts_with("text/css"));
    assert!(body.contains("@media print"));
}

#[tokio::test]
async fn the_public_sees_no_internal_fields_and_only_approved_reports() {
    let app = TestApp::demo().await;
    let county = app.store.counties().await.unwrap()[0].id;
    let ds = app.store.county_dataset(county).await.unwrap();
    // A project with risks, an opinion, and a report not yet approved.
    let project = ds
        .projects
        .iter()
        .find(|p| {
            !p.risks.is_empty()
                && !p.competent_opinion.is_empty()
                && ds.project_reports.iter().any(|r| {
                    r.project_id == p.id
                        && r.status != xiancheng_core::enums::ReportStatus::Approved
                })
        })
        .unwrap();
    let uri = format!("/counties/211122/projects/{}", project.id);
    let risk = &project.risks[0].description;
    let (status, _, public) = app.get_anonymous(&uri).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!public.contains(risk.as_str()), "risks are internal");
    assert!(
        !public.contains(project.competent_opinion.as_str()),
        "the competent department's opinion is internal"
    );
    assert!(
        !public.contains("已提交") && !public.contains("草稿"),
        "unapproved reports are internal"
    );
    assert!(public.contains("内部信息"));
    let (_, _, internal) = app.get(&uri).await;
    assert!(
        internal.contains(risk.as_str()) && internal.contains(project.competent_opinion.as_str())
    );

    let (_, content_type, body) = app
        .get_anonymous(&format!("/api/v1/counties/211122/projects/{}", project.id))
        .await;
    assert!(content_type.starts_with("application/json"));
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["internal"], false);
    assert!(json["risks"].as_array().unwrap().is_empty());
    assert_eq!(json["competent_opinion"], "");
    assert!(
        json["reports"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["status"]["code"] == "approved" && r["problems"] == "")
    );
}

#[tokio::test]
async fn the_project_library_has_a_map_without_any_tile_service() {
    let app = TestApp::demo().await;
    let (status, _, body) = app.get_anonymous("/counties/211122/projects").await;
    assert_eq!(status, StatusCode::OK);
    let start = body.find("<svg").unwrap();
    let svg = &body[start..body[start..].find("</svg>").unwrap() + start];
    assert!(svg.contains("role=\"img\"") && svg.contains("太平街道"));
    assert!(
        svg.matches("<a href").count() >= 50,
        "every located project is a point"
    );
    assert!(
        svg.contains("/counties/211122/projects/"),
        "points link to their projects"
    );
    assert!(
        !svg.contains("http://") || svg.contains("http://www.w3.org/2000/svg"),
        "no external tiles"
    );
    // Filtering the library filters the map.
    let (_, _, filtered) = app
        .get_anonymous("/counties/211122/projects?stage=cancelled")
        .await;
    let start = filtered.find("<svg").unwrap();
    let fsvg = &filtered[start..filtered[start..].find("</svg>").unwrap() + start];
    assert!(fsvg.matches("<a href").count() < svg.matches("<a href").count());
}
