use crate::TestApp;
use axum::http::StatusCode;

#[tokio::test]
async fn counties_list_and_detail() {
    let app = TestApp::demo().await;
    let (status, list) = app.json("/api/v1/counties").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["counties"][0]["division_code"], "211122");
    assert_eq!(list["counties"][0]["illustrative"], true);
    assert!(
        list["counties"][0]["notice"]
            .as_str()
            .unwrap()
            .contains("示例数据")
    );

    let (status, county) = app.json("/api/v1/counties/211122").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        county["county"]["primary_type"]["code"],
        "population_shrinking"
    );
    assert_eq!(county["counts"]["chapters"], 9);
    assert_eq!(county["counts"]["articles"], 32);
    assert_eq!(county["counts"]["tasks"], 25);
    assert_eq!(county["counts"]["projects"], 53);
    assert_eq!(county["alignment_summary"]["omitted"], 2);
    assert_eq!(
        county["functional_type_heading"],
        "引导人口流失县城转型发展"
    );
}

#[tokio::test]
async fn plan_tree_with_alignment() {
    let app = TestApp::demo().await;
    let (status, plan) = app.json("/api/v1/counties/211122/plan").await;
    assert_eq!(status, StatusCode::OK);
    let tree = plan["tree"].as_array().unwrap();
    assert_eq!(tree.len(), 9);
    let articles: usize = tree
        .iter()
        .map(|c| c["children"].as_array().unwrap().len())
        .sum();
    assert_eq!(articles, 32);
    assert_eq!(tree[0]["label"], "第一章");
    assert_eq!(tree[0]["level"]["code"], "chapter");
    let first_task_article = &tree[2]["children"][0];
    assert_eq!(first_task_article["label"], "第五条");
    assert!(
        !first_task_article["alignments"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn alignment_lists_all_39_items_with_omissions_and_reasons() {
    let app = TestApp::demo().await;
    let (_, alignment) = app.json("/api/v1/counties/211122/alignment").await;
    let items = alignment["items"].as_array().unwrap();
    assert_eq!(items.len(), 39);
    for heading in ["畅通对外连接通道", "加强老化管网改造"] {
        let item = items.iter().find(|i| i["heading"] == heading).unwrap();
        assert_eq!(item["status"]["code"], "omitted");
        assert!(!item["reason"].as_str().unwrap().is_empty());
    }
    assert_eq!(alignment["summary"]["unmapped"], 0);
    assert_eq!(alignment["summary"]["not_applicable"], 4);
}

#[tokio::test]
async fn tasks_by_area_with_departments() {
    let app = TestApp::demo().await;
    let (_, tasks) = app.json("/api/v1/counties/211122/tasks").await;
    let areas = tasks["areas"].as_array().unwrap();
    assert_eq!(areas.len(), 6);
    let all: Vec<_> = areas
        .iter()
        .flat_map(|a| a["tasks"].as_array().unwrap())
        .collect();
    assert_eq!(all.len(), 25);
    for t in &all {
        assert!(
            t["lead"]["name"].as_str().is_some_and(|n| !n.is_empty()),
            "{t}"
        );
        assert!(!t["co"].as_array().unwrap().is_empty());
    }
    assert_eq!(tasks["safeguards"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn projects_filter_sort_and_paginate() {
    let app = TestApp::demo().await;
    let (_, all) = app
        .json("/api/v1/counties/211122/projects?per_page=200")
        .await;
    assert_eq!(all["total"], 53);
    assert_eq!(all["items"].as_array().unwrap().len(), 53);

    let (_, page) = app
        .json("/api/v1/counties/211122/projects?per_page=10&page=6")
        .await;
    assert_eq!(page["items"].as_array().unwrap().len(), 3);
    assert_eq!(page["pages"], 6);

    let (_, building) = app
        .json("/api/v1/counties/211122/projects?stage=在建&sort=-investment&per_page=200")
        .await;
    let items = building["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(
        items
            .iter()
            .all(|p| p["stage"]["code"] == "under_construction")
    );
    let amounts: Vec<i64> = items
        .iter()
        .map(|p| p["total_investment"]["yuan"].as_i64().unwrap())
        .collect();
    assert!(amounts.windows(2).all(|w| w[0] >= w[1]));

    let category = all["items"][0]["category"].as_str().unwrap();
    let (_, by_category) = app
        .json(&format!(
            "/api/v1/counties/211122/projects?category={category}&per_page=200"
        ))
        .await;
    assert!(
        by_category["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["category"] == category)
    );

    let (_, by_township) = app
        .json("/api/v1/counties/211122/projects?township=太平街道&per_page=200")
        .await;
    let n = by_township["items"].as_array().unwrap().len();
    assert!(n > 0 && n < 53);
}

#[tokio::test]
async fn one_project_in_full() {
    let app = TestApp::demo().await;
    let (_, list) = app
        .json("/api/v1/counties/211122/projects?per_page=1")
        .await;
    let id = list["items"][0]["id"].as_i64().unwrap();
    let (status, project) = app
        .json(&format!("/api/v1/counties/211122/projects/{id}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(project["internal_code"], "211122-001");
    assert!(!project["funding"].as_array().unwrap().is_empty());
    assert!(!project["permits"].as_array().unwrap().is_empty());
    assert!(!project["reports"].as_array().unwrap().is_empty());
    assert_eq!(
        project["funding_planned"]["yuan"],
        project["total_investment"]["yuan"]
    );
}

#[tokio::test]
async fn national_opinions_and_health() {
    let app = TestApp::demo().await;
    let (_, fw) = app.json("/api/v1/national/opinions").await;
    assert_eq!(fw["items"].as_array().unwrap().len(), 39);
    assert_eq!(fw["parts"].as_array().unwrap().len(), 9);
    assert_eq!(fw["functional_types"].as_array().unwrap().len(), 5);
    let (status, health) = app.json("/healthz").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(health["status"], "ok");
}

#[tokio::test]
async fn bad_input_gets_a_clear_error() {
    let app = TestApp::demo().await;
    let cases = [
        ("/api/v1/counties/21112", StatusCode::BAD_REQUEST, "21112"),
        (
            "/api/v1/counties/991122",
            StatusCode::BAD_REQUEST,
            "省级代码",
        ),
        ("/api/v1/counties/110101", StatusCode::NOT_FOUND, "110101"),
        (
            "/api/v1/counties/211122/projects?stage=施工中",
            StatusCode::BAD_REQUEST,
            "施工中",
        ),
        (
            "/api/v1/counties/211122/projects?page=0",
            StatusCode::BAD_REQUEST,
            "page",
        ),
        (
            "/api/v1/counties/211122/projects?per_page=10000",
            StatusCode::BAD_REQUEST,
            "per_page",
        ),
        (
            "/api/v1/counties/211122/projects?page=abc",
            StatusCode::BAD_REQUEST,
            "abc",
        ),
        (
            "/api/v1/counties/211122/projects?sort=price",
            StatusCode::BAD_REQUEST,
            "price",
        ),
        (
            "/api/v1/counties/211122/projects?category=不存在",
            StatusCode::BAD_REQUEST,
            "不存在",
        ),
        (
            "/api/v1/counties/211122/projects?township=火星",
            StatusCode::BAD_REQUEST,
            "火星",
        ),
        (
            "/api/v1/counties/211122/projects/abc",
            StatusCode::BAD_REQUEST,
            "abc",
        ),
        (
            "/api/v1/counties/211122/projects/999999999",
            StatusCode::NOT_FOUND,
            "999999999",
        ),
    ];
    for (uri, expected, needle) in cases {
        let (status, body) = app.json(uri).await;
        assert_eq!(status, expected, "{uri}: {body}");
        let message = body["error"]["message"].as_str().unwrap();
        assert!(message.contains(needle), "{uri}: {message}");
    }
}
