//! The whole check path under hostile input: arbitrary bytes and mutated valid applications never panic or hang,
//! and every finding has a position. CI runs a short version; for a long run:
//!
//!     PROPTEST_CASES=200000 cargo test --release --test robustness

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use beian::Files;
use beian::load_catalog;
use beian::{Catalog, Origin};
use beian::{FileOutcome, Options, check_bytes};
use proptest::prelude::*;

fn catalog() -> &'static Catalog {
    static C: OnceLock<Catalog> = OnceLock::new();
    C.get_or_init(|| load_catalog(&Files::embedded(), Origin::Embedded).unwrap())
}

const SEEDS: &[&str] = &[
    include_str!("../examples/liaoning-enterprise.yaml"),
    include_str!("../examples/liaoning-enterprise-fail.yaml"),
    include_str!("../examples/liaoning-individual.yaml"),
    include_str!("../examples/liaoning-enterprise.json"),
];

/// Checks bytes and asserts the properties: no panic (the test fails on one), bounded time, positions ≥ 1.
fn holds(bytes: &[u8]) -> Result<(), TestCaseError> {
    let opts = Options::default();
    let start = Instant::now();
    let r = check_bytes("fuzz.yaml", bytes, catalog(), &opts);
    prop_assert!(
        start.elapsed() < Duration::from_secs(5),
        "took {:?}",
        start.elapsed()
    );
    match r.outcome {
        FileOutcome::Error(e) => {
            prop_assert!(e.line >= 1 && e.column >= 1);
            prop_assert!(!e.message.is_empty());
        }
        FileOutcome::Checked(c) => {
            for f in &c.findings {
                prop_assert!(f.line >= 1 && f.column >= 1, "{} at {}", f.rule, f.path);
                prop_assert!(!f.message.is_empty());
            }
        }
    }
    Ok(())
}

/// Things to splice into a valid application.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\t".to_string()),
        Just("\u{200B}".to_string()),
        Just("１３９０４１１２３４５".to_string()),
        Just("&a [1, 2]".to_string()),
        Just("*a".to_string()),
        Just("[1, {a: b}]".to_string()),
        Just("{x: [y, z]}".to_string()),
        Just("!!binary aGVsbG8=".to_string()),
        Just("? complex\n: key".to_string()),
        Just("---\n".to_string()),
        Just("\"unterminated".to_string()),
        Just("1e999".to_string()),
        Just("-0x1F".to_string()),
        Just("~".to_string()),
        "x{1000,5000}".prop_map(|s| s),
        "\\PC{0,20}",
    ]
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Truncate(usize),
    Insert(usize, String),
    ReplaceValue(usize, String),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Flip(i, b)),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), fragment()).prop_map(|(i, s)| Mutation::Insert(i, s)),
        (any::<usize>(), fragment()).prop_map(|(i, s)| Mutation::ReplaceValue(i, s)),
    ]
}

fn apply(seed: &str, m: &Mutation) -> Vec<u8> {
    let mut bytes = seed.as_bytes().to_vec();
    if bytes.is_empty() {
        return bytes;
    }
    match m {
        Mutation::Flip(i, b) => {
            let i = i % bytes.len();
            bytes[i] ^= b | 1;
        }
        Mutation::Truncate(i) => bytes.truncate(i % bytes.len()),
        Mutation::Insert(i, s) => {
            let i = i % bytes.len();
            bytes.splice(i..i, s.bytes());
        }
        Mutation::ReplaceValue(i, s) => {
            // Replace the value of one `key: value` line.
            let lines: Vec<&str> = seed.lines().collect();
            let n = i % lines.len().max(1);
            let out: Vec<String> = lines
                .iter()
                .enumerate()
                .map(|(k, l)| match (k == n, l.split_once(": ")) {
                    (true, Some((key, _))) => format!("{key}: {s}"),
                    _ => (*l).to_string(),
                })
                .collect();
            bytes = out.join("\n").into_bytes();
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        holds(&bytes)?;
    }

    #[test]
    fn mutated_applications_never_panic(seed in 0..SEEDS.len(), ms in proptest::collection::vec(mutation(), 1..4)) {
        let mut text = SEEDS[seed].to_string();
        let mut bytes = text.clone().into_bytes();
        for m in &ms {
            bytes = apply(&text, m);
            text = String::from_utf8_lossy(&bytes).into_owned();
        }
        holds(&bytes)?;
    }
}

#[test]
fn nesting_and_aliases_at_the_limits() {
    let deep = format!("a: {}{}", "[".repeat(10_000), "]".repeat(10_000));
    holds(deep.as_bytes()).unwrap();
    let mut bomb = String::from("province: 辽宁\nx0: &x0 [a, a, a, a, a, a, a, a, a, a]\n");
    for i in 1..20 {
        bomb.push_str(&format!(
            "x{i}: &x{i} [{}]\n",
            vec![format!("*x{}", i - 1); 10].join(", ")
        ));
    }
    holds(bomb.as_bytes()).unwrap();
    let long = format!("province: 辽宁\nentity: {{name: {}}}\n", "长".repeat(300_000));
    holds(long.as_bytes()).unwrap();
}
