//! Generic kinds that provincial rules use: documents required under conditions, remarks with required
//! wording, contact numbers across principals, per-submission limits, local landlines.

use serde::Deserialize;

use super::content::{Target, find_word, texts};
use super::people::{Role, describe, is_legal_rep, principals, same_person};
use super::{Cx, Kind, unit_kinds};
use crate::model::CertType;
use crate::outcome::{Outcome, Pii};
use crate::text::{Text, name_key, phone_key};

/// A condition on the application; a list of them must all hold.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    /// `previous.name` differs from `entity.name`.
    Renamed,
    /// `previous.cert_number` differs from `entity.cert_number`.
    CertNumberChanged,
    SoleTrader,
    HasApps,
    EntityPrincipalNotLegalRep,
    ServicePrincipalNotLegalRep,
    /// Websites and APPs in the application plus `entity.existing_services`.
    ServicesAtLeast(usize),
    /// Distinct domains in the application plus those of `entity.existing_services`.
    DomainsAtLeast(usize),
    ContentTypeContains(Vec<String>),
    /// The entity name or a website/APP name contains one of the words.
    NameContains(Vec<String>),
    #[serde(deserialize_with = "super::de::cert_types")]
    LegalRepCertTypes(Vec<CertType>),
    /// Some website domain is held by the legal representative (by name), not by the organizer.
    RegistrantIsLegalRep,
    /// The entity's mailing address (province, city, county or detail) contains one of the words.
    AddressContains(Vec<String>),
    /// No website or APP lists a `pre_approvals` entry of one of these types (a real approval answers the rule).
    NoPreApproval(Vec<String>),
}

impl Condition {
    fn holds(&self, cx: &Cx<'_>) -> bool {
        let app = cx.app;
        let e = &app.entity;
        let prev = app.previous.as_ref();
        match self {
            Condition::Renamed => prev
                .and_then(|p| p.name.as_deref())
                .zip(e.name.as_deref())
                .is_some_and(|(a, b)| name_key(a) != name_key(b)),
            Condition::CertNumberChanged => prev
                .and_then(|p| p.cert_number.as_deref())
                .zip(e.cert_number.as_deref())
                .is_some_and(|(a, b)| crate::text::id_key(a) != crate::text::id_key(b)),
            Condition::SoleTrader => e.sole_trader == Some(true),
            Condition::HasApps => !app.apps.is_empty(),
            Condition::EntityPrincipalNotLegalRep => e
                .principal
                .as_ref()
                .is_some_and(|p| is_legal_rep(app, p) == Some(false)),
            Condition::ServicePrincipalNotLegalRep => principals(app)
                .iter()
                .any(|p| p.role == Role::ServicePrincipal && is_legal_rep(app, &p.person) == Some(false)),
            Condition::ServicesAtLeast(n) => {
                app.websites.len() + app.apps.len() + e.existing_services.len() >= *n
            }
            Condition::DomainsAtLeast(n) => {
                let mut names: Vec<String> = app
                    .services()
                    .flat_map(|s| s.domains.iter().filter_map(|d| d.name.as_deref().map(name_key)))
                    .chain(
                        e.existing_services
                            .iter()
                            .flat_map(|s| s.domains.iter().map(|d| name_key(&d.value))),
                    )
                    .collect();
                names.sort();
                names.dedup();
                names.len() >= *n
            }
            Condition::ContentTypeContains(words) => texts(cx, Target::ContentTypes)
                .iter()
                .any(|(_, v)| find_word(v, words).is_some()),
            Condition::NameContains(words) => [Target::EntityName, Target::WebsiteName, Target::AppName]
                .iter()
                .flat_map(|t| texts(cx, *t))
                .any(|(_, v)| find_word(&v, words).is_some()),
            Condition::LegalRepCertTypes(types) => e
                .legal_rep
                .as_ref()
                .and_then(|l| l.cert_type)
                .is_some_and(|t| types.contains(&t)),
            Condition::RegistrantIsLegalRep => {
                let organizer = e.name.as_deref().map(name_key);
                let rep = e.legal_rep.as_ref().and_then(|l| l.name.as_deref()).map(name_key);
                rep.is_some_and(|rep| {
                    app.websites
                        .iter()
                        .flat_map(|s| s.domains.iter())
                        .filter_map(|d| d.registrant.as_deref().map(name_key))
                        .any(|r| r == rep && Some(&r) != organizer.as_ref())
                })
            }
            Condition::NoPreApproval(types) => !app
                .services()
                .flat_map(|s| s.pre_approvals.iter())
                .filter_map(|p| p.kind.as_deref())
                .any(|k| types.iter().any(|t| name_key(t) == name_key(k))),
            Condition::AddressContains(words) => e.address.as_ref().is_some_and(|a| {
                [&a.province, &a.city, &a.county, &a.detail]
                    .into_iter()
                    .flatten()
                    .any(|v| find_word(v, words).is_some())
            }),
        }
    }
}

/// `documents` must hold `kind` when every condition of `when` holds (always, when empty). When a condition does
/// not hold the rule does not apply and is not listed.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentRequired {
    pub kind: String,
    #[serde(default)]
    pub when: Vec<Condition>,
}

impl Kind for DocumentRequired {
    fn listed_when_empty(&self) -> bool {
        false
    }

    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        if !self.when.iter().all(|c| c.holds(cx)) {
            return Vec::new();
        }
        let label = crate::model::DocumentKind::ALL
            .iter()
            .find(|k| k.id() == self.kind)
            .map_or_else(|| Text::same(self.kind.clone()), |k| Text::new(k.zh(), k.id()));
        let o = if cx.app.has_document(&self.kind) {
            Outcome::pass("/documents")
        } else {
            Outcome::violated("/documents")
        };
        vec![o.var("found", label).var("value", self.kind.clone())]
    }
}

/// Remarks must be filled in and, with `contains_any`, carry one of the words (a province's required wording);
/// with `contains_all_groups`, one word of every group; with `not_equal_to_name`, a service's remark must say more
/// than its name. With `when`, the rule applies (and is listed) only when every condition holds.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemarkRequired {
    pub targets: Vec<Target>,
    #[serde(default)]
    pub contains_any: Vec<String>,
    #[serde(default)]
    pub contains_all_groups: Vec<Vec<String>>,
    #[serde(default)]
    pub not_equal_to_name: bool,
    #[serde(default)]
    pub min_chars: usize,
    #[serde(default)]
    pub when: Vec<Condition>,
}

impl RemarkRequired {
    fn missing_words(&self, text: &str) -> Option<Text> {
        let absent = |words: &[String]| !words.is_empty() && find_word(text, words).is_none();
        let group = std::iter::once(self.contains_any.as_slice())
            .chain(self.contains_all_groups.iter().map(Vec::as_slice))
            .find(|g| absent(g))?;
        let words = group.join("”“");
        Some(Text::new(
            format!("未包含“{words}”"),
            format!("does not contain \"{words}\""),
        ))
    }
}

impl Kind for RemarkRequired {
    fn listed_when_empty(&self) -> bool {
        self.when.is_empty()
    }

    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        if !self.when.iter().all(|c| c.holds(cx)) {
            return Vec::new();
        }
        let mut out = Vec::new();
        for target in &self.targets {
            // (pointer, remark, the service's name)
            let places: Vec<(String, Option<String>, Option<String>)> = match target {
                Target::WebsiteRemark => cx
                    .app
                    .websites
                    .iter()
                    .map(|s| (s.path("remark"), s.remark.clone(), s.name.clone()))
                    .collect(),
                Target::AppRemark => cx
                    .app
                    .apps
                    .iter()
                    .map(|s| (s.path("remark"), s.remark.clone(), s.name.clone()))
                    .collect(),
                Target::EntityRemark => {
                    vec![("/entity/remark".to_string(), cx.app.entity.remark.clone(), None)]
                }
                other => texts(cx, *other)
                    .into_iter()
                    .map(|(p, v)| (p, Some(v), None))
                    .collect(),
            };
            for (path, value, name) in places {
                let text = value.unwrap_or_default();
                let n = text.trim().chars().count();
                let problem = if n == 0 {
                    Some(Text::new("为空", "is empty"))
                } else if n < self.min_chars {
                    Some(Text::new(
                        format!("过短（{n} 字）"),
                        format!("is too short ({n} characters)"),
                    ))
                } else if self.not_equal_to_name
                    && name.is_some_and(|name| name_key(&name) == name_key(&text))
                {
                    Some(Text::new("只重复了名称", "only repeats the name"))
                } else {
                    self.missing_words(&text)
                };
                out.push(
                    match problem {
                        None => Outcome::pass(path),
                        Some(why) => Outcome::violated(path).var("found", why),
                    }
                    .var("value", text),
                );
            }
        }
        out
    }
}

unit_kinds!(ServiceEmergencyDistinct, AuthorizedPrincipalIsServicePrincipal);

impl Kind for ServiceEmergencyDistinct {
    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        let Some(ep) = cx.app.entity.principal.as_ref() else {
            return Vec::new();
        };
        let ep_numbers: Vec<(&str, String)> = [
            ("mobile", &ep.mobile),
            ("emergency_phone", &ep.emergency_phone),
            ("office_phone", &ep.office_phone),
        ]
        .into_iter()
        .filter_map(|(f, v)| v.as_deref().map(|v| (f, phone_key(v))))
        .filter(|(_, v)| !v.is_empty())
        .collect();
        principals(cx.app)
            .into_iter()
            .filter(|p| p.role == Role::ServicePrincipal && !same_person(&p.person, ep))
            .filter_map(|p| {
                let e = p.person.emergency_phone.as_deref()?;
                let path = p.person.path("emergency_phone");
                let k = phone_key(e);
                let clash = ep_numbers.iter().find(|(_, v)| *v == k);
                Some(
                    match clash {
                        None => Outcome::pass(path),
                        Some((field, _)) => {
                            let what = match *field {
                                "mobile" => Text::new("手机号码", "mobile"),
                                "emergency_phone" => Text::new("应急电话", "emergency number"),
                                _ => Text::new("办公电话", "office phone"),
                            };
                            Outcome::violated(path).var("found", what).related(ep.path(field))
                        }
                    }
                    .pii("value", Pii::Number, e),
                )
            })
            .collect()
    }
}

impl Kind for AuthorizedPrincipalIsServicePrincipal {
    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        let Some(ep) = cx.app.entity.principal.as_ref() else {
            return Vec::new();
        };
        if is_legal_rep(cx.app, ep) != Some(false) {
            return vec![Outcome::pass("/entity/principal")];
        }
        let who = ep.name.clone().unwrap_or_default();
        principals(cx.app)
            .into_iter()
            .filter(|p| p.role == Role::ServicePrincipal)
            .map(|p| {
                let o = if same_person(&p.person, ep) {
                    Outcome::pass(p.person.ptr.clone())
                } else {
                    Outcome::violated(p.person.ptr.clone())
                };
                o.var("found", who.clone()).var("value", describe(&p))
            })
            .collect()
    }
}

/// Office phones must be landlines of the filing province; with `required`, principals in `roles` need one.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LandlineLocal {
    #[serde(default)]
    pub required: bool,
    #[serde(default = "both_roles")]
    pub roles: Vec<Role>,
}

fn both_roles() -> Vec<Role> {
    vec![Role::EntityPrincipal, Role::ServicePrincipal]
}

impl Kind for LandlineLocal {
    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        principals(cx.app)
            .into_iter()
            .filter(|p| self.roles.contains(&p.role))
            .filter_map(|p| {
                let path = p.person.path("office_phone");
                let Some(v) = p.person.office_phone.as_deref() else {
                    return self
                        .required
                        .then(|| Outcome::violated(path).var("found", Text::new("未填写", "missing")));
                };
                // A malformed number is national.phone.landline-format's finding.
                let line = cx.data.area_codes.parse(v).ok()?;
                let o = if line.province == cx.province.code {
                    Outcome::pass(path)
                } else {
                    Outcome::violated(path)
                };
                Some(
                    o.var("found", cx.data.province_label(&line.province))
                        .pii("value", Pii::Number, v),
                )
            })
            .collect()
    }
}

/// What `service_count` counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Counted {
    Websites,
    Apps,
    Services,
    Domains,
}

/// At most `max` websites, APPs, services or distinct domains in one application.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceCount {
    pub max: usize,
    pub of: Counted,
}

impl Kind for ServiceCount {
    fn vars(&self) -> &'static [&'static str] {
        &["limit"]
    }

    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        let n = match self.of {
            Counted::Websites => cx.app.websites.len(),
            Counted::Apps => cx.app.apps.len(),
            Counted::Services => cx.app.websites.len() + cx.app.apps.len(),
            Counted::Domains => {
                let mut names: Vec<String> = cx
                    .app
                    .services()
                    .flat_map(|s| s.domains.iter().filter_map(|d| d.name.as_deref().map(name_key)))
                    .collect();
                names.sort();
                names.dedup();
                names.len()
            }
        };
        let path = if self.of == Counted::Apps {
            "/apps"
        } else {
            "/websites"
        };
        let o = if n > self.max {
            Outcome::violated(path)
        } else {
            Outcome::pass(path)
        };
        vec![o.var("found", n.to_string()).var("limit", self.max.to_string())]
    }
}
