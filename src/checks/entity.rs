//! The entity (主办者): nature and certificate.

use super::{Cx, Kind, unit_kinds};
use crate::model::CertType;
use crate::outcome::Outcome;
use crate::text::{Text, name_key};

unit_kinds!(NatureCertType);

impl Kind for NatureCertType {
    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        let e = &cx.app.entity;
        let path = "/entity/cert_type";
        let (Some(nature), Some(cert)) = (e.nature, e.cert_type) else {
            return vec![Outcome::missing(path)];
        };
        let with = |o: Outcome, found: Text| o.var("value", cert.label()).var("found", found);
        let Some(row) = cx.data.tables.nature_certificates.for_nature(nature) else {
            return vec![with(Outcome::doubt(path), Text::new("（无资料）", "(no data)"))];
        };
        let allowed: Vec<Text> = row
            .allowed
            .iter()
            .filter_map(|id| CertType::ALL.iter().find(|t| t.id() == id).map(|t| t.label()))
            .chain(
                row.other_names
                    .iter()
                    .map(|n| Text::new(format!("其他（{n}）"), format!("other ({n})"))),
            )
            .collect();
        let allowed_text = if allowed.is_empty() {
            Text::new(
                "任一单位证件（无确切资料）",
                "any unit certificate (no sourced list)",
            )
        } else {
            Text::join(&allowed)
        };
        if row.unsourced {
            return vec![if cert.is_personal() {
                with(Outcome::violated(path), allowed_text)
            } else {
                with(Outcome::doubt(path), allowed_text)
            }];
        }
        if row.allowed.iter().any(|a| a == cert.id()) {
            return vec![with(Outcome::pass(path), allowed_text)];
        }
        if cert == CertType::Other && !row.other_names.is_empty() {
            // The listed names change and are only partly confirmed: a name that matches none is a warning.
            let name = e.cert_type_name.as_deref().map(name_key).unwrap_or_default();
            let matches = row
                .other_names
                .iter()
                .any(|n| !name.is_empty() && (name.contains(&name_key(n)) || name_key(n).contains(&name)));
            let out = if matches {
                Outcome::pass(path)
            } else {
                Outcome::doubt(path)
            };
            return vec![with(out, allowed_text)];
        }
        vec![with(Outcome::violated(path), allowed_text)]
    }
}
