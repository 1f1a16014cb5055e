//! Names, remarks and content types against word lists: words that must be absent, relation to the organizer,
//! content types that need a remark, an individual's remark.

use serde::Deserialize;

use super::{Cx, Kind, unit_kinds};
use crate::model::{Nature, Service};
use crate::outcome::Outcome;
use crate::text::{Text, name_key, nfkc};

unit_kinds!(RelatedToOrganizer, ContentTypeRemark, PersonalRemark);

/// Texts of the application a word rule can read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    WebsiteName,
    WebsiteRemark,
    AppName,
    AppRemark,
    EntityName,
    EntityRemark,
    BusinessScope,
    ContentTypes,
}

/// (pointer, text) for every place `target` names.
pub(super) fn texts(cx: &Cx<'_>, target: Target) -> Vec<(String, String)> {
    let e = &cx.app.entity;
    let one = |p: &str, v: &Option<String>| v.iter().map(|v| (p.to_string(), v.clone())).collect::<Vec<_>>();
    let svc = |list: &[Service], f: fn(&Service) -> &Option<String>, field: &str| {
        list.iter()
            .filter_map(|s| f(s).as_ref().map(|v| (s.path(field), v.clone())))
            .collect::<Vec<_>>()
    };
    match target {
        Target::WebsiteName => svc(&cx.app.websites, |s| &s.name, "name"),
        Target::WebsiteRemark => svc(&cx.app.websites, |s| &s.remark, "remark"),
        Target::AppName => svc(&cx.app.apps, |s| &s.name, "name"),
        Target::AppRemark => svc(&cx.app.apps, |s| &s.remark, "remark"),
        Target::EntityName => one("/entity/name", &e.name),
        Target::EntityRemark => one("/entity/remark", &e.remark),
        Target::BusinessScope => one("/entity/business_scope", &e.business_scope),
        Target::ContentTypes => cx
            .app
            .services()
            .flat_map(|s| s.content_types.iter().map(|c| (c.ptr.clone(), c.value.clone())))
            .collect(),
    }
}

/// The first word of `words` that `text` contains.
pub(super) fn find_word<'w>(text: &str, words: &'w [String]) -> Option<&'w String> {
    let t = name_key(text).to_lowercase();
    words.iter().find(|w| {
        // Most table words (Chinese, lower-case ASCII) are their own key: compare without building one.
        let plain = w
            .chars()
            .all(|c| matches!(c, 'a'..='z' | '0'..='9' | '\u{4E00}'..='\u{9FFF}'));
        !w.is_empty()
            && if plain {
                t.contains(w.as_str())
            } else {
                t.contains(&name_key(w).to_lowercase())
            }
    })
}

/// Texts must not contain words of a table (or a list); exemptions for words the registered name carries and
/// for national-level bodies.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WordsAbsent {
    pub targets: Vec<Target>,
    #[serde(default)]
    pub table: Option<String>,
    #[serde(default)]
    pub words: Vec<String>,
    /// More words for individual filings.
    #[serde(default)]
    pub individual_words: Vec<String>,
    #[serde(default)]
    pub unless_in_entity_name: bool,
    #[serde(default)]
    pub unless_national_level: bool,
    /// An individual's service may not carry any pre-approval either.
    #[serde(default)]
    pub forbid_pre_approvals: bool,
}

impl Kind for WordsAbsent {
    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        let mut words = self.words.clone();
        if let Some(t) = &self.table {
            words.extend(
                cx.data
                    .tables
                    .words
                    .get(t)
                    .map(|t| t.values.clone())
                    .unwrap_or_default(),
            );
        }
        if cx.app.entity.nature == Some(Nature::Individual) {
            words.extend(self.individual_words.iter().cloned());
        }
        let entity_name = cx.app.entity.name.as_deref().map(name_key).unwrap_or_default();
        if self.unless_in_entity_name {
            words.retain(|w| !entity_name.contains(&name_key(w)));
        }
        let national_level = self.unless_national_level
            && cx
                .app
                .entity
                .cert_number
                .as_deref()
                .and_then(|n| crate::ids::uscc::validate(n).ok())
                .is_some_and(|c| c.get(2..8) == Some("100000"));
        let mut out = Vec::new();
        for target in &self.targets {
            for (path, text) in texts(cx, *target) {
                let hit = if national_level {
                    None
                } else {
                    find_word(&text, &words)
                };
                out.push(
                    match hit {
                        None => Outcome::pass(path),
                        Some(w) => Outcome::violated(path).var("found", w.clone()),
                    }
                    .var("value", text),
                );
            }
        }
        if self.forbid_pre_approvals {
            for s in cx.app.services() {
                for p in &s.pre_approvals {
                    out.push(
                        Outcome::violated(p.ptr.clone())
                            .var("value", p.kind.clone().unwrap_or_default())
                            .var("found", Text::new("前置审批", "a pre-approval")),
                    );
                }
            }
        }
        out
    }
}

/// The 字号 of a unit name: without leading division names and trailing organisation-form words.
fn trade_name(cx: &Cx<'_>, name: &str) -> String {
    let mut n = nfkc(name);
    let lead = cx.data.divisions.leading(&n);
    if let Some(last) = lead.last() {
        n = n.chars().skip(last.end).collect();
    }
    for suffix in ["股份有限公司", "有限责任公司", "有限公司", "集团", "公司"] {
        if let Some(s) = n.strip_suffix(suffix) {
            n = s.to_string();
            break;
        }
    }
    n.trim_start_matches(['(', ')']).to_string()
}

impl Kind for RelatedToOrganizer {
    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        let Some(entity) = cx.app.entity.name.as_deref() else {
            return vec![Outcome::missing("/entity/name")];
        };
        let core: Vec<char> = trade_name(cx, entity)
            .chars()
            .filter(|c| super::names::is_han(*c))
            .collect();
        let trademark = cx.app.has_document("trademark_certificate");
        cx.app
            .websites
            .iter()
            .filter_map(|s| {
                let name = s.name.as_deref()?;
                let site = name_key(name);
                let related = core
                    .windows(2)
                    .any(|w| site.contains(&w.iter().collect::<String>()))
                    || core.len() < 2 && site.contains(&name_key(entity));
                let o = if related || trademark {
                    Outcome::pass(s.path("name"))
                } else {
                    Outcome::violated(s.path("name"))
                };
                Some(o.var("value", name).var("found", entity))
            })
            .collect()
    }
}

impl Kind for ContentTypeRemark {
    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        if cx.app.entity.nature == Some(Nature::Individual) {
            return Vec::new();
        }
        cx.app
            .websites
            .iter()
            .filter(|s| s.content_types.iter().any(|c| c.value != "单位门户网站"))
            .map(|s| {
                let path = s.path("remark");
                let o = if s.remark.as_deref().is_some_and(|r| !r.trim().is_empty()) {
                    Outcome::pass(path)
                } else {
                    Outcome::violated(path)
                };
                let others: Vec<&str> = s
                    .content_types
                    .iter()
                    .map(|c| c.value.as_str())
                    .filter(|v| *v != "单位门户网站")
                    .collect();
                o.var(
                    "found",
                    Text::new(
                        format!("选择了“{}”但备注为空", others.join("、")),
                        format!("declares {} with an empty remark", others.join(", ")),
                    ),
                )
            })
            .collect()
    }
}

impl Kind for PersonalRemark {
    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        cx.app
            .services()
            .map(|s| {
                let path = s.path("remark");
                if s.remark.as_deref().is_some_and(|r| !r.trim().is_empty()) {
                    Outcome::pass(path)
                } else {
                    Outcome::violated(path)
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_word_matches_with_and_without_the_fast_path() {
        let words: Vec<String> = ["博客", "Forum", "ｂｂｓ", "论 坛", "app"]
            .iter()
            .map(|w| (*w).to_string())
            .collect();
        assert_eq!(
            find_word("我的个人博客", &words).map(String::as_str),
            Some("博客")
        );
        assert_eq!(find_word("FORUM site", &words).map(String::as_str), Some("Forum"));
        assert_eq!(find_word("bbs论坛", &words).map(String::as_str), Some("ｂｂｓ"));
        assert_eq!(find_word("论坛", &words).map(String::as_str), Some("论 坛"));
        assert_eq!(find_word("我的App", &words).map(String::as_str), Some("app"));
        assert_eq!(find_word("官网", &words), None);
    }
}
