//! Who may do what. Roles, the acting user, the permission rules, and password hashing
//! (Argon2id). Randomness (salts, tokens) comes from the caller, so this stays pure.

use crate::codes::DivisionCode;
use crate::error::ValidationError;
use crate::ids::{CountyId, DepartmentId};
use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use serde::{Deserialize, Serialize};

/// The roles of the dispatch (DOMAIN §8). The public, without an account, has no role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// System administrator: manages accounts everywhere; reads everything.
    Admin,
    /// Plan office (县发改局): runs the county's dispatch, approves, amends.
    PlanOffice,
    /// Department reporter (责任单位): reports on its department's tasks and projects only.
    Reporter,
    /// Leader (领导): reads everything in the county.
    Leader,
    /// Higher-level viewer (市/省发改委): reads every county under a city or province code.
    Viewer,
}

impl Role {
    pub const ALL: &'static [Role] = &[
        Role::Admin,
        Role::PlanOffice,
        Role::Reporter,
        Role::Leader,
        Role::Viewer,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::PlanOffice => "plan_office",
            Role::Reporter => "reporter",
            Role::Leader => "leader",
            Role::Viewer => "viewer",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Role::Admin => "系统管理员",
            Role::PlanOffice => "县发改局（方案办）",
            Role::Reporter => "责任单位填报员",
            Role::Leader => "县领导",
            Role::Viewer => "上级查看",
        }
    }

    pub fn parse(field: &str, input: &str) -> Result<Role, ValidationError> {
        Role::ALL
            .iter()
            .copied()
            .find(|r| r.code() == input.trim() || r.label_zh() == input.trim())
            .ok_or_else(|| {
                let codes: Vec<&str> = Role::ALL.iter().map(|r| r.code()).collect();
                ValidationError::new(
                    field,
                    input,
                    format!("角色之一：{}", codes.join("、")),
                    format!("one of {}", codes.join(", ")),
                )
            })
    }
}

/// The user behind a request or a command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Actor {
    pub user_id: i64,
    pub username: String,
    pub role: Role,
    /// The county of plan-office, reporter and leader accounts.
    pub county: Option<CountyId>,
    /// The department of a reporter.
    pub department: Option<DepartmentId>,
    /// The area a higher-level viewer sees (a city or province code).
    pub scope: Option<DivisionCode>,
}

impl Actor {
    /// Whether the actor may read the county's internal data.
    pub fn can_read_county(&self, county: CountyId, code: DivisionCode) -> bool {
        match self.role {
            Role::Admin => true,
            Role::PlanOffice | Role::Leader | Role::Reporter => self.county == Some(county),
            Role::Viewer => self.scope.is_some_and(|area| code.is_within(area)),
        }
    }

    /// Whether the actor may read or report on something its department answers for
    /// (`lead` and `co` are the responsible departments).
    pub fn answers_for(&self, county: CountyId, lead: DepartmentId, co: &[DepartmentId]) -> bool {
        match self.role {
            Role::PlanOffice => self.county == Some(county),
            Role::Reporter => {
                self.county == Some(county)
                    && self
                        .department
                        .is_some_and(|d| d == lead || co.contains(&d))
            }
            _ => false,
        }
    }

    /// Whether the actor may approve, return or amend reports of the county.
    pub fn runs_dispatch(&self, county: CountyId) -> bool {
        self.role == Role::PlanOffice && self.county == Some(county)
    }
}

/// Hashes a password with Argon2id (the crate's defaults: 19 MiB, 2 passes) and a 16-byte
/// random salt the caller provides. Returns the PHC string.
pub fn hash_password(password: &str, salt: &[u8; 16]) -> Result<String, String> {
    Argon2::default()
        .hash_password_with_salt(password.as_bytes(), salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// Checks a password against a PHC string; any malformed hash counts as a mismatch.
pub fn verify_password(password: &str, phc: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), phc)
        .is_ok()
}

/// Refuses passwords a county office should not use.
pub fn check_password_strength(field: &str, password: &str) -> Result<(), ValidationError> {
    let long_enough = password.chars().count() >= 10;
    let kinds = [
        password.chars().any(|c| c.is_ascii_lowercase()),
        password.chars().any(|c| c.is_ascii_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_ascii_alphanumeric()),
    ]
    .iter()
    .filter(|k| **k)
    .count();
    if long_enough && kinds >= 2 {
        Ok(())
    } else {
        Err(ValidationError::new(
            field,
            "（已隐藏）",
            "至少 10 个字符，且包含字母、数字、符号中的两类",
            "at least 10 characters of at least two kinds (letters, digits, symbols)",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let phc = hash_password("盘山县发改局2026!", &[7; 16]).unwrap();
        assert!(phc.starts_with("$argon2id$"));
        assert!(verify_password("盘山县发改局2026!", &phc));
        assert!(!verify_password("wrong", &phc));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn reporters_answer_only_for_their_department() {
        let reporter = Actor {
            user_id: 1,
            username: "r".into(),
            role: Role::Reporter,
            county: Some(CountyId(1)),
            department: Some(DepartmentId(5)),
            scope: None,
        };
        assert!(reporter.answers_for(CountyId(1), DepartmentId(5), &[]));
        assert!(reporter.answers_for(CountyId(1), DepartmentId(4), &[DepartmentId(5)]));
        assert!(!reporter.answers_for(CountyId(1), DepartmentId(4), &[]));
        assert!(!reporter.answers_for(CountyId(2), DepartmentId(5), &[]));
        assert!(!reporter.runs_dispatch(CountyId(1)));
    }

    #[test]
    fn viewers_read_counties_within_their_area() {
        let code = |s| DivisionCode::parse("c", s).unwrap();
        let viewer = Actor {
            user_id: 2,
            username: "v".into(),
            role: Role::Viewer,
            county: None,
            department: None,
            scope: Some(code("211100")),
        };
        assert!(viewer.can_read_county(CountyId(9), code("211122")));
        assert!(!viewer.can_read_county(CountyId(9), code("210106")));
    }

    #[test]
    fn weak_passwords_are_refused() {
        assert!(check_password_strength("password", "short1").is_err());
        assert!(check_password_strength("password", "aaaaaaaaaaaa").is_err());
        assert!(check_password_strength("password", "panshan-2026-dispatch").is_ok());
    }
}
