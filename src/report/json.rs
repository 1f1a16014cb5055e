//! `--format json` (SPEC §3.1, format_version 1).

use serde_json::{Value, json};

use super::Summary;
use crate::engine::{FileOutcome, FileResult};

pub const FORMAT_VERSION: u32 = 1;

fn result(r: &FileResult, strict: bool) -> Value {
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
        FileOutcome::Checked(c) => json!({
            "file": r.file,
            "verdict": if c.failed(strict) { "fail" } else { "pass" },
            "date": c.date.to_string(),
            "province": c.province,
            "ruleset": c.ruleset,
            "filing_type": c.filing_type,
            "counts": c.counts,
            "findings": c.findings,
            "sms": c.sms,
        }),
    }
}

/// The whole report document.
pub fn render(results: &[FileResult], strict: bool) -> Value {
    json!({
        "format_version": FORMAT_VERSION,
        "tool": {"name": "beian", "version": env!("CARGO_PKG_VERSION")},
        "strict": strict,
        "results": results.iter().map(|r| result(r, strict)).collect::<Vec<_>>(),
        "summary": Summary::of(results, strict),
    })
}
