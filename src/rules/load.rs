//! Raw rule files (with positions) → validated rule sets. A file that does not validate is an error naming the
//! file, the line and the rule (SPEC §4).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Deserialize;

use super::files::Files;
use super::template::placeholders;
use super::{
    Applies, Catalog, Confidence, Data, Example, Expect, Natures, Origin, Overridden, Override, Rule,
    RuleSet, Severity, Slot, Source,
};
use super::{ExamplesSrc, Layer};
use crate::checks::predicate::lang::{self as predicate, Assert, PredError};
use crate::checks::{COMMON_VARS, Check};
use crate::date::Date;
use crate::input::node::{Node, Span};
use crate::input::{self, Limits};
use crate::model::{FilingType, Nature, Term};
use crate::text::Text;

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

    fn at(file: &str, span: Span, rule: Option<&str>, message: impl Into<String>) -> RuleError {
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawText {
    zh: String,
    en: String,
}

impl From<RawText> for Text {
    fn from(t: RawText) -> Text {
        Text::new(t.zh, t.en)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    url: String,
    title: String,
    #[serde(default)]
    published: Option<String>,
    seen: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTerm {
    id: String,
    #[serde(default)]
    aliases: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeader<R, O> {
    ruleset: String,
    #[serde(default)]
    province: Option<String>,
    version: String,
    reviewed: String,
    #[serde(default)]
    coverage: Option<RawText>,
    sources: BTreeMap<String, RawSource>,
    #[serde(default)]
    document_kinds: Vec<RawTerm>,
    // From YAML, rules and overrides are read from the tree to keep their positions (`IgnoredAny` here).
    #[serde(default = "Vec::new")]
    rules: Vec<R>,
    #[serde(default = "Vec::new")]
    overrides: Vec<O>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawList {
    Keyword(String),
    List(Vec<String>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawApplies {
    filing_types: RawList,
    natures: RawList,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: String,
    #[serde(rename = "ref", default)]
    reference: Option<String>,
    title: RawText,
    severity: Severity,
    #[serde(default)]
    missing: Option<Severity>,
    #[serde(default)]
    mandatory: bool,
    applies: RawApplies,
    check: String,
    #[serde(default)]
    params: serde_json::Map<String, serde_json::Value>,
    /// A predicate: the rule applies only when it holds.
    #[serde(default)]
    when: Option<serde_json::Value>,
    #[serde(default)]
    fields: Vec<String>,
    message: RawText,
    #[serde(default)]
    hint: Option<RawText>,
    #[serde(default)]
    pass: Option<RawText>,
    #[serde(default)]
    doubt: Option<RawText>,
    sources: Vec<String>,
    confidence: Confidence,
    #[serde(default)]
    confidence_note: Option<RawText>,
    effective: String,
    /// Compiled data only: the examples as JSON text, parsed on demand.
    #[serde(default)]
    examples: Option<Box<serde_json::value::RawValue>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverride {
    rule: String,
    #[serde(default)]
    params: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    severity: Option<Severity>,
    #[serde(default)]
    missing: Option<Severity>,
    #[serde(default)]
    enabled: Option<bool>,
    /// Replaces the national rule's `when` in this province.
    #[serde(default)]
    when: Option<serde_json::Value>,
    #[serde(default)]
    message: Option<RawText>,
    #[serde(default)]
    hint: Option<RawText>,
    #[serde(default)]
    confidence: Option<Confidence>,
    note: RawText,
    sources: Vec<String>,
    #[serde(default)]
    examples: Option<Box<serde_json::value::RawValue>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExample {
    expect: Expect,
    #[serde(default)]
    base: Option<String>,
    #[allow(dead_code)]
    #[serde(default)]
    set: serde_json::Value,
    #[serde(default)]
    remove: Vec<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    at: Option<String>,
    #[serde(default)]
    province: Option<String>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    params: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    severity: Option<Severity>,
}

/// Turns a serde error on a node into a positioned error: "unknown field `x`" points at that key.
fn serde_error(file: &str, node: &Node, rule: Option<&str>, e: &serde_json::Error) -> RuleError {
    let msg = e.to_string();
    let span = msg
        .split('`')
        .nth(1)
        .and_then(|key| node.entry(key))
        .map_or(node.span, |entry| entry.key_span);
    RuleError::at(file, span, rule, msg)
}

fn parse_list<T>(
    file: &str,
    span: Span,
    id: &str,
    list: RawList,
    all: &[&str],
    parse: impl Fn(&str) -> Option<T>,
) -> Result<Option<Vec<T>>, RuleError> {
    match list {
        RawList::Keyword(k) if all.contains(&k.as_str()) => Ok(None),
        RawList::Keyword(k) => Err(RuleError::at(
            file,
            span,
            Some(id),
            format!("`{k}` is not a list or one of {all:?}"),
        )),
        RawList::List(items) => items
            .iter()
            .map(|i| {
                parse(i).ok_or_else(|| {
                    RuleError::at(file, span, Some(id), format!("unknown value `{i}` in applies"))
                })
            })
            .collect::<Result<Vec<T>, _>>()
            .map(Some),
    }
}

fn applies(file: &str, span: Span, id: &str, raw: RawApplies) -> Result<Applies, RuleError> {
    let filing_types = parse_list(file, span, id, raw.filing_types, &["all"], |s| {
        FilingType::ALL.iter().copied().find(|t| t.id() == s)
    })?;
    let natures = match &raw.natures {
        RawList::Keyword(k) if k == "units" => Natures::Units,
        _ => match parse_list(file, span, id, raw.natures, &["all"], |s| {
            Nature::ALL.iter().copied().find(|n| n.id() == s)
        })? {
            None => Natures::All,
            Some(list) => Natures::List(list),
        },
    };
    Ok(Applies {
        filing_types,
        natures,
    })
}

fn date_field(file: &str, span: Span, id: Option<&str>, value: &str, what: &str) -> Result<Date, RuleError> {
    Date::parse(value).ok_or_else(|| {
        RuleError::at(
            file,
            span,
            id,
            format!("{what} `{value}` is not a date YYYY-MM-DD"),
        )
    })
}

fn resolve_sources(
    file: &str,
    span: Span,
    id: &str,
    keys: &[String],
    catalogue: &BTreeMap<String, Source>,
) -> Result<Vec<Source>, RuleError> {
    keys.iter()
        .map(|k| {
            catalogue.get(k).cloned().ok_or_else(|| {
                RuleError::at(
                    file,
                    span,
                    Some(id),
                    format!("source `{k}` is not in the file's `sources`"),
                )
            })
        })
        .collect()
}

/// Parses a rule's examples from their source.
pub fn examples(file: &str, id: &str, src: &ExamplesSrc) -> Result<Vec<Example>, RuleError> {
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
        });
    }
    Ok(out)
}

fn check_templates(file: &str, span: Span, rule: &Rule) -> Result<(), RuleError> {
    // Runs for every rule at every start: look names up where they are rather than building a set.
    let vars = rule.check.vars();
    let known = |p: &str| COMMON_VARS.contains(&p) || vars.contains(&p) || rule.params.contains_key(p);
    if rule.severity != Severity::Info && rule.hint.is_none() && !matches!(rule.check, Check::Parser(_)) {
        return Err(RuleError::at(
            file,
            span,
            Some(&rule.id),
            "a fail or warn rule needs a hint in both languages",
        ));
    }
    let mut texts = vec![&rule.message, &rule.title];
    texts.extend(rule.hint.iter());
    texts.extend(rule.pass.iter());
    texts.extend(rule.doubt.iter());
    for t in texts {
        for lang_text in [&t.zh, &t.en] {
            if lang_text.trim().is_empty() {
                return Err(RuleError::at(
                    file,
                    span,
                    Some(&rule.id),
                    "a message, title or hint is empty in one language",
                ));
            }
            for p in placeholders(lang_text) {
                if !known(p) {
                    return Err(RuleError::at(
                        file,
                        span,
                        Some(&rule.id),
                        format!(
                            "placeholder `{{{p}}}` is not provided by check `{}`",
                            rule.check.id()
                        ),
                    ));
                }
            }
        }
    }
    Ok(())
}

fn check_examples(file: &str, span: Span, rule: &Rule, require: bool) -> Result<(), RuleError> {
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

/// The tree of a data file: JSON compiled at build time, or YAML read with positions.
pub fn data_tree(file: &str, text: &str, compiled: bool) -> Result<Node, RuleError> {
    if compiled {
        let v: serde_json::Value =
            serde_json::from_str(text).map_err(|e| RuleError::file(file, &e.to_string()))?;
        return Ok(crate::input::node::from_json(&v));
    }
    input::load(
        text.as_bytes(),
        &Limits {
            max_size: 64 << 20,
            alias_budget: 0,
            ..Limits::default()
        },
    )
    .map(|d| d.root)
    .map_err(|e| RuleError {
        file: file.into(),
        line: e.line,
        column: e.column,
        rule: None,
        message: e.message.en,
    })
}

/// Parses one rule file (YAML).
pub fn parse_rule_set(file: &str, text: &str) -> Result<RuleSet, RuleError> {
    parse_rule_tree(file, &data_tree(file, text, false)?, true)
}

/// Builds a rule set from its tree.
/// Where a rule or override was read: its position and, from YAML, its node (to point at keys).
struct At<'n> {
    span: Span,
    node: Option<&'n Node>,
}

impl At<'_> {
    fn key(&self, keys: &[&str]) -> Span {
        self.node
            .and_then(|n| keys.iter().find_map(|k| n.entry(k)))
            .map_or(self.span, |e| e.key_span)
    }
}

/// What every rule of a file shares while it is built.
struct Context<'c> {
    file: &'c str,
    layer: &'c str,
    prefix: String,
    catalogue: BTreeMap<String, Source>,
    /// Parse and validate examples now (YAML); compiled data was validated when it was built.
    full: bool,
    require_examples: bool,
    /// Document kinds the rule set adds, for checking predicates.
    doc_kinds: Vec<String>,
}

fn build_rule(
    cx: &Context<'_>,
    ids: &mut BTreeSet<String>,
    mut raw: RawRule,
    at: &At<'_>,
    examples: ExamplesSrc,
) -> Result<Rule, RuleError> {
    let file = cx.file;
    let id = raw.id.clone();
    if !id.starts_with(&cx.prefix) {
        return Err(RuleError::at(
            file,
            at.span,
            Some(&id),
            format!("rule ids in this file start with `{}`", cx.prefix),
        ));
    }
    if !ids.insert(id.clone()) {
        return Err(RuleError::at(file, at.span, Some(&id), "duplicate rule id"));
    }
    // Predicates are checked from the YAML tree when there is one, so that an error points at its line.
    let pred_node = |key: &str, json: &serde_json::Value| {
        at.node
            .and_then(|n| n.get(key))
            .cloned()
            .unwrap_or_else(|| crate::input::node::from_json(json))
    };
    let pred_error = |e: PredError| RuleError::at(file, e.span, Some(&id), e.message);
    if raw.check == "assert" {
        let params = serde_json::Value::Object(raw.params.clone());
        Assert::parse(&pred_node("params", &params), Some(&cx.doc_kinds)).map_err(pred_error)?;
    }
    let when = match &raw.when {
        Some(w) => Some(predicate::parse(&pred_node("when", w), Some(&cx.doc_kinds)).map_err(pred_error)?),
        None => None,
    };
    let check = Check::from_params(&raw.check, &raw.params)
        .map_err(|m| RuleError::at(file, at.key(&["params", "check"]), Some(&id), m))?;
    if raw.sources.is_empty() {
        return Err(RuleError::at(
            file,
            at.span,
            Some(&id),
            "a rule needs at least one source",
        ));
    }
    let effective = match raw.effective.as_str() {
        "unknown" => None,
        d => Some(date_field(file, at.span, Some(&id), d, "effective")?),
    };
    if let Some(f) = raw.fields.iter().find(|f| !f.starts_with('/')) {
        return Err(RuleError::at(
            file,
            at.span,
            Some(&id),
            format!("field `{f}` is not a JSON pointer"),
        ));
    }
    let examples = match (raw.examples.take(), examples) {
        (Some(json), _) => ExamplesSrc::Json(json),
        (None, other) => other,
    };
    let rule = Rule {
        layer: Layer::of(cx.layer),
        reference: raw.reference,
        title: raw.title.into(),
        severity: raw.severity,
        missing: raw.missing.unwrap_or(Severity::Info),
        mandatory: raw.mandatory,
        applies: applies(file, at.span, &id, raw.applies)?,
        check,
        params: raw.params,
        when,
        fields: raw.fields,
        message: raw.message.into(),
        hint: raw.hint.map(Into::into),
        pass: raw.pass.map(Into::into),
        doubt: raw.doubt.map(Into::into),
        sources: resolve_sources(file, at.span, &id, &raw.sources, &cx.catalogue)?,
        confidence: raw.confidence,
        confidence_note: raw.confidence_note.map(Into::into),
        effective,
        examples_src: examples,
        file: file.to_string(),
        line: at.span.line,
        overridden: None,
        id,
    };
    check_templates(file, at.span, &rule)?;
    if cx.full {
        check_examples(file, at.span, &rule, cx.require_examples)?;
    }
    Ok(rule)
}

fn build_override(
    cx: &Context<'_>,
    mut raw: RawOverride,
    at: &At<'_>,
    src: ExamplesSrc,
) -> Result<Override, RuleError> {
    let src = match (raw.examples.take(), src) {
        (Some(json), _) => ExamplesSrc::Json(json),
        (None, other) => other,
    };
    let when = match &raw.when {
        Some(w) => {
            let node = at
                .node
                .and_then(|n| n.get("when"))
                .cloned()
                .unwrap_or_else(|| crate::input::node::from_json(w));
            Some(
                predicate::parse(&node, Some(&cx.doc_kinds))
                    .map_err(|e| RuleError::at(cx.file, e.span, Some(&raw.rule), e.message))?,
            )
        }
        None => None,
    };
    let o = Override {
        when,
        sources: resolve_sources(cx.file, at.span, &raw.rule, &raw.sources, &cx.catalogue)?,
        examples_src: src,
        rule: raw.rule,
        params: raw.params,
        severity: raw.severity,
        missing: raw.missing,
        enabled: raw.enabled,
        message: raw.message.map(Into::into),
        hint: raw.hint.map(Into::into),
        confidence: raw.confidence,
        note: raw.note.into(),
        line: at.span.line,
    };
    if cx.full {
        examples(cx.file, &o.rule, &o.examples_src)?;
    }
    Ok(o)
}

fn finish<R, O>(header: RawHeader<R, O>, file: &str, rules: Vec<Rule>, overrides: Vec<Override>) -> RuleSet {
    RuleSet {
        id: header.ruleset,
        province: header.province,
        version: header.version,
        reviewed: header.reviewed,
        rules,
        overrides,
        document_kinds: header
            .document_kinds
            .into_iter()
            .map(|t| Term {
                id: t.id,
                aliases: t.aliases,
            })
            .collect(),
        file: file.to_string(),
        coverage: header.coverage.map(Into::into),
    }
}

fn context<'c, R, O>(file: &'c str, header: &'c mut RawHeader<R, O>, full: bool) -> Context<'c> {
    let mut catalogue = BTreeMap::new();
    for (key, s) in std::mem::take(&mut header.sources) {
        catalogue.insert(
            key.clone(),
            Source {
                key,
                url: s.url,
                title: s.title,
                published: s.published,
                seen: s.seen,
            },
        );
    }
    Context {
        file,
        layer: &header.ruleset,
        prefix: format!("{}.", header.ruleset),
        catalogue,
        full,
        require_examples: header.ruleset != "input",
        doc_kinds: header.document_kinds.iter().map(|t| t.id.clone()).collect(),
    }
}

/// Builds a rule set from its YAML tree, with positions for every error.
pub fn parse_rule_tree(file: &str, root: &Node, full: bool) -> Result<RuleSet, RuleError> {
    let header_value = match &root.kind {
        crate::input::node::NodeKind::Map(entries) => serde_json::Value::Object(
            entries
                .iter()
                .filter(|e| e.key != "rules" && e.key != "overrides")
                .map(|e| (e.key.clone(), e.value.to_json_typed()))
                .collect(),
        ),
        _ => root.to_json_typed(),
    };
    let mut header: RawHeader<serde::de::IgnoredAny, serde::de::IgnoredAny> =
        serde_json::from_value(header_value).map_err(|e| serde_error(file, root, None, &e))?;
    let reviewed_span = root.get("reviewed").map_or(Span::START, |n| n.span);
    date_field(file, reviewed_span, None, &header.reviewed, "reviewed")?;
    let layer = header.ruleset.clone();
    let cx = context(file, &mut header, full);
    let cx = Context { layer: &layer, ..cx };
    let mut ids = BTreeSet::new();
    let mut rules = Vec::new();
    for node in root.get("rules").and_then(Node::items).unwrap_or_default() {
        let id_hint = node.get("id").and_then(Node::scalar).map(|s| s.text.clone());
        let raw: RawRule = serde_json::from_value(node.to_json_typed_without("examples"))
            .map_err(|e| serde_error(file, node, id_hint.as_deref(), &e))?;
        let examples = node
            .get("examples")
            .cloned()
            .map_or(ExamplesSrc::None, ExamplesSrc::Node);
        rules.push(build_rule(
            &cx,
            &mut ids,
            raw,
            &At {
                span: node.span,
                node: Some(node),
            },
            examples,
        )?);
    }
    let mut overrides = Vec::new();
    for node in root.get("overrides").and_then(Node::items).unwrap_or_default() {
        let id_hint = node.get("rule").and_then(Node::scalar).map(|s| s.text.clone());
        let raw: RawOverride = serde_json::from_value(node.to_json_typed_without("examples"))
            .map_err(|e| serde_error(file, node, id_hint.as_deref(), &e))?;
        let examples = node
            .get("examples")
            .cloned()
            .map_or(ExamplesSrc::None, ExamplesSrc::Node);
        overrides.push(build_override(
            &cx,
            raw,
            &At {
                span: node.span,
                node: Some(node),
            },
            examples,
        )?);
    }
    drop(cx);
    Ok(finish(header, file, rules, overrides))
}

/// Builds a rule set from JSON compiled at build time (no positions; the data was validated then).
pub fn parse_rule_json(file: &str, text: &str) -> Result<RuleSet, RuleError> {
    let mut header: RawHeader<RawRule, RawOverride> =
        serde_json::from_str(text).map_err(|e| RuleError::file(file, &e.to_string()))?;
    let raw_rules = std::mem::take(&mut header.rules);
    let raw_overrides = std::mem::take(&mut header.overrides);
    let layer = header.ruleset.clone();
    let cx = context(file, &mut header, false);
    let cx = Context { layer: &layer, ..cx };
    let at = At {
        span: Span::START,
        node: None,
    };
    let mut ids = BTreeSet::new();
    let rules = raw_rules
        .into_iter()
        .map(|r| build_rule(&cx, &mut ids, r, &at, ExamplesSrc::None))
        .collect::<Result<Vec<_>, _>>()?;
    let overrides = raw_overrides
        .into_iter()
        .map(|o| build_override(&cx, o, &at, ExamplesSrc::None))
        .collect::<Result<Vec<_>, _>>()?;
    drop(cx);
    Ok(finish(header, file, rules, overrides))
}

/// Applies a province override to a copy of a national rule.
pub fn apply_override(rule: &mut Rule, o: &Override, by: &str) {
    let mut params = rule.params.clone();
    for (k, v) in &o.params {
        params.insert(k.clone(), v.clone());
    }
    if let Ok(check) = Check::from_params(rule.check.id(), &params) {
        rule.check = check;
        rule.params = params;
    }
    if let Some(s) = o.severity {
        rule.severity = s;
    }
    if let Some(m) = o.missing {
        rule.missing = m;
    }
    if let Some(w) = &o.when {
        rule.when = Some(w.clone());
    }
    if let Some(m) = &o.message {
        rule.message = m.clone();
    }
    if let Some(h) = &o.hint {
        rule.hint = Some(h.clone());
    }
    if let Some(c) = o.confidence {
        rule.confidence = c;
    }
    rule.examples_src = o.examples_src.clone();
    rule.overridden = Some(Overridden {
        by: by.to_string(),
        note: o.note.clone(),
        sources: o.sources.clone(),
    });
}

/// Loads and validates every rule set (what `rules`, `explain`, `--verify` and a `--rules-dir` need).
pub fn load_catalog(files: &Files, origin: Origin) -> Result<Catalog, RuleError> {
    load(files, origin, false)
}

/// Loads the parser and national layers now and each province's rule set when an application first names it
/// (what `check` needs: start-up then costs one province, not 31). Falls back to an eager load when the
/// build-time index of document kinds is absent (a `--rules-dir`). The embedded files are validated eagerly by
/// the test suite, so a lazy load meets no error there in practice; any error still reaches the user.
pub fn load_catalog_lazy(files: &Files, origin: Origin) -> Result<Catalog, RuleError> {
    load(files, origin, true)
}

fn parse_set(files: &Files, path: &str, text: &str) -> Result<RuleSet, RuleError> {
    parse_named(
        &files.name(path),
        path.trim_end_matches(".yaml"),
        text,
        files.is_compiled(path),
    )
}

/// Parses a rule file (build-time JSON or YAML) whose rule set must be called `stem`.
fn parse_named(name: &str, stem: &str, text: &str, compiled: bool) -> Result<RuleSet, RuleError> {
    let set = if compiled {
        parse_rule_json(name, text)?
    } else {
        parse_rule_tree(name, &data_tree(name, text, false)?, true)?
    };
    if set.id != stem {
        return Err(RuleError::file(
            name,
            &format!("`ruleset: {}` must match the file name `{stem}`", set.id),
        ));
    }
    Ok(set)
}

fn load(files: &Files, origin: Origin, lazy: bool) -> Result<Catalog, RuleError> {
    let index: Option<BTreeMap<String, Vec<RawTerm>>> = match files.get(super::files::DOCUMENT_KINDS_INDEX) {
        Some(text) if lazy => Some(
            serde_json::from_str(text)
                .map_err(|e| RuleError::file(super::files::DOCUMENT_KINDS_INDEX, &e.to_string()))?,
        ),
        _ => None,
    };
    let mut input = None;
    let mut national = None;
    let mut parsed = BTreeMap::new();
    let mut pending = BTreeMap::new();
    for (path, text) in files.rule_files() {
        let stem = path.trim_end_matches(".yaml");
        match stem {
            "input" => input = Some(parse_set(files, path, text)?),
            "national" => national = Some(parse_set(files, path, text)?),
            _ if index.is_some() => {
                pending.insert(
                    stem.to_string(),
                    (
                        files.name(path),
                        files.files.get(path).cloned().unwrap_or_default(),
                        files.is_compiled(path),
                    ),
                );
            }
            _ => {
                parsed.insert(stem.to_string(), parse_set(files, path, text)?);
            }
        }
    }
    let input =
        input.ok_or_else(|| RuleError::file("provinces/input.yaml", "the parser's rule file is missing"))?;
    let national = national
        .ok_or_else(|| RuleError::file("provinces/national.yaml", "the national rule file is missing"))?;
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Retired {
        retired: Vec<String>,
    }
    let retired: Vec<String> = match files.get("retired.yaml") {
        None => Vec::new(),
        Some(text) => {
            let name = files.name("retired.yaml");
            let tree = data_tree(&name, text, files.is_compiled("retired.yaml"))?;
            serde_json::from_value::<Retired>(tree.to_json_typed())
                .map_err(|e| RuleError::file(&name, &e.to_string()))?
                .retired
        }
    };
    for set in [&input, &national] {
        not_retired(set, &retired)?;
    }
    let extra: Vec<Term> = match &index {
        Some(index) => index
            .values()
            .flatten()
            .map(|t| Term {
                id: t.id.clone(),
                aliases: t.aliases.clone(),
            })
            .collect(),
        None => parsed
            .values()
            .flat_map(|s: &RuleSet| s.document_kinds.iter().cloned())
            .collect(),
    };
    let data = Data::load(files, &extra)?;
    // Ids are unique within a file and start with the file's rule set, so they are unique across files.
    let mut slots = BTreeMap::new();
    for (id, set) in parsed {
        validate_province(&set, &national, &data, &retired)?;
        slots.insert(id, Slot::loaded(set));
    }
    for (id, (name, text, compiled)) in pending {
        slots.insert(id, Slot::pending(name, text, compiled));
    }
    Ok(Catalog::new(input, national, slots, retired, data, origin))
}

/// Parses province `id`'s file and validates it against the national layer (what a lazy slot runs).
pub fn load_province(
    id: &str,
    name: &str,
    text: &str,
    compiled: bool,
    national: &RuleSet,
    data: &Data,
    retired: &[String],
) -> Result<RuleSet, RuleError> {
    let set = parse_named(name, id, text, compiled)?;
    validate_province(&set, national, data, retired)?;
    Ok(set)
}

fn not_retired(set: &RuleSet, retired: &[String]) -> Result<(), RuleError> {
    match set.rules.iter().find(|r| retired.contains(&r.id)) {
        Some(r) => Err(RuleError {
            file: set.file.clone(),
            line: r.line,
            column: 1,
            rule: Some(r.id.clone()),
            message: "this id is retired (provinces/retired.yaml) and cannot be reused".into(),
        }),
        None => Ok(()),
    }
}

/// A province file names its own province and overrides only national rules, with parameters they accept.
fn validate_province(
    set: &RuleSet,
    national: &RuleSet,
    data: &Data,
    retired: &[String],
) -> Result<(), RuleError> {
    not_retired(set, retired)?;
    let info = set.province.as_deref().and_then(|c| data.provinces.by_code(c));
    if info.is_none_or(|p| p.id != set.id) {
        return Err(RuleError::file(
            &set.file,
            &format!("`province` must be the GB/T 2260 code of `{}`", set.id),
        ));
    }
    for o in &set.overrides {
        let Some(base) = national.rules.iter().find(|r| r.id == o.rule) else {
            return Err(RuleError {
                file: set.file.clone(),
                line: o.line,
                column: 1,
                rule: Some(o.rule.clone()),
                message: "override of a rule the national layer does not have".into(),
            });
        };
        let mut merged = base.params.clone();
        merged.extend(o.params.clone());
        Check::from_params(base.check.id(), &merged).map_err(|m| RuleError {
            file: set.file.clone(),
            line: o.line,
            column: 1,
            rule: Some(o.rule.clone()),
            message: m,
        })?;
    }
    Ok(())
}
