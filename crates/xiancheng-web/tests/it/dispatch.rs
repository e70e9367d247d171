//! The dispatch API end to end through the router: accounts and sessions, CSRF, tokens,
//! the report life cycle with its refusals, who has not reported, the analysis routes, the
//! permission matrix, and the OpenAPI document.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};
use tower::ServiceExt;
use xiancheng_core::auth::{Role, hash_password};
use xiancheng_core::enums::ReportStatus;
use xiancheng_core::{DivisionCode, Timestamp};
use xiancheng_store::accounts::NewUser;
use xiancheng_store::{IdPolicy, Store};

const PASSWORD: &str = "Dispatch-2026-test";

struct Dispatch {
    router: axum::Router,
    store: Store,
    clock: Arc<AtomicI64>,
    _dir: tempfile::TempDir,
}

struct Reply {
    status: StatusCode,
    body: Value,
    set_cookie: Option<String>,
}

impl Dispatch {
    async fn new() -> Dispatch {
        let dir = tempfile::tempdir().unwrap();
        let admin = std::env::var("XIANCHENG_TEST_DATABASE_URL").ok();
        let (store, _) = xiancheng_store::testing::fresh_store(admin.as_deref(), dir.path())
            .await
            .unwrap();
        let clock = Arc::new(AtomicI64::new(
            Timestamp::parse("t", "2026-11-20T02:00:00Z").unwrap().0,
        ));
        let ticking = clock.clone();
        let store = store.with_clock(Arc::new(move || Timestamp(ticking.load(Ordering::SeqCst))));
        store
            .ensure_national_framework(&xiancheng_data::national_framework())
            .await
            .unwrap();
        let county = store
            .insert_county_dataset(
                &xiancheng_data::panshan::dataset().unwrap(),
                IdPolicy::Fresh,
            )
            .await
            .unwrap();
        let departments = store.departments(county).await.unwrap();
        let dept = |short: &str| {
            departments
                .iter()
                .find(|d| d.short_name == short)
                .unwrap()
                .id
        };
        let hash = hash_password(PASSWORD, &[3; 16]).unwrap();
        let users = [
            (
                "office",
                Role::PlanOffice,
                Some(county),
                Some(dept("县发改局")),
                None,
            ),
            (
                "office2",
                Role::PlanOffice,
                Some(county),
                Some(dept("县发改局")),
                None,
            ),
            (
                "zjj",
                Role::Reporter,
                Some(county),
                Some(dept("县住建局")),
                None,
            ),
            (
                "jyj",
                Role::Reporter,
                Some(county),
                Some(dept("县教育局")),
                None,
            ),
            ("leader", Role::Leader, Some(county), None, None),
            ("panjin", Role::Viewer, None, None, Some("211100")),
            ("beijing", Role::Viewer, None, None, Some("110000")),
            ("root", Role::Admin, None, None, None),
        ];
        for (name, role, county, department, scope) in users {
            store
                .create_user(
                    &NewUser {
                        username: name.into(),
                        display_name: name.into(),
                        role,
                        county,
                        department,
                        scope: scope.map(|s| DivisionCode::parse("s", s).unwrap()),
                        password_hash: hash.clone(),
                    },
                    None,
                )
                .await
                .unwrap();
        }
        let settings = xiancheng_web::auth::AuthSettings {
            login_delay: Duration::from_millis(40),
            max_login_delay: Duration::from_millis(400),
            ..Default::default()
        };
        let router =
            xiancheng_web::app(xiancheng_web::AppState::with_auth(store.clone(), settings));
        Dispatch {
            router,
            store,
            clock,
            _dir: dir,
        }
    }

    async fn call(
        &self,
        method: &str,
        uri: &str,
        headers: &[(&str, &str)],
        body: Option<Value>,
    ) -> Reply {
        let mut request = Request::builder().method(method).uri(uri);
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        let request = match body {
            Some(b) => request
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(b.to_string()))
                .unwrap(),
            None => request.body(Body::empty()).unwrap(),
        };
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let set_cookie = response
            .headers()
            .get(header::SET_COOKIE)
            .map(|v| v.to_str().unwrap().to_owned());
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or(Value::String(String::from_utf8_lossy(&bytes).into()))
        };
        Reply {
            status,
            body,
            set_cookie,
        }
    }

    /// Logs in; returns (cookie header value, csrf token).
    async fn login(&self, username: &str) -> (String, String) {
        let reply = self
            .call(
                "POST",
                "/api/v1/session",
                &[],
                Some(json!({ "username": username, "password": PASSWORD })),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let cookie = reply.set_cookie.unwrap();
        (
            cookie.split(';').next().unwrap().to_owned(),
            reply.body["csrf_token"].as_str().unwrap().to_owned(),
        )
    }

    /// An API token for `username`.
    async fn token(&self, username: &str) -> String {
        let (cookie, csrf) = self.login(username).await;
        let reply = self
            .call(
                "POST",
                "/api/v1/tokens",
                &[("cookie", &cookie), ("x-csrf-token", &csrf)],
                Some(json!({ "name": "test" })),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        format!("Bearer {}", reply.body["token"].as_str().unwrap())
    }

    async fn as_user(&self, token: &str, method: &str, uri: &str, body: Option<Value>) -> Reply {
        self.call(method, uri, &[("authorization", token)], body)
            .await
    }

    /// A project of 县住建局 with a draft for 2026-10 and an approved report for 2026-09.
    async fn housing_project_with_draft(&self) -> (i64, Value) {
        let county = self.store.counties().await.unwrap()[0].id;
        let ds = self.store.county_dataset(county).await.unwrap();
        let dept = ds
            .departments
            .iter()
            .find(|d| d.short_name == "县住建局")
            .unwrap()
            .id;
        for p in ds.projects.iter().filter(|p| p.lead == dept) {
            let reports: Vec<_> = ds
                .project_reports
                .iter()
                .filter(|r| r.project_id == p.id)
                .collect();
            let draft = reports
                .iter()
                .find(|r| r.period.to_string() == "2026-10" && r.status == ReportStatus::Draft);
            let previous = reports
                .iter()
                .find(|r| r.period.to_string() == "2026-09" && r.status == ReportStatus::Approved);
            if let (Some(_), Some(prev)) = (draft, previous) {
                return (
                    p.id.0,
                    json!({ "cumulative_yuan": prev.investment_cumulative.yuan(), "progress": prev.progress.as_f64() }),
                );
            }
        }
        panic!("the demo has a 县住建局 project with a draft for 2026-10");
    }
}

fn wan(yuan: i64) -> String {
    format!("{}.{:04}", yuan / 10_000, yuan % 10_000)
}

#[tokio::test]
async fn wrong_passwords_are_refused_ever_more_slowly() {
    let app = Dispatch::new().await;
    let wrong = json!({ "username": "zjj", "password": "nope" });
    assert_eq!(
        app.call("POST", "/api/v1/session", &[], Some(wrong.clone()))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let start = Instant::now();
    let r = app
        .call("POST", "/api/v1/session", &[], Some(wrong.clone()))
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(
        r.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("用户名或口令错误")
    );
    assert!(start.elapsed() >= Duration::from_millis(40));
    let start = Instant::now();
    app.call("POST", "/api/v1/session", &[], Some(wrong)).await;
    assert!(
        start.elapsed() >= Duration::from_millis(80),
        "the delay grows"
    );
    // A right password after failures still works, and resets the delay.
    app.login("zjj").await;
    let unknown = app
        .call(
            "POST",
            "/api/v1/session",
            &[],
            Some(json!({ "username": "nobody", "password": PASSWORD })),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    let malformed = app
        .call("POST", "/api/v1/session", &[], Some(json!({ "user": "x" })))
        .await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn sessions_need_csrf_on_changes_and_expire() {
    let app = Dispatch::new().await;
    let reply = app
        .call(
            "POST",
            "/api/v1/session",
            &[],
            Some(json!({ "username": "office", "password": PASSWORD })),
        )
        .await;
    let cookie_header = reply.set_cookie.clone().unwrap();
    assert!(cookie_header.contains("HttpOnly") && cookie_header.contains("SameSite=Lax"));
    let (cookie, csrf) = app.login("office").await;
    let ok = app
        .call(
            "GET",
            "/api/v1/counties/211122/warnings?period=2026-10",
            &[("cookie", &cookie)],
            None,
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK);
    for headers in [
        vec![("cookie", cookie.as_str())],
        vec![("cookie", cookie.as_str()), ("x-csrf-token", "wrong")],
    ] {
        let r = app
            .call(
                "POST",
                "/api/v1/tokens",
                &headers,
                Some(json!({ "name": "x" })),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert!(
            r.body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("CSRF")
        );
    }
    assert_eq!(
        app.call(
            "POST",
            "/api/v1/tokens",
            &[("cookie", &cookie), ("x-csrf-token", &csrf)],
            Some(json!({ "name": "x" }))
        )
        .await
        .status,
        StatusCode::OK
    );
    // Nine hours later the session is gone.
    app.clock.fetch_add(9 * 3600, Ordering::SeqCst);
    assert_eq!(
        app.call(
            "GET",
            "/api/v1/counties/211122/warnings?period=2026-10",
            &[("cookie", &cookie)],
            None
        )
        .await
        .status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn tokens_can_be_revoked_and_expire() {
    let app = Dispatch::new().await;
    let token = app.token("leader").await;
    let uri = "/api/v1/counties/211122/rollups?by=county&period=2026-10";
    assert_eq!(
        app.as_user(&token, "GET", uri, None).await.status,
        StatusCode::OK
    );
    let list = app.as_user(&token, "GET", "/api/v1/tokens", None).await;
    let id = list.body[0]["id"].as_i64().unwrap();
    assert!(
        list.body[0].get("token").is_none(),
        "secrets are shown only once"
    );
    assert_eq!(
        app.as_user(&token, "DELETE", &format!("/api/v1/tokens/{id}"), None)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    let r = app.as_user(&token, "GET", uri, None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(
        r.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("令牌")
    );
    let fresh = app.token("leader").await;
    app.clock.fetch_add(91 * 86_400, Ordering::SeqCst);
    assert_eq!(
        app.as_user(&fresh, "GET", uri, None).await.status,
        StatusCode::UNAUTHORIZED,
        "expired after 90 days"
    );
    assert_eq!(
        app.as_user("Bearer not-a-token", "GET", uri, None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_report_goes_through_its_life_cycle() {
    let app = Dispatch::new().await;
    let reporter = app.token("zjj").await;
    let office = app.token("office").await;
    let office2 = app.token("office2").await;
    let (project, previous) = app.housing_project_with_draft().await;
    let prev_cum = previous["cumulative_yuan"].as_i64().unwrap();
    let month = 1_234_500;
    let form = |cumulative: i64, progress: f64| {
        json!({
            "kind": "project", "subject_id": project, "period": "2026-10",
            "investment_month": wan(month), "investment_cumulative": wan(cumulative), "progress": format!("{progress:.2}"),
            "narrative": "主体施工", "problems": "", "next_steps": "继续施工"
        })
    };
    let progress = previous["progress"].as_f64().unwrap() + 1.0;
    let reports = "/api/v1/counties/211122/reports";

    // A cumulative figure that contradicts last month's approved one is refused with the numbers.
    let bad = app
        .as_user(&reporter, "POST", reports, Some(form(prev_cum, progress)))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    let field = &bad.body["error"]["fields"][0];
    assert_eq!(field["field"], "investment_cumulative");
    assert!(
        field["expected"]
            .as_str()
            .unwrap()
            .contains(&xiancheng_core::Money::from_yuan(prev_cum).format_wan()),
        "{field}"
    );
    // Progress falling, above 100 %, negative money, a month outside the plan: refused.
    let falling = app
        .as_user(
            &reporter,
            "POST",
            reports,
            Some(form(prev_cum + month, 0.0)),
        )
        .await;
    assert_eq!(falling.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(falling.body["error"]["fields"][0]["field"], "progress");
    let mut over = form(prev_cum + month, 120.0);
    over["investment_month"] = json!("-5");
    over["period"] = json!("2030-01");
    let r = app.as_user(&reporter, "POST", reports, Some(over)).await;
    let fields: Vec<&str> = r.body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"investment_month") && fields.contains(&"progress"),
        "{fields:?}"
    );

    // Another department cannot report on it.
    let other = app.token("jyj").await;
    assert_eq!(
        app.as_user(
            &other,
            "POST",
            reports,
            Some(form(prev_cum + month, progress))
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );

    // Save, submit; the reporter cannot approve; the plan office returns with a reason.
    let saved = app
        .as_user(
            &reporter,
            "POST",
            reports,
            Some(form(prev_cum + month, progress)),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let id = saved.body["id"].as_i64().unwrap();
    let at = |action: &str| format!("{reports}/{id}/{action}");
    assert_eq!(
        app.as_user(&reporter, "POST", &at("submit"), None)
            .await
            .body["status"],
        "submitted"
    );
    assert_eq!(
        app.as_user(&reporter, "POST", &at("approve"), None)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.as_user(
            &office,
            "POST",
            &at("return"),
            Some(json!({ "reason": "" }))
        )
        .await
        .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let returned = app
        .as_user(
            &office,
            "POST",
            &at("return"),
            Some(json!({ "reason": "请附施工日志" })),
        )
        .await;
    assert_eq!(returned.body["status"], "returned");
    assert_eq!(returned.body["return_reason"], "请附施工日志");
    // Resubmitted; approved by the plan office; then locked.
    assert_eq!(
        app.as_user(&reporter, "POST", &at("submit"), None)
            .await
            .body["status"],
        "submitted"
    );
    let approved = app.as_user(&office2, "POST", &at("approve"), None).await;
    assert_eq!(approved.body["status"], "approved", "{}", approved.body);
    assert!(approved.body["approved_by"].as_i64().is_some());
    let locked = app
        .as_user(
            &reporter,
            "POST",
            reports,
            Some(form(prev_cum + month, progress)),
        )
        .await;
    assert_eq!(locked.status, StatusCode::CONFLICT);
    // Amending takes the plan office and a reason, and keeps the old values.
    let mut amended = form(prev_cum + month + 100, progress);
    amended["investment_month"] = json!(wan(month + 100));
    amended["reason"] = json!("审计核增");
    assert_eq!(
        app.as_user(&reporter, "POST", &at("amend"), Some(amended.clone()))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let mut no_reason = amended.clone();
    no_reason["reason"] = json!("");
    assert_eq!(
        app.as_user(&office, "POST", &at("amend"), Some(no_reason))
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let done = app
        .as_user(&office, "POST", &at("amend"), Some(amended))
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let full = app
        .as_user(&office, "GET", &format!("{reports}/{id}"), None)
        .await;
    let amendment = &full.body["amendments"][0];
    assert_eq!(amendment["reason"], "审计核增");
    assert_eq!(
        amendment["old_values"]["investment_cumulative"],
        xiancheng_core::Money::from_yuan(prev_cum + month).format_wan()
    );
    let actions: Vec<&str> = full.body["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "report.save",
            "report.submit",
            "report.return",
            "report.submit",
            "report.approve",
            "report.amend"
        ]
    );
    // The chain is intact after all that.
    assert!(app.store.verify_audit().await.unwrap().problems.is_empty());
}

#[tokio::test]
async fn the_plan_office_cannot_approve_its_own_submission() {
    let app = Dispatch::new().await;
    let office = app.token("office").await;
    let (project, previous) = app.housing_project_with_draft().await;
    let cum = previous["cumulative_yuan"].as_i64().unwrap();
    let body = json!({ "kind": "project", "subject_id": project, "period": "2026-10", "investment_month": "0", "investment_cumulative": wan(cum), "progress": format!("{:.2}", previous["progress"].as_f64().unwrap()), "narrative": "本月停工" });
    let saved = app
        .as_user(
            &office,
            "POST",
            "/api/v1/counties/211122/reports",
            Some(body),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let id = saved.body["id"].as_i64().unwrap();
    app.as_user(
        &office,
        "POST",
        &format!("/api/v1/counties/211122/reports/{id}/submit"),
        None,
    )
    .await;
    let r = app
        .as_user(
            &office,
            "POST",
            &format!("/api/v1/counties/211122/reports/{id}/approve"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(
        r.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("自己提交")
    );
}

#[tokio::test]
async fn who_has_not_reported_by_department_and_township() {
    let app = Dispatch::new().await;
    let office = app.token("office").await;
    let r = app
        .as_user(
            &office,
            "GET",
            "/api/v1/counties/211122/reports/status?period=2026-10",
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body["needing_attention"].as_u64().unwrap() > 0);
    assert_eq!(r.body["due"], "2026-11-10");
    let departments = r.body["by_department"].as_array().unwrap();
    assert!(departments.iter().any(|d| d["name"] == "县住建局"));
    let total: u64 = departments
        .iter()
        .map(|d| d["missing"].as_u64().unwrap())
        .sum();
    assert_eq!(total, r.body["needing_attention"].as_u64().unwrap());
    assert!(!r.body["by_township"].as_array().unwrap().is_empty());
    assert_eq!(
        app.as_user(
            &office,
            "GET",
            "/api/v1/counties/211122/reports/status",
            None
        )
        .await
        .status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn analysis_routes_answer_and_refuse_bad_parameters() {
    let app = Dispatch::new().await;
    let leader = app.token("leader").await;
    for by in [
        "category",
        "area",
        "task",
        "department",
        "channel",
        "township",
        "stage",
        "county",
    ] {
        let r = app
            .as_user(
                &leader,
                "GET",
                &format!("/api/v1/counties/211122/rollups?by={by}&period=2026-10"),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{by}");
        assert!(!r.body["rows"].as_array().unwrap().is_empty(), "{by}");
    }
    let ev = app
        .as_user(
            &leader,
            "GET",
            "/api/v1/counties/211122/earned-value?period=2026-10",
            None,
        )
        .await;
    assert!(ev.body["total"]["spi"].as_f64().is_some());
    let one = ev.body["projects"][0]["project_id"].as_i64().unwrap();
    let single = app
        .as_user(
            &leader,
            "GET",
            &format!("/api/v1/counties/211122/earned-value?period=2026-10&project={one}"),
            None,
        )
        .await;
    assert_eq!(single.body["projects"].as_array().unwrap().len(), 1);
    let w = app
        .as_user(
            &leader,
            "GET",
            "/api/v1/counties/211122/warnings?period=2026-10",
            None,
        )
        .await;
    assert!(w.body["red"].as_u64().unwrap() > 0 && w.body["yellow"].as_u64().unwrap() > 0);
    let first = &w.body["warnings"][0];
    for key in ["level", "rule", "subject", "department", "reason"] {
        assert!(!first[key].is_null(), "{key}");
    }
    let i = app
        .as_user(
            &leader,
            "GET",
            "/api/v1/counties/211122/indicators?period=2026-10",
            None,
        )
        .await;
    assert!(
        i.body["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["progress"]["category"] == "deterioration")
    );
    for uri in [
        "/api/v1/counties/211122/rollups?by=price&period=2026-10",
        "/api/v1/counties/211122/rollups?by=stage&period=2026-13",
        "/api/v1/counties/211122/warnings",
        "/api/v1/counties/211122/earned-value?period=2026-10&project=abc",
    ] {
        assert_eq!(
            app.as_user(&leader, "GET", uri, None).await.status,
            StatusCode::BAD_REQUEST,
            "{uri}"
        );
    }
}

#[tokio::test]
async fn permission_matrix_over_the_dispatch_routes() {
    let app = Dispatch::new().await;
    let routes = [
        "/api/v1/counties/211122/reports/status?period=2026-10",
        "/api/v1/counties/211122/rollups?by=category&period=2026-10",
        "/api/v1/counties/211122/earned-value?period=2026-10",
        "/api/v1/counties/211122/warnings?period=2026-10",
        "/api/v1/counties/211122/indicators?period=2026-10",
        "/api/v1/counties/211122/history/county/1",
    ];
    let mut tokens = vec![("anonymous", None)];
    for user in ["office", "zjj", "leader", "panjin", "beijing", "root"] {
        tokens.push((user, Some(app.token(user).await)));
    }
    for route in routes {
        for (user, token) in &tokens {
            let reply = match token {
                Some(t) => app.as_user(t, "GET", route, None).await,
                None => app.call("GET", route, &[], None).await,
            };
            let expected = match *user {
                "anonymous" => StatusCode::UNAUTHORIZED,
                "beijing" => StatusCode::FORBIDDEN,
                // A reporter sees the history of its own projects and tasks only.
                "zjj" if route.contains("/history/") => StatusCode::FORBIDDEN,
                _ => StatusCode::OK,
            };
            assert_eq!(reply.status, expected, "{user} GET {route}: {}", reply.body);
        }
    }
    // A reporter sees only its department's subjects.
    let zjj = &tokens
        .iter()
        .find(|(u, _)| *u == "zjj")
        .unwrap()
        .1
        .clone()
        .unwrap();
    let w = app
        .as_user(
            zjj,
            "GET",
            "/api/v1/counties/211122/warnings?period=2026-10",
            None,
        )
        .await;
    let projects: Vec<&str> = w.body["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["subject"]["kind"] == "project")
        .filter_map(|x| x["department"]["name"].as_str())
        .collect();
    assert!(
        !projects.is_empty() && projects.iter().all(|n| *n == "县住建局"),
        "{projects:?}"
    );
    // Anonymous writes are refused too.
    let r = app
        .call(
            "POST",
            "/api/v1/counties/211122/reports",
            &[],
            Some(json!({ "kind": "project", "subject_id": 1 })),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn every_api_route_is_in_the_openapi_document() {
    let app = Dispatch::new().await;
    let doc = app
        .call("GET", "/api/v1/openapi.json", &[], None)
        .await
        .body;
    assert_eq!(doc["openapi"], "3.1.0");
    let source = include_str!("../../src/lib.rs");
    for line in source
        .lines()
        .filter(|l| l.contains(".route(\"/api/v1") || l.contains(".route(\"/healthz"))
    {
        let path = line.split('"').nth(1).unwrap();
        if path == "/api/v1/openapi.json" {
            continue;
        }
        assert!(doc["paths"].get(path).is_some(), "{path} is not documented");
    }
}

#[tokio::test]
async fn reports_for_subjects_not_expected_to_report_are_refused() {
    let app = Dispatch::new().await;
    let office = app.token("office").await;
    let county = app.store.counties().await.unwrap()[0].id;
    let ds = app.store.county_dataset(county).await.unwrap();
    let idea = ds
        .projects
        .iter()
        .find(|p| p.stage == xiancheng_core::enums::Stage::Conceived)
        .unwrap();
    let body = json!({ "kind": "project", "subject_id": idea.id.0, "period": "2026-10", "investment_month": "0", "investment_cumulative": "0", "progress": "0", "narrative": "谋划中" });
    let r = app
        .as_user(
            &office,
            "POST",
            "/api/v1/counties/211122/reports",
            Some(body),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.body["error"]["fields"][0]["field"], "period");
    assert!(
        r.body["error"]["fields"][0]["expected"]
            .as_str()
            .unwrap()
            .contains("无需报送")
    );
    let unknown = json!({ "kind": "project", "subject_id": 99_999_999, "period": "2026-10", "investment_month": "0", "investment_cumulative": "0", "progress": "0" });
    assert_eq!(
        app.as_user(
            &office,
            "POST",
            "/api/v1/counties/211122/reports",
            Some(unknown)
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_task_report_is_filed_by_a_co_responsible_department() {
    let app = Dispatch::new().await;
    let county = app.store.counties().await.unwrap()[0].id;
    let ds = app.store.county_dataset(county).await.unwrap();
    let housing = ds
        .departments
        .iter()
        .find(|d| d.short_name == "县住建局")
        .unwrap()
        .id;
    let task = ds
        .tasks
        .iter()
        .find(|t| {
            t.cadence == xiancheng_core::enums::Cadence::Monthly
                && t.progress_mode == xiancheng_core::enums::ProgressMode::Entered
                && (t.lead == housing || t.co.contains(&housing))
        })
        .or_else(|| {
            ds.tasks.iter().find(|t| {
                t.cadence == xiancheng_core::enums::Cadence::Monthly
                    && t.progress_mode != xiancheng_core::enums::ProgressMode::Excluded
                    && (t.lead == housing || t.co.contains(&housing))
            })
        })
        .expect("a monthly task 县住建局 answers for");
    let reporter = app.token("zjj").await;
    let body = json!({ "kind": "task", "subject_id": task.id.0, "period": "2026-11", "narrative": "完成年度节点的招标准备", "progress": "" });
    let r = app
        .as_user(
            &reporter,
            "POST",
            "/api/v1/counties/211122/reports",
            Some(body.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["kind"], "task");
    let mut empty = body;
    empty["narrative"] = json!("");
    empty["period"] = json!("2026-12");
    let r = app
        .as_user(
            &reporter,
            "POST",
            "/api/v1/counties/211122/reports",
            Some(empty),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.body["error"]["fields"][0]["field"], "narrative");
}

#[tokio::test]
async fn a_reporter_sees_other_departments_projects_only_as_the_public_does() {
    let app = Dispatch::new().await;
    let (project, _) = app.housing_project_with_draft().await;
    let uri = format!("/api/v1/counties/211122/projects/{project}");
    let own = app
        .as_user(&app.token("zjj").await, "GET", &uri, None)
        .await;
    assert_eq!(own.body["internal"], true);
    let other = app
        .as_user(&app.token("jyj").await, "GET", &uri, None)
        .await;
    assert_eq!(other.body["internal"], false);
    assert!(other.body["risks"].as_array().unwrap().is_empty());
    assert!(
        other.body["reports"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["status"]["code"] == "approved")
    );
    let outsider = app
        .as_user(&app.token("beijing").await, "GET", &uri, None)
        .await;
    assert_eq!(outsider.body["internal"], false);
}

/// A browser: form posts with cookies, answers as status, headers and text.
async fn browse(
    app: &Dispatch,
    method: &str,
    uri: &str,
    cookies: &str,
    form: Option<&[(&str, &str)]>,
) -> (StatusCode, axum::http::HeaderMap, String) {
    let mut request = Request::builder().method(method).uri(uri);
    if !cookies.is_empty() {
        request = request.header("cookie", cookies);
    }
    let request = match form {
        Some(fields) => {
            let body: Vec<String> = fields
                .iter()
                .map(|(k, v)| format!("{k}={}", urlencode(v)))
                .collect();
            request
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body.join("&")))
                .unwrap()
        }
        None => request.body(Body::empty()).unwrap(),
    };
    let response = app.router.clone().oneshot(request).await.unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        headers,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn cookie_named(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap().to_owned())
}

fn hidden(body: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = body
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} in {body}"))
        + marker.len();
    body[start..].split('"').next().unwrap().to_owned()
}

/// Logs in through the form; returns the session cookie.
async fn form_login(app: &Dispatch, username: &str) -> String {
    let (status, headers, body) = browse(app, "GET", "/login", "", None).await;
    assert_eq!(status, StatusCode::OK);
    let pre = cookie_named(&headers, "xc_login_csrf").unwrap();
    let csrf = hidden(&body, "csrf");
    let (status, headers, _) = browse(
        app,
        "POST",
        "/login",
        &pre,
        Some(&[
            ("csrf", &csrf),
            ("username", username),
            ("password", PASSWORD),
        ]),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{username}");
    cookie_named(&headers, "xc_session").unwrap()
}

#[tokio::test]
async fn the_workbench_forms_carry_a_report_through_return_and_approval() {
    let app = Dispatch::new().await;
    // Anonymous visitors are sent to the login page; the login form needs its token.
    let (status, headers, _) = browse(&app, "GET", "/counties/211122/workbench", "", None).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers.get("location").unwrap(), "/login");
    let (status, _, body) = browse(
        &app,
        "POST",
        "/login",
        "",
        Some(&[
            ("csrf", "forged"),
            ("username", "zjj"),
            ("password", PASSWORD),
        ]),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("已过期"));

    let reporter = form_login(&app, "zjj").await;
    let (project, previous) = app.housing_project_with_draft().await;
    let (status, _, month) = browse(
        &app,
        "GET",
        "/counties/211122/workbench?period=2026-10",
        &reporter,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{month}");
    assert!(
        month.contains(&format!("subject={project}")),
        "the draft is listed"
    );
    let form_uri =
        format!("/counties/211122/report-form?kind=project&subject={project}&period=2026-10");
    let (status, _, form) = browse(&app, "GET", &form_uri, &reporter, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("上期已审核数据"));
    let csrf = hidden(&form, "csrf");
    let prev = previous["cumulative_yuan"].as_i64().unwrap();
    let progress = format!("{:.2}", previous["progress"].as_f64().unwrap() + 0.5);
    let fields = |cumulative: String, action: &'static str, csrf: String| {
        vec![
            ("csrf", csrf),
            ("kind", "project".to_owned()),
            ("subject", project.to_string()),
            ("period", "2026-10".to_owned()),
            ("investment_month", "10".to_owned()),
            ("investment_cumulative", cumulative),
            ("progress", progress.clone()),
            ("narrative", "<b>主体施工</b>".to_owned()),
            ("problems", String::new()),
            ("next_steps", String::new()),
            ("action", action.to_owned()),
        ]
    };
    let (app_ref, reporter_ref) = (&app, &reporter);
    let post = |v: Vec<(&'static str, String)>| async move {
        let refs: Vec<(&str, &str)> = v.iter().map(|(k, x)| (*k, x.as_str())).collect();
        browse(
            app_ref,
            "POST",
            "/counties/211122/report-form",
            reporter_ref,
            Some(&refs),
        )
        .await
    };
    // A wrong cumulative comes back at its field, with the input kept and escaped.
    let (status, _, page) = post(fields("1".into(), "submit", csrf.clone())).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("investment_cumulative-error")
            && page.contains("&lt;b&gt;主体施工")
            && !page.contains("<b>主体施工"),
        "{page}"
    );
    // No token, no change.
    let (status, _, _) = post(fields(
        format!("{}", (prev + 100_000) as f64 / 10_000.0),
        "submit",
        "nope".into(),
    ))
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let right = format!(
        "{}.{:04}",
        (prev + 100_000) / 10_000,
        (prev + 100_000) % 10_000
    );
    let (status, headers, _) = post(fields(right.clone(), "submit", csrf.clone())).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        headers
            .get("location")
            .unwrap()
            .to_str()
            .unwrap()
            .contains("/workbench")
    );

    // The plan office returns it with a reason from the queue; a reason is required.
    let office = form_login(&app, "office").await;
    let (status, _, queue) = browse(&app, "GET", "/counties/211122/queue", &office, None).await;
    assert_eq!(status, StatusCode::OK);
    let office_csrf = hidden(&queue, "csrf");
    let county = app.store.counties().await.unwrap()[0].id;
    let report = app
        .store
        .project_reports(county, Some(xiancheng_core::ids::ProjectId(project)))
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.period.to_string() == "2026-10")
        .unwrap();
    assert_eq!(report.status, ReportStatus::Submitted);
    let decide = format!("/counties/211122/queue/{}", report.id);
    let (status, _, _) = browse(
        &app,
        "POST",
        &decide,
        &office,
        Some(&[
            ("csrf", &office_csrf),
            ("decision", "return"),
            ("reason", ""),
        ]),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _, _) = browse(
        &app,
        "POST",
        &decide,
        &office,
        Some(&[
            ("csrf", &office_csrf),
            ("decision", "return"),
            ("reason", "请补充监理月报"),
        ]),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    // The reporter sees why, resubmits; the office approves; a reporter cannot use the queue.
    let (_, _, month) = browse(
        &app,
        "GET",
        "/counties/211122/workbench?period=2026-10",
        &reporter,
        None,
    )
    .await;
    assert!(month.contains("请补充监理月报"));
    let (status, _, _) = post(fields(right, "submit", csrf)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, _) = browse(&app, "GET", "/counties/211122/queue", &reporter, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = browse(
        &app,
        "POST",
        &decide,
        &office,
        Some(&[("csrf", &office_csrf), ("decision", "approve")]),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let approved = app
        .store
        .report(county, report.id.0)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(approved.status(), ReportStatus::Approved);
    // Logging out needs the token and ends the session.
    let (status, _, _) = browse(
        &app,
        "POST",
        "/logout",
        &reporter,
        Some(&[("csrf", "nope")]),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, _, month) = browse(&app, "GET", "/counties/211122/workbench", &reporter, None).await;
    let token = hidden(&month, "csrf");
    let (status, _, _) = browse(
        &app,
        "POST",
        "/logout",
        &reporter,
        Some(&[("csrf", &token)]),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, _) = browse(&app, "GET", "/counties/211122/workbench", &reporter, None).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "the session is gone");
}

#[tokio::test]
async fn each_object_has_a_history_page() {
    let app = Dispatch::new().await;
    let reporter = app.token("zjj").await;
    let (project, previous) = app.housing_project_with_draft().await;
    let cum = previous["cumulative_yuan"].as_i64().unwrap();
    let body = json!({ "kind": "project", "subject_id": project, "period": "2026-10", "investment_month": "0", "investment_cumulative": wan(cum), "progress": format!("{:.2}", previous["progress"].as_f64().unwrap()), "narrative": "<i>停工待料</i>" });
    let saved = app
        .as_user(
            &reporter,
            "POST",
            "/api/v1/counties/211122/reports",
            Some(body),
        )
        .await;
    let id = saved.body["id"].as_i64().unwrap();
    let office = form_login(&app, "office").await;
    let uri = format!("/counties/211122/history/project_report/{id}");
    let (status, _, page) = browse(&app, "GET", &uri, &office, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("report.save") && page.contains("zjj") && page.contains("narrative"));
    assert!(
        page.contains("&lt;i&gt;停工待料") && !page.contains("<i>停工待料"),
        "values are escaped"
    );
    let (status, _, _) = browse(&app, "GET", &uri, "", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let other = form_login(&app, "jyj").await;
    let (status, _, _) = browse(&app, "GET", &uri, &other, None).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "another department's report history is internal"
    );
}
