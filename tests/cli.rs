//! The command line as a user meets it: exit codes, outputs, bad input, privacy.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::Write;

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;

fn beian() -> assert_cmd::Command {
    let mut c = cargo_bin_cmd!("beian");
    c.env("NO_COLOR", "1")
        .env("LANG", "en_US.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES");
    c
}

/// The JSON report with every finding (`--level pass`, unless the arguments choose a level): these tests look
/// at what the rules decided, passes included.
fn json(args: &[&str], stdin: Option<&[u8]>) -> (Value, i32) {
    let mut c = beian();
    c.arg("check").args(args).args(["--format", "json"]);
    if !args
        .iter()
        .any(|a| ["--level", "--quiet", "-q", "--verbose", "-v"].contains(a))
    {
        c.args(["--level", "pass"]);
    }
    if let Some(s) = stdin {
        c.write_stdin(s.to_vec());
    }
    let out = c.output().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)));
    (v, out.status.code().unwrap())
}

fn first_result(v: &Value) -> &Value {
    &v["results"][0]
}

fn findings<'a>(v: &'a Value, rule: &str) -> Vec<&'a Value> {
    first_result(v)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .collect()
}

const VALID: &str = include_str!("../examples/liaoning-enterprise.yaml");

#[test]
fn passing_examples_exit_zero() {
    for f in [
        "examples/liaoning-enterprise.yaml",
        "examples/liaoning-individual.yaml",
        "examples/liaoning-enterprise.json",
    ] {
        beian().args(["check", f]).assert().code(0);
    }
}

#[test]
fn failing_examples_exit_one() {
    for f in [
        "examples/liaoning-enterprise-fail.yaml",
        "examples/liaoning-individual-fail.yaml",
    ] {
        beian().args(["check", f]).assert().code(1);
    }
}

#[test]
fn json_report_shape_and_positions() {
    let (v, code) = json(&["examples/liaoning-enterprise-fail.yaml"], None);
    assert_eq!(code, 1);
    assert_eq!(v["format_version"], 2);
    assert_eq!(v["tool"]["name"], "beian");
    // Rule metadata once per report, not per finding.
    let meta = &v["rules"]["national.phone.emergency-differs"];
    assert_eq!(meta["severity"], "fail");
    assert!(meta["sources"][0].as_str().unwrap().starts_with("http"));
    assert!(first_result(&v)["findings"][0].get("sources").is_none());
    assert_eq!(v["strict"], false);
    let r = first_result(&v);
    assert_eq!(r["file"], "examples/liaoning-enterprise-fail.yaml");
    assert_eq!(r["verdict"], "fail");
    assert_eq!(
        r["province"],
        serde_json::json!({"code": "21", "id": "liaoning", "name": "辽宁", "source": "file"})
    );
    assert_eq!(r["ruleset"]["source"], "embedded");
    assert_eq!(r["filing_type"], "first_filing");
    assert_eq!(r["date"], "2026-12-01");
    // The emergency number equal to the mobile: line 29, column 22 (the opening quote).
    let f = findings(&v, "national.phone.emergency-differs");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0]["status"], "fail");
    assert_eq!(f[0]["path"], "/entity/principal/emergency_phone");
    assert_eq!(
        (f[0]["line"].as_u64(), f[0]["column"].as_u64()),
        (Some(29), Some(22))
    );
    assert!(f[0]["hint"].is_string());
    assert_eq!(f[0]["related"][0]["path"], "/entity/principal/mobile");
    // A Beijing mobile in 辽宁.
    let f = findings(&v, "liaoning.mobile-local");
    assert_eq!(f[0]["path"], "/websites/0/principal/mobile");
    assert!(f[0]["message"].as_str().unwrap().contains("138****2345"));
    // Counts add up and findings are sorted by line, column, rule.
    let all = r["findings"].as_array().unwrap();
    let counts = &r["counts"];
    let total: u64 = ["pass", "fail", "warn", "info", "suppressed"]
        .iter()
        .map(|k| counts[k].as_u64().unwrap())
        .sum();
    assert_eq!(total as usize, all.len());
    let keys: Vec<(u64, u64, String)> = all
        .iter()
        .map(|f| {
            (
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert_eq!(
        v["summary"],
        serde_json::json!({"files": 1, "passed": 0, "failed": 1, "errors": 0, "warnings": counts["warn"], "suppressed": 0})
    );
}

#[test]
fn sms_block_lists_one_code_per_mobile() {
    let (v, _) = json(&["examples/liaoning-enterprise.yaml"], None);
    let sms = &first_result(&v)["sms"];
    assert_eq!(sms["deadline_hours"], 24);
    assert_eq!(sms["max_resends"], 2);
    assert_eq!(sms["max_wrong_attempts"], 5);
    let r = sms["recipients"].as_array().unwrap();
    assert_eq!(r.len(), 2);
    assert_eq!(r[0]["mobile"], "139****2345");
    assert_eq!(
        r[0]["roles"][0],
        serde_json::json!({"role": "entity_principal", "path": "/entity/principal/mobile"})
    );
    assert_eq!(r[1]["roles"][0]["role"], "service_principal");
    // The individual is entity and website principal with one mobile: one code.
    let (v, _) = json(&["examples/liaoning-individual.yaml"], None);
    let r = first_result(&v)["sms"]["recipients"].as_array().unwrap().clone();
    assert_eq!(r.len(), 1);
    assert_eq!(r[0]["roles"].as_array().unwrap().len(), 2);
}

#[test]
fn every_passing_rule_is_listed_with_a_reason() {
    let (v, code) = json(&["examples/liaoning-enterprise.yaml"], None);
    assert_eq!(code, 0);
    let all = first_result(&v)["findings"].as_array().unwrap();
    assert!(all.iter().all(|f| f["status"] == "pass" || f["status"] == "info"));
    for rule in [
        "national.id.id-card-number",
        "national.phone.emergency-differs",
        "liaoning.mobile-local",
        "national.domain.expiry-margin",
    ] {
        let f = findings(&v, rule);
        assert_eq!(f.len(), 1, "{rule}");
        assert_eq!(f[0]["status"], "pass");
        assert!(!f[0]["message"].as_str().unwrap().is_empty());
        assert!(f[0]["hint"].is_null());
    }
}

#[test]
fn pii_is_masked_unless_asked() {
    for format in ["json", "human", "sarif", "junit", "github"] {
        let out = beian()
            .args([
                "check",
                "examples/liaoning-enterprise-fail.yaml",
                "--verbose",
                "--format",
                format,
            ])
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        for secret in [
            "13904112345",
            "210102198503122311",
            "21010219900705182X",
            "zhangsan@example.cn",
            "13801012345",
        ] {
            assert!(!text.contains(secret), "{format} output shows {secret}");
        }
        assert!(text.contains("139****2345"), "{format}");
        let out = beian()
            .args([
                "check",
                "examples/liaoning-enterprise-fail.yaml",
                "--show-pii",
                "--format",
                format,
            ])
            .output()
            .unwrap();
        assert!(
            String::from_utf8(out.stdout).unwrap().contains("13904112345"),
            "{format} --show-pii"
        );
    }
}

#[test]
fn human_output_snapshot() {
    let out = beian()
        .args(["check", "examples/liaoning-enterprise-fail.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8(out.stdout).unwrap());
}

#[test]
fn human_output_snapshot_zh() {
    let out = beian()
        .args(["check", "examples/liaoning-individual-fail.yaml", "--lang", "zh"])
        .output()
        .unwrap();
    insta::assert_snapshot!(String::from_utf8(out.stdout).unwrap());
}

#[test]
fn json_output_snapshot() {
    let out = beian()
        .args([
            "check",
            "examples/liaoning-individual-fail.yaml",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    // The report is compact; pretty-print it so the snapshot reads well.
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = serde_json::to_string_pretty(&v)
        .unwrap()
        .replace(env!("CARGO_PKG_VERSION"), "[VERSION]");
    insta::assert_snapshot!(text);
}

#[test]
fn lang_follows_the_locale() {
    let out = beian()
        .env("LANG", "zh_CN.UTF-8")
        .args(["check", "examples/liaoning-enterprise-fail.yaml"])
        .output()
        .unwrap();
    assert!(String::from_utf8(out.stdout).unwrap().contains("失败["));
}

/// Writes a temporary application and checks it as JSON.
fn check_text(text: &str, extra: &[&str]) -> (Value, i32) {
    let dir = tempdir();
    let p = dir.join("app.yaml");
    std::fs::write(&p, text).unwrap();
    let mut args = vec![p.to_str().unwrap()];
    args.extend_from_slice(extra);
    json(&args, None)
}

fn tempdir() -> std::path::PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let d = std::env::temp_dir().join(format!(
        "beian-test-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn error_of(v: &Value) -> (String, u64, u64) {
    let r = first_result(v);
    assert_eq!(r["verdict"], "error", "{r}");
    assert!(r.get("findings").is_none() && r.get("counts").is_none() && r.get("sms").is_none());
    let e = &r["error"];
    (
        e["kind"].as_str().unwrap().to_string(),
        e["line"].as_u64().unwrap(),
        e["column"].as_u64().unwrap(),
    )
}

#[test]
fn bad_input_classes_have_exact_errors() {
    let cases: Vec<(&str, String, (&str, u64, u64))> = vec![
        ("broken yaml", "a: b: c\n".into(), ("syntax", 1, 5)),
        (
            "duplicate key",
            "province: 辽宁\nentity: {}\nprovince: 吉林\n".into(),
            ("syntax", 3, 1),
        ),
        ("empty", "".into(), ("syntax", 1, 1)),
        ("comment only", "# nothing\n".into(), ("syntax", 1, 1)),
        ("top level list", "- a\n- b\n".into(), ("syntax", 1, 1)),
        (
            "too deep",
            format!("a: {}{}\n", "[".repeat(70), "]".repeat(70)),
            ("limit", 1, 67),
        ),
        (
            "no province",
            "filing_type: first_filing\nentity: {}\n".into(),
            ("province", 1, 1),
        ),
        (
            "unknown province",
            "province: 辽西\nfiling_type: first_filing\n".into(),
            ("province", 1, 11),
        ),
        (
            "version",
            "version: 2\nprovince: 辽宁\n".into(),
            ("version", 1, 10),
        ),
        (
            "broken json",
            "{\"province\": \"辽宁\",\n \"entity\": [}\n".into(),
            ("syntax", 2, 13),
        ),
    ];
    for (name, text, want) in cases {
        let (v, code) = check_text(&text, &[]);
        assert_eq!(code, 2, "{name}");
        let (kind, line, column) = error_of(&v);
        assert_eq!(
            (kind.as_str(), line, column),
            want,
            "{name}: {}",
            first_result(&v)["error"]["message"]
        );
        assert!(!first_result(&v)["error"]["message"].as_str().unwrap().is_empty());
    }
}

#[test]
fn alias_bomb_is_a_limit_error() {
    let mut s = String::from("province: 辽宁\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..8 {
        s.push_str(&format!(
            "a{i}: &a{i} [{}]\n",
            vec![format!("*a{}", i - 1); 10].join(", ")
        ));
    }
    let (v, code) = check_text(&s, &[]);
    assert_eq!(code, 2);
    assert_eq!(error_of(&v).0, "limit");
}

#[test]
fn size_limit_and_flag() {
    let (v, code) = check_text(VALID, &["--max-size", "100"]);
    assert_eq!(code, 2);
    assert_eq!(error_of(&v), ("limit".into(), 1, 1));
    let (_, code) = check_text(VALID, &["--max-size", "100000"]);
    assert_eq!(code, 0);
}

#[test]
fn non_utf8_is_an_error_with_position() {
    let dir = tempdir();
    let p = dir.join("latin1.yaml");
    std::fs::write(&p, b"province: \xC1\xC9\n").unwrap();
    let (v, code) = json(&[p.to_str().unwrap()], None);
    assert_eq!(code, 2);
    assert_eq!(error_of(&v), ("syntax".into(), 1, 11));
}

#[test]
fn bom_and_crlf_are_accepted() {
    let text = format!("\u{feff}{}", VALID.replace('\n', "\r\n"));
    let (v, code) = check_text(&text, &[]);
    assert_eq!(code, 0, "{}", first_result(&v));
}

#[test]
fn unknown_key_warns_with_a_suggestion() {
    let (v, code) = check_text(
        &VALID.replace("    mobile: \"13704112345\"", "    mobil: \"13704112345\""),
        &[],
    );
    // The principal's mobile is then missing: required.
    assert_eq!(code, 1);
    let required = findings(&v, "input.required");
    assert_eq!(required[0]["path"], "/websites/0/principal/mobile");
    let f = findings(&v, "input.unknown-field");
    assert_eq!(f[0]["status"], "warn");
    assert_eq!(f[0]["path"], "/websites/0/principal/mobil");
    assert!(
        f[0]["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `mobile`")
    );
}

#[test]
fn wrong_type_and_unknown_value_fail_at_their_path() {
    let (v, code) = check_text(
        &VALID.replace("filing_type: first_filing ", "filing_type: first_filng "),
        &[],
    );
    assert_eq!(code, 1);
    let f = findings(&v, "input.unknown-value");
    assert_eq!(f[0]["path"], "/filing_type");
    assert_eq!(
        (f[0]["line"].as_u64(), f[0]["column"].as_u64()),
        (Some(7), Some(14))
    );
    assert!(f[0]["message"].as_str().unwrap().contains("first_filing"));
    let (v, code) = check_text(
        &VALID.replace(
            "  legal_rep:                       # 法定代表人\n",
            "  legal_rep: [a, b]\n  x_legal_rep:\n",
        ),
        &[],
    );
    assert_eq!(code, 1);
    let f = findings(&v, "input.wrong-type");
    assert_eq!(f[0]["path"], "/entity/legal_rep");
}

#[test]
fn missing_required_field_is_one_fail_and_silences_dependent_rules() {
    let (v, code) = check_text(&VALID.replace("  cert_number: 91210100LN0000015B\n", ""), &[]);
    assert_eq!(code, 1);
    let f = findings(&v, "input.required");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0]["path"], "/entity/cert_number");
    // Positioned at the key of the nearest existing parent.
    assert_eq!(
        (f[0]["line"].as_u64(), f[0]["column"].as_u64()),
        (Some(9), Some(1))
    );
    assert!(findings(&v, "national.id.uscc-checksum").is_empty());
}

#[test]
fn province_flag_wins_with_an_info() {
    let (v, _) = check_text(VALID, &["--province", "jilin"]);
    let r = first_result(&v);
    assert_eq!(r["province"]["id"], "jilin");
    assert_eq!(r["province"]["source"], "flag");
    assert_eq!(findings(&v, "input.province-flag")[0]["path"], "/province");
    for p in ["21", "210000", "辽宁省", "liaoning", "ＬＩＡＯＮＩＮＧ"] {
        let (v, _) = check_text(
            &VALID.replace("province: 辽宁 ", &format!("province: \"{p}\" ")),
            &[],
        );
        assert_eq!(first_result(&v)["province"]["id"], "liaoning", "{p}");
    }
}

#[test]
fn stdin_directories_and_dedup() {
    let (v, code) = json(&["-"], Some(VALID.as_bytes()));
    assert_eq!(code, 0);
    assert_eq!(first_result(&v)["file"], "-");
    let dir = tempdir();
    std::fs::write(dir.join("b.yaml"), VALID).unwrap();
    std::fs::write(
        dir.join("a.json"),
        include_str!("../examples/liaoning-enterprise.json"),
    )
    .unwrap();
    std::fs::write(dir.join("notes.yaml"), "title: not an application\n").unwrap();
    std::fs::write(dir.join(".hidden.yaml"), "a: [\n").unwrap();
    std::fs::write(dir.join("readme.txt"), "x").unwrap();
    let d = dir.to_str().unwrap();
    let mut c = beian();
    let out = c
        .args(["check", d, &format!("{d}/b.yaml"), "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let files: Vec<&str> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, vec![format!("{d}/a.json"), format!("{d}/b.yaml")]);
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("notes.yaml: skipped")
    );
}

#[test]
fn errors_beat_failures_and_other_files_are_still_checked() {
    let dir = tempdir();
    std::fs::write(dir.join("broken.yaml"), "a: [\n").unwrap();
    let broken = dir.join("broken.yaml");
    let (v, code) = json(
        &[
            "examples/liaoning-enterprise-fail.yaml",
            broken.to_str().unwrap(),
            "missing.yaml",
        ],
        None,
    );
    assert_eq!(code, 2);
    let verdicts: Vec<&str> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(verdicts, vec!["fail", "error", "error"]);
    assert_eq!(v["results"][2]["error"]["kind"], "io");
    assert_eq!(v["summary"]["errors"], 2);
}

#[test]
fn strict_fails_on_warnings() {
    let text = VALID.replace("example.cn", "example.io");
    let (v, code) = check_text(&text, &[]);
    assert_eq!(code, 0);
    assert!(first_result(&v)["counts"]["warn"].as_u64().unwrap() > 0);
    let (v, code) = check_text(&text, &["--strict"]);
    assert_eq!(code, 1);
    assert_eq!(v["strict"], true);
    assert_eq!(first_result(&v)["verdict"], "fail");
}

#[test]
fn date_flag_changes_date_rules() {
    // 2028-08-01 leaves 61 days on the domain.
    let (v, code) = check_text(VALID, &["--date", "2028-08-01"]);
    assert_eq!(code, 1);
    assert_eq!(findings(&v, "national.domain.expiry-margin")[0]["status"], "fail");
}

#[test]
fn usage_errors_exit_two() {
    beian().arg("check").assert().code(2);
    beian()
        .args(["check", "x.yaml", "--date", "2026-13-01"])
        .assert()
        .code(2);
    beian()
        .args(["check", "x.yaml", "--format", "xml"])
        .assert()
        .code(2);
    beian()
        .args(["explain", "national.no.such-rule"])
        .assert()
        .code(2);
}

#[test]
fn explain_shows_sources_and_examples() {
    let out = beian()
        .args(["explain", "liaoning.mobile-local"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("https://help.aliyun.com") || text.contains("bm7419"));
    assert!(text.contains("examples:"));
    let out = beian()
        .args(["explain", "national.principal.min-age", "--province", "辽宁"])
        .output()
        .unwrap();
    assert!(String::from_utf8(out.stdout).unwrap().contains("liaoning"));
}

#[test]
fn broken_rules_dir_names_file_line_and_rule() {
    let dir = tempdir();
    let national =
        include_str!("../provinces/national.yaml").replacen("check: mobile_format", "check: mobile_formt", 1);
    std::fs::write(dir.join("national.yaml"), national).unwrap();
    let out = beian()
        .args([
            "check",
            "examples/liaoning-enterprise.yaml",
            "--rules-dir",
            dir.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("national.yaml:"), "{err}");
    assert!(err.contains("national.phone.mobile-format"), "{err}");
    assert!(err.contains("did you mean `mobile_format`"), "{err}");
    let _ = std::io::stderr().flush();
}

#[test]
fn init_templates_parse_and_check_without_an_error_result() {
    for t in ["first_filing", "new_service", "change_entity", "cancel_access"] {
        for n in ["enterprise", "individual", "government"] {
            let out = beian()
                .args([
                    "init",
                    "--province",
                    "辽宁",
                    "--type",
                    t,
                    "--nature",
                    n,
                    "--lang",
                    "zh",
                ])
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(0));
            let (v, code) = {
                let mut c = beian();
                c.args(["check", "-", "--format", "json"])
                    .write_stdin(out.stdout.clone());
                let o = c.output().unwrap();
                (
                    serde_json::from_slice::<Value>(&o.stdout).unwrap(),
                    o.status.code().unwrap(),
                )
            };
            assert_ne!(first_result(&v)["verdict"], "error", "{t} {n}");
            assert!(code < 2);
            // The template asks for the entity's filing number exactly when the type needs it.
            let text = String::from_utf8(out.stdout).unwrap();
            assert_eq!(text.contains("icp_number"), t != "first_filing", "{t}");
            assert_eq!(
                text.contains("legal_rep"),
                n != "individual" && matches!(t, "first_filing" | "new_service" | "change_entity"),
                "{t} {n}"
            );
        }
    }
}

#[test]
fn completions_and_man_page() {
    for shell in ["bash", "zsh", "fish"] {
        let out = beian().args(["completions", shell]).output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        assert!(
            String::from_utf8(out.stdout).unwrap().contains("province"),
            "{shell}"
        );
    }
    let out = beian().arg("man").output().unwrap();
    assert!(String::from_utf8(out.stdout).unwrap().contains(".TH beian"));
}

#[test]
fn cross_file_checks_warn_on_every_file_involved() {
    let dir = tempdir();
    // b: another company (its own credit code) reusing the same principals, mobiles and domain.
    let other = VALID
        .replace("91210100LN0000015B", "91210100MA0XY12B87")
        .replace("沈阳示例科技有限公司", "沈阳另一示例有限公司");
    std::fs::write(dir.join("a.yaml"), VALID).unwrap();
    std::fs::write(dir.join("b.yaml"), other).unwrap();
    // c: the first company again (two applications in flight), with its own people and domain.
    let again = VALID
        .replace("210102198503122311", "210102199201010044")
        .replace("21010219900705182X", "210102200812011236")
        .replace("13904112345", "13904119999")
        .replace("13704112345", "13704119999")
        .replace("example.cn", "example-c.cn");
    std::fs::write(dir.join("c.yaml"), again).unwrap();
    let (v, code) = json(&[dir.to_str().unwrap()], None);
    assert_eq!(code, 0, "cross-file findings are warnings");
    let results = v["results"].as_array().unwrap();
    let rules_of = |i: usize| -> Vec<(String, String, Vec<String>)> {
        results[i]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"].as_str().unwrap().starts_with("national.batch.") && f["status"] == "warn")
            .map(|f| {
                (
                    f["rule"].as_str().unwrap().to_string(),
                    f["path"].as_str().unwrap().to_string(),
                    f["related"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|r| r["file"].as_str().unwrap().to_string())
                        .collect(),
                )
            })
            .collect()
    };
    let a = rules_of(0);
    let d = dir.to_str().unwrap();
    assert!(
        a.contains(&(
            "national.batch.principal-shared".into(),
            "/entity/principal/cert_number".into(),
            vec![format!("{d}/b.yaml")]
        )),
        "{a:?}"
    );
    assert!(a.iter().any(|(r, p, rel)| r == "national.batch.mobile-shared"
        && p == "/websites/0/principal/mobile"
        && rel == &vec![format!("{d}/b.yaml")]));
    assert!(
        a.iter()
            .any(|(r, p, _)| r == "national.batch.domain-shared" && p == "/websites/0/domains/0/name")
    );
    assert!(
        a.iter()
            .any(|(r, _, rel)| r == "national.batch.entity-repeated" && rel == &vec![format!("{d}/c.yaml")])
    );
    let b = rules_of(1);
    assert!(b.iter().any(|(r, _, rel)| r == "national.batch.principal-shared" && rel.contains(&format!("{d}/a.yaml"))));
    assert!(!b.iter().any(|(r, _, _)| r == "national.batch.entity-repeated"));
    let c = rules_of(2);
    assert_eq!(
        c.iter().map(|x| x.0.as_str()).collect::<Vec<_>>(),
        vec!["national.batch.entity-repeated"],
        "c shares only its entity"
    );
    // The message names the other file; a single file has no cross-file findings.
    let msg = results[1]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "national.batch.domain-shared")
        .unwrap()["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(msg.contains("a.yaml"), "{msg}");
    let (single, _) = json(&["examples/liaoning-enterprise.yaml"], None);
    assert!(findings(&single, "national.batch.domain-shared").is_empty());
}

#[test]
fn results_keep_argument_order_with_parallel_checking() {
    let mut args: Vec<&str> = Vec::new();
    let files = [
        "examples/liaoning-individual.yaml",
        "examples/liaoning-enterprise-fail.yaml",
        "examples/liaoning-enterprise.json",
        "examples/liaoning-enterprise.yaml",
        "examples/liaoning-individual-fail.yaml",
    ];
    for _ in 0..1 {
        args.extend(files);
    }
    let (v, _) = json(&args, None);
    let got: Vec<&str> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["file"].as_str().unwrap())
        .collect();
    assert_eq!(got, files.to_vec());
}

#[test]
fn pii_is_masked_in_errors_and_sms() {
    // `beian sms` and stderr never show full numbers either.
    let out = beian()
        .args(["sms", "examples/liaoning-enterprise.yaml"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap() + &String::from_utf8(out.stderr).unwrap();
    assert!(text.contains("139****2345"), "{text}");
    assert!(!text.contains("13904112345"));
}

#[test]
fn makes_no_network_calls() {
    // Traced when strace is available (it is on the CI machine): no socket is ever opened.
    let Ok(status) = std::process::Command::new("strace").arg("-V").output() else {
        return;
    };
    if !status.status.success() {
        return;
    }
    let bin = assert_cmd::cargo::cargo_bin!("beian");
    let log = tempdir().join("strace.log");
    let status = std::process::Command::new("strace")
        .args([
            "-f",
            "-e",
            "trace=socket,connect,sendto",
            "-o",
            log.to_str().unwrap(),
            bin.to_str().unwrap(),
        ])
        .args([
            "check",
            "examples/liaoning-enterprise.yaml",
            "examples/liaoning-enterprise-fail.yaml",
            "--format",
            "sarif",
        ])
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1));
    let trace = std::fs::read_to_string(&log).unwrap();
    // The trace ran: strace records the exit of the traced process.
    assert!(trace.contains("+++ exited with 1 +++"), "{trace}");
    let calls: Vec<&str> = trace
        .lines()
        .filter(|l| l.contains("socket(") || l.contains("connect("))
        .collect();
    assert!(calls.is_empty(), "network calls:\n{}", calls.join("\n"));
}

/// Every province's example applications: `<id>-enterprise` passes and `<id>-fail` fails, checked as that
/// province.
#[test]
fn every_province_has_a_passing_and_a_failing_example() {
    let list = beian().args(["provinces", "--markdown"]).output().unwrap();
    let table = String::from_utf8(list.stdout).unwrap();
    let ids: Vec<String> = table
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| code"))
        .filter_map(|l| l.split('|').nth(3).map(|c| c.trim().to_string()))
        .collect();
    assert_eq!(ids.len(), 31);
    for id in ids {
        let ok = format!("examples/{id}-enterprise.yaml");
        let (v, code) = json(&[&ok], None);
        assert_eq!(code, 0, "{ok} should pass: {v}");
        let bad = format!("examples/{id}-fail.yaml");
        if id == "liaoning" {
            continue; // liaoning-enterprise-fail.yaml, covered above
        }
        let (v, code) = json(&[&bad], None);
        assert_eq!(code, 1, "{bad} should fail");
        let r = first_result(&v);
        assert_eq!(r["province"]["id"], id.as_str(), "{bad}");
    }
}

#[test]
fn provinces_lists_all_31_with_rule_sets_and_details_one() {
    let out = beian().args(["provinces", "--lang", "en"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        text.lines()
            .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_digit()))
            .count(),
        31
    );
    assert!(!text.contains("no provincial rules"), "{text}");
    // Columns line up by display width although names are Chinese.
    let col = |l: &str| {
        l.find(" beijing")
            .or_else(|| l.find(" neimenggu"))
            .map(|i| unicode_width::UnicodeWidthStr::width(&l[..i]))
    };
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| l.contains(" beijing ") || l.contains(" neimenggu "))
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(col(lines[0]), col(lines[1]), "{text}");
    let md = beian().args(["provinces", "--markdown"]).output().unwrap();
    assert_eq!(
        String::from_utf8(md.stdout).unwrap(),
        std::fs::read_to_string("docs/coverage.md").unwrap()
    );
    let one = beian()
        .args(["provinces", "湖北", "--lang", "en"])
        .output()
        .unwrap();
    let one = String::from_utf8(one.stdout).unwrap();
    assert!(one.starts_with("42 湖北省 (hubei, 鄂)"), "{one}");
    assert!(
        one.contains("Coverage and gaps:") && one.contains("Sources:"),
        "{one}"
    );
}

/// Content types and languages are open enumerations (the MIIT lists change): an unlisted value warns and is kept;
/// a pre-approval type is a closed one and fails.
#[test]
fn unlisted_content_type_warns_but_unknown_preapproval_type_fails() {
    let text = VALID.replace(
        "content_types: [单位门户网站]",
        "content_types: [单位门户网站, 产品展示]",
    );
    assert_ne!(text, VALID);
    let (v, code) = check_text(&text, &[]);
    assert_eq!(code, 0, "a warning only: {v}");
    let f = findings(&v, "input.unlisted-value");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0]["status"], "warn");
    assert_eq!(f[0]["path"], "/websites/0/content_types/1");
    assert!(
        findings(&v, "input.unknown-value")
            .iter()
            .all(|f| f["status"] == "pass")
    );
    let text = VALID.replace(
        "content_types: [单位门户网站]",
        "content_types: [单位门户网站]\n    pre_approvals: [{type: 网络直播, number: X1, valid_until: 2030-01-01}]",
    );
    let (v, code) = check_text(&text, &[]);
    assert_eq!(code, 1);
    let f: Vec<_> = findings(&v, "input.unknown-value")
        .into_iter()
        .filter(|f| f["status"] == "fail")
        .collect();
    assert_eq!(f[0]["path"], "/websites/0/pre_approvals/0/type", "{v}");
}

/// A province other than 辽宁, in Chinese: its own rules, an override's doubt message and the warnings order.
#[test]
fn human_output_snapshot_province_zh() {
    let out = beian()
        .args(["check", "examples/hebei-fail.yaml", "--lang", "zh"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8(out.stdout).unwrap());
}

/// Three clauses that were once only reminders or warnings now fail, at the offending field: a 天津 unit whose
/// website principal is the entity principal, a 宁夏 `new_access` with a `.org` domain, a 北京 `.io` domain.
#[test]
fn clauses_as_the_references_state_them_fail_at_the_offending_field() {
    let fixture = |name: &str| std::fs::read_to_string(format!("provinces/fixtures/{name}.yaml")).unwrap();
    let tianjin = {
        let text = fixture("tianjin-enterprise");
        let at = text.find("websites:").unwrap();
        let (head, sites) = text.split_at(at);
        let sites = sites.replacen("name: 李四", "name: 张三", 1).replacen(
            "\"120103199007051824\"",
            "\"120101198503122313\"",
            1,
        );
        format!("{head}{sites}")
    };
    let ningxia = fixture("ningxia-enterprise")
        .replace("filing_type: first_filing", "filing_type: new_access")
        .replace("ycexample.cn", "ycexample.org");
    let beijing = fixture("beijing-enterprise").replace("bjexample.cn", "bjexample.io");
    for (text, rule, path) in [
        (tianjin, "tianjin.principals-distinct", "/websites/0/principal"),
        (
            ningxia,
            "ningxia.org-access-refused",
            "/websites/0/domains/0/name",
        ),
        (
            beijing,
            "beijing.domain-suffix-refused",
            "/websites/0/domains/0/name",
        ),
    ] {
        let (v, code) = json(&["-"], Some(text.as_bytes()));
        assert_eq!(code, 1, "{rule}");
        let f = findings(&v, rule);
        assert!(
            f.iter().any(|f| f["status"] == "fail" && f["path"] == path),
            "{rule}: {f:?}"
        );
    }
}

/// Runs `beian check` with arguments; (stdout, stderr, exit code).
fn run(args: &[&str], stdin: Option<&str>) -> (String, String, i32) {
    let mut c = beian();
    c.arg("check").args(args);
    if let Some(s) = stdin {
        c.write_stdin(s.to_string());
    }
    let out = c.output().unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap(),
    )
}

#[test]
fn machine_formats_show_failures_and_warnings_by_default() {
    let passing = "examples/liaoning-enterprise.yaml";
    // A passing application: nothing but the summary in GitHub's format.
    let (out, _, code) = run(&[passing, "--format", "github"], None);
    assert_eq!(code, 0);
    insta::assert_snapshot!("github_passing", out);
    // SARIF: no results for a passing application unless asked; with -v, passes are kind "pass", level "none".
    let (out, _, _) = run(&[passing, "--format", "sarif"], None);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["runs"][0]["results"].as_array().unwrap().len(), 0);
    let (out, _, _) = run(&[passing, "--format", "sarif", "-v"], None);
    let v: Value = serde_json::from_str(&out).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert!(
        results
            .iter()
            .any(|r| r["kind"] == "pass" && r["level"] == "none")
    );
    assert!(
        results
            .iter()
            .all(|r| r["kind"] != "fail" || r["level"] != "none")
    );
    // JSON: the same selection; --quiet keeps failures only, in every format.
    let (out, _, _) = run(
        &["examples/liaoning-enterprise-fail.yaml", "--format", "json"],
        None,
    );
    let v: Value = serde_json::from_str(&out).unwrap();
    let statuses: Vec<&str> = v["results"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["status"].as_str().unwrap())
        .collect();
    assert!(
        statuses.contains(&"fail")
            && statuses
                .iter()
                .all(|s| ["fail", "warn", "suppressed"].contains(s)),
        "{statuses:?}"
    );
    let (out, _, _) = run(
        &[
            "examples/liaoning-enterprise-fail.yaml",
            "--format",
            "json",
            "--quiet",
        ],
        None,
    );
    let v: Value = serde_json::from_str(&out).unwrap();
    assert!(
        v["results"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["status"] == "fail")
    );
    // The counts still cover every finding.
    assert!(v["results"][0]["counts"]["pass"].as_u64().unwrap() > 0);
}

/// `VALID` without the certificates' validity: a warning ("not checked"), no failure.
fn without_validity() -> String {
    let doc: String = VALID
        .lines()
        .filter(|l| !l.contains("cert_valid_until"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(doc, VALID);
    doc
}

#[test]
fn fail_on_warn_is_strict() {
    let doc = without_validity();
    let (_, _, lenient) = run(&["-"], Some(&doc));
    let (_, _, strict) = run(&["-", "--fail-on", "warn"], Some(&doc));
    let (_, _, alias) = run(&["-", "--strict"], Some(&doc));
    assert_eq!((lenient, strict, alias), (0, 1, 1));
}

#[test]
fn a_file_without_a_verdict_says_why_on_stderr_in_every_format() {
    for format in ["json", "sarif", "junit", "github"] {
        let (_, err, code) = run(
            &["-", "--format", format, "--stdin-filename", "app.yaml"],
            Some("a: [\n"),
        );
        assert_eq!(code, 2);
        assert!(err.starts_with("error: app.yaml:2:1: "), "{format}: {err}");
    }
}

#[test]
fn json_files_are_strict_json() {
    let (_, err, code) = run(
        &["-", "--format", "json", "--stdin-filename", "app.json"],
        Some("{\"filing_type\": \"first_filing\",}"),
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("app.json:1:") && err.contains("not valid JSON"),
        "{err}"
    );
    // The same text as YAML is read (and checked).
    let (_, err, _) = run(
        &["-", "--format", "json", "--stdin-filename", "app.yaml"],
        Some("{\"filing_type\": \"first_filing\",}"),
    );
    assert!(!err.contains("not valid JSON"), "{err}");
}

#[test]
fn an_unknown_rule_in_ignore_is_a_usage_error_with_a_suggestion() {
    let (_, err, code) = run(
        &[
            "examples/liaoning-enterprise.yaml",
            "--ignore",
            "national.phone.emergency-differ=typo",
        ],
        None,
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("did you mean `national.phone.emergency-differs`"),
        "{err}"
    );
}

#[test]
fn verbose_human_output_shows_each_waivers_reason() {
    let (out, _, code) = run(
        &[
            "examples/liaoning-enterprise-fail.yaml",
            "-v",
            "--ignore",
            "national.phone.emergency-differs=the spare phone is the owner's",
        ],
        None,
    );
    assert_eq!(code, 1);
    assert!(
        out.contains("waived (--ignore): the spare phone is the owner's"),
        "{out}"
    );
}

#[test]
fn the_configuration_file_is_found_upward_and_flags_beat_it() {
    let dir = tempdir();
    let sub = dir.join("filings/2026");
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::write(sub.join("app.yaml"), without_validity()).unwrap();
    std::fs::write(
        dir.join("beian.toml"),
        "format = \"json\"\nfail-on = \"warn\"\nmax-size = \"1MiB\"\n[ignore]\n\"national.principal.cert-validity\" = \"the new card is on its way\"\n",
    )
    .unwrap();
    let app = sub.join("app.yaml");
    let app = app.to_str().unwrap();
    // JSON from the file, and the expiry warning waived by it.
    let (out, _, code) = run(&[app], None);
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    let f = findings(&v, "national.principal.cert-validity");
    assert_eq!(f[0]["status"], "suppressed", "{out}");
    assert_eq!(f[0]["suppression"]["origin"], "config");
    assert_eq!(code, 0);
    // A flag beats the file; --no-config ignores it.
    let (out, _, _) = run(&[app, "--format", "github"], None);
    assert!(!out.starts_with('{'));
    let (_, _, code) = run(&[app, "--no-config"], None);
    assert_eq!(code, 0);
    let (_, _, code) = run(&[app, "--no-config", "--fail-on", "warn"], None);
    assert_eq!(code, 1);
    // A mistake in the file is a usage error at its line and column.
    std::fs::write(dir.join("beian.toml"), "format = \"jsn\"\n").unwrap();
    let (_, err, code) = run(&[app], None);
    assert_eq!(code, 2);
    assert!(err.contains("beian.toml:1:10:"), "{err}");
}

#[test]
fn output_file_and_color() {
    let dir = tempdir();
    let out_path = dir.join("report.txt");
    let (out, _, code) = run(
        &[
            "examples/liaoning-enterprise-fail.yaml",
            "--output-file",
            out_path.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!((out.as_str(), code), ("", 1));
    let written = std::fs::read_to_string(&out_path).unwrap();
    assert!(written.contains("national.phone.emergency-differs") && !written.contains('\u{1b}'));
    let (out, _, _) = run(
        &["examples/liaoning-enterprise-fail.yaml", "--color", "always"],
        None,
    );
    assert!(out.contains('\u{1b}'));
    let (out, _, _) = run(
        &["examples/liaoning-enterprise-fail.yaml", "--max-size", "1MiB"],
        None,
    );
    assert!(!out.contains('\u{1b}'));
}

#[test]
fn one_mistake_is_one_finding() {
    // The entity principal's emergency number is their own mobile: the national rule reports it, and 辽宁's rule
    // that confirms it is named in `also`, not reported again.
    let doc = VALID.replace(
        "emergency_phone: \"13898812345\"",
        "emergency_phone: \"13904112345\"",
    );
    let (v, code) = check_text(&doc, &["--level", "warn"]);
    assert_eq!(code, 1);
    let f = findings(&v, "national.phone.emergency-differs");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0]["also"][0], "liaoning.emergency-third-person", "{}", f[0]);
    assert!(findings(&v, "liaoning.emergency-third-person").is_empty());
    assert!(
        v["rules"]["national.phone.emergency-differs"]["sources"]
            .as_array()
            .is_some()
    );
    // Waiving only 辽宁's rule leaves the national complaint, in the national words.
    let (v, code) = check_text(
        &doc,
        &[
            "--level",
            "warn",
            "--ignore",
            "liaoning.emergency-third-person=the third person is being found",
        ],
    );
    assert_eq!(code, 1);
    let f = findings(&v, "national.phone.emergency-differs");
    assert_eq!(f[0]["status"], "fail");
    assert!(f[0].get("also").is_none(), "{}", f[0]);
    assert!(
        f[0]["message"]
            .as_str()
            .unwrap()
            .contains("same as that principal's mobile"),
        "{}",
        f[0]
    );
    // The waiver was used: no "matched no finding" on stderr.
    let (_, err, _) = run(
        &[
            "-",
            "--ignore",
            "liaoning.emergency-third-person=the third person is being found",
        ],
        Some(&doc),
    );
    assert!(!err.contains("matched no finding"), "{err}");
    // One waiver covers it.
    let (_, code) = check_text(
        &doc,
        &[
            "--ignore",
            "national.phone.emergency-differs=a colleague's number is pending",
        ],
    );
    assert_eq!(code, 0);
}

#[test]
fn an_unknown_value_is_one_finding_listing_the_accepted_values() {
    let (v, _) = check_text(&VALID.replace("nature: enterprise", "nature: enterprse"), &[]);
    let f = findings(&v, "input.unknown-value");
    let message = f[0]["message"].as_str().unwrap();
    assert!(
        message.contains("did you mean `enterprise`") && message.contains("accepted: enterprise, individual"),
        "{message}"
    );
    assert!(
        findings(&v, "input.required")
            .iter()
            .all(|f| f["path"] != "/entity/nature")
    );
}

#[test]
fn an_unknown_mobile_range_names_phone_db() {
    let (v, _) = check_text(&VALID.replace("13704112345", "19904112345"), &[]);
    let f = findings(&v, "liaoning.mobile-local");
    assert_eq!(f[0]["status"], "warn");
    assert!(
        f[0]["message"].as_str().unwrap().contains("--phone-db"),
        "{}",
        f[0]
    );
}

#[test]
fn full_width_brackets_in_names_are_kept_without_a_warning() {
    let (v, _) = check_text(
        &VALID.replace("沈阳示例科技有限公司", "沈阳示例科技（深圳）有限公司"),
        &[],
    );
    assert!(
        findings(&v, "input.normalised").is_empty(),
        "{}",
        first_result(&v)["findings"]
    );
}

#[test]
fn long_term_id_validity_needs_age_46() {
    // 李四 was born in 1990: 36 on the reference date.
    let doc = VALID.replace("cert_valid_until: 2030-07-05", "cert_valid_until: 长期");
    let (v, code) = check_text(&doc, &[]);
    assert_eq!(code, 1);
    let f = findings(&v, "national.id.long-term-validity-age");
    assert_eq!(f[0]["status"], "fail");
    assert_eq!(f[0]["path"], "/websites/0/principal/cert_valid_until");
}

#[test]
fn a_province_override_gives_its_own_reason() {
    let (out, _, _) = run(&["examples/guangdong-fail.yaml", "--lang", "en"], None);
    assert!(
        out.contains("an authorization letter does not help. (as Guangdong applies it)"),
        "{out}"
    );
    assert!(!out.contains("hint: Have the legal representative sign"), "{out}");
}

#[test]
fn a_blank_template_gets_one_required_finding_per_blank() {
    let template = beian()
        .args(["init", "--province", "辽宁"])
        .output()
        .unwrap()
        .stdout;
    let template = String::from_utf8(template).unwrap();
    let (v, code) = check_text(&template, &["--level", "warn"]);
    assert_eq!(code, 1);
    let failing: Vec<(&str, &str)> = first_result(&v)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "fail")
        .map(|f| (f["rule"].as_str().unwrap(), f["path"].as_str().unwrap()))
        .collect();
    assert!(!failing.is_empty());
    // Every failure is a blank required field, each reported once: no rule judges an empty value.
    assert!(
        failing.iter().all(|(rule, _)| *rule == "input.required"),
        "{failing:?}"
    );
    let mut paths: Vec<&str> = failing.iter().map(|(_, p)| *p).collect();
    paths.dedup();
    assert_eq!(paths.len(), failing.len());
}

#[test]
fn every_option_has_help_and_the_manual_is_reachable() {
    use clap::CommandFactory;
    fn walk(c: &clap::Command, missing: &mut Vec<String>) {
        for a in c.get_arguments() {
            let id = a.get_id().as_str();
            if a.get_help().is_none() && !a.is_hide_set() && id != "help" && id != "version" {
                missing.push(format!("{} {id}", c.get_name()));
            }
        }
        for s in c.get_subcommands() {
            walk(s, missing);
        }
    }
    let mut missing = Vec::new();
    walk(&beian::Cli::command(), &mut missing);
    assert!(missing.is_empty(), "options without help: {missing:?}");
    let help = beian().arg("--help").output().unwrap().stdout;
    let help = String::from_utf8(help).unwrap();
    assert!(help.contains("man ") && help.contains("beian man"), "{help}");
    let man = beian().arg("man").output().unwrap();
    assert!(String::from_utf8(man.stdout).unwrap().contains(".TH beian"));
}
