//! The binary, run for real: commands, exit codes and messages, the server on a free port
//! answering over HTTP, and `db copy` checked record by record.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use xiancheng_store::Store;

fn xiancheng(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xiancheng"))
        .args(args)
        .env_remove("XIANCHENG_DATABASE_URL")
        .env_remove("XIANCHENG_DATA_DIR")
        .env_remove("XIANCHENG_LISTEN")
        .env("XIANCHENG_LOG", "warn")
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A URL for a new database on the backend under test.
async fn fresh_url(dir: &Path) -> String {
    let admin = std::env::var("XIANCHENG_TEST_DATABASE_URL").ok();
    xiancheng_store::testing::fresh_database_url(admin.as_deref(), dir)
        .await
        .unwrap()
}

#[tokio::test]
async fn demo_load_twice_duplicates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_url(dir.path()).await;
    let first = xiancheng(&["--database-url", &url, "demo", "load"]);
    assert!(first.status.success(), "{}", text(&first.stderr));
    assert!(text(&first.stdout).contains("盘山县"));
    let store = Store::connect(&url).await.unwrap();
    let counts = store.table_counts().await.unwrap();
    let second = xiancheng(&["--database-url", &url, "demo", "load"]);
    assert!(second.status.success());
    assert!(
        text(&second.stdout).contains("未重复载入"),
        "{}",
        text(&second.stdout)
    );
    assert_eq!(store.table_counts().await.unwrap(), counts);
}

#[tokio::test]
async fn db_copy_copies_exactly_and_refuses_a_non_empty_target() {
    let dir = tempfile::tempdir().unwrap();
    let from = format!("sqlite://{}", dir.path().join("county.sqlite").display());
    assert!(
        xiancheng(&["--database-url", &from, "demo", "load"])
            .status
            .success()
    );
    let to = fresh_url(dir.path()).await;
    let copy = xiancheng(&["db", "copy", "--from", &from, "--to", &to]);
    assert!(
        copy.status.success(),
        "{}{}",
        text(&copy.stdout),
        text(&copy.stderr)
    );
    assert!(text(&copy.stdout).contains("核对一致"));

    let (source, target) = (
        Store::connect(&from).await.unwrap(),
        Store::connect(&to).await.unwrap(),
    );
    assert_eq!(
        source.table_counts().await.unwrap(),
        target.table_counts().await.unwrap()
    );
    assert_eq!(
        source.next_id().await.unwrap(),
        target.next_id().await.unwrap()
    );
    assert_eq!(
        source.national_framework().await.unwrap(),
        target.national_framework().await.unwrap()
    );
    for county in source.counties().await.unwrap() {
        assert_eq!(
            source.county_dataset(county.id).await.unwrap(),
            target.county_dataset(county.id).await.unwrap(),
            "ids are kept"
        );
    }

    let again = xiancheng(&["db", "copy", "--from", &from, "--to", &to]);
    assert!(!again.status.success());
    assert!(
        text(&again.stderr).contains("已有县级数据"),
        "{}",
        text(&again.stderr)
    );
    assert_eq!(
        source.table_counts().await.unwrap(),
        target.table_counts().await.unwrap()
    );
}

#[test]
fn bad_database_urls_and_files_give_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = xiancheng(&["--database-url", "mysql://root:pw@localhost/x", "migrate"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("mysql") && err.contains("sqlite://") && !err.contains(":pw@"),
        "{err}"
    );

    let not_db = dir.path().join("report.docx");
    std::fs::write(&not_db, b"PK\x03\x04 this is a word document").unwrap();
    let out = xiancheng(&[
        "--database-url",
        &format!("sqlite://{}", not_db.display()),
        "demo",
        "load",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("不是 SQLite 数据库"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        std::fs::read(&not_db).unwrap(),
        b"PK\x03\x04 this is a word document"
    );

    let out = xiancheng(&[
        "--database-url",
        "postgres://app:secret@127.0.0.1:1/xiancheng",
        "migrate",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("无法连接数据库") && !err.contains("secret"),
        "{err}"
    );
}

#[test]
fn bad_flags_give_usage_errors() {
    let out = xiancheng(&[
        "--data-dir",
        "/nonexistent-xc",
        "serve",
        "--listen",
        "localhost",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("localhost"));
    let out = xiancheng(&["frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn config_default_prints_a_commented_example() {
    let out = xiancheng(&["config", "default"]);
    assert!(out.status.success());
    let text = text(&out.stdout);
    assert!(text.contains("# database_url") && text.contains("XIANCHENG_DATABASE_URL"));
}

/// Kills the server when the test ends, whatever happens.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn http_get(address: &str, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(address).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response.split(' ').nth(1).unwrap().parse().unwrap();
    (status, response)
}

#[tokio::test]
async fn serve_demo_answers_over_http() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_url(dir.path()).await;
    let mut child = Command::new(env!("CARGO_BIN_EXE_xiancheng"))
        .args([
            "--database-url",
            &url,
            "serve",
            "--demo",
            "--listen",
            "127.0.0.1:0",
        ])
        .env("XIANCHENG_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let _server = Server(child);
    let mut address = None;
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        if let Some(rest) = line.split("http://").nth(1) {
            address = Some(rest.split('/').next().unwrap().to_owned());
            break;
        }
    }
    let address = address.expect("the server prints its address");
    let (status, body) = http_get(&address, "/healthz");
    assert_eq!(status, 200, "{body}");
    let (status, body) = http_get(&address, "/api/v1/counties/211122/projects?per_page=5");
    assert_eq!(status, 200);
    assert!(body.contains("\"total\":53"), "{body}");
    let (status, body) = http_get(&address, "/counties/211122/projects");
    assert_eq!(status, 200);
    assert!(body.contains("示例数据"));
}

#[tokio::test]
async fn serve_refuses_a_schema_newer_than_the_binary() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("future.sqlite").display());
    assert!(
        xiancheng(&["--database-url", &url, "migrate"])
            .status
            .success()
    );
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&url).await.unwrap();
    sqlx::query(
        "INSERT INTO schema_migrations (version, name, checksum) VALUES (9999, 'future', 'x')",
    )
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;
    let out = xiancheng(&["--database-url", &url, "serve", "--listen", "127.0.0.1:0"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("9999"), "{}", text(&out.stderr));
}

#[tokio::test]
async fn accounts_audit_and_analysis_commands() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_url(dir.path()).await;
    assert!(
        xiancheng(&["--database-url", &url, "demo", "load"])
            .status
            .success()
    );
    let add = |args: &[&str], password: &str| {
        Command::new(env!("CARGO_BIN_EXE_xiancheng"))
            .args(["--database-url", &url, "user", "add"])
            .args(args)
            .env("XIANCHENG_PASSWORD", password)
            .env("XIANCHENG_LOG", "warn")
            .output()
            .unwrap()
    };
    let ok = add(&["--username", "root", "--role", "admin"], "Root-pass-2026");
    assert!(ok.status.success(), "{}", text(&ok.stderr));
    let ok = add(
        &[
            "--username",
            "zjj",
            "--role",
            "reporter",
            "--county",
            "211122",
            "--department",
            "县住建局",
        ],
        "Report-pass-2026",
    );
    assert!(ok.status.success(), "{}", text(&ok.stderr));
    // No weak passwords, no duplicate names, no reporter without a department.
    let weak = add(&["--username", "w", "--role", "admin"], "123");
    assert!(!weak.status.success() && text(&weak.stderr).contains("至少 10 个字符"));
    let dup = add(&["--username", "root", "--role", "admin"], "Root-pass-2026");
    assert!(!dup.status.success() && text(&dup.stderr).contains("已存在"));
    let nodept = add(
        &[
            "--username",
            "r2",
            "--role",
            "reporter",
            "--county",
            "211122",
        ],
        "Report-pass-2026",
    );
    assert!(!nodept.status.success() && text(&nodept.stderr).contains("责任单位"));
    let list = xiancheng(&["--database-url", &url, "user", "list"]);
    assert!(text(&list.stdout).contains("zjj\treporter"));
    assert!(
        xiancheng(&["--database-url", &url, "user", "disable", "zjj"])
            .status
            .success()
    );

    let warnings = xiancheng(&[
        "--database-url",
        &url,
        "warnings",
        "--period",
        "2026-10",
        "--json",
    ]);
    let parsed: serde_json::Value = serde_json::from_slice(&warnings.stdout).unwrap();
    assert!(parsed.as_array().unwrap().len() > 10);
    let rollup = xiancheng(&[
        "--database-url",
        &url,
        "rollup",
        "--by",
        "category",
        "--period",
        "2026-10",
    ]);
    assert!(
        text(&rollup.stdout).contains("医疗卫生设施"),
        "{}",
        text(&rollup.stdout)
    );
    let bad = xiancheng(&[
        "--database-url",
        &url,
        "rollup",
        "--by",
        "colour",
        "--period",
        "2026-10",
    ]);
    assert!(!bad.status.success() && text(&bad.stderr).contains("colour"));
    let status = xiancheng(&[
        "--database-url",
        &url,
        "report",
        "status",
        "--period",
        "2026-10",
        "--as-of",
        "2026-11-20",
    ]);
    assert!(
        text(&status.stdout).contains("需关注"),
        "{}",
        text(&status.stdout)
    );
    let bad_period = xiancheng(&["--database-url", &url, "warnings", "--period", "2026-13"]);
    assert!(!bad_period.status.success() && text(&bad_period.stderr).contains("2026-13"));

    // The audit trail verifies, and notices an entry edited behind the application's back.
    let verify = xiancheng(&["--database-url", &url, "audit", "verify"]);
    assert!(verify.status.success(), "{}", text(&verify.stderr));
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&url).await.unwrap();
    sqlx::query("UPDATE audit_log SET actor_name = 'nobody' WHERE seq = 2")
        .execute(&pool)
        .await
        .unwrap();
    let tampered = xiancheng(&["--database-url", &url, "audit", "verify"]);
    assert_eq!(tampered.status.code(), Some(1));
    assert!(
        text(&tampered.stderr).contains("第 2 条"),
        "{}",
        text(&tampered.stderr)
    );
    sqlx::query("DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)")
        .execute(&pool)
        .await
        .unwrap();
    let truncated = xiancheng(&["--database-url", &url, "audit", "verify"]);
    assert!(
        text(&truncated.stderr).contains("末尾记录被删除"),
        "{}",
        text(&truncated.stderr)
    );
}
