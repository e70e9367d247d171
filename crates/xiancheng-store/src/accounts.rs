//! Accounts, API tokens and browser sessions. Passwords arrive already hashed (Argon2id, in
//! the domain crate); tokens and session ids arrive as SHA-256 hashes, so the database never
//! holds a secret that works. Every change is audited, without any hash in the trail.

use crate::audit::{Change, append};
use crate::connect::Store;
use crate::error::{Result, StoreError};
use crate::sql::{Val, bind_all, int, opt_int, opt_parsed, opt_text, parsed, text};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use xiancheng_core::audit::FieldChange;
use xiancheng_core::auth::{Actor, Role};
use xiancheng_core::ids::{CountyId, DepartmentId, UserId};
use xiancheng_core::{DivisionCode, Timestamp, ValidationError, ValidationErrors};

/// A new account, as the caller assembled it.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub county: Option<CountyId>,
    pub department: Option<DepartmentId>,
    pub scope: Option<DivisionCode>,
    pub password_hash: String,
}

/// An account, without its password hash.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub county: Option<CountyId>,
    pub department: Option<DepartmentId>,
    pub scope: Option<DivisionCode>,
    pub disabled: bool,
    pub created_at: Timestamp,
}

impl User {
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: self.id.0,
            username: self.username.clone(),
            role: self.role,
            county: self.county,
            department: self.department,
            scope: self.scope,
        }
    }
}

/// An API token's public facts (the token itself is shown once, at creation).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TokenInfo {
    pub id: i64,
    pub name: String,
    pub created_at: Timestamp,
    pub expires_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
}

fn ts(r: &AnyRow, column: &str) -> Result<Timestamp> {
    parsed(r, column, Timestamp::parse)
}

fn user_from(r: &AnyRow) -> Result<User> {
    Ok(User {
        id: UserId(int(r, "id")?),
        username: text(r, "username")?,
        display_name: text(r, "display_name")?,
        role: parsed(r, "role", Role::parse)?,
        county: opt_int(r, "county_id")?.map(CountyId),
        department: opt_int(r, "department_id")?.map(DepartmentId),
        scope: opt_parsed(r, "scope_code", DivisionCode::parse)?,
        disabled: int(r, "disabled")? != 0,
        created_at: ts(r, "created_at")?,
    })
}

fn token_from(r: &AnyRow) -> Result<TokenInfo> {
    Ok(TokenInfo {
        id: int(r, "id")?,
        name: text(r, "name")?,
        created_at: ts(r, "created_at")?,
        expires_at: opt_parsed(r, "expires_at", Timestamp::parse)?,
        revoked_at: opt_parsed(r, "revoked_at", Timestamp::parse)?,
    })
}

const USERNAME_MAX: usize = 64;

impl Store {
    /// Creates an account after checking that its role has what it needs (a county for
    /// county roles, a department of that county for reporters, an area for viewers).
    pub async fn create_user(&self, new: &NewUser, by: Option<&Actor>) -> Result<User> {
        let mut e = ValidationErrors::default();
        let name = new.username.trim();
        if name.is_empty()
            || name.chars().count() > USERNAME_MAX
            || name.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            e.push(ValidationError::new(
                "username",
                name,
                format!("1 到 {USERNAME_MAX} 个字符、不含空格的用户名"),
                "a user name without spaces",
            ));
        }
        let needs_county = matches!(new.role, Role::PlanOffice | Role::Reporter | Role::Leader);
        if needs_county && new.county.is_none() {
            e.push(ValidationError::new(
                "county",
                "",
                format!(
                    "{}须属于一个县（--county 行政区划代码）",
                    new.role.label_zh()
                ),
                "a county for this role",
            ));
        }
        if new.role == Role::Reporter && new.department.is_none() {
            e.push(ValidationError::new(
                "department",
                "",
                "填报员须属于一个责任单位（--department）",
                "a department for a reporter",
            ));
        }
        if new.role == Role::Viewer && new.scope.is_none() {
            e.push(ValidationError::new(
                "scope",
                "",
                "上级查看账号须指定所辖地区代码（--scope，如 211100）",
                "an area code for a viewer",
            ));
        }
        if let (Some(county), Some(department)) = (new.county, new.department) {
            let found: i64 = bind_all(
                sqlx::query(
                    "SELECT COUNT(*) AS n FROM departments WHERE id = $1 AND county_id = $2",
                ),
                &[department.0.into(), county.0.into()],
            )
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?;
            if found == 0 {
                e.push(ValidationError::new(
                    "department",
                    department,
                    "本县的责任单位",
                    "a department of this county",
                ));
            }
        }
        e.into_result()?;
        let mut tx = self.pool.begin().await?;
        let id = Self::reserve_ids_in(&mut tx, 1).await?;
        let now = self.now();
        let result = bind_all(
            sqlx::query(
                "INSERT INTO users (id, username, display_name, role, county_id, department_id, scope_code, password_hash, disabled, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9)",
            ),
            &[
                id.into(),
                name.into(),
                new.display_name.trim().into(),
                new.role.code().into(),
                Val::Int(new.county.map(|c| c.0)),
                Val::Int(new.department.map(|d| d.0)),
                Val::Text(new.scope.map(|s| s.to_string())),
                (&new.password_hash).into(),
                now.to_string().into(),
            ],
        )
        .execute(&mut *tx)
        .await;
        if let Err(e) = result {
            return Err(match StoreError::from(e) {
                StoreError::Conflict(_) => {
                    StoreError::Conflict(format!("用户名“{name}”已存在 (user name taken)"))
                }
                other => other,
            });
        }
        let changes = vec![
            FieldChange::new("username", None, Some(name.to_owned())),
            FieldChange::new("role", None, Some(new.role.code().to_owned())),
            FieldChange::new("department_id", None, new.department.map(|d| d.to_string())),
            FieldChange::new("scope", None, new.scope.map(|s| s.to_string())),
        ];
        append(
            &mut tx,
            now,
            by,
            Change {
                action: "user.add",
                object_kind: "user",
                object_id: id,
                county_id: new.county.map(|c| c.0),
                changes,
            },
        )
        .await?;
        tx.commit().await?;
        self.user(UserId(id))
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("用户 {id}")))
    }

    pub async fn user(&self, id: UserId) -> Result<Option<User>> {
        let rows = bind_all(
            sqlx::query("SELECT * FROM users WHERE id = $1"),
            &[id.0.into()],
        )
        .fetch_all(&self.pool)
        .await?;
        rows.first().map(user_from).transpose()
    }

    pub async fn users(&self) -> Result<Vec<User>> {
        sqlx::query("SELECT * FROM users ORDER BY username")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(user_from)
            .collect()
    }

    /// The account and its password hash, for logging in.
    pub async fn user_for_login(&self, username: &str) -> Result<Option<(User, String)>> {
        let rows = bind_all(
            sqlx::query("SELECT * FROM users WHERE username = $1"),
            &[username.trim().into()],
        )
        .fetch_all(&self.pool)
        .await?;
        match rows.first() {
            Some(r) => Ok(Some((user_from(r)?, text(r, "password_hash")?))),
            None => Ok(None),
        }
    }

    /// Disables or re-enables an account; a disabled account's tokens and sessions stop working.
    pub async fn set_user_disabled(
        &self,
        username: &str,
        disabled: bool,
        by: Option<&Actor>,
    ) -> Result<User> {
        let (user, _) = self
            .user_for_login(username)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("用户“{username}”")))?;
        let mut tx = self.pool.begin().await?;
        bind_all(
            sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2"),
            &[i64::from(disabled).into(), user.id.0.into()],
        )
        .execute(&mut *tx)
        .await?;
        if disabled {
            bind_all(
                sqlx::query("DELETE FROM sessions WHERE user_id = $1"),
                &[user.id.0.into()],
            )
            .execute(&mut *tx)
            .await?;
        }
        let change = FieldChange::new(
            "disabled",
            Some(user.disabled.to_string()),
            Some(disabled.to_string()),
        );
        append(
            &mut tx,
            self.now(),
            by,
            Change {
                action: if disabled {
                    "user.disable"
                } else {
                    "user.enable"
                },
                object_kind: "user",
                object_id: user.id.0,
                county_id: user.county.map(|c| c.0),
                changes: vec![change],
            },
        )
        .await?;
        tx.commit().await?;
        self.user(user.id)
            .await?
            .ok_or_else(|| StoreError::NotFound(username.to_owned()))
    }

    /// Replaces a password hash; ends the user's sessions.
    pub async fn set_password(
        &self,
        user: UserId,
        password_hash: &str,
        by: Option<&Actor>,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        bind_all(
            sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2"),
            &[password_hash.into(), user.0.into()],
        )
        .execute(&mut *tx)
        .await?;
        bind_all(
            sqlx::query("DELETE FROM sessions WHERE user_id = $1"),
            &[user.0.into()],
        )
        .execute(&mut *tx)
        .await?;
        append(
            &mut tx,
            self.now(),
            by,
            Change {
                action: "user.password",
                object_kind: "user",
                object_id: user.0,
                county_id: None,
                changes: vec![FieldChange::new(
                    "password",
                    Some("***".into()),
                    Some("***".into()),
                )],
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records a new API token (given as its SHA-256 hash).
    pub async fn create_token(
        &self,
        user: &Actor,
        name: &str,
        token_hash: &str,
        expires_at: Option<Timestamp>,
    ) -> Result<TokenInfo> {
        let mut tx = self.pool.begin().await?;
        let id = Self::reserve_ids_in(&mut tx, 1).await?;
        let now = self.now();
        bind_all(
            sqlx::query("INSERT INTO api_tokens (id, user_id, name, token_hash, created_at, expires_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, NULL)"),
            &[id.into(), user.user_id.into(), name.trim().into(), token_hash.into(), now.to_string().into(), Val::Text(expires_at.map(|t| t.to_string()))],
        )
        .execute(&mut *tx)
        .await?;
        append(
            &mut tx,
            now,
            Some(user),
            Change {
                action: "token.create",
                object_kind: "api_token",
                object_id: id,
                county_id: user.county.map(|c| c.0),
                changes: vec![FieldChange::new("name", None, Some(name.trim().to_owned()))],
            },
        )
        .await?;
        tx.commit().await?;
        Ok(TokenInfo {
            id,
            name: name.trim().to_owned(),
            created_at: now,
            expires_at,
            revoked_at: None,
        })
    }

    pub async fn tokens(&self, user: UserId) -> Result<Vec<TokenInfo>> {
        bind_all(
            sqlx::query("SELECT * FROM api_tokens WHERE user_id = $1 ORDER BY id"),
            &[user.0.into()],
        )
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(token_from)
        .collect()
    }

    /// Revokes one of the user's tokens.
    pub async fn revoke_token(&self, user: &Actor, token_id: i64) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let now = self.now();
        let done = bind_all(sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL"), &[now.to_string().into(), token_id.into(), user.user_id.into()])
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!(
                "编号为 {token_id} 的有效令牌"
            )));
        }
        append(
            &mut tx,
            now,
            Some(user),
            Change {
                action: "token.revoke",
                object_kind: "api_token",
                object_id: token_id,
                county_id: user.county.map(|c| c.0),
                changes: vec![FieldChange::new("revoked_at", None, Some(now.to_string()))],
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The account behind a valid (not revoked, not expired, account enabled) token.
    pub async fn actor_for_token(&self, token_hash: &str) -> Result<Option<Actor>> {
        let rows = bind_all(sqlx::query("SELECT u.*, t.expires_at AS token_expires, t.revoked_at AS token_revoked FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1"), &[token_hash.into()])
            .fetch_all(&self.pool)
            .await?;
        let Some(r) = rows.first() else {
            return Ok(None);
        };
        let user = user_from(r)?;
        let expired =
            opt_parsed(r, "token_expires", Timestamp::parse)?.is_some_and(|t| t <= self.now());
        let revoked = opt_text(r, "token_revoked")?.is_some();
        Ok((!user.disabled && !expired && !revoked).then(|| user.actor()))
    }

    /// Starts a browser session (given the SHA-256 of its id).
    pub async fn create_session(
        &self,
        user: &User,
        session_hash: &str,
        csrf_token: &str,
        lifetime_seconds: i64,
    ) -> Result<Timestamp> {
        let now = self.now();
        let expires = now.plus_seconds(lifetime_seconds);
        let mut tx = self.pool.begin().await?;
        bind_all(
            sqlx::query("DELETE FROM sessions WHERE expires_at <= $1"),
            &[now.to_string().into()],
        )
        .execute(&mut *tx)
        .await?;
        bind_all(
            sqlx::query("INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)"),
            &[session_hash.into(), user.id.0.into(), csrf_token.into(), now.to_string().into(), expires.to_string().into()],
        )
        .execute(&mut *tx)
        .await?;
        append(
            &mut tx,
            now,
            Some(&user.actor()),
            Change {
                action: "session.login",
                object_kind: "user",
                object_id: user.id.0,
                county_id: user.county.map(|c| c.0),
                changes: vec![],
            },
        )
        .await?;
        tx.commit().await?;
        Ok(expires)
    }

    /// The account and CSRF token of a live session.
    pub async fn session(&self, session_hash: &str) -> Result<Option<(Actor, String)>> {
        let rows = bind_all(sqlx::query("SELECT u.*, s.csrf_token, s.expires_at AS session_expires FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1"), &[session_hash.into()])
            .fetch_all(&self.pool)
            .await?;
        let Some(r) = rows.first() else {
            return Ok(None);
        };
        let user = user_from(r)?;
        let live = ts(r, "session_expires")? > self.now();
        Ok((live && !user.disabled)
            .then(|| (user.actor(), text(r, "csrf_token").unwrap_or_default())))
    }

    pub async fn delete_session(&self, session_hash: &str) -> Result<()> {
        bind_all(
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1"),
            &[session_hash.into()],
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
