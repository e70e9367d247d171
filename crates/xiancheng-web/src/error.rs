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
    /// 401: no valid token or session.
    Unauthorized(String),
    /// 403: the account may not do this.
    Forbidden(String),
    /// 404: nothing at this address.
    NotFound(String),
    /// 409: the record is not in a state that allows this.
    Conflict(String),
    /// 422: the input has problems, each at its field.
    Unprocessable(xiancheng_core::ValidationErrors),
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
            AppError::Unauthorized(m) => (StatusCode::UNAUTHORIZED, m.clone()),
            AppError::Forbidden(m) => (StatusCode::FORBIDDEN, m.clone()),
            AppError::NotFound(m) => (StatusCode::NOT_FOUND, m.clone()),
            AppError::Conflict(m) => (StatusCode::CONFLICT, m.clone()),
            AppError::Unprocessable(errors) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                errors.to_string().trim_end().to_owned(),
            ),
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
        let fields: Vec<serde_json::Value> = match &self {
            AppError::Unprocessable(errors) => errors
                .0
                .iter()
                .map(|e| serde_json::json!({ "field": e.field, "value": e.value, "expected": e.expected_zh, "expected_en": e.expected_en }))
                .collect(),
            _ => Vec::new(),
        };
        let (status, message) = self.status_and_message();
        match flavor {
            Flavor::Json => {
                let mut error =
                    serde_json::json!({ "status": status.as_u16(), "message": message });
                if !fields.is_empty() {
                    error["fields"] = serde_json::Value::Array(fields);
                }
                (status, axum::Json(serde_json::json!({ "error": error }))).into_response()
            }
            Flavor::Page => {
                let title = match status {
                    StatusCode::UNAUTHORIZED => "请先登录",
                    StatusCode::FORBIDDEN => "无权访问",
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
            StoreError::Forbidden(why) => AppError::Forbidden(why),
            StoreError::Conflict(why) => AppError::Conflict(why),
            StoreError::Invalid(errors) => AppError::Unprocessable(errors),
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
