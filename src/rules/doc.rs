//! A rule in Markdown: what it requires, why (its message), how to fix it (its hint), its sources. The same text
//! is each rule's page in `docs/rules/` (`beian rules --docs DIR` writes them; a test keeps them current) and its
//! SARIF `help.markdown`.

use std::fmt::Write as _;

use super::{Rule, Severity};
use crate::text::Lang;

fn t(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    if lang == Lang::Zh { zh } else { en }
}

fn severity(s: Severity, lang: Lang) -> &'static str {
    match s {
        Severity::Fail => t(lang, "失败", "fail"),
        Severity::Warn => t(lang, "警告", "warn"),
        Severity::Info => t(lang, "提示", "info"),
    }
}

/// Markdown has no business with the braces of message templates or with pipes and asterisks in data.
fn plain(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('*', "\\*")
        .replace('_', "\\_")
        .replace('<', "&lt;")
        .replace('`', "'")
}

/// The rule's help in one language: what, why, how to fix, sources.
pub(crate) fn markdown(rule: &Rule, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "**{}**\n", plain(rule.title.get(lang)));
    let _ = writeln!(
        out,
        "{}: {} · {}: {} · {}: {}\n",
        t(lang, "严重程度", "Severity"),
        severity(rule.severity, lang),
        t(lang, "缺少数据时", "when data is missing"),
        severity(rule.missing, lang),
        t(lang, "可信度", "confidence"),
        rule.confidence.id()
    );
    if let Some(w) = &rule.when {
        let _ = writeln!(
            out,
            "{}: {}\n",
            t(lang, "适用条件", "Applies when"),
            plain(&crate::checks::predicate::lang::describe(w, lang))
        );
    }
    if let crate::checks::Check::Assert(a) = &rule.check {
        let _ = writeln!(
            out,
            "{}: {}\n",
            t(lang, "要求", "Requires"),
            plain(&a.describe(lang))
        );
    }
    if !rule.fields.is_empty() {
        let fields: Vec<String> = rule.fields.iter().map(|f| format!("`{f}`")).collect();
        let _ = writeln!(out, "{}: {}\n", t(lang, "字段", "Fields"), fields.join(", "));
    }
    let _ = writeln!(
        out,
        "{}: {}\n",
        t(lang, "为什么（报告的说明）", "Why (the finding's message)"),
        plain(rule.message.get(lang))
    );
    if let Some(h) = &rule.hint {
        let _ = writeln!(
            out,
            "{}: {}\n",
            t(lang, "如何修改", "How to fix"),
            plain(h.get(lang))
        );
    }
    if !rule.covers.is_empty() {
        let ids: Vec<String> = rule
            .covers
            .iter()
            .map(|c| format!("[`{c}`]({})", file_name(c)))
            .collect();
        let _ = writeln!(
            out,
            "{}: {}\n",
            t(
                lang,
                "确认的全国规则（同一处只报告一次）",
                "Confirms the national rules (reported once where both apply)"
            ),
            ids.join(", ")
        );
    }
    if let Some(n) = &rule.confidence_note {
        let _ = writeln!(
            out,
            "{}: {}\n",
            t(lang, "可信度说明", "About the confidence"),
            plain(n.get(lang))
        );
    }
    if let Some(d) = rule.effective {
        let _ = writeln!(out, "{}: {d}\n", t(lang, "生效日期", "Effective"));
    }
    if rule.mandatory {
        let _ = writeln!(out, "{}\n", t(lang, "不可豁免。", "Cannot be waived."));
    }
    if !rule.sources.is_empty() {
        let _ = writeln!(out, "{}:\n", t(lang, "来源", "Sources"));
        for s in &rule.sources {
            let published = s.published_suffix();
            let _ = writeln!(
                out,
                "- [{}]({}){published} ({} {})",
                plain(&s.title),
                s.url.replace(' ', "%20").replace(')', "%29"),
                t(lang, "查阅于", "seen"),
                s.seen
            );
        }
    }
    out
}

/// A rule's page in `docs/rules/`: English, then Chinese.
pub(crate) fn page(rule: &Rule) -> String {
    format!(
        "# `{}`\n\n<!-- Generated from the rule data by `beian rules --docs docs/rules`; do not edit. -->\n\nRule set: `{}`\n\n{}\n## 中文\n\n{}",
        rule.id,
        rule.layer,
        markdown(rule, Lang::En),
        markdown(rule, Lang::Zh)
    )
}

/// The page's file name for a rule id.
pub(crate) fn file_name(id: &str) -> String {
    format!("{id}.md")
}
