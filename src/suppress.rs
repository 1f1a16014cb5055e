//! Suppressions (see README): a comment `# beian: ignore[RULE_ID] reason`, the file's `suppressions` list, or
//! `--ignore RULE_ID=reason`. A waived finding keeps its place with `status: suppressed`; a suppression without a
//! reason fails, one that matched nothing warns, and mandatory rules cannot be waived.

use crate::finding::Finding;
use crate::input::Document;
use crate::model::Application;
use crate::outcome::{Outcome, Status};
use crate::rules::Rule;

pub(crate) const NO_REASON: &str = "input.suppression-reason";
pub(crate) const UNUSED: &str = "input.suppression-unused";
pub(crate) const MANDATORY: &str = "input.suppression-mandatory";

pub(crate) use crate::finding::{Applied, Origin};

/// `--ignore RULE_ID=REASON`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlagIgnore {
    pub rule: String,
    pub reason: String,
    /// From the configuration file's `[ignore]` table rather than the command line.
    pub config: bool,
}

impl std::str::FromStr for FlagIgnore {
    type Err = String;

    fn from_str(s: &str) -> Result<FlagIgnore, String> {
        match s.split_once('=') {
            Some((rule, reason)) if !rule.trim().is_empty() && !reason.trim().is_empty() => Ok(FlagIgnore {
                rule: rule.trim().to_string(),
                reason: reason.trim().to_string(),
                config: false,
            }),
            _ => Err("expected RULE_ID=REASON, with a reason".into()),
        }
    }
}

/// A suppression found in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Candidate {
    rules: Vec<String>,
    reason: String,
    origin: Origin,
    /// The pointer a file entry is limited to, or where the entry is.
    path: Option<String>,
    /// For comments: the lines it covers and its own position.
    lines: Vec<usize>,
    at: Option<(usize, usize)>,
    entry: Option<String>,
    used: bool,
}

/// `# beian: ignore[a, b] reason` comments: (line, column, rules, reason).
fn comments(text: &str) -> Vec<(usize, usize, Vec<String>, String)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let mut search = 0;
        while let Some(pos) = line.get(search..).and_then(|l| l.find('#')).map(|p| p + search) {
            search = pos + 1;
            // A YAML comment starts the line or follows white space.
            let before = line.get(..pos).unwrap_or("");
            if !(before.is_empty() || before.ends_with([' ', '\t'])) {
                continue;
            }
            let rest = line.get(pos + 1..).unwrap_or("").trim_start();
            let Some(rest) = rest.strip_prefix("beian:") else {
                continue;
            };
            let Some(rest) = rest.trim_start().strip_prefix("ignore[") else {
                continue;
            };
            let Some((ids, reason)) = rest.split_once(']') else {
                continue;
            };
            let rules = ids
                .split(',')
                .map(|r| r.trim().to_string())
                .filter(|r| !r.is_empty())
                .collect();
            let column = before.chars().count() + 1;
            out.push((i + 1, column, rules, reason.trim().to_string()));
            break;
        }
    }
    out
}

/// Applies suppressions to `findings` and returns the findings about the suppressions themselves.
pub(crate) fn apply(
    doc: &Document,
    app: &Application,
    rules: &[std::sync::Arc<Rule>],
    flags: &[FlagIgnore],
    findings: &mut [Finding],
) -> Vec<(&'static str, Outcome)> {
    let mut cands = Vec::new();
    let lines: Vec<&str> = doc.text.lines().collect();
    for (line, column, ids, reason) in comments(&doc.text) {
        // A comment covers its own line; a comment alone on its line also covers the next line.
        let alone = lines
            .get(line - 1)
            .is_some_and(|l| l.trim_start().starts_with('#'));
        let covered = if alone { vec![line, line + 1] } else { vec![line] };
        cands.push(Candidate {
            rules: ids,
            reason,
            origin: Origin::Comment,
            path: None,
            lines: covered,
            at: Some((line, column)),
            entry: None,
            used: false,
        });
    }
    for s in &app.suppressions {
        cands.push(Candidate {
            rules: s.rule.iter().cloned().collect(),
            reason: s.reason.clone().unwrap_or_default(),
            origin: Origin::File,
            path: s.path.clone(),
            lines: Vec::new(),
            at: None,
            entry: Some(s.ptr.clone()),
            used: false,
        });
    }
    for f in flags {
        cands.push(Candidate {
            rules: vec![f.rule.clone()],
            reason: f.reason.clone(),
            origin: if f.config { Origin::Config } else { Origin::Flag },
            path: None,
            lines: Vec::new(),
            at: None,
            entry: None,
            used: false,
        });
    }
    let mandatory = |id: &str| rules.iter().find(|r| r.id == id).is_some_and(|r| r.mandatory);
    let mut out = Vec::new();
    let place = |c: &Candidate, o: Outcome| -> Outcome {
        let mut o = o;
        if let Some(at) = c.at {
            o.at = Some(at);
        }
        o
    };
    for c in &mut cands {
        let where_ = c.entry.clone().unwrap_or_default();
        if c.reason.trim().is_empty() {
            out.push((
                NO_REASON,
                place(
                    c,
                    Outcome::violated(where_.clone()).var("value", c.rules.join(", ")),
                ),
            ));
            continue;
        }
        for f in findings.iter_mut() {
            let names_rule = c.rules.contains(&f.rule);
            let names_also: Vec<String> = f.also.iter().filter(|a| c.rules.contains(a)).cloned().collect();
            if matches!(f.status, Status::Pass | Status::Suppressed) || !names_rule && names_also.is_empty() {
                continue;
            }
            let matches = match c.origin {
                Origin::Comment => c.lines.contains(&f.line),
                Origin::File => c
                    .path
                    .as_ref()
                    .is_none_or(|p| f.path == *p || f.path.starts_with(&format!("{p}/"))),
                Origin::Flag | Origin::Config => true,
            };
            if !matches {
                continue;
            }
            c.used = true;
            if !names_rule {
                // Waives only a province rule folded into this finding (`also`): the national rule's complaint
                // stands, in its own words once no confirming rule is left.
                f.also.retain(|a| !names_also.contains(a));
                f.waived_also
                    .extend(names_also.iter().map(|a| (a.clone(), c.origin)));
                if f.also.is_empty() {
                    if let Some((message, hint)) = f.own_text.take() {
                        f.message = message;
                        f.hint = hint;
                    }
                }
                continue;
            }
            if mandatory(&f.rule) {
                out.push((
                    MANDATORY,
                    place(c, Outcome::doubt(where_.clone()).var("value", f.rule.clone())),
                ));
                continue;
            }
            f.original_status = Some(f.status);
            f.status = Status::Suppressed;
            f.suppression = Some(Applied {
                reason: c.reason.clone(),
                origin: c.origin,
            });
        }
        // An unused --ignore is reported once on stderr by the command line, not per file.
        if !c.used && !matches!(c.origin, Origin::Flag | Origin::Config) {
            out.push((
                UNUSED,
                place(c, Outcome::doubt(where_).var("value", c.rules.join(", "))),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_comments() {
        let c = comments("a: 1 # beian: ignore[x.y, z] because\n# beian: ignore[q]\nurl: http://a#b\n");
        assert_eq!(c.len(), 2);
        assert_eq!(c[0], (1, 6, vec!["x.y".into(), "z".into()], "because".into()));
        assert_eq!(c[1].3, "");
        assert!("r=why".parse::<FlagIgnore>().is_ok());
        assert!("r=".parse::<FlagIgnore>().is_err());
    }
}
