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

/// Percent-encodes a path for a URI: everything but unreserved characters and `/` (so `#`, `?`, `%`, spaces and
/// non-ASCII are encoded).
pub(crate) fn encode_path(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The base a relative file name is resolved against (`originalUriBaseIds`): the directory beian ran in.
pub(crate) const SRCROOT: &str = "%SRCROOT%";

/// An artifact location: a relative name under `%SRCROOT%`, an absolute one as a `file://` URI.
fn artifact(file: &str) -> Value {
    if file == "-" {
        return json!({"uri": "stdin"});
    }
    let slashed = file.replace('\\', "/");
    if slashed.starts_with('/') || slashed.get(1..3) == Some(":/") {
        let path = if slashed.starts_with('/') {
            slashed
        } else {
            format!("/{slashed}")
        };
        json!({"uri": format!("file://{}", encode_path(&path))})
    } else {
        json!({"uri": encode_path(slashed.trim_start_matches("./")), "uriBaseId": SRCROOT})
    }
}

fn location(file: &str, line: usize, column: usize) -> Value {
    physical(
        file,
        json!({"startLine": line.max(1), "startColumn": column.max(1)}),
    )
}

fn physical(file: &str, region: Value) -> Value {
    json!({"physicalLocation": {"artifactLocation": artifact(file), "region": region}})
}

/// A finding's location: the whole span of the value it is about.
fn span_location(file: &str, f: &Finding) -> Value {
    let (line, column) = (f.line.max(1), f.column.max(1));
    let end_line = f.end_line.max(line);
    let end_column = if end_line == line {
        f.end_column.max(column)
    } else {
        f.end_column.max(1)
    };
    physical(
        file,
        json!({"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column}),
    )
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
        "locations": [span_location(file, f)],
        "properties": {"path": f.path, "confidence": f.confidence.id(), "also": f.also},
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
                "message": {"text": format!("{} ({})", e.message, e.kind.id())},
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
                    let text = serde_json::to_string_pretty(&result(&r.file, f, index))
                        .map_err(std::io::Error::from)?;
                    w.write_all(if self.written == 0 {
                        b"\n        "
                    } else {
                        b",\n        "
                    })?;
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
        let mut driver = json!({
            "name": "beian",
            "version": env!("CARGO_PKG_VERSION"),
            "rules": self.rules_meta,
        });
        if let (Some(url), Some(o)) = (project_url(), driver.as_object_mut()) {
            o.insert("informationUri".into(), json!(url));
        }
        let tool = json!({"driver": driver});
        let cwd = std::env::current_dir()
            .ok()
            .map(|d| d.to_string_lossy().replace('\\', "/"))
            .map(|d| if d.starts_with('/') { d } else { format!("/{d}") })
            .map(|d| format!("file://{}/", encode_path(d.trim_end_matches('/'))));
        let bases = match cwd {
            Some(uri) => json!({SRCROOT: {"uri": uri}}),
            None => json!({SRCROOT: {"description": {"text": "the directory beian ran in"}}}),
        };
        let invocations = json!([{"executionSuccessful": self.notifications.is_empty(), "toolExecutionNotifications": self.notifications}]);
        let member = |name: &str, v: &Value| -> std::io::Result<String> {
            let text = serde_json::to_string_pretty(v).map_err(std::io::Error::from)?;
            Ok(format!(",\n      \"{name}\": {}", text.replace('\n', "\n      ")))
        };
        let close = if self.written == 0 { "]" } else { "\n      ]" };
        w.write_all(close.as_bytes())?;
        w.write_all(member("tool", &tool)?.as_bytes())?;
        w.write_all(member("originalUriBaseIds", &bases)?.as_bytes())?;
        w.write_all(b",\n      \"columnKind\": \"unicodeCodePoints\"")?;
        w.write_all(member("invocations", &invocations)?.as_bytes())?;
        w.write_all(b"\n    }\n  ]\n}\n")
    }
}

/// The project's address, when the package names one (`repository` in Cargo.toml).
fn project_url() -> Option<&'static str> {
    Some(env!("CARGO_PKG_REPOSITORY")).filter(|u| !u.is_empty())
}

/// A rule's metadata, from the catalog (the finding stands in for a rule the catalog lacks): its help in text and
/// Markdown (what, why, how to fix, sources) and, when the project's address is known, its page in docs/rules/.
fn rule_meta(catalog: &Catalog, lang: Lang, f: &Finding) -> Value {
    let rule = catalog.find(&f.rule);
    let title = rule.map_or_else(|| f.rule.clone(), |r| r.title.get(lang).to_string());
    let hint = rule
        .and_then(|r| r.hint.as_ref())
        .map(|h| h.get(lang).to_string());
    let text = match &hint {
        Some(h) => format!("{title}. {h}"),
        None => title.clone(),
    };
    let default_level = rule.map_or("warning", |r| match r.severity {
        crate::rules::Severity::Fail => "error",
        crate::rules::Severity::Warn => "warning",
        crate::rules::Severity::Info => "note",
    });
    let mut meta = json!({
        "id": f.rule,
        "shortDescription": {"text": title},
        "help": {"text": text},
        "defaultConfiguration": {"level": default_level},
        "properties": {"confidence": f.confidence.id(), "sources": f.sources},
    });
    if let Some(o) = meta.as_object_mut() {
        if let Some(r) = rule {
            o.insert(
                "help".into(),
                json!({"text": text, "markdown": crate::rules::doc::markdown(r, lang)}),
            );
        }
        if let Some(url) = project_url() {
            let page = crate::rules::doc::file_name(&f.rule);
            o.insert(
                "helpUri".into(),
                json!(format!(
                    "{}/blob/main/docs/rules/{}",
                    url.trim_end_matches('/'),
                    encode_path(&page)
                )),
            );
        }
    }
    meta
}
