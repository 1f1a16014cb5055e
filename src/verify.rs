//! Runs every rule's own examples (`beian rules --verify`, and the test suite): the base application with the
//! example's changes, checked with the rule's layer, must give the rule the expected status.

use crate::date::Date;
use crate::engine::{Evaluation, Options, evaluate};
use crate::input::{self, Document, Limits, node};
use crate::model;
use crate::outcome::Status;
use std::sync::Arc;

use crate::rules::files::Files;
use crate::rules::{Catalog, Example, Expect, Rule, RuleError, load};

/// An example that did not hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    pub layer: String,
    pub rule: String,
    /// 1-based position in the rule's (or override's) example list.
    pub example: usize,
    pub message: String,
}

/// Runs one example; `default_province` is the layer's province (a province file's examples run there).
fn run(
    catalog: &Catalog,
    files: &Files,
    rules: &[Arc<Rule>],
    rule: &Rule,
    ex: &Example,
    default_province: Option<&str>,
) -> Result<(), String> {
    // An API layer's examples start from that API's request body, which is mapped like any body.
    let api = match &rule.layer {
        crate::rules::Layer::Province(l) => catalog.data.apis.apis.get_key_value(l),
        _ => None,
    };
    let base_name = catalog.example_base(rule, ex);
    let base = files
        .get(&format!("fixtures/{base_name}.yaml"))
        .ok_or_else(|| format!("no base application `fixtures/{base_name}.yaml`"))?;
    let mut root = input::load(base.as_bytes(), &Limits::default())
        .map_err(|e| format!("fixture {base_name}: {}", e.message.en))?
        .root;
    for p in &ex.remove {
        node::remove(&mut root, p);
    }
    for (p, v) in &ex.set {
        node::set(&mut root, p, v.clone())?;
    }
    let mut rules: Vec<Arc<Rule>> = rules.to_vec();
    if let Some(r) = rules.iter_mut().find(|r| r.id == rule.id).map(Arc::make_mut) {
        if !ex.params.is_empty() {
            let mut params = r.params.clone();
            params.extend(ex.params.clone());
            r.check = crate::checks::Check::from_params(r.check.id(), &params)?;
            r.params = params;
        }
        if let Some(sev) = ex.severity {
            r.severity = sev;
        }
    }
    let doc = Document {
        text: String::new(),
        root,
        api: None,
    };
    let (doc, body_diags) = match api {
        Some((id, spec)) => crate::payload::translate(doc, id, spec, &catalog.data),
        None => (doc, Vec::new()),
    };
    let (app, mut diags) = model::build(&doc.root, &catalog.data.vocab)
        .map_err(|v| format!("unsupported version {}", v.value))?;
    diags.extend(body_diags);
    let wanted = ex
        .province
        .as_deref()
        .or(default_province)
        .or(app.province.as_deref())
        .ok_or("no province")?;
    let province = catalog
        .data
        .provinces
        .resolve(wanted)
        .ok_or_else(|| format!("unknown province `{wanted}`"))?;
    let date = ex
        .date
        .or(app.date)
        .or_else(|| Date::new(2026, 12, 1))
        .ok_or("no date")?;
    let opts = Options::default();
    let tables = if ex.tables.is_empty() {
        None
    } else {
        let mut tables = catalog.data.apis.tables.clone();
        for (id, rows) in &ex.tables {
            let t = tables
                .get_mut(id)
                .ok_or_else(|| format!("no code table `{id}` in data/apis.yaml"))?;
            t.capture(rows.clone(), "example");
        }
        Some(tables)
    };
    let findings = evaluate(Evaluation {
        file: "example",
        doc: &doc,
        app: &app,
        diags,
        province_note: None,
        province,
        date,
        rules: &rules,
        catalog,
        opts: &opts,
        cross: None,
        tables: tables.as_ref(),
    });
    // A finding folded into the national rule it confirms (`covers`) is still this rule's.
    let mine: Vec<_> = findings
        .iter()
        .filter(|f| f.rule == rule.id || f.also.contains(&rule.id))
        .collect();
    let others = || {
        findings
            .iter()
            .filter(|f| matches!(f.status, Status::Fail | Status::Warn))
            .map(|f| format!("{} {} {}: {}", f.status.id(), f.rule, f.path, f.message))
            .collect::<Vec<_>>()
            .join("\n      ")
    };
    let got = || {
        mine.iter()
            .map(|f| format!("{} at `{}`: {}", f.status.id(), f.path, f.message))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let want = match ex.expect {
        Expect::Absent if mine.is_empty() => return Ok(()),
        Expect::Absent => return Err(format!("expected no finding, got {}", got())),
        Expect::Pass if !mine.is_empty() && mine.iter().all(|f| f.status == Status::Pass) => return Ok(()),
        Expect::Pass => {
            return Err(format!(
                "expected pass, got [{}]\n    failures and warnings of the example:\n      {}",
                got(),
                others()
            ));
        }
        Expect::Fail => Status::Fail,
        Expect::Warn => Status::Warn,
        Expect::Info => Status::Info,
    };
    if mine
        .iter()
        .any(|f| f.status == want && ex.at.as_ref().is_none_or(|a| *a == f.path))
    {
        Ok(())
    } else {
        let at = ex.at.as_deref().map(|a| format!(" at `{a}`")).unwrap_or_default();
        Err(format!(
            "expected {}{at}, got [{}]\n    failures and warnings of the example:\n      {}",
            want.id(),
            got(),
            others()
        ))
    }
}

/// Runs every example of every rule set; returns the count and the mismatches.
pub fn verify(catalog: &Catalog, files: &Files) -> (usize, Vec<Mismatch>) {
    let mut count = 0;
    let mut bad = Vec::new();
    let mut check =
        |layer: &str, rules: &[Arc<Rule>], rule: &Rule, examples: &[Example], province: Option<&str>| {
            for (i, ex) in examples.iter().enumerate() {
                count += 1;
                let rules_for_example;
                let rules = match &ex.province {
                    Some(p) if province != Some(p.as_str()) => {
                        rules_for_example =
                            catalog.effective(catalog.data.provinces.resolve(p).map(|p| p.id.as_str()));
                        rules_for_example.as_slice()
                    }
                    _ => rules,
                };
                if let Err(message) = run(catalog, files, rules, rule, ex, province) {
                    bad.push(Mismatch {
                        layer: layer.to_string(),
                        rule: rule.id.clone(),
                        example: i + 1,
                        message,
                    });
                }
            }
        };
    let mut unreadable = Vec::new();
    let mut parsed = |layer: &str, id: &str, r: Result<Vec<Example>, RuleError>| match r {
        Ok(v) => v,
        Err(e) => {
            unreadable.push(Mismatch {
                layer: layer.to_string(),
                rule: id.to_string(),
                example: 0,
                message: e.to_string(),
            });
            Vec::new()
        }
    };
    let national = catalog.effective(None);
    for rule in national
        .iter()
        .filter(|r| r.layer == crate::rules::Layer::National)
    {
        let examples = parsed("national", &rule.id, rule.examples());
        check("national", &national, rule, &examples, None);
    }
    for set in catalog.province_sets() {
        let rules = catalog.effective(Some(&set.id));
        for rule in &set.rules {
            let examples = parsed(&set.id, &rule.id, rule.examples());
            check(&set.id, &rules, rule, &examples, Some(&set.id));
        }
        for o in &set.overrides {
            if let Some(rule) = rules.iter().find(|r| r.id == o.rule) {
                let layer = format!("{} override", set.id);
                let examples = parsed(
                    &layer,
                    &o.rule,
                    load::examples(&set.file, &o.rule, &o.examples_src),
                );
                check(&layer, &rules, rule, &examples, Some(&set.id));
            }
        }
    }
    for set in catalog.api_sets() {
        let id = &set.id;
        let rules = catalog.effective_with_api(None, set);
        for rule in &set.rules {
            let examples = parsed(id, &rule.id, rule.examples());
            check(id, &rules, rule, &examples, None);
        }
    }
    bad.extend(unreadable);
    (count, bad)
}
