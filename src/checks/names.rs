//! Website and entity names.

use serde::Deserialize;

use super::{Cx, Kind, unit_kinds};
use crate::ids::domain;
use crate::model::Nature;
use crate::outcome::Outcome;
use crate::text::{Text, name_key, nfkc};

unit_kinds!(SiteNameNotCode, EntityNameNotCode);

/// Han characters (Unicode script Han, as the CJK blocks hold them).
pub(crate) fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2A6DF | 0x2A700..=0x2EBEF | 0x30000..=0x3134F | 0x3007)
}

fn default_min_han() -> usize {
    3
}

/// A website name must contain at least `min_han` Han characters.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteNameHan {
    #[serde(default = "default_min_han")]
    pub min_han: usize,
}

impl Kind for SiteNameHan {
    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        cx.app
            .websites
            .iter()
            .map(|s| {
                let path = s.path("name");
                let Some(name) = s.name.as_deref() else {
                    return Outcome::missing(path);
                };
                let n = name.chars().filter(|c| is_han(*c)).count();
                let o = if n >= self.min_han {
                    Outcome::pass(path)
                } else {
                    Outcome::violated(path)
                };
                o.var("value", name).var("found", n.to_string())
            })
            .collect()
    }
}

/// Whether a text parses as a domain or URL (has a dot and a known suffix).
fn looks_like_domain(s: &str) -> bool {
    let t = nfkc(s);
    (t.contains('.') || t.contains("://"))
        && !t.chars().any(is_han)
        && domain::parse(&t).is_ok_and(|d| d.known)
}

fn name_problem(name: &str, domains: &[String]) -> Option<Text> {
    let t = nfkc(name);
    let compact: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.is_empty() {
        return Some(Text::new("为空", "it is empty"));
    }
    if looks_like_domain(&t) || domains.iter().any(|d| name_key(d) == name_key(&t)) {
        return Some(Text::new("是域名或网址", "it is a domain or URL"));
    }
    if compact.chars().all(|c| c.is_ascii_digit()) {
        return Some(Text::new("是纯数字", "it is only digits"));
    }
    if compact.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Some(Text::new(
            "是纯英文字母（和数字）",
            "it is only Latin letters (and digits)",
        ));
    }
    let bad: String = t
        .chars()
        .filter(|c| !(is_han(*c) || c.is_alphanumeric() || c.is_whitespace() || matches!(c, '(' | ')' | '-')))
        .collect();
    bad.chars().next().map(|c| {
        Text::new(
            format!("含特殊符号“{c}”"),
            format!("it contains the symbol '{c}'"),
        )
    })
}

impl Kind for SiteNameNotCode {
    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        cx.app
            .websites
            .iter()
            .map(|s| {
                let path = s.path("name");
                let Some(name) = s.name.as_deref() else {
                    return Outcome::missing(path);
                };
                let domains: Vec<String> = s.domains.iter().filter_map(|d| d.name.clone()).collect();
                match name_problem(name, &domains) {
                    None => Outcome::pass(path),
                    Some(why) => Outcome::violated(path).var("found", why),
                }
                .var("value", name)
            })
            .collect()
    }
}

impl Kind for EntityNameNotCode {
    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        let path = "/entity/name";
        let Some(name) = cx.app.entity.name.as_deref() else {
            return vec![Outcome::missing(path)];
        };
        let t = nfkc(name);
        let domains: Vec<String> = cx
            .app
            .websites
            .iter()
            .flat_map(|s| s.domains.iter().filter_map(|d| d.name.clone()))
            .collect();
        let problem = if looks_like_domain(&t) || domains.iter().any(|d| name_key(d) == name_key(&t)) {
            Some(Text::new("是域名或网址", "it is a domain or URL"))
        } else if t.chars().all(|c| !c.is_alphanumeric() || c.is_ascii_digit()) {
            Some(Text::new("只有数字和标点", "it is only digits and punctuation"))
        } else if cx.app.entity.nature == Some(Nature::Individual)
            && cx
                .app
                .websites
                .iter()
                .any(|s| s.name.as_deref().is_some_and(|n| name_key(n) == name_key(&t)))
        {
            Some(Text::new("与网站名称相同", "it is a website's name"))
        } else {
            None
        };
        vec![
            match problem {
                None => Outcome::pass(path),
                Some(why) => Outcome::violated(path).var("found", why),
            }
            .var("value", name),
        ]
    }
}
