//! Principals (负责人): age, certificate validity, legal representative and authorizations.

use serde::Deserialize;

use super::people::{Role, carries_birth_date, describe, is_legal_rep, principals, same_person};
use super::{Cx, Kind, unit_kinds};
use crate::ids::idcard;
use crate::model::{CertType, Validity};
use crate::outcome::{Outcome, Pii};
use crate::text::{Text, name_key};

unit_kinds!(IndividualIsPrincipal, ForeignLegalRep);

fn default_min_age() -> i32 {
    18
}

/// Principals must be at least `min_age` on the reference date; with `warn_below_age`, ages from `min_age` up to
/// it are a warning instead of a pass.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MinAge {
    #[serde(default = "default_min_age")]
    pub min_age: i32,
    #[serde(default)]
    pub warn_below_age: Option<i32>,
}

impl Kind for MinAge {
    fn vars(&self) -> &'static [&'static str] {
        &["limit"]
    }

    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        principals(cx.app)
            .into_iter()
            .map(|p| {
                let path = p.person.path("cert_number");
                let Some(n) = p.person.cert_number.as_deref() else {
                    return Outcome::missing(path);
                };
                let Some(t) = p.person.cert_type else {
                    return Outcome::missing(p.person.path("cert_type"));
                };
                if !carries_birth_date(t) {
                    return Outcome::doubt(path).var("limit", self.min_age.to_string()).var(
                        "found",
                        Text::new(
                            format!("{}号码不含出生日期，无法计算", t.zh()),
                            format!("unknown: a {} number carries no birth date", t.id()),
                        ),
                    );
                }
                // An invalid number is national.id.id-card-number's finding; age is read only from a real date.
                let Some(birth) = idcard::birth_date(n) else {
                    return Outcome::pass(path).pii("value", Pii::Number, n);
                };
                let age = birth.age_on(cx.date);
                let (out, limit) = match self.warn_below_age {
                    _ if age < self.min_age => (Outcome::violated(path), self.min_age),
                    Some(w) if age < w => (Outcome::violated(path), w),
                    _ => (Outcome::pass(path), self.min_age),
                };
                // Below the soft limit the outcome is a warning, whatever the rule's severity.
                let out = if age >= self.min_age && limit != self.min_age {
                    Outcome {
                        verdict: crate::outcome::Verdict::Doubt,
                        ..out
                    }
                } else {
                    out
                };
                out.var("found", age.to_string())
                    .var("limit", limit.to_string())
                    .pii("value", Pii::Number, n)
            })
            .collect()
    }
}

fn default_cert_days() -> i64 {
    90
}

/// Principals' certificates must be valid for more than `cert_min_remaining_days` after the reference date.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertValidity {
    #[serde(default = "default_cert_days")]
    pub cert_min_remaining_days: i64,
}

impl Kind for CertValidity {
    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        principals(cx.app)
            .into_iter()
            .map(|p| {
                let path = p.person.path("cert_valid_until");
                match p.person.cert_valid_until {
                    None => Outcome::missing(path),
                    Some(Validity::LongTerm) => {
                        Outcome::pass(path).var("value", Text::new("长期", "long_term"))
                    }
                    Some(Validity::Until(d)) => {
                        let days = cx.date.days_until(d);
                        let out = if days > self.cert_min_remaining_days {
                            Outcome::pass(path)
                        } else {
                            Outcome::violated(path)
                        };
                        out.var("value", d.to_string()).var("found", days.to_string())
                    }
                }
            })
            .collect()
    }
}

/// Principals in `roles` must be the legal representative, unless `documents` holds `authorization` (and the
/// rule does not say the legal representative is mandatory). With `when_name_contains`, the rule applies only
/// when the entity's name (and, with `scope_too`, its business scope) contains one of the words.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrincipalIsLegalRep {
    pub roles: Vec<Role>,
    #[serde(default)]
    pub authorization: Option<String>,
    #[serde(default)]
    pub entity_principal_must_be_legal_rep: bool,
    #[serde(default)]
    pub when_name_contains: Vec<String>,
    #[serde(default)]
    pub scope_too: bool,
    /// Legal representatives with these certificate types (foreigners, say) may authorize an entity principal even
    /// where `entity_principal_must_be_legal_rep` holds.
    #[serde(default, deserialize_with = "super::de::cert_types")]
    pub unless_legal_rep_cert_types: Vec<crate::model::CertType>,
}

impl PrincipalIsLegalRep {
    fn trigger(&self, cx: &Cx<'_>) -> Option<Option<String>> {
        if self.when_name_contains.is_empty() {
            return Some(None);
        }
        let e = &cx.app.entity;
        let mut texts = vec![e.name.as_deref()];
        if self.scope_too {
            texts.push(e.business_scope.as_deref());
        }
        let haystack: Vec<String> = texts.into_iter().flatten().map(name_key).collect();
        self.when_name_contains
            .iter()
            .find(|w| haystack.iter().any(|h| h.contains(&name_key(w))))
            .map(|w| Some(w.clone()))
    }
}

impl Kind for PrincipalIsLegalRep {
    fn vars(&self) -> &'static [&'static str] {
        &["who", "keyword"]
    }

    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        // Not triggered by the name: the rule holds trivially.
        let Some(keyword) = self.trigger(cx) else {
            return vec![Outcome::pass("/entity/name")];
        };
        let excepted = cx
            .app
            .entity
            .legal_rep
            .as_ref()
            .and_then(|l| l.cert_type)
            .is_some_and(|t| self.unless_legal_rep_cert_types.contains(&t));
        let authorized = (!self.entity_principal_must_be_legal_rep || excepted)
            && self
                .authorization
                .as_deref()
                .is_some_and(|k| cx.app.has_document(k));
        principals(cx.app)
            .into_iter()
            .filter(|p| self.roles.contains(&p.role))
            .map(|p| {
                let path = p.person.ptr.clone();
                let who = describe(&p);
                let name = p.person.name.clone().unwrap_or_default();
                let out = match is_legal_rep(cx.app, &p.person) {
                    None if cx.app.entity.legal_rep.is_some() => Outcome::missing(p.person.path("name")),
                    None => Outcome::missing("/entity/legal_rep"),
                    Some(true) => Outcome::pass(path),
                    Some(false) if authorized => Outcome::pass(path),
                    Some(false) => Outcome::violated(path),
                };
                let out = out.var("value", name).var("who", who.clone());
                match &keyword {
                    Some(k) => out.var("keyword", k.clone()).var("found", k.clone()),
                    None => out.var("found", who),
                }
            })
            .collect()
    }
}

impl Kind for IndividualIsPrincipal {
    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        let Some(me) = super::people::individual(cx.app) else {
            return Vec::new();
        };
        principals(cx.app)
            .into_iter()
            .map(|p| {
                let path = p.person.ptr.clone();
                let number_matches = match (&me.cert_number, &p.person.cert_number) {
                    (Some(a), Some(b)) => crate::text::id_key(a) == crate::text::id_key(b),
                    _ => same_person(&me, &p.person),
                };
                let name_matches = match (&me.name, &p.person.name) {
                    (Some(a), Some(b)) => name_key(a) == name_key(b),
                    _ => true,
                };
                let out = if number_matches && name_matches {
                    Outcome::pass(path)
                } else {
                    Outcome::violated(path)
                };
                out.var("value", p.person.name.clone().unwrap_or_default())
                    .var("found", describe(&p))
            })
            .collect()
    }
}

impl Kind for ForeignLegalRep {
    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        let Some(lr) = &cx.app.entity.legal_rep else {
            return vec![Outcome::missing("/entity/legal_rep")];
        };
        let path = lr.path("cert_type");
        let Some(t) = lr.cert_type else {
            return vec![Outcome::missing(path)];
        };
        if t == CertType::IdCard {
            return vec![Outcome::pass(path).var("found", t.label())];
        }
        let Some(ep) = &cx.app.entity.principal else {
            return vec![Outcome::missing("/entity/principal")];
        };
        let ok = ep.cert_type == Some(CertType::IdCard)
            && !same_person(ep, lr)
            && cx.app.has_document("entity_principal_authorization");
        let out = if ok {
            Outcome::pass(ep.path("cert_type"))
        } else {
            Outcome::violated(ep.path("cert_type"))
        };
        vec![out.var("found", t.label()).var("value", t.label()).related(path)]
    }
}
