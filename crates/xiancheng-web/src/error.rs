//! One error type for every handler. Pages get a Chinese error page with the status;
//! API routes get `{"error": {"status", "message"}}`. Internal errors are logged in full
//! and shown generically.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use xiancheng_store::StoreError;

#[derive(Debug)]
pub enum AppError {
    /// 400: a path or query value is malformed; the message says which and what is expected.
    BadRequest(String),
    /// 404: nothing at this address.
    NotFound(String),
    /// 500: logged, shown as a generic message.
    Internal(String),
}

/// Whether an error should be answered as JSON (API) or as a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    Page,
    Json,
}

impl AppError {
    pub fn not_found(what: impl Into<String>) -> Self {
        AppError::NotFound(what.into())
    }

    fn status_and_message(&self) -> (StatusCode, String) {
        match self {
            AppError::BadRequest(m) => (StatusCode::BAD_REQUEST, m.clone()),
            AppError::NotFound(m) => (StatusCode::NOT_FOUND, m.clone()),
            AppError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "服务器内部错误，请稍后重试或联系管理员。".to_owned(),
                )
            }
        }
    }

    pub fn into_flavored_response(self, flavor: Flavor) -> Response {
        let (status, message) = self.status_and_message();
        match flavor {
            Flavor::Json => (status, axum::Json(serde_json::json!({ "error": { "status": status.as_u16(), "message": message } }))).into_response(),
            Flavor::Page => {
                let title = match status {
                    StatusCode::NOT_FOUND => "页面不存在",
                    StatusCode::BAD_REQUEST => "请求有误",
                    _ => "出错了",
                };
                let body = format!(
                    "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title} · 县城城镇化建设</title><link rel=\"stylesheet\" href=\"/static/site.css\"></head><body><main class=\"page\"><h1>{title}</h1><p class=\"error-message\">{}</p><p><a href=\"/\">返回首页</a></p></main></body></html>",
                    crate::render::escape(&message)
                );
                (status, Html(body)).into_response()
            }
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => AppError::NotFound(format!("未找到{what}")),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<minijinja::Error> for AppError {
    fn from(e: minijinja::Error) -> Self {
        AppError::Internal(format!("template {}: {e}", e.name().unwrap_or("?")))
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        self.into_flavored_response(Flavor::Page)
    }
}
