//! `--format junit`: one testsuite per file, one testcase per rule checked (whatever `--level`); fail →
//! `<failure>`, suppressed → `<skipped>`, warnings (and, at lower levels, reminders and passes) in `<system-out>`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{Seek as _, Write};

use crate::engine::{FileOutcome, FileResult, Finding};
use crate::outcome::Status;
use crate::report::Level;

/// XML text and attribute escaping; characters XML 1.0 forbids are dropped.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

fn line(file: &str, f: &Finding) -> String {
    format!(
        "{}:{}:{} {} [{}] {}",
        file,
        f.line,
        f.column,
        f.path,
        f.status.id(),
        f.message
    )
}

/// Builds the JUnit document file by file: the root element carries the totals, so each file's testsuite is
/// spooled (to an anonymous temporary file, or to memory if none can be made) as soon as it is checked and
/// copied out at the end: memory holds one suite, not every file's.
pub(crate) struct Builder {
    spool: Spool,
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
    /// Checking time summed over the files (the root's `time`).
    time: std::time::Duration,
}

enum Spool {
    File(std::io::BufWriter<std::fs::File>),
    Memory(Vec<u8>),
}

impl Builder {
    pub(crate) fn new() -> Builder {
        let spool = tempfile::tempfile().map_or_else(
            |_| Spool::Memory(Vec::new()),
            |f| Spool::File(std::io::BufWriter::new(f)),
        );
        Builder {
            spool,
            tests: 0,
            failures: 0,
            errors: 0,
            skipped: 0,
            time: std::time::Duration::ZERO,
        }
    }

    pub(crate) fn add(
        &mut self,
        r: &FileResult,
        strict: bool,
        level: Level,
        elapsed: std::time::Duration,
    ) -> std::io::Result<()> {
        self.time += elapsed;
        let time = format!("{:.3}", elapsed.as_secs_f64());
        let mut suite = String::new();
        let name = escape(&r.file);
        match &r.outcome {
            FileOutcome::Error(e) => {
                self.tests += 1;
                self.errors += 1;
                let kind = e.kind.id();
                let _ = writeln!(
                    suite,
                    "  <testsuite name=\"{name}\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\" time=\"{time}\">\n    <testcase name=\"input\" classname=\"{name}\">\n      <error message=\"{}\" type=\"{kind}\">{}:{}:{}: {}</error>\n    </testcase>\n  </testsuite>",
                    escape(&e.message),
                    name,
                    e.line,
                    e.column,
                    escape(&e.message)
                );
            }
            FileOutcome::Checked(c) => {
                let (tests, failures, skipped) =
                    checked_suite(&mut suite, &name, &r.file, &c.findings, (strict, level), &time);
                self.tests += tests;
                self.failures += failures;
                self.skipped += skipped;
            }
        }
        match &mut self.spool {
            Spool::File(f) => f.write_all(suite.as_bytes()),
            Spool::Memory(m) => {
                m.extend_from_slice(suite.as_bytes());
                Ok(())
            }
        }
    }

    /// Writes the document: the root element with the totals, then the suites as they were spooled.
    pub(crate) fn finish(self, w: &mut dyn Write) -> std::io::Result<()> {
        write!(
            w,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"beian\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{:.3}\">\n",
            self.tests,
            self.failures,
            self.errors,
            self.skipped,
            self.time.as_secs_f64()
        )?;
        match self.spool {
            Spool::File(f) => {
                let mut f = f.into_inner().map_err(std::io::IntoInnerError::into_error)?;
                f.seek(std::io::SeekFrom::Start(0))?;
                std::io::copy(&mut f, w)?;
            }
            Spool::Memory(m) => w.write_all(&m)?,
        }
        w.write_all(b"</testsuites>\n")
    }
}

/// One checked file's testsuite, appended to `suites`: (tests, failures, skipped).
fn checked_suite(
    suites: &mut String,
    name: &str,
    file: &str,
    findings: &[Finding],
    (strict, level): (bool, Level),
    time: &str,
) -> (usize, usize, usize) {
    let mut by_rule: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in findings {
        by_rule.entry(&f.rule).or_default().push(f);
    }
    let (mut failures, mut skipped) = (0, 0);
    let mut cases = String::new();
    for (rule, fs) in &by_rule {
        let failing: Vec<&&Finding> = fs
            .iter()
            .filter(|f| f.status == Status::Fail || (strict && f.status == Status::Warn))
            .collect();
        let suppressed: Vec<&&Finding> = fs.iter().filter(|f| f.status == Status::Suppressed).collect();
        let _ = writeln!(
            cases,
            "    <testcase name=\"{}\" classname=\"{name}\">",
            escape(rule)
        );
        if let Some(first) = failing.first() {
            failures += 1;
            let body: Vec<String> = failing.iter().map(|f| line(file, f)).collect();
            let _ = writeln!(
                cases,
                "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                escape(&first.message),
                first.status.id(),
                escape(&body.join("\n"))
            );
        } else if let Some(s) = suppressed.first().filter(|_| suppressed.len() == fs.len()) {
            skipped += 1;
            let reason = s
                .suppression
                .as_ref()
                .map(|x| x.reason.clone())
                .unwrap_or_default();
            let _ = writeln!(cases, "      <skipped message=\"{}\"/>", escape(&reason));
        }
        let notes: Vec<String> = fs
            .iter()
            .filter(|f| {
                matches!(f.status, Status::Warn | Status::Info | Status::Pass)
                    && !(strict && f.status == Status::Warn)
                    && level.shows(f.status)
            })
            .map(|f| line(file, f))
            .collect();
        if !notes.is_empty() {
            let _ = writeln!(
                cases,
                "      <system-out>{}</system-out>",
                escape(&notes.join("\n"))
            );
        }
        cases.push_str("    </testcase>\n");
    }
    let _ = writeln!(
        suites,
        "  <testsuite name=\"{name}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\" time=\"{time}\">\n{cases}  </testsuite>",
        by_rule.len()
    );
    (by_rule.len(), failures, skipped)
}
