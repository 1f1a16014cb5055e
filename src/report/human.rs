//! Human output: failures first with a source snippet, then warnings, then per-file counts and a
//! summary. Colour comes from `anstream`, which drops it when stdout is not a terminal or `NO_COLOR` is set.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use unicode_width::UnicodeWidthStr;

use super::Summary;
use crate::engine::{Checked, FileOutcome, FileResult, Finding};
use crate::input::node::resolve;
use crate::outcome::{Status, mask};
use crate::text::{Lang, visible};

/// What to show.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct HumanOptions {
    pub lang: Lang,
    /// No per-file lines and no summary: failures and errors only.
    pub quiet: bool,
    pub show_pii: bool,
    pub strict: bool,
}

const RED: Style = AnsiColor::Red.on_default().bold();
const YELLOW: Style = AnsiColor::Yellow.on_default().bold();
const BLUE: Style = AnsiColor::Blue.on_default().bold();
const GREEN: Style = AnsiColor::Green.on_default().bold();
const CYAN: Style = AnsiColor::Cyan.on_default();
const BOLD: Style = Style::new().bold();

fn label(status: Status, lang: Lang) -> (&'static str, Style) {
    match (status, lang) {
        (Status::Fail, Lang::En) => ("error", RED),
        (Status::Fail, Lang::Zh) => ("失败", RED),
        (Status::Warn, Lang::En) => ("warning", YELLOW),
        (Status::Warn, Lang::Zh) => ("警告", YELLOW),
        (Status::Info, Lang::En) => ("note", BLUE),
        (Status::Info, Lang::Zh) => ("提示", BLUE),
        (Status::Pass, Lang::En) => ("pass", GREEN),
        (Status::Pass, Lang::Zh) => ("通过", GREEN),
        (Status::Suppressed, Lang::En) => ("suppressed", CYAN),
        (Status::Suppressed, Lang::Zh) => ("已豁免", CYAN),
    }
}

/// What snippets of one file read: its lines and its personal values, computed once per file (not per finding,
/// which made a file with thousands of findings cost quadratic time).
struct Source<'a> {
    lines: Vec<&'a str>,
    pii: Vec<(crate::outcome::Pii, String)>,
}

impl<'a> Source<'a> {
    fn of(c: &'a Checked) -> Source<'a> {
        Source {
            lines: c.document.text.lines().collect(),
            pii: c.application.pii_values(),
        }
    }
}

/// Masks every personal value that appears in a source line.
fn mask_line(line: &str, src: &Source<'_>, show_pii: bool) -> String {
    if show_pii {
        return line.to_string();
    }
    // Values the model read, then anything else that looks personal (a value under a misspelt key).
    let mut out = crate::outcome::mask_free_text(line).into_owned();
    for (kind, value) in &src.pii {
        if out.contains(value.as_str()) {
            out = out.replace(value.as_str(), &mask(*kind, value));
        }
    }
    out
}

/// A file name at the start of a line: escaped, and never starting with `::` (a CI workflow command).
fn file_name(file: &str) -> String {
    let v = visible(file);
    if v.starts_with("::") {
        format!("./{v}")
    } else {
        v.into_owned()
    }
}

/// Longest part of a source line a snippet shows: a very long line shows a window around the finding.
const SNIPPET_CHARS: usize = 160;

fn snippet(
    w: &mut dyn Write,
    file: &str,
    f: &Finding,
    c: &Checked,
    src: &Source<'_>,
    o: &HumanOptions,
) -> io::Result<()> {
    let gutter = f.line.to_string().len();
    let pad = " ".repeat(gutter);
    writeln!(
        w,
        "{pad}{CYAN}-->{CYAN:#} {}:{}:{}",
        visible(file),
        f.line,
        f.column
    )?;
    let original = src
        .lines
        .get(f.line.saturating_sub(1))
        .copied()
        .unwrap_or("")
        .trim_end_matches('\r');
    let shown = mask_line(original, src, o.show_pii);
    writeln!(w, "{pad} {CYAN}|{CYAN:#}")?;
    // Underline the value (or the key of a missing field) in display columns, so CJK text lines up.
    let start = f.column.saturating_sub(1);
    let span_len = resolve(&c.document.root, &f.path)
        .filter(|n| n.span.line == f.line && n.span.end_line == f.line && n.span.line > 0)
        .map_or(1, |n| {
            let span = n.span.end_column.saturating_sub(n.span.column).max(1);
            // A scalar's span can run on to the next token (a comment); the text itself is what to underline.
            n.scalar().map_or(1, |s| {
                (s.text.chars().count() + if s.plain { 0 } else { 2 }).clamp(1, span)
            })
        });
    let delta = shown.chars().count() as isize - original.chars().count() as isize;
    let len = (span_len as isize + delta).max(1) as usize;
    // A window of the line around the finding, so a huge single-line value is not echoed whole.
    let total = shown.chars().count();
    let from = if total > SNIPPET_CHARS {
        start.saturating_sub(SNIPPET_CHARS / 4)
    } else {
        0
    };
    let len = len.min(SNIPPET_CHARS);
    let to = (start + len).max(from + SNIPPET_CHARS).min(total);
    let cut = |a: usize, b: usize| -> String { shown.chars().skip(a).take(b.saturating_sub(a)).collect() };
    let before = if from > 0 { "…" } else { "" };
    let after = if to < total { "…" } else { "" };
    let prefix = format!("{before}{}", visible(&cut(from, start)));
    let marked = visible(&cut(start, start + len)).into_owned();
    let rest = visible(&cut(start + len, to)).into_owned();
    writeln!(
        w,
        "{CYAN}{}{CYAN:#} {CYAN}|{CYAN:#} {prefix}{marked}{rest}{after}",
        f.line
    )?;
    let carets = "^".repeat(marked.width().max(1));
    let (_, style) = label(f.status, o.lang);
    writeln!(
        w,
        "{pad} {CYAN}|{CYAN:#} {}{style}{carets}{style:#}",
        " ".repeat(prefix.width())
    )?;
    Ok(())
}

fn finding(
    w: &mut dyn Write,
    file: &str,
    f: &Finding,
    c: &Checked,
    src: &Source<'_>,
    o: &HumanOptions,
    with_snippet: bool,
) -> io::Result<()> {
    let (word, style) = label(f.status, o.lang);
    writeln!(
        w,
        "{style}{word}[{}]{style:#}{BOLD}: {}{BOLD:#}",
        f.rule,
        visible(&f.message)
    )?;
    if with_snippet {
        snippet(w, file, f, c, src, o)?;
    } else {
        writeln!(w, "  {CYAN}-->{CYAN:#} {}:{}:{}", visible(file), f.line, f.column)?;
    }
    let pad = " ".repeat(f.line.to_string().len());
    if let Some(s) = &f.suppression {
        let word = if o.lang == Lang::Zh {
            "豁免理由"
        } else {
            "waived"
        };
        let by = match (s.origin, o.lang) {
            (crate::suppress::Origin::Flag, Lang::Zh) => "（--ignore）",
            (crate::suppress::Origin::Flag, Lang::En) => " (--ignore)",
            (_, Lang::Zh) => "（文件内）",
            (_, Lang::En) => " (in the file)",
        };
        writeln!(
            w,
            "{pad} {CYAN}={CYAN:#} {BOLD}{word}{BOLD:#}{by}: {}",
            visible(&s.reason)
        )?;
    }
    if let Some(h) = &f.hint {
        let word = if o.lang == Lang::Zh { "建议" } else { "hint" };
        writeln!(w, "{pad} {CYAN}={CYAN:#} {BOLD}{word}{BOLD:#}: {}", visible(h))?;
    }
    if !f.also.is_empty() {
        let word = if o.lang == Lang::Zh {
            "同时违反"
        } else {
            "also"
        };
        writeln!(w, "{pad} {CYAN}={CYAN:#} {word}: {}", f.also.join(", "))?;
    }
    for r in &f.related {
        let word = if o.lang == Lang::Zh { "相关" } else { "related" };
        writeln!(
            w,
            "{pad} {CYAN}={CYAN:#} {word}: {}:{}:{} ({})",
            visible(&r.file),
            r.line,
            r.column,
            visible(&r.path)
        )?;
    }
    if with_snippet {
        if let Some(s) = f.sources.first() {
            let word = if o.lang == Lang::Zh { "来源" } else { "source" };
            let more = if f.sources.len() > 1 {
                format!(" (+{})", f.sources.len() - 1)
            } else {
                String::new()
            };
            writeln!(w, "{pad} {CYAN}={CYAN:#} {word}: {s}{more}")?;
        }
    }
    writeln!(w)
}

fn counts_line(c: &Checked, o: &HumanOptions) -> String {
    let n = &c.counts;
    match o.lang {
        Lang::Zh => format!(
            "失败 {}，警告 {}，通过 {}，提示 {}，豁免 {}",
            n.fail, n.warn, n.pass, n.info, n.suppressed
        ),
        Lang::En => format!(
            "{} failed, {} warnings, {} passed, {} info, {} suppressed",
            n.fail, n.warn, n.pass, n.info, n.suppressed
        ),
    }
}

/// Writes one file's part of the report.
pub(crate) fn render_file(w: &mut dyn Write, r: &FileResult, o: &HumanOptions) -> io::Result<()> {
    {
        match &r.outcome {
            FileOutcome::Error(e) => {
                let word = if o.lang == Lang::Zh { "错误" } else { "error" };
                let kind = e.kind.id();
                writeln!(
                    w,
                    "{RED}{word}[{kind}]{RED:#}{BOLD}: {}:{}:{}: {}{BOLD:#}\n",
                    visible(&r.file),
                    e.line,
                    e.column,
                    visible(&e.message)
                )?;
            }
            FileOutcome::Checked(c) => {
                let order = [
                    Status::Fail,
                    Status::Warn,
                    Status::Info,
                    Status::Suppressed,
                    Status::Pass,
                ];
                let src = Source::of(c);
                // The findings arrive selected by --level.
                for status in order {
                    for f in c.findings.iter().filter(|f| f.status == status) {
                        finding(
                            w,
                            &r.file,
                            f,
                            c,
                            &src,
                            o,
                            matches!(status, Status::Fail | Status::Warn),
                        )?;
                    }
                }
                if !o.quiet {
                    let (word, style) = if c.failed(o.strict) {
                        label(Status::Fail, o.lang)
                    } else {
                        label(Status::Pass, o.lang)
                    };
                    let word = match (word, o.lang) {
                        ("error", _) => "fail",
                        (w, _) => w,
                    };
                    // A request body says which API's it was read as (recognised by its keys, or forced).
                    let body = match (c.document.api.as_ref(), o.lang) {
                        (Some(a), Lang::Zh) => format!(", {} 请求体", a.api),
                        (Some(a), Lang::En) => format!(", {} request body", a.api),
                        (None, _) => String::new(),
                    };
                    writeln!(
                        w,
                        "{BOLD}{}{BOLD:#}: {style}{word}{style:#} — {} [{} {}, {} {}{body}]",
                        file_name(&r.file),
                        counts_line(c, o),
                        c.province.name,
                        c.ruleset.version,
                        c.date,
                        c.filing_type.unwrap_or("-")
                    )?;
                }
            }
        }
    }
    Ok(())
}

/// Writes the summary line.
pub(crate) fn render_summary(w: &mut dyn Write, s: &Summary, o: &HumanOptions) -> io::Result<()> {
    if !o.quiet {
        let line = match o.lang {
            Lang::Zh => format!(
                "共 {} 个文件：通过 {}，未通过 {}，无法检查 {}；警告 {}，豁免 {}",
                s.files, s.passed, s.failed, s.errors, s.warnings, s.suppressed
            ),
            Lang::En => format!(
                "{} file(s): {} passed, {} failed, {} error(s); {} warning(s), {} suppressed",
                s.files, s.passed, s.failed, s.errors, s.warnings, s.suppressed
            ),
        };
        writeln!(w, "\n{BOLD}{line}{BOLD:#}")?;
    }
    Ok(())
}
