//! Identity documents: resident ID numbers, USCCs, residence permits, refused certificate types.

use serde::Deserialize;

use super::people::{Role, describe, persons};
use super::{Cx, Kind, unit_kinds};
use crate::ids::{idcard, uscc};
use crate::model::{CertType, Nature};
use crate::outcome::{Outcome, Pii};
use crate::text::Text;

unit_kinds!(IdCardNumber, UsccOrgCode, ResidencePermitNumber);

impl Kind for IdCardNumber {
    fn vars(&self) -> &'static [&'static str] {
        &["cert_type"]
    }

    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        let codes = cx.data.provinces.codes();
        persons(cx.app, &[])
            .into_iter()
            .filter(|p| matches!(p.person.cert_type, Some(CertType::IdCard | CertType::TemporaryId)))
            .map(|p| {
                let path = p.person.path("cert_number");
                let Some(n) = p.person.cert_number.as_deref() else {
                    return Outcome::missing(path);
                };
                let out = match idcard::validate(n, cx.date, &codes, &[]) {
                    Ok(_) => Outcome::pass(path),
                    Err(e) => Outcome::violated(path).var("found", e.describe()),
                };
                out.pii("value", Pii::Number, n).var(
                    "cert_type",
                    p.person.cert_type.map(|t| t.label()).unwrap_or_default(),
                )
            })
            .collect()
    }
}

impl Kind for ResidencePermitNumber {
    fn vars(&self) -> &'static [&'static str] {
        &["cert_type"]
    }

    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        persons(cx.app, &[])
            .into_iter()
            .filter_map(|p| {
                let regions: &[&str] = match p.person.cert_type? {
                    CertType::HkMacaoResidence => &["810000", "820000"],
                    CertType::TaiwanResidence => &["830000"],
                    _ => return None,
                };
                let path = p.person.path("cert_number");
                let label = p.person.cert_type.map(|t| t.label()).unwrap_or_default();
                let Some(n) = p.person.cert_number.as_deref() else {
                    return Some(Outcome::missing(path));
                };
                let out = match idcard::validate(n, cx.date, &[], regions) {
                    Ok(_) => Outcome::pass(path),
                    Err(e) => Outcome::violated(path).var("found", e.describe()),
                };
                Some(out.pii("value", Pii::Number, n).var("cert_type", label))
            })
            .collect()
    }
}

fn default_uscc_types() -> Vec<CertType> {
    vec![
        CertType::BusinessLicence,
        CertType::UsccCertificate,
        CertType::PublicInstitutionCertificate,
        CertType::SocialOrganizationCertificate,
        CertType::PrivateNonEnterpriseCertificate,
        CertType::FoundationCertificate,
        CertType::LawFirmLicence,
    ]
}

/// The unit certificate types whose number is a USCC.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UsccChecksum {
    #[serde(default = "default_uscc_types", deserialize_with = "super::de::cert_types")]
    pub cert_types: Vec<CertType>,
}

/// The entity's USCC, when its certificate carries one.
fn entity_uscc<'a>(cx: &'a Cx<'_>, types: &[CertType]) -> Option<(&'a str, String)> {
    let e = &cx.app.entity;
    if e.nature == Some(Nature::Individual) || !e.cert_type.is_some_and(|t| types.contains(&t)) {
        return None;
    }
    Some((e.cert_number.as_deref()?, "/entity/cert_number".to_string()))
}

impl Kind for UsccChecksum {
    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        let Some((n, path)) = entity_uscc(cx, &self.cert_types) else {
            return Vec::new();
        };
        vec![match uscc::validate(n) {
            Ok(_) => Outcome::pass(path).var("value", n),
            Err(e) => Outcome::violated(path).var("value", n).var("found", e.describe()),
        }]
    }
}

impl Kind for UsccOrgCode {
    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        let Some((n, path)) = entity_uscc(cx, &default_uscc_types()) else {
            return Vec::new();
        };
        let Ok(code) = uscc::validate(n) else {
            return Vec::new();
        };
        vec![match uscc::org_code_mismatch(&code) {
            None => Outcome::pass(path).var("value", n),
            Some(c) => Outcome::violated(path)
                .var("value", n)
                .var("found", Text::new(format!("应为 {c}"), format!("expected {c}"))),
        }]
    }
}

/// Certificate types a rule refuses (`violate`) or doubts (`doubt`) for some roles.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertTypeFlag {
    #[serde(default)]
    pub roles: Vec<Role>,
    #[serde(default, deserialize_with = "super::de::cert_types")]
    pub violate: Vec<CertType>,
    #[serde(default, deserialize_with = "super::de::cert_types")]
    pub doubt: Vec<CertType>,
}

impl Kind for CertTypeFlag {
    fn vars(&self) -> &'static [&'static str] {
        &["who"]
    }

    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        persons(cx.app, &self.roles)
            .into_iter()
            .map(|p| {
                let path = p.person.path("cert_type");
                let Some(t) = p.person.cert_type else {
                    return Outcome::missing(path);
                };
                let out = if self.violate.contains(&t) {
                    Outcome::violated(path)
                } else if self.doubt.contains(&t) {
                    Outcome::doubt(path)
                } else {
                    Outcome::pass(path)
                };
                out.var("value", t.label())
                    .var("found", t.label())
                    .var("who", describe(&p))
            })
            .collect()
    }
}
