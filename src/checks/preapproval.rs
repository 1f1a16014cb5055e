//! Pre-approvals (前置审批): keywords in names and content that need one, their validity, the no-approval pledge.

use serde::Deserialize;

use super::{Cx, Kind, unit_kinds};
use crate::data::PreapprovalType;
use crate::model::Service;
use crate::outcome::Outcome;

use super::content::{Target, find_word, texts};

unit_kinds!(PreapprovalValid);

/// Active pre-approval types: the table's flags unless `preapproval_types_active` lists them.
fn active_types<'a>(cx: &'a Cx<'_>, active: &Option<Vec<String>>) -> Vec<&'a PreapprovalType> {
    cx.data
        .tables
        .preapproval
        .types
        .iter()
        .filter(|t| active.as_ref().map_or(t.active, |a| a.contains(&t.kind)))
        .collect()
}

fn has_approval(s: &Service, kind: &str) -> bool {
    s.pre_approvals.iter().any(|p| p.kind.as_deref() == Some(kind))
}

/// A website name with a keyword of an active pre-approval type needs that approval (NAT-NAME-04).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreapprovalNameKeyword {
    #[serde(default)]
    pub preapproval_types_active: Option<Vec<String>>,
}

impl Kind for PreapprovalNameKeyword {
    fn vars(&self) -> &'static [&'static str] {
        &["type"]
    }

    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        let pledged = cx.app.has_document("no_preapproval_pledge");
        let types = active_types(cx, &self.preapproval_types_active);
        cx.app
            .websites
            .iter()
            .filter_map(|s| {
                let name = s.name.as_deref()?;
                let path = s.path("name");
                let hit = types
                    .iter()
                    .find_map(|t| find_word(name, &t.name_keywords).map(|w| (t, w)));
                Some(
                    match hit {
                        Some((t, w)) if !has_approval(s, &t.kind) && !pledged => Outcome::violated(path)
                            .var("found", w.clone())
                            .var("type", t.kind.clone()),
                        _ => Outcome::pass(path),
                    }
                    .var("value", name),
                )
            })
            .collect()
    }
}

/// Content types of active pre-approval types need the approval; every approval names its type and number
/// (NAT-PRE-01).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreapprovalRequired {
    #[serde(default)]
    pub preapproval_types_active: Option<Vec<String>>,
}

impl Kind for PreapprovalRequired {
    fn vars(&self) -> &'static [&'static str] {
        &["type"]
    }

    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        let types = active_types(cx, &self.preapproval_types_active);
        let mut out = Vec::new();
        for s in cx.app.services() {
            for c in &s.content_types {
                let hit = types
                    .iter()
                    .find(|t| c.value == t.kind || find_word(&c.value, &t.content_keywords).is_some());
                out.push(
                    match hit {
                        Some(t) if !has_approval(s, &t.kind) => {
                            Outcome::violated(c.ptr.clone()).var("type", t.kind.clone())
                        }
                        _ => Outcome::pass(c.ptr.clone()),
                    }
                    .var("value", c.value.clone()),
                );
            }
            for p in &s.pre_approvals {
                if p.number.as_deref().is_none_or(|n| n.trim().is_empty()) {
                    out.push(
                        Outcome::violated(format!("{}/number", p.ptr))
                            .var("value", p.kind.clone().unwrap_or_default())
                            .var("type", p.kind.clone().unwrap_or_default()),
                    );
                }
            }
        }
        out
    }
}

impl Kind for PreapprovalValid {
    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        cx.app
            .services()
            .flat_map(|s| s.pre_approvals.iter())
            .map(|p| {
                let path = format!("{}/valid_until", p.ptr);
                let found = p.kind.clone().unwrap_or_default();
                match p.valid_until {
                    None => Outcome::missing(path),
                    Some(d) if d >= cx.date => Outcome::pass(path).var("value", d.to_string()),
                    Some(d) => Outcome::violated(path).var("value", d.to_string()),
                }
                .var("found", found)
            })
            .collect()
    }
}

/// Keyword hits answered only by the no-pre-approval pledge (NAT-PRE-03): the province decides whether the
/// pledge is accepted.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreapprovalPledge {
    #[serde(default)]
    pub no_preapproval_pledge_accepted: Option<bool>,
    #[serde(default)]
    pub preapproval_types_active: Option<Vec<String>>,
}

impl Kind for PreapprovalPledge {
    fn listed_when_empty(&self) -> bool {
        false
    }

    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        if !cx.app.has_document("no_preapproval_pledge") {
            return Vec::new();
        }
        let active = active_types(cx, &self.preapproval_types_active);
        let all: Vec<&PreapprovalType> = cx.data.tables.preapproval.types.iter().collect();
        let mut out = Vec::new();
        for s in &cx.app.websites {
            let Some(name) = s.name.as_deref() else { continue };
            let hit = active
                .iter()
                .find_map(|t| find_word(name, &t.name_keywords).map(|w| (*t, w)))
                .or_else(|| {
                    all.iter()
                        .filter(|t| !t.active)
                        .find_map(|t| find_word(name, &t.scan_keywords).map(|w| (*t, w)))
                });
            if let Some((t, w)) = hit {
                if has_approval(s, &t.kind) {
                    continue;
                }
                let o = match self.no_preapproval_pledge_accepted {
                    Some(true) => Outcome::pass(s.path("name")),
                    Some(false) => Outcome::violated(s.path("name")),
                    None => Outcome::doubt(s.path("name")),
                };
                out.push(o.var("found", w.clone()).var("value", name).related("/documents"));
            }
        }
        out
    }
}

/// Keywords of pre-approval types in names, remarks, content types and the business scope (NAT-PRE-04): a
/// heuristic warning where no approval or pledge answers them.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreapprovalKeywords {
    #[serde(default)]
    pub preapproval_types_active: Option<Vec<String>>,
}

impl Kind for PreapprovalKeywords {
    fn vars(&self) -> &'static [&'static str] {
        &["type"]
    }

    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        let types = &cx.data.tables.preapproval.types;
        let active = active_types(cx, &self.preapproval_types_active);
        let pledged = cx.app.has_document("no_preapproval_pledge");
        let approved = |kind: &str| cx.app.services().any(|s| has_approval(s, kind));
        let mut out = Vec::new();
        let scan = [
            Target::EntityName,
            Target::EntityRemark,
            Target::BusinessScope,
            Target::WebsiteRemark,
            Target::AppName,
            Target::AppRemark,
            Target::ContentTypes,
        ];
        let mut places: Vec<(String, String, bool)> = scan
            .iter()
            .flat_map(|t| texts(cx, *t))
            .map(|(p, v)| (p, v, false))
            .collect();
        // Website names only for inactive types: active ones are national.name.preapproval-keyword's.
        places.extend(
            texts(cx, Target::WebsiteName)
                .into_iter()
                .map(|(p, v)| (p, v, true)),
        );
        for (path, text, website_name) in places {
            let hit = types
                .iter()
                .filter(|t| !website_name || !active.iter().any(|a| a.kind == t.kind))
                .find_map(|t| find_word(&text, &t.scan_keywords).map(|w| (t, w)));
            out.push(
                match hit {
                    Some((t, w)) if !(approved(&t.kind) || pledged && website_name) => {
                        Outcome::violated(path)
                            .var("found", w.clone())
                            .var("type", t.kind.clone())
                    }
                    _ => Outcome::pass(path),
                }
                .var("value", text),
            );
        }
        out
    }
}
