//! docs/coverage.md is generated from the rule data; this test fails when it is stale.
//! `BEIAN_UPDATE_DOCS=1 cargo test --test coverage` rewrites it.

#![allow(clippy::panic)]

use beian::Catalog;
use beian::Files;
use beian::Origin;
use beian::load_catalog;

fn load() -> Catalog {
    load_catalog(&Files::embedded(), Origin::Embedded).unwrap_or_else(|e| panic!("embedded rules: {e}"))
}

#[test]
fn coverage_document_is_current() {
    let catalog = load();
    let want = beian::coverage_markdown(&catalog);
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/coverage.md");
    if std::env::var_os("BEIAN_UPDATE_DOCS").is_some() {
        std::fs::write(path, &want).unwrap_or_else(|e| panic!("{path}: {e}"));
        return;
    }
    let have = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        have == want,
        "docs/coverage.md is stale: run `BEIAN_UPDATE_DOCS=1 cargo test --test coverage`"
    );
}

#[test]
fn coverage_counts_match_the_rule_sets() {
    let catalog = load();
    let rows = beian::coverage_rows(&catalog);
    assert_eq!(rows.len(), 31, "31 provinces");
    for r in &rows {
        match (catalog.province_set(&r.id), &r.set) {
            (Some(s), Some(f)) => {
                assert_eq!(f.rules, s.rules.len(), "{}", r.id);
                assert_eq!(f.overrides, s.overrides.len(), "{}", r.id);
                assert!(f.rules > 0, "{} has a rule set without rules", r.id);
            }
            (None, None) => {}
            _ => panic!("{}: coverage row disagrees with the catalog", r.id),
        }
    }
}
