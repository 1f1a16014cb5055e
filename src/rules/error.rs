//! The rule-data error: file, position, rule, reason.

use std::fmt;

use crate::input::node::Span;

/// A rule-data error: file, position, rule, reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub rule: Option<String>,
    pub message: String,
}

impl RuleError {
    pub fn file(file: &str, message: &str) -> RuleError {
        RuleError {
            file: file.to_string(),
            line: 1,
            column: 1,
            rule: None,
            message: message.to_string(),
        }
    }

    pub(super) fn at(file: &str, span: Span, rule: Option<&str>, message: impl Into<String>) -> RuleError {
        RuleError {
            file: file.to_string(),
            line: span.line,
            column: span.column,
            rule: rule.map(str::to_string),
            message: message.into(),
        }
    }
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: ", self.file, self.line, self.column)?;
        if let Some(r) = &self.rule {
            write!(f, "rule `{r}`: ")?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for RuleError {}
