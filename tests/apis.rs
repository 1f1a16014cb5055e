//! API request bodies (WeChat applyIcpFiling / submitAuthAndIcp, Douyin submit_record_info) as a provider's
//! system generates them: recognised, checked with the national and provincial rules and the API's own, and
//! reported at the body's pointers and positions; `beian convert` both ways.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;

const WECHAT: &str = "examples/api/wechat-apply.json";
const WECHAT_FAIL: &str = "examples/api/wechat-apply-fail.json";
const DOUYIN: &str = "examples/api/douyin-submit.json";
const DOUYIN_FAIL: &str = "examples/api/douyin-submit-fail.json";

fn beian() -> assert_cmd::Command {
    let mut c = cargo_bin_cmd!("beian");
    c.env("NO_COLOR", "1")
        .env("LANG", "en_US.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES");
    c
}

/// Every finding of a check (passes included) and the exit code.
fn check(args: &[&str], stdin: Option<&[u8]>) -> (Vec<Value>, i32) {
    let mut c = beian();
    c.args([
        "check",
        "--format",
        "json",
        "--level",
        "pass",
        "--date",
        "2026-12-01",
    ])
    .args(args);
    if let Some(s) = stdin {
        c.write_stdin(s.to_vec());
    }
    let out = c.output().unwrap();
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let findings = report["results"][0]["findings"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    (findings, out.status.code().unwrap())
}

fn bad(findings: &[Value]) -> Vec<(String, String)> {
    findings
        .iter()
        .filter(|f| f["status"] == "fail" || f["status"] == "warn")
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["path"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The 1-based line and column where `"key": value` of the `nth` occurrence of `key` starts its value.
fn value_position(file: &str, key: &str) -> (u64, u64) {
    let text = std::fs::read_to_string(file).unwrap();
    let needle = format!("\"{key}\": ");
    for (i, line) in text.lines().enumerate() {
        if let Some(at) = line.find(&needle) {
            let col = line[..at + needle.len()].chars().count() + 1;
            return (i as u64 + 1, col as u64);
        }
    }
    panic!("{key} not in {file}")
}

fn at<'a>(findings: &'a [Value], rule: &str) -> &'a Value {
    findings
        .iter()
        .find(|f| f["rule"] == rule || f["also"].as_array().is_some_and(|a| a.iter().any(|x| x == rule)))
        .unwrap_or_else(|| panic!("no finding of {rule}"))
}

#[test]
fn the_documented_bodies_pass_with_every_finding_at_a_body_pointer() {
    for file in [WECHAT, DOUYIN] {
        let (findings, code) = check(&[file], None);
        assert_eq!(code, 0, "{file}: {:?}", bad(&findings));
        let tops = [
            "/icp_subject",
            "/icp_applets",
            "/icp_materials",
            "/corp_info",
            "/app_info",
        ];
        for f in &findings {
            let path = f["path"].as_str().unwrap();
            assert!(
                path.is_empty() || tops.iter().any(|t| path.starts_with(t)),
                "{file}: {} at {path} is not a body pointer",
                f["rule"]
            );
        }
    }
    // A pass at a body field points at that field's value in the file.
    let (findings, _) = check(&[WECHAT], None);
    let f = at(&findings, "wechat.face-verification");
    assert_eq!(f["path"], "/icp_applets/principal_info/verify_task_id");
    let (line, column) = value_position(WECHAT, "verify_task_id");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(line), Some(column))
    );
}

#[test]
fn a_district_outside_its_city_a_certificate_of_another_nature_and_a_missing_legal_person_fail_where_they_are()
 {
    let (findings, code) = check(&[WECHAT_FAIL], None);
    assert_eq!(code, 1);
    let district = at(&findings, "wechat.region-codes");
    assert_eq!(district["status"], "fail");
    assert_eq!(district["path"], "/icp_subject/base_info/district");
    let (line, column) = value_position(WECHAT_FAIL, "district");
    assert_eq!(
        (district["line"].as_u64(), district["column"].as_u64()),
        (Some(line), Some(column))
    );
    // One finding for the mistake: the national region rule, confirmed by the API's.
    assert_eq!(
        findings
            .iter()
            .filter(|f| f["path"] == "/icp_subject/base_info/district" && f["status"] == "fail")
            .count(),
        1
    );
    let cert = at(&findings, "wechat.certificate-type-for-nature");
    assert_eq!(cert["status"], "fail");
    assert_eq!(cert["path"], "/icp_subject/organize_info/certificate_type");
    let (line, _) = value_position(WECHAT_FAIL, "certificate_type");
    assert_eq!(cert["line"].as_u64(), Some(line));
    let legal = at(&findings, "wechat.legal-person-info");
    assert_eq!(legal["status"], "fail");
    assert_eq!(legal["path"], "/icp_subject/legal_person_info");
    // The parser's `input.required` for the same gap is not repeated.
    assert!(!bad(&findings).contains(&("input.required".into(), "/icp_subject/legal_person_info".into())));
}

#[test]
fn the_douyin_documentation_example_region_fails_at_the_city() {
    let (findings, code) = check(&[DOUYIN_FAIL], None);
    assert_eq!(code, 1);
    let f = at(&findings, "douyin.region-codes");
    assert_eq!(f["path"], "/corp_info/city_code");
    let (line, column) = value_position(DOUYIN_FAIL, "city_code");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(line), Some(column))
    );
}

#[test]
fn fields_the_body_does_not_carry_are_notes_not_failures() {
    // WeChat fills in the mini-program's name; Douyin's body has no legal representative and no mini-app
    // principal identity.
    let (findings, _) = check(&[WECHAT], None);
    let name = findings
        .iter()
        .find(|f| f["rule"] == "input.required" && f["path"] == "/icp_applets/base_info/name")
        .unwrap();
    assert_eq!(name["status"], "info");
    let (findings, _) = check(&[DOUYIN], None);
    assert!(bad(&findings).is_empty(), "{:?}", bad(&findings));
}

#[test]
fn unknown_keys_of_a_body_are_named_with_the_closest_known_one() {
    let text = std::fs::read_to_string(WECHAT)
        .unwrap()
        .replace("\"organize_info\"", "\"organiaze_info\"");
    let (findings, _) = check(&["--stdin-filename", "body.json", "-"], Some(text.as_bytes()));
    let f = at(&findings, "input.unknown-field");
    assert_eq!(f["path"], "/icp_subject/organiaze_info");
    assert!(
        f["message"].as_str().unwrap().contains("organize_info"),
        "{}",
        f["message"]
    );
    // And its absence is the body's error, at the body's pointer.
    assert!(bad(&findings).contains(&("wechat.body-parts".into(), "/icp_subject/organize_info".into())));
}

#[test]
fn input_format_forces_or_refuses() {
    // Read as an application, a body is a file of unknown fields.
    let (findings, code) = check(&["--input-format", "beian", "--province", "北京", WECHAT], None);
    assert_eq!(code, 1);
    assert!(
        bad(&findings)
            .iter()
            .any(|(r, p)| r == "input.unknown-field" && p == "/icp_subject")
    );
    // Forced to the other API, the same body lacks that API's parts.
    let (findings, _) = check(&["--input-format", "douyin", "--province", "北京", WECHAT], None);
    assert!(bad(&findings).contains(&("douyin.body-parts".into(), "/corp_info".into())));
    let out = beian()
        .args(["check", "--input-format", "alipay", WECHAT])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("wechat"));
}

#[test]
fn a_captured_code_table_makes_an_unknown_code_a_failure() {
    let text = std::fs::read_to_string(WECHAT).unwrap().replacen(
        "\"certificate_type\": 2",
        "\"certificate_type\": 9",
        1,
    );
    let args = ["--stdin-filename", "body.json", "-"];
    let (findings, code) = check(&args, Some(text.as_bytes()));
    assert_eq!(code, 0);
    assert_eq!(at(&findings, "wechat.certificate-type")["status"], "warn");
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("certificate_types.json");
    std::fs::write(
        &table,
        r#"{"errcode": 0, "errmsg": "ok", "items": [{"type": 1, "subject_type": 4, "name": "营业执照（个人或企业）"},
            {"type": 2, "subject_type": 5, "name": "居民身份证"}, {"type": 3, "subject_type": 5, "name": "护照"}]}"#,
    )
    .unwrap();
    let flag = format!("wechat.certificate_types={}", table.display());
    let (findings, code) = check(
        &["--api-table", &flag, "--stdin-filename", "body.json", "-"],
        Some(text.as_bytes()),
    );
    assert_eq!(code, 1);
    let f = at(&findings, "wechat.certificate-type");
    assert_eq!(f["status"], "fail");
    assert_eq!(f["path"], "/icp_subject/principal_info/certificate_type");
    // The untouched body still passes with the captured table: the data's conversions stay with their codes.
    let (_, code) = check(&["--api-table", &flag, WECHAT], None);
    assert_eq!(code, 0);
    let out = beian()
        .args(["check", "--api-table", "wechat.nothing=x.json", WECHAT])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn sms_names_the_body_fields_that_receive_codes() {
    let out = beian()
        .args(["sms", "--format", "json", WECHAT])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let paths: Vec<&str> = v["sms"]["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| {
            r["roles"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x["path"].as_str().unwrap())
        })
        .collect();
    assert!(paths.contains(&"/icp_subject/principal_info/mobile"), "{paths:?}");
    assert!(paths.contains(&"/icp_applets/principal_info/mobile"), "{paths:?}");
}

fn convert(file_or_stdin: &str, to: &str, stdin: Option<&[u8]>) -> String {
    let mut c = beian();
    c.args(["convert", "--to", to, file_or_stdin]);
    if let Some(s) = stdin {
        c.write_stdin(s.to_vec());
    }
    let out = c.output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn convert_round_trips_every_field_the_application_holds() {
    for (file, api) in [(WECHAT, "wechat"), (DOUYIN, "douyin")] {
        // Body → application → body → application: the two applications are the same.
        let app = convert(file, "beian", None);
        let body = convert("-", api, Some(app.as_bytes()));
        let back: Value = serde_json::from_str(&body).unwrap();
        let again = convert("-", "beian", Some(back.to_string().as_bytes()));
        assert_eq!(app, again, "{file}");
        // The body written holds every mapped value of the original body.
        let original: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        for pointer in [
            "/icp_subject/base_info/type",
            "/icp_subject/base_info/district",
            "/icp_subject/principal_info/certificate_validity_date_end",
            "/icp_applets/principal_info/authorization_letter",
            "/icp_applets/base_info/nrlx_details/0/code",
            "/corp_info/region_code",
            "/corp_info/incharge_people_credentials_valid_end_time",
            "/app_info/app_authority_letter/0/path",
        ] {
            if let Some(v) = original.pointer(pointer) {
                assert_eq!(back.pointer(pointer), Some(v), "{file}: {pointer}");
            }
        }
        // The application it gives is a valid application that beian reads without format errors.
        let (findings, _) = check(&["--stdin-filename", "app.yaml", "-"], Some(app.as_bytes()));
        assert!(
            !bad(&findings)
                .iter()
                .any(|(r, _)| r == "input.unknown-field" || r == "input.wrong-type"),
            "{file}: {:?}",
            bad(&findings)
        );
    }
}

#[test]
fn an_application_converts_to_a_body_that_checks_like_it() {
    // A mini-program filing written as an application.
    let app = convert(WECHAT, "beian", None);
    let body = convert("-", "wechat", Some(app.as_bytes()));
    let (findings, code) = check(&["--stdin-filename", "body.json", "-"], Some(body.as_bytes()));
    // Media the application cannot hold are placeholders; the body's own gaps (no service content types,
    // no face verification task, no certificate photo) are what remains to fill in.
    let rules: Vec<String> = bad(&findings).into_iter().map(|(r, _)| r).collect();
    assert_eq!(code, 1);
    for r in &rules {
        assert!(r.starts_with("wechat."), "{r}: {rules:?}");
    }
}

#[test]
fn the_field_maps_in_the_docs_are_current() {
    let map = |api: &str| {
        let out = beian().args(["convert", "--map", api]).output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        String::from_utf8(out.stdout).unwrap()
    };
    let generated = format!("{}\n{}", map("wechat"), map("douyin"));
    let doc = std::fs::read_to_string("docs/apis.md").unwrap();
    let marker = "keeps it current. -->\n\n";
    let at = doc.find(marker).expect("the generated section's marker") + marker.len();
    assert!(
        doc[at..] == generated,
        "docs/apis.md is stale: regenerate its last section with `beian convert --map wechat` and `--map douyin`"
    );
    assert!(generated.contains("| `/icp_subject/base_info/district` | `/entity/address/county` |"));
}

#[test]
fn the_configuration_file_sets_the_input_format_and_the_code_tables() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("tables")).unwrap();
    std::fs::write(
        dir.path().join("tables/certs.json"),
        r#"{"errcode": 0, "items": [{"type": 1, "subject_type": 4, "name": "营业执照（个人或企业）"}, {"type": 2, "subject_type": 5, "name": "居民身份证"}]}"#,
    )
    .unwrap();
    let body = std::fs::read_to_string(WECHAT).unwrap().replacen(
        "\"certificate_type\": 2",
        "\"certificate_type\": 9",
        1,
    );
    std::fs::write(dir.path().join("body.json"), body).unwrap();
    std::fs::write(
        dir.path().join("beian.toml"),
        "input-format = \"wechat\"\n[api-tables]\n\"wechat.certificate_types\" = \"tables/certs.json\"\n",
    )
    .unwrap();
    let file = dir.path().join("body.json");
    let (findings, code) = check(&[file.to_str().unwrap()], None);
    assert_eq!(code, 1);
    assert_eq!(at(&findings, "wechat.certificate-type")["status"], "fail");
    // The flag beats the file: read as an application, the body is not a WeChat body any more.
    let (findings, _) = check(
        &[
            "--input-format",
            "beian",
            "--province",
            "北京",
            file.to_str().unwrap(),
        ],
        None,
    );
    assert!(
        !findings
            .iter()
            .any(|f| f["rule"].as_str().unwrap().starts_with("wechat."))
    );
}

#[test]
fn human_output_of_a_failing_body() {
    let out = beian()
        .args(["check", WECHAT_FAIL, "--date", "2026-12-01"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8(out.stdout).unwrap());
}

/// A body with one change, checked: the findings that fail or warn.
fn mutated(file: &str, change: impl Fn(&mut Value), extra: &[&str]) -> (Vec<(String, String)>, i32) {
    let mut body: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    change(&mut body);
    let text = body.to_string();
    let mut args = vec!["--stdin-filename", "body.json"];
    args.extend_from_slice(extra);
    args.push("-");
    let (findings, code) = check(&args, Some(text.as_bytes()));
    (bad(&findings), code)
}

#[test]
fn missing_levels_codes_at_the_wrong_level_and_wrong_json_types_fail_once_each() {
    let (bad, code) = mutated(
        WECHAT,
        |b| {
            b["icp_subject"]["base_info"]
                .as_object_mut()
                .unwrap()
                .remove("city");
        },
        &[],
    );
    assert_eq!(code, 1);
    assert_eq!(
        bad.iter()
            .filter(|(_, p)| p == "/icp_subject/base_info/city")
            .count(),
        1,
        "{bad:?}"
    );
    let (bad, _) = mutated(
        WECHAT,
        |b| b["icp_subject"]["base_info"]["city"] = "110000".into(),
        &[],
    );
    assert!(
        bad.contains(&("wechat.region-codes".into(), "/icp_subject/base_info/city".into())),
        "{bad:?}"
    );
    let (bad, _) = mutated(
        DOUYIN,
        |b| {
            b["corp_info"].as_object_mut().unwrap().remove("region_code");
        },
        &[],
    );
    assert!(
        bad.contains(&("douyin.region-codes".into(), "/corp_info/region_code".into())),
        "{bad:?}"
    );
    let (bad, _) = mutated(
        WECHAT,
        |b| b["icp_applets"]["base_info"]["service_content_types"] = "1,2".into(),
        &[],
    );
    let here: Vec<_> = bad
        .iter()
        .filter(|(_, p)| p == "/icp_applets/base_info/service_content_types")
        .collect();
    assert_eq!(
        here,
        [&(
            "wechat.list-fields".to_string(),
            "/icp_applets/base_info/service_content_types".to_string()
        )]
    );
    let (bad, _) = mutated(
        WECHAT,
        |b| b["icp_subject"]["base_info"]["type"] = "4".into(),
        &[],
    );
    assert!(bad.contains(&(
        "wechat.number-fields".into(),
        "/icp_subject/base_info/type".into()
    )));
}

#[test]
fn what_the_body_cannot_say_or_beian_cannot_convert_is_not_a_failure() {
    // An undocumented subject type: a doubt about the code, not a failure of the certificate's relation to it.
    let (bad, code) = mutated(WECHAT, |b| b["icp_subject"]["base_info"]["type"] = 6.into(), &[]);
    assert_eq!(code, 0, "{bad:?}");
    assert!(bad.contains(&("wechat.subject-type".into(), "/icp_subject/base_info/type".into())));
    // A captured table naming a nature the application format does not have.
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("subject_types.json");
    std::fs::write(
        &table,
        r#"{"errcode": 0, "items": [{"type": 4, "name": "企业"}, {"type": 6, "name": "个体工商户"}]}"#,
    )
    .unwrap();
    let flag = format!("wechat.subject_types={}", table.display());
    let (bad, _) = mutated(
        WECHAT,
        |b| b["icp_subject"]["base_info"]["type"] = 6.into(),
        &["--api-table", &flag],
    );
    assert!(!bad.iter().any(|(r, _)| r.starts_with("input.")), "{bad:?}");
    // A document a province asks for that the body has no field for (江苏's 责任书 has one: it passes).
    let jiangsu = |b: &mut Value| {
        b["icp_subject"]["base_info"]["province"] = "320000".into();
        b["icp_subject"]["base_info"]["city"] = "320100".into();
        b["icp_subject"]["base_info"]["district"] = "320102".into();
    };
    let (bad, _) = mutated(WECHAT, jiangsu, &[]);
    assert!(
        bad.iter().any(|(r, _)| r == "jiangsu.authenticity-statements"),
        "{bad:?}"
    );
    let (bad, _) = mutated(
        WECHAT,
        |b| {
            jiangsu(b);
            b["icp_materials"]["authenticity_responsibility_letter"] = serde_json::json!(["MEDIA_R"]);
        },
        &[],
    );
    assert!(
        !bad.iter().any(|(r, _)| r == "jiangsu.authenticity-statements"),
        "{bad:?}"
    );
    // The principal read as the legal person is checked once, not twice at the same place.
    let (bad, _) = mutated(
        WECHAT,
        |b| {
            b["icp_subject"]["principal_info"]["certificate_number"] = "110105198503122318".into();
        },
        &[],
    );
    let id = bad
        .iter()
        .filter(|(r, p)| {
            r == "national.id.id-card-number" && p == "/icp_subject/principal_info/certificate_number"
        })
        .count();
    assert_eq!(id, 1, "{bad:?}");
}

#[test]
fn a_city_without_districts_is_its_own_district_and_a_wrong_shape_is_one_finding() {
    // 东莞 (441900) has no county level: its own code stands for the district.
    let (bad, _) = mutated(
        WECHAT,
        |b| {
            let base = &mut b["icp_subject"]["base_info"];
            base["province"] = "440000".into();
            base["city"] = "441900".into();
            base["district"] = "441900".into();
        },
        &[],
    );
    assert!(!bad.iter().any(|(r, _)| r == "wechat.region-codes"), "{bad:?}");
    // A subject that is a list: one finding, not one per field inside it.
    let (bad, code) = mutated(
        WECHAT,
        |b| b["icp_subject"] = serde_json::json!([]),
        &["--province", "北京"],
    );
    assert_eq!(code, 1);
    assert_eq!(
        bad,
        [("input.wrong-type".to_string(), "/icp_subject".to_string())]
    );
    // A timestamp in milliseconds is the body's error, not a note.
    let (bad, code) = mutated(
        DOUYIN,
        |b| {
            b["corp_info"]["incharge_people_credentials_valid_end_time"] = 2_057_241_600_000_i64.into();
        },
        &[],
    );
    assert_eq!(code, 1);
    assert!(bad.contains(&(
        "douyin.validity-timestamps".into(),
        "/corp_info/incharge_people_credentials_valid_end_time".into()
    )));
}

#[test]
fn convert_says_what_it_cannot_carry() {
    let out = beian()
        .args(["convert", "examples/beijing-enterprise.yaml", "--to", "wechat"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let notes = String::from_utf8(out.stderr).unwrap();
    assert!(notes.contains("note: /websites:"), "{notes}");
    assert!(notes.contains("note: /apps:"), "{notes}");
    let out = beian()
        .args(["convert", WECHAT, "--to", "beian"])
        .output()
        .unwrap();
    let notes = String::from_utf8(out.stderr).unwrap();
    assert!(
        notes.contains("note: /icp_applets/principal_info/verify_task_id:"),
        "{notes}"
    );
    // The legal person read from the principal holds what legal_person_info would: a name and a number.
    let app = String::from_utf8(out.stdout).unwrap();
    let legal = &app[app.find("legal_rep:").unwrap()..app.find("documents:").unwrap()];
    assert!(
        legal.contains("cert_number") && !legal.contains("mobile"),
        "{legal}"
    );
}

#[test]
fn a_document_the_body_lacks_is_reported_at_the_field_that_would_hold_it() {
    // 江苏 asks for the 真实性责任书: the finding points at the WeChat field for it.
    let mut body: Value = serde_json::from_str(&std::fs::read_to_string(WECHAT).unwrap()).unwrap();
    body["icp_subject"]["base_info"]["province"] = "320000".into();
    body["icp_subject"]["base_info"]["city"] = "320100".into();
    body["icp_subject"]["base_info"]["district"] = "320102".into();
    let (findings, _) = check(
        &["--stdin-filename", "body.json", "-"],
        Some(body.to_string().as_bytes()),
    );
    let f = at(&findings, "jiangsu.authenticity-statements");
    assert_eq!(f["status"], "fail");
    assert_eq!(f["path"], "/icp_materials/authenticity_responsibility_letter");
}

#[test]
fn a_misspelt_part_is_the_missing_part_and_the_unknown_key() {
    let text = std::fs::read_to_string(WECHAT)
        .unwrap()
        .replace("\"icp_applets\"", "\"icp_applet\"");
    let (findings, code) = check(&["--stdin-filename", "body.json", "-"], Some(text.as_bytes()));
    assert_eq!(code, 1);
    let mut got = bad(&findings);
    got.sort();
    assert_eq!(
        got,
        [
            ("input.unknown-field".to_string(), "/icp_applet".to_string()),
            ("wechat.body-parts".to_string(), "/icp_applets".to_string()),
        ]
    );
}

#[test]
fn two_commitment_letters_come_back_to_their_two_fields() {
    let mut body: Value = serde_json::from_str(&std::fs::read_to_string(WECHAT).unwrap()).unwrap();
    body["icp_materials"]["authenticity_commitment_letter"] = serde_json::json!(["MEDIA_AUTHENTICITY"]);
    let app = convert("-", "beian", Some(body.to_string().as_bytes()));
    let back: Value = serde_json::from_str(&convert("-", "wechat", Some(app.as_bytes()))).unwrap();
    assert_eq!(
        back["icp_materials"]["commitment_letter"],
        serde_json::json!(["MEDIA_ID_COMMITMENT"])
    );
    assert_eq!(
        back["icp_materials"]["authenticity_commitment_letter"],
        serde_json::json!(["MEDIA_AUTHENTICITY"])
    );
}
