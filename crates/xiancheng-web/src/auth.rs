//! Authentication for the API and pages: bearer tokens (`Authorization: Bearer …`) and
//! browser sessions (an HttpOnly, SameSite cookie, with a CSRF token required on every
//! request that changes something). Secrets are random from the operating system; the store
//! only ever sees their SHA-256. Failed logins are answered ever more slowly.

use crate::AppState;
use crate::error::{AppError, Flavor};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Method, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;
use xiancheng_core::auth::Actor;

pub const SESSION_COOKIE: &str = "xc_session";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// How sessions and logins behave; defaults suit a county server.
#[derive(Debug, Clone)]
pub struct AuthSettings {
    /// Mark cookies `Secure` (when served over HTTPS).
    pub secure_cookies: bool,
    /// Session lifetime in seconds. Default 8 hours.
    pub session_seconds: i64,
    /// The first delay after a failed login; it doubles with each further failure, up to
    /// `max_login_delay`. Default 500 ms.
    pub login_delay: Duration,
    pub max_login_delay: Duration,
}

impl Default for AuthSettings {
    fn default() -> Self {
        AuthSettings {
            secure_cookies: false,
            session_seconds: 8 * 3600,
            login_delay: Duration::from_millis(500),
            max_login_delay: Duration::from_secs(8),
        }
    }
}

/// Failed logins per user name since the last success.
#[derive(Debug, Default)]
pub struct LoginThrottle(Mutex<HashMap<String, u32>>);

impl LoginThrottle {
    pub fn failures(&self, username: &str) -> u32 {
        self.0
            .lock()
            .map(|m| m.get(username).copied().unwrap_or(0))
            .unwrap_or(0)
    }

    pub fn fail(&self, username: &str) {
        if let Ok(mut m) = self.0.lock() {
            // Bounded, so a flood of made-up names cannot grow it without end; forgetting
            // the counts only resets delays, it never lets a password through.
            if m.len() >= 10_000 && !m.contains_key(username) {
                m.clear();
            }
            *m.entry(username.to_owned()).or_default() += 1;
        }
    }

    pub fn succeed(&self, username: &str) {
        if let Ok(mut m) = self.0.lock() {
            m.remove(username);
        }
    }

    /// The delay before answering the next attempt for `username`.
    pub fn delay(&self, username: &str, settings: &AuthSettings) -> Duration {
        match self.failures(username) {
            0 => Duration::ZERO,
            n => settings
                .login_delay
                .saturating_mul(1 << (n - 1).min(16))
                .min(settings.max_login_delay),
        }
    }
}

pub fn sha256_hex(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// 32 random bytes from the operating system, hex-encoded.
pub fn random_secret() -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(format!("getrandom: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

pub fn random_salt() -> Result<[u8; 16], AppError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| AppError::Internal(format!("getrandom: {e}")))?;
    Ok(salt)
}

fn cookie(parts: &Parts, name: &str) -> Option<String> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            let (k, v) = pair.trim().split_once('=')?;
            (k == name).then(|| v.to_owned())
        })
}

/// The session cookie to set (or, with `None`, to clear).
pub fn session_cookie(value: Option<&str>, settings: &AuthSettings) -> String {
    let secure = if settings.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    match value {
        Some(v) => format!(
            "{SESSION_COOKIE}={v}; HttpOnly; SameSite=Lax; Path=/; Max-Age={}{secure}",
            settings.session_seconds
        ),
        None => format!("{SESSION_COOKIE}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0{secure}"),
    }
}

/// Resolves the request's account, if any. A session cookie on a request that changes
/// something must come with the session's CSRF token.
pub async fn actor_of(parts: &Parts, state: &AppState) -> Result<Option<Actor>, AppError> {
    if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .unwrap_or_default();
        return match state.store.actor_for_token(&sha256_hex(token)).await? {
            Some(actor) => Ok(Some(actor)),
            None => Err(AppError::Unauthorized(
                "API 令牌无效、已撤销或已过期 (invalid, revoked or expired token)".into(),
            )),
        };
    }
    let Some(session) = cookie(parts, SESSION_COOKIE) else {
        return Ok(None);
    };
    let Some((actor, csrf)) = state.store.session(&sha256_hex(&session)).await? else {
        return Err(AppError::Unauthorized(
            "会话已过期，请重新登录 (session expired)".into(),
        ));
    };
    let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe {
        let sent = parts
            .headers
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        if sent.is_empty() || sent != csrf {
            return Err(AppError::Forbidden(
                "缺少或错误的 CSRF 令牌（请求头 X-CSRF-Token）(missing or wrong CSRF token)".into(),
            ));
        }
    }
    Ok(Some(actor))
}

/// An API request from a known account; otherwise 401 (or 403 on a CSRF failure), as JSON.
#[derive(Debug, Clone)]
pub struct ApiActor(pub Actor);

impl FromRequestParts<AppState> for ApiActor {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match actor_of(parts, state).await {
            Ok(Some(actor)) => Ok(ApiActor(actor)),
            Ok(None) => Err(AppError::Unauthorized(
                "需要登录或 API 令牌 (login or API token required)".into(),
            )
            .into_flavored_response(Flavor::Json)),
            Err(e) => Err(e.into_flavored_response(Flavor::Json)),
        }
    }
}

/// A page request from a known account; otherwise a Chinese 401 page.
#[derive(Debug, Clone)]
pub struct PageActor(pub Actor);

impl FromRequestParts<AppState> for PageActor {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match actor_of(parts, state).await {
            Ok(Some(actor)) => Ok(PageActor(actor)),
            Ok(None) => {
                Err(AppError::Unauthorized("此页面仅限登录用户查看。".into()).into_response())
            }
            Err(e) => Err(e.into_response()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_delay_doubles_and_is_capped() {
        let settings = AuthSettings::default();
        let t = LoginThrottle::default();
        assert_eq!(t.delay("u", &settings), Duration::ZERO);
        t.fail("u");
        assert_eq!(t.delay("u", &settings), Duration::from_millis(500));
        t.fail("u");
        assert_eq!(t.delay("u", &settings), Duration::from_secs(1));
        for _ in 0..20 {
            t.fail("u");
        }
        assert_eq!(t.delay("u", &settings), Duration::from_secs(8));
        t.succeed("u");
        assert_eq!(t.delay("u", &settings), Duration::ZERO);
    }

    #[test]
    fn cookies_are_http_only_and_same_site() {
        let c = session_cookie(
            Some("abc"),
            &AuthSettings {
                secure_cookies: true,
                ..Default::default()
            },
        );
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.contains("Secure"));
    }
}

/// The request's account if it has a valid one; anything else (none, expired, invalid)
/// counts as the public. For pages and routes that serve both, showing more to accounts.
#[derive(Debug, Clone)]
pub struct MaybeActor(pub Option<Actor>);

impl FromRequestParts<AppState> for MaybeActor {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(MaybeActor(actor_of(parts, state).await.ok().flatten()))
    }
}

/// A browser session's account and its CSRF token, for form posts: the handler compares the
/// form's `csrf` field with the token (forms cannot set the header the API uses).
#[derive(Debug, Clone)]
pub struct SessionActor {
    pub actor: Actor,
    pub csrf: String,
}

impl FromRequestParts<AppState> for SessionActor {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let session = cookie(parts, SESSION_COOKIE).ok_or_else(crate::workbench::to_login)?;
        match state.store.session(&sha256_hex(&session)).await {
            Ok(Some((actor, csrf))) => Ok(SessionActor { actor, csrf }),
            Ok(None) => Err(crate::workbench::to_login()),
            Err(e) => Err(AppError::from(e).into_response()),
        }
    }
}

/// Constant-time comparison of two secrets.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The pre-login CSRF cookie (double-submit) for the login form.
pub const LOGIN_CSRF_COOKIE: &str = "xc_login_csrf";

pub fn login_csrf_of(parts_headers: &axum::http::HeaderMap) -> Option<String> {
    parts_headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            let (k, v) = pair.trim().split_once('=')?;
            (k == LOGIN_CSRF_COOKIE).then(|| v.to_owned())
        })
}
