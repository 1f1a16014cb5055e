//! The YAML 1.2 test suite (tests/data/yaml-test-suite.json): every case the suite marks invalid is refused with
//! a position, none panics, and valid single-document cases parse.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use beian::{Limits, yaml};

#[derive(serde::Deserialize)]
struct Case {
    id: String,
    #[serde(default)]
    name: String,
    fail: bool,
    yaml: String,
}

fn cases() -> Vec<Case> {
    serde_json::from_str(&std::fs::read_to_string("tests/data/yaml-test-suite.json").unwrap()).unwrap()
}

#[test]
fn invalid_yaml_is_refused_with_a_position() {
    let all = cases();
    let invalid: Vec<&Case> = all.iter().filter(|c| c.fail).collect();
    assert!(invalid.len() > 80);
    let accepted: Vec<String> = invalid
        .iter()
        .filter(|c| yaml::parse(&c.yaml, &Limits::default()).is_ok())
        .map(|c| format!("{} ({}): {:?}", c.id, c.name, c.yaml))
        .collect();
    assert!(
        accepted.is_empty(),
        "{} invalid documents accepted:\n{}",
        accepted.len(),
        accepted.join("\n")
    );
    for c in invalid {
        let e = yaml::parse(&c.yaml, &Limits::default()).unwrap_err();
        assert!(e.line >= 1 && e.column >= 1, "{}", c.id);
    }
}

#[test]
fn valid_yaml_parses() {
    let all = cases();
    let mut refused = Vec::new();
    for c in all.iter().filter(|c| !c.fail) {
        if let Err(e) = yaml::parse(&c.yaml, &Limits::default()) {
            refused.push(format!("{} ({}): {}", c.id, c.name, e.message.en));
        }
    }
    // beian refuses on purpose: several documents in one file, empty documents, complex (non-scalar) keys,
    // duplicate keys. Everything else valid must parse.
    let unexpected: Vec<&String> = refused
        .iter()
        .filter(|r| {
            ![
                "more than one YAML document",
                "the file is empty",
                "a mapping key must be a scalar",
                "duplicate key",
            ]
            .iter()
            .any(|k| r.contains(k))
        })
        .collect();
    assert!(
        unexpected.is_empty(),
        "{} valid documents refused:\n{}",
        unexpected.len(),
        unexpected
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}
