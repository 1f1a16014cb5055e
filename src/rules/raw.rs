//! Rule files as written: the serde shapes of a rule set, a rule, an override and an example.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::date::Date;
use crate::input::node::Span;

use super::error::RuleError;
use super::{Confidence, Expect, Severity};
use crate::input::node::Node;
use crate::text::Text;
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawText {
    pub(super) zh: String,
    pub(super) en: String,
}

impl From<RawText> for Text {
    fn from(t: RawText) -> Text {
        Text::new(t.zh, t.en)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSource {
    pub(super) url: String,
    pub(super) title: String,
    #[serde(default)]
    pub(super) published: Option<String>,
    pub(super) seen: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTerm {
    pub(super) id: String,
    #[serde(default)]
    pub(super) aliases: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawHeader<R, O> {
    pub(super) ruleset: String,
    #[serde(default)]
    pub(super) province: Option<String>,
    pub(super) version: String,
    pub(super) reviewed: String,
    #[serde(default)]
    pub(super) coverage: Option<RawText>,
    pub(super) sources: BTreeMap<String, RawSource>,
    #[serde(default)]
    pub(super) document_kinds: Vec<RawTerm>,
    // From YAML, rules and overrides are read from the tree to keep their positions (`IgnoredAny` here).
    #[serde(default = "Vec::new")]
    pub(super) rules: Vec<R>,
    #[serde(default = "Vec::new")]
    pub(super) overrides: Vec<O>,
}

#[derive(Deserialize)]
#[serde(untagged)]
pub(super) enum RawList {
    Keyword(String),
    List(Vec<String>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawApplies {
    pub(super) filing_types: RawList,
    pub(super) natures: RawList,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRule {
    pub(super) id: String,
    #[serde(rename = "ref", default)]
    pub(super) reference: Option<String>,
    pub(super) title: RawText,
    pub(super) severity: Severity,
    #[serde(default)]
    pub(super) missing: Option<Severity>,
    #[serde(default)]
    pub(super) mandatory: bool,
    pub(super) applies: RawApplies,
    pub(super) check: String,
    #[serde(default)]
    pub(super) params: serde_json::Map<String, serde_json::Value>,
    /// A predicate: the rule applies only when it holds.
    #[serde(default)]
    pub(super) when: Option<serde_json::Value>,
    #[serde(default)]
    pub(super) fields: Vec<String>,
    pub(super) message: RawText,
    #[serde(default)]
    pub(super) hint: Option<RawText>,
    #[serde(default)]
    pub(super) pass: Option<RawText>,
    #[serde(default)]
    pub(super) doubt: Option<RawText>,
    pub(super) sources: Vec<String>,
    pub(super) confidence: Confidence,
    #[serde(default)]
    pub(super) confidence_note: Option<RawText>,
    /// National rules this one confirms: where both fail at the same place, the national finding reports it.
    #[serde(default)]
    pub(super) covers: Vec<String>,
    pub(super) effective: String,
    /// Compiled data only: the examples as JSON text, parsed on demand.
    #[serde(default)]
    pub(super) examples: Option<Box<serde_json::value::RawValue>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawOverride {
    pub(super) rule: String,
    #[serde(default)]
    pub(super) params: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    pub(super) severity: Option<Severity>,
    #[serde(default)]
    pub(super) missing: Option<Severity>,
    #[serde(default)]
    pub(super) enabled: Option<bool>,
    /// Replaces the national rule's `when` in this province.
    #[serde(default)]
    pub(super) when: Option<serde_json::Value>,
    #[serde(default)]
    pub(super) message: Option<RawText>,
    #[serde(default)]
    pub(super) hint: Option<RawText>,
    #[serde(default)]
    pub(super) confidence: Option<Confidence>,
    pub(super) note: RawText,
    pub(super) sources: Vec<String>,
    #[serde(default)]
    pub(super) examples: Option<Box<serde_json::value::RawValue>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawExample {
    pub(super) expect: Expect,
    #[serde(default)]
    pub(super) base: Option<String>,
    #[allow(dead_code)]
    #[serde(default)]
    pub(super) set: serde_json::Value,
    #[serde(default)]
    pub(super) remove: Vec<String>,
    #[serde(default)]
    pub(super) date: Option<String>,
    #[serde(default)]
    pub(super) at: Option<String>,
    #[serde(default)]
    pub(super) province: Option<String>,
    #[serde(default)]
    pub(super) note: Option<String>,
    #[serde(default)]
    pub(super) params: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    pub(super) severity: Option<Severity>,
    /// API code tables as a captured response would give them (`--api-table`), for this example only.
    #[serde(default)]
    pub(super) tables:
        std::collections::BTreeMap<String, Vec<std::collections::BTreeMap<String, serde_json::Value>>>,
}

/// Turns a serde error on a node into a positioned error: "unknown field `x`" points at that key.
pub(super) fn serde_error(file: &str, node: &Node, rule: Option<&str>, e: &serde_json::Error) -> RuleError {
    let msg = e.to_string();
    let span = msg
        .split('`')
        .nth(1)
        .and_then(|key| node.entry(key))
        .map_or(node.span, |entry| entry.key_span);
    RuleError::at(file, span, rule, msg)
}

pub(super) fn date_field(
    file: &str,
    span: Span,
    id: Option<&str>,
    value: &str,
    what: &str,
) -> Result<Date, RuleError> {
    Date::parse(value).ok_or_else(|| {
        RuleError::at(
            file,
            span,
            id,
            format!("{what} `{value}` is not a date YYYY-MM-DD"),
        )
    })
}
