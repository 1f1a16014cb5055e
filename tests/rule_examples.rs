//! Every rule's own examples (in `provinces/*.yaml`) run here, through the same code as `beian rules --verify`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use beian::Files;
use beian::load_catalog;
use beian::verify;
use beian::{Expect, Origin};

#[test]
fn every_rule_example_holds() {
    let files = Files::embedded();
    let catalog = load_catalog(&files, Origin::Embedded).unwrap();
    let (count, bad) = verify(&catalog, &files);
    assert!(count > 300, "only {count} examples ran");
    let report: Vec<String> = bad
        .iter()
        .map(|m| format!("{} {} example #{}: {}", m.layer, m.rule, m.example, m.message))
        .collect();
    assert!(
        bad.is_empty(),
        "{} of {count} rule examples failed:\n{}",
        bad.len(),
        report.join("\n")
    );
}

#[test]
fn every_rule_has_passing_and_failing_examples() {
    let catalog = load_catalog(&Files::embedded(), Origin::Embedded).unwrap();
    for set in catalog.sets().filter(|s| s.id != "input") {
        for r in set
            .rules
            .iter()
            .filter(|r| !matches!(r.check, beian::Check::CrossFile(_)))
        {
            let good = r
                .examples()
                .unwrap()
                .iter()
                .any(|e| matches!(e.expect, Expect::Pass | Expect::Absent));
            let bad = r
                .examples()
                .unwrap()
                .iter()
                .any(|e| matches!(e.expect, Expect::Fail | Expect::Warn | Expect::Info));
            assert!(bad, "{} has no failing example", r.id);
            assert!(
                good || matches!(r.check, beian::Check::Reminder(_)),
                "{} has no passing example",
                r.id
            );
        }
    }
}
