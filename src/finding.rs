//! The finding model every renderer reads: findings, per-file results and their counts.

use serde::Serialize;

use crate::date::Date;
use crate::input::{Document, ErrorKind};
use crate::model::Application;
use crate::outcome::Status;
use crate::rules::Confidence;
use crate::sms::Sms;

/// Where a suppression came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    Comment,
    File,
    Flag,
    /// The configuration file's `[ignore]` table.
    Config,
}

/// The suppression a finding carries in the report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Applied {
    pub reason: String,
    pub origin: Origin,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Related {
    pub file: String,
    pub path: String,
    pub line: usize,
    pub column: usize,
}

/// One finding: rule, status, place, message, hint, sources.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    pub rule: String,
    pub status: Status,
    pub path: String,
    pub line: usize,
    pub column: usize,
    /// Where the value (or key) the finding is about ends: the last character's line and column.
    pub end_line: usize,
    pub end_column: usize,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// Shared with every other finding of the rule; the JSON report lists it once, in its `rules` table.
    #[serde(skip)]
    pub sources: std::sync::Arc<[String]>,
    #[serde(skip)]
    pub confidence: Confidence,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
    /// Province rules that confirm this finding (`covers`): reported here once instead of twice.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<String>,
    /// This rule's own message and hint, kept when a confirming province rule's words replaced them (`also`).
    #[serde(skip)]
    pub own_text: Option<(String, Option<String>)>,
    /// Confirming rules waived out of `also`, with where the waiver came from (for "matched no finding").
    #[serde(skip)]
    pub waived_also: Vec<(String, Origin)>,
    /// For a suppressed finding: the status it would have had.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original_status: Option<Status>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppression: Option<Applied>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProvinceBlock {
    pub code: String,
    pub id: String,
    pub name: String,
    pub source: &'static str,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RulesetBlock {
    pub version: String,
    pub updated: String,
    pub source: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub pass: usize,
    pub fail: usize,
    pub warn: usize,
    pub info: usize,
    pub suppressed: usize,
}

/// A file that got a verdict.
#[derive(Clone, Debug)]
pub struct Checked {
    pub date: Date,
    pub province: ProvinceBlock,
    pub ruleset: RulesetBlock,
    pub filing_type: Option<&'static str>,
    pub findings: Vec<Finding>,
    pub counts: Counts,
    pub sms: Option<Sms>,
    pub document: Document,
    pub application: Application,
}

impl Checked {
    pub fn failed(&self, strict: bool) -> bool {
        self.counts.fail > 0 || (strict && self.counts.warn > 0)
    }
}

/// A file without a verdict.
#[derive(Clone, Debug, PartialEq)]
pub struct Failure {
    pub kind: ErrorKind,
    pub message: String,
    pub line: usize,
    pub column: usize,
    pub province: Option<ProvinceBlock>,
}

#[derive(Clone, Debug)]
pub enum FileOutcome {
    Checked(Box<Checked>),
    Error(Failure),
}

/// The result for one input file.
#[derive(Clone, Debug)]
pub struct FileResult {
    pub file: String,
    pub outcome: FileOutcome,
}
