//! Rule-data integrity: unique ids, retired ids never reused, every rule with dated sources, both languages,
//! confidence, examples, known check kinds, and fields that exist in the application format.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeSet;

use beian::Files;
use beian::load_catalog;
use beian::pointer_tokens;
use beian::{Catalog, Origin};
use serde_json::Value;

fn catalog() -> Catalog {
    load_catalog(&Files::embedded(), Origin::Embedded).unwrap()
}

/// Whether a pointer pattern (`*` = any item) names something the application schema defines.
fn in_schema(schema: &Value, pattern: &str) -> bool {
    let mut node = schema;
    for t in pointer_tokens(pattern) {
        // Follow `anyOf` to the object alternative.
        if let Some(alts) = node.get("anyOf").and_then(Value::as_array) {
            match alts
                .iter()
                .find(|a| a.get("properties").is_some() || a.get("items").is_some())
            {
                Some(a) => node = a,
                None => return false,
            }
        }
        node = if t == "*" {
            match node.get("items") {
                Some(i) => i,
                None => return false,
            }
        } else {
            match node.get("properties").and_then(|p| p.get(&t)) {
                Some(p) => p,
                None => return false,
            }
        };
    }
    true
}

#[test]
fn rule_fields_exist_in_the_application_format() {
    let c = catalog();
    let schema = beian::application_schema(&c);
    let mut bad = Vec::new();
    for set in c.sets() {
        let api = c.api_set(&set.id).is_some().then_some(set.id.as_str());
        for r in &set.rules {
            for f in &r.fields {
                // An API layer's rules name the body's fields (or the application's, for predicates).
                if api.is_some_and(|a| c.api_field_known(a, f)) {
                    continue;
                }
                if !in_schema(&schema, f) {
                    bad.push(format!("{}: {f}", r.id));
                }
            }
        }
    }
    assert!(
        bad.is_empty(),
        "fields outside the application format:\n{}",
        bad.join("\n")
    );
    assert!(!in_schema(&schema, "/entity/principal/mobil"));
}

#[test]
fn every_rule_is_complete() {
    let c = catalog();
    let mut ids = BTreeSet::new();
    for set in c.sets() {
        assert!(
            beian::Date::parse(&set.reviewed).is_some(),
            "{} reviewed date",
            set.id
        );
        for r in &set.rules {
            assert!(ids.insert(r.id.clone()), "duplicate id {}", r.id);
            assert!(
                r.id.starts_with(&format!("{}.", set.id)),
                "{} outside its layer",
                r.id
            );
            assert!(!r.sources.is_empty(), "{} has no source", r.id);
            for s in &r.sources {
                assert!(
                    beian::Date::parse(&s.seen).is_some(),
                    "{}: source {} has no date seen",
                    r.id,
                    s.key
                );
                assert!(
                    !s.title.trim().is_empty() && !s.url.trim().is_empty(),
                    "{}: source {}",
                    r.id,
                    s.key
                );
            }
            for t in [&r.title, &r.message].into_iter().chain(r.hint.iter()) {
                assert!(
                    !t.zh.trim().is_empty() && !t.en.trim().is_empty(),
                    "{} lacks a language",
                    r.id
                );
                assert!(
                    t.zh.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)),
                    "{}: the zh text has no Chinese: {}",
                    r.id,
                    t.zh
                );
            }
            if r.severity != beian::Severity::Info && !matches!(r.check, beian::Check::Parser(_)) {
                assert!(r.hint.is_some(), "{} has no hint", r.id);
            }
            assert!(beian::Check::KINDS.contains(&r.check.id()), "{}", r.id);
        }
    }
    // The committed list of retired ids is honoured.
    let retired = Files::embedded().get("retired.yaml").map(str::to_string).unwrap();
    for id in retired.lines().filter_map(|l| l.trim().strip_prefix("- ")) {
        assert!(!ids.contains(id.trim()), "retired id {id} is in use");
    }
}

#[test]
fn a_retired_id_cannot_come_back() {
    let mut files = Files::embedded();
    files.files.insert(
        "retired.yaml".into(),
        "retired: [national.phone.emergency-differs]\n".into(),
    );
    files.compiled.remove("retired.yaml");
    let e = load_catalog(&files, Origin::Embedded).unwrap_err();
    assert_eq!(e.rule.as_deref(), Some("national.phone.emergency-differs"));
    assert!(e.message.contains("retired"));
}

#[test]
fn an_unknown_check_kind_or_parameter_is_refused_with_its_line() {
    let mut files = Files::embedded();
    let text = std::fs::read_to_string("provinces/liaoning.yaml").unwrap();
    let broken = text.replacen(
        "params: {mobile_must_be_local: true,",
        "params: {mobile_must_be_locall: true,",
        1,
    );
    files.files.insert("liaoning.yaml".into(), broken.clone().into());
    files.compiled.remove("liaoning.yaml");
    let e = load_catalog(&files, Origin::Embedded).unwrap_err();
    assert_eq!(e.rule.as_deref(), Some("liaoning.mobile-local"));
    let line = broken
        .lines()
        .position(|l| l.contains("mobile_must_be_locall"))
        .unwrap()
        + 1;
    assert_eq!(e.line, line, "{e}");
    assert!(e.message.contains("mobile_must_be_locall"), "{e}");
}

/// `check` parses province rule sets on first use; what it builds must equal the eager load.
#[test]
fn lazy_catalog_equals_the_eager_one() {
    let eager = catalog();
    let lazy = beian::load_catalog_lazy(&Files::embedded(), Origin::Embedded).unwrap();
    assert_eq!(
        format!("{:?}", eager.data.vocab.document_kinds),
        format!("{:?}", lazy.data.vocab.document_kinds),
        "document kinds from the build-time index differ from the rule files"
    );
    let ids: Vec<&str> = eager.province_ids().collect();
    assert_eq!(ids, lazy.province_ids().collect::<Vec<_>>());
    for id in ids {
        assert_eq!(eager.province_set(id), lazy.province_set(id), "{id}");
        assert_eq!(eager.effective(Some(id)), lazy.effective(Some(id)), "{id}");
    }
}

/// `beian explain` works for every rule id a finding can carry, as each province applies it.
#[test]
fn every_rule_id_can_be_explained() {
    use beian::{CommonArgs, ExplainArgs};
    let c = catalog();
    let mut checked = 0;
    for set in c.sets() {
        let province = set.province.as_ref().map(|_| set.id.clone());
        for r in c.effective(province.as_deref()).iter() {
            let args = ExplainArgs {
                rule: r.id.clone(),
                province: province.clone(),
                common: CommonArgs {
                    lang: None,
                    rules_dir: None,
                },
            };
            let mut out = Vec::new();
            let code = beian::explain_in(&c, &args, &mut out).unwrap_or_else(|e| panic!("{}: {e}", r.id));
            let text = String::from_utf8(out).unwrap();
            assert_eq!(code, 0, "{}", r.id);
            assert!(
                text.starts_with(&r.id) && text.contains("sources:"),
                "{}: {text}",
                r.id
            );
            checked += 1;
        }
    }
    assert!(checked > 3000, "{checked}");
}

/// docs/rules/ is generated from the rule data: regenerating it changes nothing.
#[test]
fn rule_pages_are_current() {
    let dir = std::env::temp_dir().join(format!("beian-rule-pages-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = assert_cmd::cargo::cargo_bin_cmd!("beian")
        .args(["rules", "--docs"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(out.status.success());
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut committed: Vec<String> = std::fs::read_dir("docs/rules")
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    committed.sort();
    assert_eq!(names, committed, "run `cargo run -- rules --docs docs/rules`");
    for n in &names {
        let fresh = std::fs::read_to_string(dir.join(n)).unwrap();
        let old = std::fs::read_to_string(std::path::Path::new("docs/rules").join(n)).unwrap();
        assert!(
            fresh == old,
            "docs/rules/{n} is stale: run `cargo run -- rules --docs docs/rules`"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
