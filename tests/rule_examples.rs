//! Every rule's own examples (in `provinces/*.yaml`) run here: the base application with the example's changes,
//! checked with the rule's layer, must give the rule the expected status.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use beian::date::Date;
use beian::engine::{Options, evaluate};
use beian::input::{self, Document, Limits, node};
use beian::model;
use beian::outcome::Status;
use beian::rules::files::Files;
use beian::rules::load::load_catalog;
use beian::rules::{Catalog, Example, Expect, Origin, Rule};

fn fixture(files: &Files, base: &str) -> input::Node {
    let text = files
        .get(&format!("fixtures/{base}.yaml"))
        .unwrap_or_else(|| panic!("no fixture {base}"));
    input::load(text.as_bytes(), &Limits::default()).unwrap().root
}

/// Runs one example; returns a description of the mismatch, if any.
fn run(catalog: &Catalog, files: &Files, rules: &[Rule], rule: &Rule, ex: &Example) -> Result<(), String> {
    let mut root = fixture(files, &ex.base);
    for p in &ex.remove {
        node::remove(&mut root, p);
    }
    for (p, v) in &ex.set {
        node::set(&mut root, p, v.clone())?;
    }
    let mut rules: Vec<Rule> = rules.to_vec();
    if let Some(sev) = ex.severity {
        rules
            .iter_mut()
            .filter(|r| r.id == rule.id)
            .for_each(|r| r.severity = sev);
    }
    if !ex.params.is_empty() {
        let r = rules.iter_mut().find(|r| r.id == rule.id).unwrap();
        let mut params = r.params.clone();
        params.extend(ex.params.clone());
        r.check = beian::checks::Check::from_params(&r.check_kind, &params)?;
        r.params = params;
    }
    let doc = Document {
        text: String::new(),
        root,
    };
    let (app, diags) =
        model::build(&doc.root, &catalog.data.vocab).map_err(|v| format!("version {}", v.value))?;
    let province = ex
        .province
        .as_deref()
        .or(app.province.as_deref())
        .and_then(|p| catalog.data.provinces.resolve(p))
        .ok_or("no province")?;
    let date = ex.date.or(app.date).unwrap_or(Date::new(2026, 12, 1).unwrap());
    let findings = evaluate(
        "example",
        &doc,
        &app,
        diags,
        None,
        province,
        date,
        &rules,
        catalog,
        &Options::default(),
    );
    let mine: Vec<_> = findings.iter().filter(|f| f.rule == rule.id).collect();
    let show = || {
        findings
            .iter()
            .filter(|f| f.status != Status::Pass && f.status != Status::Info)
            .map(|f| format!("{} {:?} {} — {}", f.rule, f.status, f.path, f.message))
            .collect::<Vec<_>>()
            .join("\n    ")
    };
    let want = match ex.expect {
        Expect::Absent => {
            return if mine.is_empty() {
                Ok(())
            } else {
                Err(format!(
                    "expected no finding, got {:?}",
                    mine.iter().map(|f| (f.status, &f.path)).collect::<Vec<_>>()
                ))
            };
        }
        Expect::Pass => {
            return if !mine.is_empty() && mine.iter().all(|f| f.status == Status::Pass) {
                Ok(())
            } else {
                Err(format!(
                    "expected pass, got {:?}\n  non-passing findings:\n    {}",
                    mine.iter()
                        .map(|f| (f.status, &f.path, &f.message))
                        .collect::<Vec<_>>(),
                    show()
                ))
            };
        }
        Expect::Fail => Status::Fail,
        Expect::Warn => Status::Warn,
        Expect::Info => Status::Info,
    };
    let hit = mine
        .iter()
        .any(|f| f.status == want && ex.at.as_ref().is_none_or(|a| *a == f.path));
    if hit {
        Ok(())
    } else {
        Err(format!(
            "expected {want:?} at {:?}, got {:?}\n  all non-passing findings:\n    {}",
            ex.at,
            mine.iter().map(|f| (f.status, &f.path)).collect::<Vec<_>>(),
            show()
        ))
    }
}

#[test]
fn every_rule_example_holds() {
    let files = Files::embedded();
    let catalog = load_catalog(&files, Origin::Embedded).unwrap();
    let mut failures = Vec::new();
    let mut count = 0;
    let national = catalog.effective(None);
    let mut check = |rules: &[Rule], rule: &Rule, examples: &[Example], label: &str| {
        for (i, ex) in examples.iter().enumerate() {
            count += 1;
            let rules_for_example = match &ex.province {
                Some(p) => catalog
                    .effective(catalog.data.provinces.resolve(p).map(|p| p.id.as_str()))
                    .to_vec(),
                None => rules.to_vec(),
            };
            if let Err(e) = run(&catalog, &files, &rules_for_example, rule, ex) {
                failures.push(format!(
                    "{label} {} example #{} ({:?}{}): {e}",
                    rule.id,
                    i + 1,
                    ex.expect,
                    ex.note.as_deref().map(|n| format!(", {n}")).unwrap_or_default()
                ));
            }
        }
    };
    for rule in national.iter().filter(|r| r.layer == "national") {
        check(&national, rule, &rule.examples, "national");
    }
    for set in catalog.provinces.values() {
        let rules = catalog.effective(Some(&set.id));
        for rule in &set.rules {
            check(&rules, rule, &rule.examples, &set.id);
        }
        for o in &set.overrides {
            if let Some(rule) = rules.iter().find(|r| r.id == o.rule) {
                check(&rules, rule, &o.examples, &format!("{} override", set.id));
            }
        }
    }
    assert!(count > 100, "only {count} examples ran");
    assert!(
        failures.is_empty(),
        "{} of {count} rule examples failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_rule_has_passing_and_failing_examples() {
    let catalog = load_catalog(&Files::embedded(), Origin::Embedded).unwrap();
    for set in catalog.sets().filter(|s| s.id != "input") {
        for r in &set.rules {
            let good = r
                .examples
                .iter()
                .any(|e| matches!(e.expect, Expect::Pass | Expect::Absent));
            let bad = r
                .examples
                .iter()
                .any(|e| matches!(e.expect, Expect::Fail | Expect::Warn | Expect::Info));
            assert!(bad, "{} has no failing example", r.id);
            assert!(
                good || r.check_kind == "reminder",
                "{} has no passing example",
                r.id
            );
        }
    }
}
