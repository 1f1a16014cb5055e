//! One rule file → a validated rule set: rules and overrides built from the file's tree, with positions, sources,
//! message templates and predicates checked.

use std::collections::{BTreeMap, BTreeSet};

use super::error::RuleError;
use super::examples::*;
use super::raw::*;
use super::template::placeholders;
use super::{Applies, Natures, Overridden, Override, Rule, RuleSet, Severity, Source};
use super::{ExamplesSrc, Layer};
use crate::checks::predicate::lang::{self as predicate, Assert, PredError};
use crate::checks::{COMMON_VARS, Check};
use crate::input::node::{Node, Span};
use crate::input::{self, Limits};
use crate::model::{FilingType, Nature, Term};
pub(super) fn parse_list<T>(
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

pub(super) fn applies(file: &str, span: Span, id: &str, raw: RawApplies) -> Result<Applies, RuleError> {
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

pub(super) fn resolve_sources(
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

pub(super) fn check_templates(file: &str, span: Span, rule: &Rule) -> Result<(), RuleError> {
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

/// The tree of a data file: JSON compiled at build time, or YAML read with positions.
pub(crate) fn data_tree(file: &str, text: &str, compiled: bool) -> Result<Node, RuleError> {
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

/// Builds a rule set from its tree.
/// Where a rule or override was read: its position and, from YAML, its node (to point at keys).
pub(super) struct At<'n> {
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
pub(super) struct Context<'c> {
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

pub(super) fn build_rule(
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
    let when = match &raw.when {
        Some(w) => Some(Box::new(
            predicate::parse(&pred_node("when", w), Some(&cx.doc_kinds)).map_err(pred_error)?,
        )),
        None => None,
    };
    // A predicate is parsed once, from the tree that carries positions, and becomes the check itself.
    let check = if raw.check == "assert" {
        let params = serde_json::Value::Object(raw.params.clone());
        let assert = Assert::parse(&pred_node("params", &params), Some(&cx.doc_kinds)).map_err(pred_error)?;
        Check::Assert(Box::new(assert))
    } else {
        Check::from_params(&raw.check, &raw.params)
            .map_err(|m| RuleError::at(file, at.key(&["params", "check"]), Some(&id), m))?
    };
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
        covers: raw.covers,
        effective,
        examples_src: examples,
        file: file.to_string(),
        line: at.span.line,
        overridden: None,
        urls_cache: std::sync::OnceLock::new(),
        id,
    };
    check_templates(file, at.span, &rule)?;
    if cx.full {
        check_examples(file, at.span, &rule, cx.require_examples)?;
    }
    Ok(rule)
}

pub(super) fn build_override(
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
            Some(Box::new(predicate::parse(&node, Some(&cx.doc_kinds)).map_err(
                |e| RuleError::at(cx.file, e.span, Some(&raw.rule), e.message),
            )?))
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

pub(super) fn finish<R, O>(
    header: RawHeader<R, O>,
    file: &str,
    rules: Vec<Rule>,
    overrides: Vec<Override>,
) -> RuleSet {
    RuleSet {
        id: header.ruleset,
        province: header.province,
        version: header.version,
        reviewed: header.reviewed,
        rules: rules.into_iter().map(std::sync::Arc::new).collect(),
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

pub(super) fn context<'c, R, O>(file: &'c str, header: &'c mut RawHeader<R, O>, full: bool) -> Context<'c> {
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
pub(crate) fn parse_rule_tree(file: &str, root: &Node, full: bool) -> Result<RuleSet, RuleError> {
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
pub(crate) fn parse_rule_json(file: &str, text: &str) -> Result<RuleSet, RuleError> {
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
pub(crate) fn apply_override(rule: &mut Rule, o: &Override, by: &str) {
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
    // The province's reason is the advice unless it gives its own: the national hint may recommend what the
    // province no longer accepts (广东: an authorization letter does not help).
    rule.hint = Some(o.hint.clone().unwrap_or_else(|| o.note.clone()));
    if let Some(c) = o.confidence {
        rule.confidence = c;
    }
    rule.examples_src = o.examples_src.clone();
    rule.urls_cache = std::sync::OnceLock::new();
    rule.overridden = Some(Overridden {
        by: by.to_string(),
        note: o.note.clone(),
        sources: o.sources.clone(),
    });
}
