//! `--format json` (format_version 2; schema: `beian schema report`): results streamed as files finish, then
//! the table of the rules they name (title, severity, confidence, sources: once per report, not per finding),
//! then the summary.

use serde_json::{Value, json};

use super::Summary;
use crate::engine::{FileOutcome, FileResult};

pub(crate) const FORMAT_VERSION: u32 = 2;

/// A checked file as the report writes it (borrowed, serialised without building a tree).
#[derive(serde::Serialize)]
struct CheckedOut<'a> {
    file: &'a str,
    verdict: &'static str,
    date: String,
    province: &'a crate::engine::ProvinceBlock,
    ruleset: &'a crate::engine::RulesetBlock,
    #[serde(skip_serializing_if = "Option::is_none")]
    filing_type: Option<&'static str>,
    /// The API whose request body the file is (`wechat`, `douyin`); absent for an application.
    #[serde(skip_serializing_if = "Option::is_none")]
    input: Option<&'a str>,
    counts: &'a crate::engine::Counts,
    findings: &'a [crate::engine::Finding],
    #[serde(skip_serializing_if = "Option::is_none")]
    sms: &'a Option<crate::sms::Sms>,
}

/// A rule as the report's `rules` table lists it.
#[derive(serde::Serialize)]
struct RuleOut {
    title: String,
    severity: &'static str,
    confidence: crate::rules::Confidence,
    sources: std::sync::Arc<[String]>,
}

/// Writes one result.
pub(crate) fn write_result(
    out: &mut dyn std::io::Write,
    r: &FileResult,
    strict: bool,
) -> std::io::Result<()> {
    match &r.outcome {
        FileOutcome::Checked(c) => {
            let v = CheckedOut {
                file: &r.file,
                verdict: if c.failed(strict) { "fail" } else { "pass" },
                date: c.date.to_string(),
                province: &c.province,
                ruleset: &c.ruleset,
                filing_type: c.filing_type,
                input: c.document.api.as_ref().map(|a| a.api.as_str()),
                counts: &c.counts,
                findings: &c.findings,
                sms: &c.sms,
            };
            serde_json::to_writer(out, &v).map_err(std::io::Error::from)
        }
        FileOutcome::Error(_) => serde_json::to_writer(out, &error_result(r)).map_err(std::io::Error::from),
    }
}

fn error_result(r: &FileResult) -> Value {
    match &r.outcome {
        FileOutcome::Error(e) => {
            let mut v = json!({
                "file": r.file,
                "verdict": "error",
                "error": {"kind": e.kind, "message": e.message, "line": e.line, "column": e.column},
            });
            if let (Some(p), Some(obj)) = (&e.province, v.as_object_mut()) {
                obj.insert("province".into(), json!(p));
            }
            v
        }
        FileOutcome::Checked(_) => Value::Null,
    }
}

/// Streams the report: the header, one result per line as files finish, then the summary.
pub(crate) struct Stream<'w> {
    out: &'w mut dyn std::io::Write,
    strict: bool,
    first: bool,
    catalog: &'w crate::rules::Catalog,
    lang: crate::text::Lang,
    rules: std::collections::BTreeMap<String, RuleOut>,
}

impl<'w> Stream<'w> {
    pub(crate) fn start(
        out: &'w mut dyn std::io::Write,
        strict: bool,
        catalog: &'w crate::rules::Catalog,
        lang: crate::text::Lang,
    ) -> std::io::Result<Stream<'w>> {
        write!(
            out,
            "{{\"format_version\":{FORMAT_VERSION},\"tool\":{{\"name\":\"beian\",\"version\":\"{}\"}},\"strict\":{strict},\"results\":[",
            env!("CARGO_PKG_VERSION")
        )?;
        Ok(Stream {
            out,
            strict,
            first: true,
            catalog,
            lang,
            rules: std::collections::BTreeMap::new(),
        })
    }

    pub(crate) fn file(&mut self, r: &FileResult) -> std::io::Result<()> {
        self.out.write_all(if self.first { b"\n" } else { b",\n" })?;
        self.first = false;
        if let FileOutcome::Checked(c) = &r.outcome {
            for f in &c.findings {
                if !self.rules.contains_key(&f.rule) {
                    let rule = self.catalog.find(&f.rule);
                    self.rules.insert(
                        f.rule.clone(),
                        RuleOut {
                            title: rule.map_or_else(String::new, |r| r.title.get(self.lang).to_string()),
                            severity: rule.map_or("info", |r| r.severity.id()),
                            confidence: f.confidence,
                            sources: f.sources.clone(),
                        },
                    );
                }
            }
        }
        write_result(&mut *self.out, r, self.strict)
    }

    /// Writes the summary and hands the writer back.
    pub(crate) fn finish(self, summary: &Summary) -> std::io::Result<&'w mut dyn std::io::Write> {
        self.out.write_all(b"\n],\"rules\":")?;
        serde_json::to_writer(&mut *self.out, &self.rules).map_err(std::io::Error::from)?;
        self.out.write_all(b",\"summary\":")?;
        serde_json::to_writer(&mut *self.out, summary).map_err(std::io::Error::from)?;
        self.out.write_all(b"}\n")?;
        Ok(self.out)
    }
}
