//! Hostile filesystems and inputs: no hang, no unbounded read, nothing from the data that a terminal or a CI log
//! would obey. Each test runs the binary with a timeout, so a regression fails instead of hanging the suite.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use assert_cmd::cargo::cargo_bin_cmd;

const VALID: &str = include_str!("../examples/liaoning-enterprise.yaml");

fn beian() -> assert_cmd::Command {
    let mut c = cargo_bin_cmd!("beian");
    c.env("NO_COLOR", "1")
        .env("LANG", "en_US.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .timeout(Duration::from_secs(20));
    c
}

/// A fresh scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("beian-hostile-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn text(out: &[u8]) -> String {
    String::from_utf8_lossy(out).into_owned()
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo").arg(path).status().unwrap().success();
    assert!(ok, "mkfifo");
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_is_walked_once() {
    let d = scratch("loop");
    std::fs::write(d.join("app.yaml"), VALID).unwrap();
    std::os::unix::fs::symlink(".", d.join("a")).unwrap();
    std::os::unix::fs::symlink(".", d.join("b")).unwrap();
    let out = beian().arg("check").arg(&d).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("1 file(s)"), "{}", text(&out.stdout));
}

#[cfg(unix)]
#[test]
fn fifos_are_skipped_in_a_directory_and_refused_as_a_path() {
    let d = scratch("fifo");
    std::fs::write(d.join("app.yaml"), VALID).unwrap();
    let fifo = d.join("pipe.yaml");
    mkfifo(&fifo);
    let out = beian().arg("check").arg(&d).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        text(&out.stderr).contains("pipe.yaml: skipped, a FIFO"),
        "{}",
        text(&out.stderr)
    );
    let out = beian().arg("check").arg(&fifo).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stdout).contains("a FIFO"), "{}", text(&out.stdout));
    let rules = scratch("fifo-rules");
    mkfifo(&rules.join("national.yaml"));
    let out = beian()
        .args(["rules", "--rules-dir"])
        .arg(&rules)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("a FIFO"), "{}", text(&out.stderr));
}

#[cfg(unix)]
#[test]
fn an_unreadable_entry_is_reported_at_its_own_path_and_the_walk_goes_on() {
    let d = scratch("dangling");
    std::fs::create_dir_all(d.join("sub")).unwrap();
    std::fs::write(d.join("sub/app.yaml"), VALID).unwrap();
    std::os::unix::fs::symlink(d.join("missing.yaml"), d.join("a-dangling.yaml")).unwrap();
    let out = beian().arg("check").arg(&d).output().unwrap();
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout.contains("a-dangling.yaml:1:1"), "{stdout}");
    assert!(stdout.contains("sub/app.yaml: pass"), "{stdout}");
}

#[cfg(unix)]
#[test]
fn endless_inputs_are_cut_at_the_limit() {
    let out = beian().args(["sms", "/dev/zero"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("/dev/zero"), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty(), "sms errors go to stderr");
    let out = beian()
        .args([
            "check",
            "--phone-db",
            "/dev/zero",
            "examples/liaoning-enterprise.yaml",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let mut c = beian();
    c.args(["sms", "-", "--max-size", "1000"])
        .write_stdin(vec![b'a'; 5000]);
    let out = c.output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("limit of 1000 bytes"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn the_size_limit_saturates_and_names_the_limit() {
    let out = beian()
        .args([
            "check",
            "--max-size",
            "18446744073709551615",
            "examples/liaoning-enterprise.yaml",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let out = beian()
        .args(["check", "--max-size", "100", "examples/liaoning-enterprise.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("larger than the limit of 100 bytes"), "{stdout}");
    assert!(!stdout.contains("101"), "{stdout}");
}

#[test]
fn a_closed_pipe_keeps_the_verdict() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_beian"))
        .args(["check", "examples/"])
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.as_mut().unwrap().read_exact(&mut first).unwrap();
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    // examples/ holds failing applications: the verdict is 1 although nobody read the report.
    assert_eq!(status.code(), Some(1));
}

#[test]
fn keys_equal_after_normalisation_are_duplicates() {
    let doc = VALID.replacen(
        "filing_type: first_filing",
        "filing_type: first_filing\nｆｉｌｉｎｇ_type: first_filing",
        1,
    );
    let mut c = beian();
    c.args(["check", "-"]).write_stdin(doc);
    let out = c.output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stdout).contains("duplicate key"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn data_cannot_start_a_ci_command_or_reach_the_terminal_raw() {
    let doc = VALID.replacen(
        "- name: 示例科技官网",
        "- name: \"示例\\n::error file=evil.yaml,line=1::INJECTED\\u001b[2J\\u202e\"",
        1,
    );
    let mut c = beian();
    c.args(["check", "-", "--verbose"]).write_stdin(doc);
    let out = c.output().unwrap();
    let stdout = text(&out.stdout);
    assert!(stdout.contains("INJECTED"), "the name is reported: {stdout}");
    for line in stdout.lines() {
        assert!(!line.starts_with("::"), "{line}");
        assert!(!line.contains('\u{1b}') && !line.contains('\u{202e}'), "{line:?}");
    }
    assert!(
        stdout.contains("\\u{202e}") || stdout.contains("\\u{1b}"),
        "{stdout}"
    );
}

#[test]
fn personal_data_echoed_from_anywhere_is_masked_in_every_format() {
    // A mobile under a misspelt key, an ID number in an enumeration field, an e-mail that NFKC changes.
    let doc = VALID
        .replacen(
            "filing_type: first_filing",
            "filing_type: first_filing\nmobil: \"13904119876\"",
            1,
        )
        .replacen(
            "cert_type: business_licence",
            "cert_type: \"210102198503122311\"",
            1,
        )
        .replacen("email: zhangsan@example.cn", "email: ｚhangsan@example.cn", 1);
    for format in ["human", "json", "sarif", "junit", "github"] {
        let mut c = beian();
        c.args(["check", "-", "--verbose", "--format", format])
            .write_stdin(doc.clone());
        let out = c.output().unwrap();
        let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
        for raw in ["13904119876", "210102198503122311", "hangsan@example.cn"] {
            assert!(!all.contains(raw), "{format} shows {raw}");
        }
    }
}

#[test]
fn a_bidirectional_override_in_a_name_is_reported() {
    let doc = VALID.replacen("- name: 示例科技官网", "- name: \"示例\\u202e科技官网\"", 1);
    let mut c = beian();
    c.args(["check", "-", "--format", "json"]).write_stdin(doc);
    let out = c.output().unwrap();
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("input.normalised") && stdout.contains("bidirectional control characters"),
        "{stdout}"
    );
}

#[test]
fn merge_keys_are_refused_not_dropped() {
    let doc = format!(
        "base: &base {{name: 示例}}\n{}",
        VALID.replacen("\nentity:", "\nmerged:\n  <<: *base\nentity:", 1)
    );
    assert!(doc.contains("<<: *base"));
    let mut c = beian();
    c.args(["check", "-"]).write_stdin(doc);
    let out = c.output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("merge keys"), "{}", text(&out.stdout));
}

#[test]
fn a_leading_hyphen_makes_a_mobile_invalid() {
    let doc = VALID.replacen("mobile: \"13904112345\"", "mobile: \"-13904112345\"", 1);
    assert_ne!(doc, VALID);
    let mut c = beian();
    c.args(["check", "-", "--format", "json"]).write_stdin(doc);
    let out = c.output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    assert!(
        text(&out.stdout).contains("must not start with"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn an_empty_directory_is_not_a_pass() {
    let d = scratch("empty");
    let out = beian().arg("check").arg(&d).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("no application files"),
        "{}",
        text(&out.stderr)
    );
}

#[cfg(target_os = "linux")]
#[test]
fn names_that_are_not_utf8_stay_distinct() {
    use std::os::unix::ffi::OsStrExt;
    let d = scratch("bytes");
    for b in [0xffu8, 0xfe] {
        let bytes = [b'a', b, b'.', b'y', b'a', b'm', b'l'];
        std::fs::write(d.join(std::ffi::OsStr::from_bytes(&bytes)), VALID).unwrap();
    }
    let out = beian().arg("check").arg(&d).output().unwrap();
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("a\\xfe.yaml") && stdout.contains("a\\xff.yaml"),
        "{stdout}"
    );
}

#[test]
fn a_name_that_yaml_reads_as_a_boolean_or_number_is_the_wrong_type() {
    for value in ["true", "12345"] {
        let doc = VALID.replacen("- name: 示例科技官网", &format!("- name: {value}"), 1);
        assert_ne!(doc, VALID);
        let mut c = beian();
        c.args(["check", "-", "--format", "json"])
            .write_stdin(doc.clone());
        let out = c.output().unwrap();
        assert!(
            text(&out.stdout).contains("input.wrong-type"),
            "{value}: {}",
            text(&out.stdout)
        );
        // Quoted, it is text.
        let quoted = doc.replacen(&format!("- name: {value}"), &format!("- name: \"{value}\""), 1);
        let mut c = beian();
        c.args(["check", "-", "--format", "json"]).write_stdin(quoted);
        let out = c.output().unwrap();
        assert!(!text(&out.stdout).contains("input.wrong-type"), "{value} quoted");
    }
}

/// The failing (rule, path) pairs of one JSON report.
fn failures(doc: &str) -> Vec<(String, String)> {
    let mut c = beian();
    c.args(["check", "-", "--format", "json", "--max-size", "10000000"])
        .write_stdin(doc.to_string());
    let out = c.output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut found: Vec<(String, String)> = report["results"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "fail")
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["path"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    found.sort();
    found
}

/// `VALID` with `n` copies of its website (distinct domains); `edit(k, site)` changes copy `k`.
fn with_websites(n: usize, edit: impl Fn(usize, String) -> String) -> String {
    let start = VALID.find("websites:\n").unwrap() + "websites:\n".len();
    let end = VALID.find("documents:").unwrap();
    let site = &VALID[start..end];
    let sites: String = (0..n)
        .map(|k| edit(k, site.replace("example.cn", &format!("ex{k}.cn"))))
        .collect();
    format!("{}{}{}", &VALID[..start], sites, &VALID[end..])
}

/// Relations between principals are looked up in indexes once a list has more than a few elements; the indexed
/// evaluation must find exactly the pairs a scan finds.
#[test]
fn relations_between_many_principals_find_the_same_pairs_as_between_few() {
    // A different person (王五) on the last website shares 李四's mobile and uses the entity principal's mobile
    // as the emergency number.
    let other = |last: usize| {
        move |k: usize, site: String| {
            if k == last {
                site.replace("李四", "王五")
                    .replace("21010219900705182X", "210102199003071234")
                    .replace(
                        "emergency_phone: \"13604112345\"",
                        "emergency_phone: \"13904112345\"",
                    )
            } else {
                site
            }
        }
    };
    let rules = [
        "national.phone.mobile-unique-per-person",
        "national.phone.emergency-not-other-principal",
    ];
    let relevant = |doc: &str| -> Vec<(String, String)> {
        failures(doc)
            .into_iter()
            .filter(|(r, _)| rules.contains(&r.as_str()))
            .collect()
    };
    let few = relevant(&with_websites(2, other(1)));
    let many = relevant(&with_websites(12, other(11)));
    let expect = |n: usize| -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = (0..n)
            .map(|k| (rules[0].to_string(), format!("/websites/{k}/principal/mobile")))
            .chain([(
                rules[1].to_string(),
                format!("/websites/{}/principal/emergency_phone", n - 1),
            )])
            .collect();
        v.sort();
        v
    };
    assert_eq!(few, expect(2));
    assert_eq!(many, expect(12));
    // The same person on every website: nothing to report.
    assert_eq!(
        relevant(&with_websites(12, |_, s| s)),
        Vec::<(String, String)>::new()
    );
}

#[test]
fn a_principal_with_nothing_in_it_is_required_field_by_field_and_gets_no_code() {
    let start = VALID.find("    principal:                     #").unwrap();
    let end = VALID.find("documents:").unwrap();
    let doc = format!("{}    principal: {{}}\n{}", &VALID[..start], &VALID[end..]);
    let found = failures(&doc);
    for field in ["name", "cert_number", "mobile"] {
        let path = format!("/websites/0/principal/{field}");
        assert!(
            found.contains(&("input.required".to_string(), path.clone())),
            "{path}: {found:?}"
        );
    }
    let mut c = beian();
    c.args(["sms", "-"]).write_stdin(doc);
    let out = c.output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout)
            .contains("(no mobile: cannot receive a code)  ← service_principal /websites/0/principal/mobile"),
        "{}",
        text(&out.stdout)
    );
}
