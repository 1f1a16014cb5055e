//! Names, remarks and content types against word lists; pre-approvals (前置审批); personal-filing limits.

use serde::Deserialize;

use super::{Cx, Kind, unit_kinds};
use crate::data::PreapprovalType;
use crate::model::{Nature, Service};
use crate::outcome::Outcome;
use crate::text::{Text, name_key, nfkc};

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
    words
        .iter()
        .find(|w| !w.is_empty() && t.contains(&name_key(w).to_lowercase()))
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

unit_kinds!(
    RelatedToOrganizer,
    PreapprovalValid,
    ContentTypeRemark,
    PersonalRemark,
    FeatureInfo,
    HomepageUnderDomain,
    IpPublic
);

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

/// An individual's first filing carries at most `individual_first_filing_max_domains` domains (a province sets it).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FirstFilingDomains {
    #[serde(default)]
    pub individual_first_filing_max_domains: Option<usize>,
}

impl Kind for FirstFilingDomains {
    fn vars(&self) -> &'static [&'static str] {
        &["limit"]
    }

    fn active(&self) -> bool {
        self.individual_first_filing_max_domains.is_some()
    }

    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        let Some(limit) = self.individual_first_filing_max_domains else {
            return Vec::new();
        };
        let mut names: Vec<String> = cx
            .app
            .services()
            .flat_map(|s| s.domains.iter().filter_map(|d| d.name.as_deref().map(name_key)))
            .collect();
        names.sort();
        names.dedup();
        let o = if names.len() > limit {
            Outcome::violated("/websites")
        } else {
            Outcome::pass("/websites")
        };
        vec![
            o.var("found", names.len().to_string())
                .var("limit", limit.to_string()),
        ]
    }
}

impl Kind for HomepageUnderDomain {
    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        cx.app
            .websites
            .iter()
            .filter_map(|s| {
                let url = s.homepage.as_deref()?;
                let path = s.path("homepage");
                let lower = nfkc(url).to_lowercase();
                let problem = if !(lower.starts_with("http://") || lower.starts_with("https://")) {
                    Some(Text::new(
                        "须以 http:// 或 https:// 开头",
                        "it must start with http:// or https://",
                    ))
                } else {
                    match crate::ids::domain::parse(url) {
                        Err(why) => Some(why),
                        Ok(host) => {
                            let under = s
                                .domains
                                .iter()
                                .filter_map(|d| crate::ids::domain::parse(d.name.as_deref()?).ok())
                                .any(|d| host.is_within(&d.ascii));
                            (!under).then(|| {
                                Text::new(
                                    "主机名不属于本网站的域名",
                                    "its host is not one of the website's domains",
                                )
                            })
                        }
                    }
                };
                Some(
                    match problem {
                        None => Outcome::pass(path),
                        Some(why) => Outcome::violated(path).var("found", why),
                    }
                    .var("value", url),
                )
            })
            .collect()
    }
}

fn is_internal(ip: std::net::IpAddr) -> bool {
    match ip {
        std::net::IpAddr::V4(v) => {
            let o = v.octets();
            v.is_private()
                || v.is_loopback()
                || v.is_link_local()
                || o[0] == 0
                || (o[0] == 100 && (64..128).contains(&o[1]))
        }
        std::net::IpAddr::V6(v) => {
            let s = v.segments();
            v.is_loopback() || (s[0] & 0xfe00) == 0xfc00 || (s[0] & 0xffc0) == 0xfe80 || v.is_unspecified()
        }
    }
}

impl Kind for IpPublic {
    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        let mut out = Vec::new();
        for s in cx.app.services().filter(|s| !s.ips.is_empty()) {
            let mut public = false;
            for ip in &s.ips {
                match nfkc(&ip.value).parse::<std::net::IpAddr>() {
                    Err(_) => out.push(
                        Outcome::violated(ip.ptr.clone())
                            .var("value", ip.value.clone())
                            .var(
                                "found",
                                Text::new("不是有效的IP地址", "is not a valid IP address"),
                            ),
                    ),
                    Ok(a) => public |= !is_internal(a),
                }
            }
            let path = s.path("ips");
            out.push(if public {
                Outcome::pass(path)
            } else {
                Outcome::violated(path).var(
                    "found",
                    Text::new("只有内网地址", "holds internal addresses only"),
                )
            });
        }
        out
    }
}

impl Kind for FeatureInfo {
    fn vars(&self) -> &'static [&'static str] {
        &["name"]
    }

    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        let mut out = Vec::new();
        for a in &cx.app.apps {
            let name = a.name.clone().unwrap_or_default();
            let mut problems: Vec<(String, Text)> = Vec::new();
            if name.trim().is_empty() {
                problems.push((a.path("name"), Text::new("缺少APP名称", "the name is missing")));
            }
            if a.platforms.is_empty() {
                problems.push((
                    a.path("platforms"),
                    Text::new(
                        "至少填写一个平台的特征信息",
                        "at least one platform's feature information is needed",
                    ),
                ));
            }
            for p in &a.platforms {
                let package_ok = p.package.as_deref().is_some_and(|pk| {
                    let parts: Vec<&str> = pk.split('.').collect();
                    parts.len() >= 2
                        && parts.iter().all(|s| {
                            !s.is_empty()
                                && s.chars()
                                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                        })
                        && parts
                            .first()
                            .and_then(|s| s.chars().next())
                            .is_some_and(|c| c.is_ascii_alphabetic())
                });
                if !package_ok {
                    problems.push((
                        format!("{}/package", p.ptr),
                        Text::new(
                            "包名/Bundle ID 格式不正确",
                            "the package name / bundle ID is malformed",
                        ),
                    ));
                }
                let mobile = matches!(p.platform.as_deref(), Some("android" | "ios"));
                if mobile {
                    let md5: String = p
                        .sig_md5
                        .as_deref()
                        .unwrap_or("")
                        .chars()
                        .filter(|c| *c != ':')
                        .collect();
                    if md5.len() != 32 || !md5.chars().all(|c| c.is_ascii_hexdigit()) {
                        problems.push((
                            format!("{}/sig_md5", p.ptr),
                            Text::new(
                                "签名MD5应为32位十六进制",
                                "the signature MD5 must be 32 hexadecimal digits",
                            ),
                        ));
                    }
                }
                if p.platform.as_deref() == Some("android")
                    && p.public_key.as_deref().is_none_or(|k| k.trim().is_empty())
                {
                    problems.push((
                        format!("{}/public_key", p.ptr),
                        Text::new("缺少签名公钥", "the signing public key is missing"),
                    ));
                }
            }
            if problems.is_empty() {
                out.push(Outcome::pass(a.ptr.clone()).var("name", name));
            } else {
                for (path, why) in problems {
                    out.push(
                        Outcome::violated(path)
                            .var("found", why)
                            .var("name", name.clone()),
                    );
                }
            }
        }
        out
    }
}

/// `domain_certificate_required`: `never` (a reminder), `always`, or a number of domains from which it is needed.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DomainCertificate {
    #[serde(default = "never")]
    pub domain_certificate_required: Requirement,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Requirement {
    Word(String),
    From(usize),
}

fn never() -> Requirement {
    Requirement::Word("never".into())
}

impl Kind for DomainCertificate {
    fn vars(&self) -> &'static [&'static str] {
        &["limit"]
    }

    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        if cx.app.has_document("domain_certificate") {
            return vec![Outcome::pass("/documents")];
        }
        let mut names: Vec<String> = cx
            .app
            .services()
            .flat_map(|s| s.domains.iter().filter_map(|d| d.name.as_deref().map(name_key)))
            .chain(
                cx.app
                    .entity
                    .existing_services
                    .iter()
                    .flat_map(|s| s.domains.iter().map(|d| name_key(&d.value))),
            )
            .collect();
        names.sort();
        names.dedup();
        match &self.domain_certificate_required {
            Requirement::Word(w) if w == "always" => vec![Outcome::violated("/documents")],
            Requirement::From(n) if names.len() >= *n => vec![
                Outcome::violated("/documents")
                    .var("limit", n.to_string())
                    .var("found", names.len().to_string()),
            ],
            Requirement::From(_) => vec![Outcome::pass("/documents")],
            _ => vec![Outcome::info("/documents")],
        }
    }
}
