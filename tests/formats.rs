//! The machine formats: JSON against its published schema, the committed schemas, SARIF, JUnit, GitHub, and
//! suppressions in every format.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use assert_cmd::cargo::cargo_bin_cmd;
use std::collections::BTreeSet;

use serde_json::Value;

fn beian() -> assert_cmd::Command {
    let mut c = cargo_bin_cmd!("beian");
    c.env("NO_COLOR", "1")
        .env("LANG", "en_US.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES");
    c
}

fn stdout(args: &[&str]) -> String {
    String::from_utf8(beian().args(args).output().unwrap().stdout).unwrap()
}

fn examples() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir("examples")
        .unwrap()
        .map(|e| e.unwrap().path().to_string_lossy().into_owned())
        .filter(|p| p.ends_with(".yaml") || p.ends_with(".json"))
        .collect();
    v.sort();
    v
}

#[test]
fn committed_schemas_are_current() {
    for which in ["application", "report"] {
        let generated: Value = serde_json::from_str(&stdout(&["schema", which])).unwrap();
        let committed: Value =
            serde_json::from_str(&std::fs::read_to_string(format!("schemas/{which}.schema.json")).unwrap())
                .unwrap();
        assert!(
            generated == committed,
            "schemas/{which}.schema.json is stale: run `cargo run -- schema {which} > schemas/{which}.schema.json`"
        );
    }
}

#[test]
fn json_reports_validate_against_the_report_schema() {
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string("schemas/report.schema.json").unwrap()).unwrap();
    let validator = jsonschema::draft7::new(&schema).unwrap();
    let mut args: Vec<String> = vec!["check".into(), "--format".into(), "json".into()];
    args.extend(examples());
    args.push("missing-file.yaml".into());
    let out = beian().args(&args).output().unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&report)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    // The schema is not vacuous: a report with a bad status is refused.
    let mut broken = report.clone();
    broken["results"][0]["findings"][0]["status"] = Value::from("maybe");
    assert!(!validator.is_valid(&broken));
    let mut broken = report;
    broken["results"][0]["findings"][0]["line"] = Value::from(0);
    assert!(!validator.is_valid(&broken));
}

#[test]
fn examples_validate_against_the_application_schema() {
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string("schemas/application.schema.json").unwrap()).unwrap();
    let validator = jsonschema::draft7::new(&schema).unwrap();
    // Failing examples may carry deliberate format errors (an unknown key); valid ones must conform.
    for file in examples().into_iter().filter(|f| !f.contains("-fail")) {
        let text = std::fs::read_to_string(&file).unwrap();
        let doc = beian::load_document(text.as_bytes(), &beian::Limits::default()).unwrap();
        let value = doc.root.to_json_typed();
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{file}: {}", errors.join("\n"));
    }
    let bad = serde_json::json!({"filing_type": "first_filing", "entity": {"nature": "company"}});
    assert!(!validator.is_valid(&bad));
}

#[test]
fn sarif_has_rules_locations_and_suppressions() {
    let out = stdout(&[
        "check",
        "examples/liaoning-enterprise-fail.yaml",
        "--format",
        "sarif",
        "--ignore",
        "liaoning.mobile-local=accepted in writing",
    ]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    for r in results {
        let idx = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], r["ruleId"]);
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1 && region["startColumn"].as_u64().unwrap() >= 1);
        assert_eq!(
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "examples/liaoning-enterprise-fail.yaml"
        );
    }
    let emergency = results
        .iter()
        .find(|r| r["ruleId"] == "national.phone.emergency-differs")
        .unwrap();
    assert_eq!(emergency["level"], "error");
    assert_eq!(
        emergency["locations"][0]["physicalLocation"]["region"]["startLine"],
        29
    );
    assert_eq!(
        emergency["locations"][0]["physicalLocation"]["region"]["startColumn"],
        22
    );
    let waived = results
        .iter()
        .find(|r| r["ruleId"] == "liaoning.mobile-local")
        .unwrap();
    assert_eq!(waived["suppressions"][0]["kind"], "external");
    assert!(
        rules
            .iter()
            .all(|r| r["helpUri"].as_str().is_none_or(|u| u.starts_with("http")))
    );
    assert!(!out.contains("13904112345"));
    // Accepted by the OASIS SARIF 2.1.0 schema.
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string("tests/data/sarif-schema-2.1.0.json").unwrap())
            .unwrap();
    let validator = jsonschema::draft7::new(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&v)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let mut broken = v.clone();
    broken["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!validator.is_valid(&broken));
}

#[test]
fn junit_has_a_suite_per_file_and_a_case_per_rule() {
    let out = stdout(&[
        "check",
        "examples/liaoning-enterprise-fail.yaml",
        "examples/liaoning-enterprise.yaml",
        "--format",
        "junit",
    ]);
    assert!(out.starts_with("<?xml"));
    assert_eq!(out.matches("<testsuite ").count(), 2);
    assert!(out.contains("<testcase name=\"national.phone.emergency-differs\" classname=\"examples/liaoning-enterprise-fail.yaml\">"));
    assert!(out.contains("<failure message="));
    // Well-formed XML with the structure JUnit consumers (Jenkins, GitLab) read: testsuites > testsuite
    // (name, tests, failures, errors, skipped) > testcase (name, classname) > failure | skipped | error | system-out.
    let xml = roxmltree::Document::parse(&out).unwrap();
    let root = xml.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    for suite in root.children().filter(|n| n.is_element()) {
        assert_eq!(suite.tag_name().name(), "testsuite");
        for a in ["name", "tests", "failures", "errors", "skipped"] {
            assert!(suite.attribute(a).is_some(), "testsuite lacks {a}");
        }
        let cases: Vec<_> = suite.children().filter(|n| n.is_element()).collect();
        assert_eq!(
            suite.attribute("tests").unwrap().parse::<usize>().unwrap(),
            cases.len()
        );
        let failures = cases
            .iter()
            .filter(|c| c.children().any(|n| n.has_tag_name("failure")))
            .count();
        assert_eq!(
            suite.attribute("failures").unwrap().parse::<usize>().unwrap(),
            failures
        );
        for c in cases {
            assert_eq!(c.tag_name().name(), "testcase");
            assert!(c.attribute("name").is_some() && c.attribute("classname").is_some());
            for child in c.children().filter(|n| n.is_element()) {
                assert!(["failure", "skipped", "error", "system-out"].contains(&child.tag_name().name()));
            }
        }
    }
    assert!(!out.contains("13904112345"));
}

#[test]
fn github_annotations_are_escaped_and_summarised() {
    let out = stdout(&[
        "check",
        "examples/liaoning-enterprise-fail.yaml",
        "--format",
        "github",
    ]);
    let error = out
        .lines()
        .find(|l| l.contains("title=national.phone.emergency-differs"))
        .unwrap();
    assert!(error.starts_with("::error file=examples/liaoning-enterprise-fail.yaml,line=29,col=22,title=national.phone.emergency-differs::"));
    assert!(
        error.contains("%0A"),
        "message and hint are joined by an escaped newline"
    );
    assert!(out.lines().last().unwrap().starts_with("beian: 1 file(s)"));
}

#[test]
fn suppressions_by_comment_file_and_flag() {
    let text = std::fs::read_to_string("examples/liaoning-enterprise-fail.yaml").unwrap().replace(
        "    emergency_phone: \"13904112345\"             # the same as the mobile",
        "    emergency_phone: \"13904112345\"  # beian: ignore[national.phone.emergency-differs] provider confirmed",
    ) + "suppressions:\n  - {rule: national.name.min-han-chars, path: /websites/0/name, reason: brand name}\n  - {rule: national.domain.expiry-margin}\n  - {rule: national.id.uscc-checksum, reason: unused}\n  - {rule: national.domain.registrable-only, reason: kept for the transfer}\n";
    let dir = std::env::temp_dir().join(format!("beian-supp-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("app.yaml");
    std::fs::write(&path, text).unwrap();
    let out = beian()
        .args([
            "check",
            path.to_str().unwrap(),
            "--format",
            "json",
            "--ignore",
            "liaoning.mobile-local=accepted",
            "--ignore",
            "national.phone.mobile-unique-per-person=x",
        ])
        .output()
        .unwrap();
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("--ignore national.phone.mobile-unique-per-person: matched no finding")
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = v["results"][0]["findings"].as_array().unwrap();
    let by = |rule: &str| f.iter().filter(|x| x["rule"] == rule).collect::<Vec<_>>();
    let e = &by("national.phone.emergency-differs")[0];
    assert_eq!(e["status"], "suppressed");
    assert_eq!(e["original_status"], "fail");
    assert_eq!(
        e["suppression"],
        serde_json::json!({"reason": "provider confirmed", "origin": "comment"})
    );
    assert_eq!(
        by("national.name.min-han-chars")[0]["suppression"]["origin"],
        "file"
    );
    assert_eq!(by("liaoning.mobile-local")[0]["suppression"]["origin"], "flag");
    assert_eq!(by("input.suppression-reason")[0]["status"], "fail");
    assert_eq!(by("input.suppression-reason")[0]["path"], "/suppressions/1");
    assert_eq!(by("input.suppression-unused")[0]["status"], "warn");
    assert_eq!(
        by("national.domain.expiry-margin")[0]["status"],
        "fail",
        "a suppression without a reason waives nothing"
    );
    assert_eq!(v["results"][0]["counts"]["suppressed"], 4);
}

#[test]
fn mandatory_rules_cannot_be_waived() {
    let out = beian()
        .args([
            "check",
            "examples/liaoning-individual-fail.yaml",
            "--format",
            "json",
            "--ignore",
            "national.id.id-card-number=typo in the card",
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = v["results"][0]["findings"].as_array().unwrap();
    assert!(
        f.iter()
            .filter(|x| x["rule"] == "national.id.id-card-number")
            .all(|x| x["status"] == "fail")
    );
    assert!(
        f.iter()
            .any(|x| x["rule"] == "input.suppression-mandatory" && x["status"] == "warn")
    );
}

/// SARIF locations: a relative name under %SRCROOT% (declared in originalUriBaseIds), an absolute one as a file://
/// URI, both percent-encoded (`#` included); regions carry their end; rules carry Markdown help.
#[test]
fn sarif_locations_regions_and_help() {
    let dir = std::env::temp_dir().join(format!("beian-sarif-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("a #1.yaml");
    std::fs::copy("examples/liaoning-enterprise-fail.yaml", &path).unwrap();
    let out = beian()
        .args([
            "check",
            path.to_str().unwrap(),
            "examples/liaoning-enterprise-fail.yaml",
            "--format",
            "sarif",
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let run = &v["runs"][0];
    assert!(
        run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
            .as_str()
            .unwrap()
            .starts_with("file:///")
    );
    let uris: BTreeSet<String> = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let a = &r["locations"][0]["physicalLocation"]["artifactLocation"];
            format!(
                "{} {}",
                a["uri"].as_str().unwrap(),
                a["uriBaseId"].as_str().unwrap_or("-")
            )
        })
        .collect();
    assert!(
        uris.contains("examples/liaoning-enterprise-fail.yaml %SRCROOT%"),
        "{uris:?}"
    );
    assert!(
        uris.iter()
            .any(|u| u.starts_with("file:///") && u.ends_with("/a%20%231.yaml -")),
        "{uris:?}"
    );
    let region = &run["results"][0]["locations"][0]["physicalLocation"]["region"];
    assert!(region["endLine"].as_u64().unwrap() >= region["startLine"].as_u64().unwrap());
    assert!(region["endColumn"].is_u64());
    let rule = &run["tool"]["driver"]["rules"][0];
    assert!(rule["help"]["markdown"].as_str().unwrap().contains("**"));
    assert!(
        rule["help"]["text"].as_str().unwrap().len()
            > rule["shortDescription"]["text"].as_str().unwrap().len()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Places `leaf` at a schema location (`properties` → an object key, `items` → a one-element list).
fn place(path: &[&str], leaf: Value) -> Value {
    match path.split_first() {
        None => leaf,
        Some((&"items", rest)) => Value::Array(vec![place(rest, leaf)]),
        Some((key, rest)) => {
            let mut m = serde_json::Map::new();
            m.insert((*key).to_string(), place(rest, leaf));
            Value::Object(m)
        }
    }
}

/// Every enumeration of the application schema, with the property path that leads to it.
fn enumerations<'a>(node: &'a Value, path: &mut Vec<&'a str>, out: &mut Vec<(Vec<&'a str>, &'a Vec<Value>)>) {
    let Some(obj) = node.as_object() else { return };
    if let Some(Value::Array(values)) = obj.get("enum") {
        out.push((path.clone(), values));
    }
    if let Some(Value::Object(props)) = obj.get("properties") {
        for (k, v) in props {
            path.push(k.as_str());
            enumerations(v, path, out);
            path.pop();
        }
    }
    if let Some(items) = obj.get("items") {
        path.push("items");
        enumerations(items, path, out);
        path.pop();
    }
    if let Some(Value::Array(alts)) = obj.get("anyOf") {
        for a in alts {
            enumerations(a, path, out);
        }
    }
}

/// The JSON report (every finding) of a JSON application given on standard input, for 辽宁.
fn check_json_text(doc: &Value) -> String {
    let out = beian()
        .args([
            "check",
            "-",
            "--format",
            "json",
            "--level",
            "pass",
            "--stdin-filename",
            "a.json",
        ])
        .args(["--province", "liaoning"])
        .write_stdin(doc.to_string())
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

/// The parser and the schema come from one definition: every value an enumeration of the schema lists is read by
/// the parser without a word, and what the schema refuses (another spelling, another date format) the parser
/// refuses or reports too.
#[test]
fn the_schema_and_the_parser_agree() {
    let schema: Value = serde_json::from_str(&stdout(&["schema", "application"])).unwrap();
    let validator = jsonschema::draft7::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    let mut found = Vec::new();
    enumerations(&schema, &mut Vec::new(), &mut found);
    assert!(found.len() > 10, "{}", found.len());
    let mut checked = 0;
    for (path, values) in &found {
        // The document list's plain-string form and the version number are read elsewhere.
        if path.is_empty() || path == &["version"] {
            continue;
        }
        let pointer: String = path
            .iter()
            .map(|p| {
                if *p == "items" {
                    "/0".to_string()
                } else {
                    format!("/{p}")
                }
            })
            .collect();
        for v in values.iter().filter(|v| v.is_string()) {
            let doc = place(path, v.clone());
            let report: Value = serde_json::from_str(&check_json_text(&doc)).unwrap();
            // Checked, so the parser did read the value.
            assert_ne!(
                report["results"][0]["verdict"], "error",
                "{pointer} = {v}: {report}"
            );
            let complaints: Vec<&Value> = report["results"][0]["findings"]
                .as_array()
                .map(|a| a.iter().collect())
                .unwrap_or_default();
            let bad: Vec<&&Value> = complaints
                .iter()
                .filter(|f| {
                    ["input.unknown-value", "input.normalised", "input.wrong-type"]
                        .contains(&f["rule"].as_str().unwrap())
                        && f["path"].as_str().unwrap().starts_with(&pointer)
                })
                .collect();
            assert!(bad.is_empty(), "{pointer} = {v}: {bad:?}");
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked}");
    // Another spelling: the schema refuses it, the parser reads it with a warning saying how.
    let doc = serde_json::json!({"filing_type": "first-filing"});
    assert!(!validator.is_valid(&doc));
    let text = check_json_text(&doc);
    assert!(
        text.contains("input.normalised") && text.contains("first_filing"),
        "{text}"
    );
    // Another date format: refused by both.
    let mut app: Value = serde_json::from_str(
        &std::fs::read_to_string("examples/liaoning-enterprise.json").unwrap_or_else(|_| "{}".into()),
    )
    .unwrap_or(Value::Null);
    if app.is_null() {
        app = serde_json::json!({"filing_type": "first_filing", "entity": {"principal": {"cert_valid_until": "2035-06-30"}}});
    }
    for (value, ok) in [("2035-06-30", true), ("2035/06/30", false), ("长期", true)] {
        app["entity"]["principal"]["cert_valid_until"] = Value::String(value.into());
        assert_eq!(validator.is_valid(&app), ok, "schema: {value}");
        let text = check_json_text(&app);
        assert_eq!(!text.contains("input.wrong-type"), ok, "parser: {value}: {text}");
    }
}
