//! A rule's own examples: parsed from the file, and required (a passing and a failing one) of every rule.

use super::ExamplesSrc;
use super::error::RuleError;
use super::raw::*;
use super::{Example, Expect, Rule};
use crate::checks::Check;
use crate::input::node::Span;
/// Parses a rule's examples from their source.
pub(crate) fn examples(file: &str, id: &str, src: &ExamplesSrc) -> Result<Vec<Example>, RuleError> {
    let converted;
    let node = match src {
        ExamplesSrc::None => return Ok(Vec::new()),
        ExamplesSrc::Node(n) => n,
        ExamplesSrc::Json(raw) => {
            let v: serde_json::Value =
                serde_json::from_str(raw.get()).map_err(|e| RuleError::file(file, &e.to_string()))?;
            converted = crate::input::node::from_json(&v);
            &converted
        }
    };
    let Some(items) = node.items() else {
        return Err(RuleError::at(
            file,
            node.span,
            Some(id),
            "`examples` must be a list",
        ));
    };
    let mut out = Vec::new();
    for item in items {
        let raw: RawExample = serde_json::from_value(item.to_json_typed())
            .map_err(|e| serde_error(file, item, Some(id), &e))?;
        let mut set = Vec::new();
        if let Some(s) = item.get("set").filter(|n| !n.is_null()) {
            let Some(entries) = s.entries() else {
                return Err(RuleError::at(
                    file,
                    s.span,
                    Some(id),
                    "`set` must map JSON pointers to values",
                ));
            };
            for e in entries {
                if !e.key.starts_with('/') {
                    return Err(RuleError::at(
                        file,
                        e.key_span,
                        Some(id),
                        format!("`{}` is not a JSON pointer", e.key),
                    ));
                }
                set.push((e.key.clone(), e.value.clone()));
            }
        }
        let date = raw
            .date
            .as_deref()
            .map(|d| date_field(file, item.span, Some(id), d, "example date"))
            .transpose()?;
        out.push(Example {
            expect: raw.expect,
            base: raw.base.unwrap_or_else(|| "enterprise".into()),
            set,
            remove: raw.remove,
            date,
            at: raw.at,
            province: raw.province,
            note: raw.note,
            params: raw.params,
            severity: raw.severity,
            tables: raw.tables,
        });
    }
    Ok(out)
}

pub(super) fn check_examples(file: &str, span: Span, rule: &Rule, require: bool) -> Result<(), RuleError> {
    let id = rule.id.as_str();
    let examples: Vec<Example> = rule.examples()?;
    let examples = &examples;
    // The parser's and the cross-file rules are not run per example application; the CLI tests cover them.
    if !require || matches!(rule.check, Check::Parser(_) | Check::CrossFile(_)) {
        return Ok(());
    }
    if matches!(rule.check, Check::Reminder(_)) {
        // A reminder shown for every application has no case where it is absent.
        if !examples.iter().any(|e| e.expect == Expect::Info) {
            return Err(RuleError::at(
                file,
                span,
                Some(id),
                "a reminder needs an example where it is shown (expect: info)",
            ));
        }
        return Ok(());
    }
    let good = examples
        .iter()
        .any(|e| matches!(e.expect, Expect::Pass | Expect::Absent));
    let bad = examples
        .iter()
        .any(|e| matches!(e.expect, Expect::Fail | Expect::Warn | Expect::Info));
    if !good || !bad {
        return Err(RuleError::at(
            file,
            span,
            Some(id),
            "a rule needs at least one passing (or not applying) and one failing (or warning / info) example",
        ));
    }
    Ok(())
}
