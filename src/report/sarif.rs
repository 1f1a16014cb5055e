//! `--format sarif`: SARIF 2.1.0 with rule metadata, physical locations (columns in Unicode code points) and
//! suppressions, for code-scanning dashboards.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::engine::{FileOutcome, FileResult, Finding};
use crate::outcome::Status;
use crate::rules::Catalog;
use crate::suppress::Origin;
use crate::text::Lang;

fn level(s: Status) -> &'static str {
    match s {
        Status::Fail => "error",
        Status::Warn => "warning",
        Status::Info | Status::Pass | Status::Suppressed => "note",
    }
}

/// Percent-encodes what a URI may not carry raw (non-ASCII, spaces, controls): SARIF wants URIs, not IRIs.
pub(crate) fn encode_uri(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_graphic() && !matches!(b, b'"' | b'<' | b'>' | b'\\' | b'^' | b'`' | b'{' | b'|' | b'}')
        {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn uri(file: &str) -> String {
    if file == "-" {
        "stdin".into()
    } else {
        encode_uri(file.trim_start_matches("./"))
    }
}

fn location(file: &str, line: usize, column: usize) -> Value {
    json!({"physicalLocation": {"artifactLocation": {"uri": uri(file)}, "region": {"startLine": line.max(1), "startColumn": column.max(1)}}})
}

fn result(file: &str, f: &Finding, index: usize) -> Value {
    let status = f.original_status.unwrap_or(f.status);
    let mut text = f.message.clone();
    if let Some(h) = &f.hint {
        text.push('\n');
        text.push_str(h);
    }
    // SARIF: a result whose kind is not `fail` has level `none`.
    let (kind, level) = match status {
        Status::Pass => ("pass", "none"),
        Status::Info => ("informational", "none"),
        s => ("fail", level(s)),
    };
    let mut r = json!({
        "ruleId": f.rule,
        "ruleIndex": index,
        "kind": kind,
        "level": level,
        "message": {"text": text},
        "locations": [location(file, f.line, f.column)],
        "properties": {"path": f.path, "confidence": f.confidence.id()},
    });
    if !f.related.is_empty() {
        let related: Vec<Value> = f
            .related
            .iter()
            .enumerate()
            .map(|(i, rel)| {
                let mut l = location(&rel.file, rel.line, rel.column);
                if let Some(o) = l.as_object_mut() {
                    o.insert("id".into(), json!(i));
                    o.insert("message".into(), json!({"text": rel.path}));
                }
                l
            })
            .collect();
        if let Some(o) = r.as_object_mut() {
            o.insert("relatedLocations".into(), json!(related));
        }
    }
    if let Some(s) = &f.suppression {
        let kind = if s.origin == Origin::Comment {
            "inSource"
        } else {
            "external"
        };
        if let Some(o) = r.as_object_mut() {
            o.insert(
                "suppressions".into(),
                json!([{"kind": kind, "justification": s.reason}]),
            );
        }
    }
    r
}

/// Writes the SARIF log file by file: each file's results are written as soon as it is checked, so memory holds
/// the rule metadata and the notifications, never the results. The run lists its results before its tool (JSON
/// members have no order), because the rules are known only once every result is.
pub(crate) struct Builder<'c> {
    catalog: &'c Catalog,
    lang: Lang,
    rule_index: BTreeMap<String, usize>,
    rules_meta: Vec<Value>,
    notifications: Vec<Value>,
    written: usize,
}

const HEAD: &str = "{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n      \"results\": [";

impl<'c> Builder<'c> {
    pub(crate) fn new(catalog: &'c Catalog, lang: Lang) -> Builder<'c> {
        Builder {
            catalog,
            lang,
            rule_index: BTreeMap::new(),
            rules_meta: Vec::new(),
            notifications: Vec::new(),
            written: 0,
        }
    }

    /// Writes the document's head; before the first file.
    pub(crate) fn start(&self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        w.write_all(HEAD.as_bytes())
    }

    /// Writes one file's results (its rules' metadata is kept for the end).
    pub(crate) fn add(&mut self, w: &mut dyn std::io::Write, r: &FileResult) -> std::io::Result<()> {
        let (catalog, lang) = (self.catalog, self.lang);
        match &r.outcome {
            FileOutcome::Error(e) => self.notifications.push(json!({
                "level": "error",
                "message": {"text": format!("{} ({})", e.message, serde_json::to_value(e.kind).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default())},
                "locations": [location(&r.file, e.line, e.column)],
            })),
            FileOutcome::Checked(c) => {
                for f in &c.findings {
                    let next = self.rule_index.len();
                    let rules_meta = &mut self.rules_meta;
                    let index = *self.rule_index.entry(f.rule.clone()).or_insert_with(|| {
                        rules_meta.push(rule_meta(catalog, lang, f));
                        next
                    });
                    let text = serde_json::to_string_pretty(&result(&r.file, f, index)).map_err(std::io::Error::from)?;
                    w.write_all(if self.written == 0 { b"\n        " } else { b",\n        " })?;
                    w.write_all(text.replace('\n', "\n        ").as_bytes())?;
                    self.written += 1;
                }
            }
        }
        Ok(())
    }

    /// Ends the results and writes the rest of the run: the tool with the rules that produced results, and the
    /// invocation with its notifications.
    pub(crate) fn finish(self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        let tool = json!({"driver": {
            "name": "beian",
            "version": env!("CARGO_PKG_VERSION"),
            "informationUri": "https://beian.miit.gov.cn",
            "rules": self.rules_meta,
        }});
        let invocations = json!([{"executionSuccessful": self.notifications.is_empty(), "toolExecutionNotifications": self.notifications}]);
        let member = |name: &str, v: &Value| -> std::io::Result<String> {
            let text = serde_json::to_string_pretty(v).map_err(std::io::Error::from)?;
            Ok(format!(",\n      \"{name}\": {}", text.replace('\n', "\n      ")))
        };
        let close = if self.written == 0 { "]" } else { "\n      ]" };
        w.write_all(close.as_bytes())?;
        w.write_all(member("tool", &tool)?.as_bytes())?;
        w.write_all(b",\n      \"columnKind\": \"unicodeCodePoints\"")?;
        w.write_all(member("invocations", &invocations)?.as_bytes())?;
        w.write_all(b"\n    }\n  ]\n}\n")
    }
}

/// A rule's metadata, from the catalog (the finding stands in for a rule the catalog lacks).
fn rule_meta(catalog: &Catalog, lang: Lang, f: &Finding) -> Value {
    let rule = catalog.find(&f.rule);
    let title = rule.map_or_else(|| f.rule.clone(), |r| r.title.get(lang).to_string());
    let help = rule
        .and_then(|r| r.hint.as_ref())
        .map_or_else(|| title.clone(), |h| h.get(lang).to_string());
    let default_level = rule.map_or("warning", |r| match r.severity {
        crate::rules::Severity::Fail => "error",
        crate::rules::Severity::Warn => "warning",
        crate::rules::Severity::Info => "note",
    });
    let mut meta = json!({
        "id": f.rule,
        "shortDescription": {"text": title},
        "help": {"text": help},
        "defaultConfiguration": {"level": default_level},
        "properties": {"confidence": f.confidence.id(), "sources": f.sources},
    });
    if let Some(u) = f.sources.iter().find(|s| s.starts_with("http")) {
        if let Some(o) = meta.as_object_mut() {
            o.insert("helpUri".into(), json!(encode_uri(u)));
        }
    }
    meta
}
