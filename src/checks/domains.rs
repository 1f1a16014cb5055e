//! Website domains: registrable names, counts, approved suffixes, holder, expiry, government suffixes.

use serde::Deserialize;

use super::{Cx, Kind, unit_kinds};
use crate::ids::domain::{self, DomainName};
use crate::model::{Nature, Service, app::Domain};
use crate::outcome::Outcome;
use crate::text::{Text, name_key};

unit_kinds!(DomainRegistrable);

/// Every website domain with its service.
fn website_domains<'a>(cx: &'a Cx<'_>) -> impl Iterator<Item = (&'a Service, &'a Domain)> {
    cx.app
        .websites
        .iter()
        .flat_map(|s| s.domains.iter().map(move |d| (s, d)))
}

/// Parses a domain's name; `None` when it has none or it does not parse (another rule reports that).
fn parsed(d: &Domain) -> Option<DomainName> {
    domain::parse(d.name.as_deref()?).ok()
}

impl Kind for DomainRegistrable {
    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        website_domains(cx)
            .map(|(_, d)| {
                let path = format!("{}/name", d.ptr);
                let Some(name) = d.name.as_deref() else {
                    return Outcome::missing(path);
                };
                let out = match domain::parse(name) {
                    Err(why) => Outcome::violated(path).var("found", why),
                    Ok(p) if p.is_registrable() => Outcome::pass(path),
                    Ok(p) => match &p.registrable {
                        Some(r) => Outcome::violated(path).var(
                            "found",
                            Text::new(
                                format!("是子域名，应备案 {}", domain::to_unicode(r)),
                                format!("is a sub-domain; file {}", domain::to_unicode(r)),
                            ),
                        ),
                        None => Outcome::violated(path).var(
                            "found",
                            Text::new(
                                "是公共后缀本身，不能注册",
                                "is a public suffix, not a registrable domain",
                            ),
                        ),
                    },
                };
                out.var("value", name)
            })
            .collect()
    }
}

/// The domain's suffix must be in `allowed_tlds`, minus `remove`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TldAllowed {
    #[serde(default)]
    pub remove: Vec<String>,
}

impl Kind for TldAllowed {
    fn vars(&self) -> &'static [&'static str] {
        &["as_of"]
    }

    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        let table = &cx.data.tlds;
        let allowed = |s: &str| table.contains(s) && !self.remove.iter().any(|r| r == s);
        website_domains(cx)
            .filter_map(|(_, d)| {
                let p = parsed(d)?;
                let path = format!("{}/name", d.ptr);
                let suffix = p.suffix.clone().unwrap_or_else(|| p.tld().to_string());
                let ok = allowed(&suffix) || allowed(p.tld());
                let shown = format!(".{}", domain::to_unicode(&suffix));
                let o = if ok {
                    Outcome::pass(path)
                } else {
                    Outcome::violated(path)
                };
                Some(
                    o.var("value", d.name.clone().unwrap_or_default())
                        .var("found", shown)
                        .var("as_of", table.meta.as_of.clone()),
                )
            })
            .collect()
    }
}

/// The registrant must be the organizer, or (for units) one of the accepted alternatives (`legal_rep`); a holder
/// in `domain_registrant_doubtful` warns (sources that accept it only sometimes, or conflict).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegistrantIsOrganizer {
    #[serde(default)]
    pub domain_registrant_alternatives: Vec<Alternative>,
    #[serde(default)]
    pub domain_registrant_doubtful: Vec<Alternative>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Alternative {
    LegalRep,
}

impl Kind for RegistrantIsOrganizer {
    fn vars(&self) -> &'static [&'static str] {
        &["domain"]
    }

    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        let e = &cx.app.entity;
        let Some(organizer) = e.name.as_deref() else {
            return vec![Outcome::missing("/entity/name")];
        };
        let mut accepted = vec![name_key(organizer)];
        let mut doubtful = Vec::new();
        let unit = e.nature.is_some_and(Nature::is_unit);
        if let Some(n) = e
            .legal_rep
            .as_ref()
            .and_then(|l| l.name.as_deref())
            .filter(|_| unit)
        {
            if self
                .domain_registrant_alternatives
                .contains(&Alternative::LegalRep)
            {
                accepted.push(name_key(n));
            } else if self.domain_registrant_doubtful.contains(&Alternative::LegalRep) {
                doubtful.push(name_key(n));
            }
        }
        website_domains(cx)
            .map(|(_, d)| {
                let path = format!("{}/registrant", d.ptr);
                let domain = d.name.clone().unwrap_or_default();
                let Some(r) = d.registrant.as_deref() else {
                    return Outcome::missing(path).var("domain", domain);
                };
                let key = name_key(r);
                let o = if accepted.contains(&key) {
                    Outcome::pass(path)
                } else if doubtful.contains(&key) {
                    Outcome::doubt(path)
                } else {
                    Outcome::violated(path)
                };
                o.var("value", r).var("found", organizer).var("domain", domain)
            })
            .collect()
    }
}

fn default_domain_days() -> i64 {
    90
}

/// A domain must remain registered for more than `domain_min_remaining_days` after the reference date.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DomainExpiry {
    #[serde(default = "default_domain_days")]
    pub domain_min_remaining_days: i64,
}

impl Kind for DomainExpiry {
    fn vars(&self) -> &'static [&'static str] {
        &["domain"]
    }

    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        website_domains(cx)
            .map(|(_, d)| {
                let path = format!("{}/expires", d.ptr);
                let domain = d.name.clone().unwrap_or_default();
                let Some(exp) = d.expires else {
                    return Outcome::missing(path).var("domain", domain);
                };
                let days = cx.date.days_until(exp);
                let o = if days > self.domain_min_remaining_days {
                    Outcome::pass(path)
                } else {
                    Outcome::violated(path)
                };
                o.var("value", exp.to_string())
                    .var("found", days.to_string())
                    .var("domain", domain)
            })
            .collect()
    }
}
