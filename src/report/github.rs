//! `--format github`: workflow commands (`::error file=…,line=…,col=…,title=RULE::message`) with GitHub's
//! escaping, then the summary (GitHub shows only some annotations per step).

use std::fmt::Write as _;

use super::Summary;
use crate::engine::{FileOutcome, FileResult};
use crate::outcome::Status;

/// Escapes the message part: `%`, CR and LF.
pub(crate) fn escape_data(s: &str) -> String {
    // Line breaks are the command syntax's to encode; other control, bidirectional and zero-width characters are
    // escaped as in human output, so an annotation shows what the file holds.
    let s = s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A");
    crate::text::visible(&s).into_owned()
}

/// Escapes a property value: also `:` and `,`.
pub(crate) fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The annotations and count line of one file.
pub(crate) fn render_file(r: &FileResult, strict: bool) -> String {
    let mut out = String::new();
    {
        let file = escape_property(&r.file);
        match &r.outcome {
            FileOutcome::Error(e) => {
                let _ = writeln!(
                    out,
                    "::error file={file},line={},col={},title={}::{}",
                    e.line,
                    e.column,
                    escape_property("beian input"),
                    escape_data(&e.message)
                );
            }
            FileOutcome::Checked(c) => {
                for f in &c.findings {
                    let command = match f.status {
                        Status::Fail => "error",
                        Status::Warn if strict => "error",
                        Status::Warn => "warning",
                        Status::Info => "notice",
                        Status::Pass | Status::Suppressed => continue,
                    };
                    let mut message = f.message.clone();
                    if let Some(h) = &f.hint {
                        message.push('\n');
                        message.push_str(h);
                    }
                    let _ = writeln!(
                        out,
                        "::{command} file={file},line={},col={},title={}::{}",
                        f.line,
                        f.column,
                        escape_property(&f.rule),
                        escape_data(&message)
                    );
                }
                // A passing file needs no line: the summary counts it.
                let n = &c.counts;
                if !c.failed(strict) {
                    return out;
                }
                let verdict = "fail";
                let _ = writeln!(
                    out,
                    "{}: {verdict} — {} failed, {} warnings, {} passed, {} info, {} suppressed",
                    r.file, n.fail, n.warn, n.pass, n.info, n.suppressed
                );
            }
        }
    }
    out
}

/// The closing summary line.
pub(crate) fn render_summary(s: &Summary) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "beian: {} file(s): {} passed, {} failed, {} error(s); {} warning(s), {} suppressed",
        s.files, s.passed, s.failed, s.errors, s.warnings, s.suppressed
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape_data("50%\nnext"), "50%25%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
