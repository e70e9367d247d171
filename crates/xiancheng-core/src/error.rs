//! Validation errors: each names the field, the value given and what was expected, in
//! Chinese first (the words a county official reads) with an English gloss.

use std::fmt;

/// One problem with one input value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: “{value}” 无效，应为{expected_zh} ({expected_en})")]
pub struct ValidationError {
    /// Where the value came from (a field name, a path in a file, a CLI flag).
    pub field: String,
    /// The offending value as given (truncated when very long).
    pub value: String,
    /// What is expected, in Chinese.
    pub expected_zh: String,
    /// What is expected, in English.
    pub expected_en: String,
}

impl ValidationError {
    pub fn new(
        field: impl Into<String>,
        value: impl fmt::Display,
        expected_zh: impl Into<String>,
        expected_en: impl Into<String>,
    ) -> Self {
        let mut value = value.to_string();
        if value.chars().count() > 80 {
            value = value.chars().take(77).collect::<String>() + "...";
        }
        Self {
            field: field.into(),
            value,
            expected_zh: expected_zh.into(),
            expected_en: expected_en.into(),
        }
    }

    /// The same error reported at a more specific place (`projects[3].total_investment`).
    pub fn at(mut self, prefix: &str) -> Self {
        self.field = if self.field.is_empty() {
            prefix.to_owned()
        } else {
            format!("{prefix}.{}", self.field)
        };
        self
    }
}

/// Every problem found in one input, reported together rather than one at a time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidationErrors(pub Vec<ValidationError>);

impl ValidationErrors {
    pub fn push(&mut self, error: ValidationError) {
        self.0.push(error);
    }

    /// Records the error of `result`, if any, and returns its value.
    pub fn check<T>(&mut self, result: Result<T, ValidationError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.0.push(error);
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_result(self) -> Result<(), ValidationErrors> {
        if self.0.is_empty() { Ok(()) } else { Err(self) }
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} 处错误 ({} problem(s)):", self.0.len(), self.0.len())?;
        for error in &self.0 {
            writeln!(f, "  - {error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}
