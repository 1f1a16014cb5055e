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

unit_kinds!(
    UsccMatchesNature,
    RegistryStatusNormal,
    InvestorMatchesNature,
    NewAccessMatchesRecord,
    ChangeEntitySameEntity
);

impl Kind for UsccMatchesNature {
    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        let e = &cx.app.entity;
        let path = "/entity/cert_number";
        let (Some(nature), Some(n)) = (e.nature, e.cert_number.as_deref()) else {
            return Vec::new();
        };
        let Ok(code) = crate::ids::uscc::validate(n) else {
            return Vec::new();
        };
        let cat: String = code.chars().take(2).collect();
        let t = &cx.data.tables.uscc_categories;
        let name = t.names.get(&cat).cloned().unwrap_or_else(|| cat.clone());
        let found = Text::new(format!("{cat}（{name}）"), format!("{cat} ({name})"));
        let confirmed_codes: Vec<&String> = t.confirmed.values().flatten().collect();
        let out = match t.confirmed.get(nature.id()) {
            Some(list) if list.contains(&cat) => Outcome::pass(path),
            Some(_) if confirmed_codes.contains(&&cat) => Outcome::violated(path),
            Some(_) => Outcome::doubt(path),
            None if t.likely.get(nature.id()).is_some_and(|l| l.contains(&cat)) => Outcome::pass(path),
            None if confirmed_codes.contains(&&cat) => Outcome::violated(path),
            None => Outcome::doubt(path),
        };
        vec![out.var("value", code.clone()).var("found", found)]
    }
}

impl Kind for RegistryStatusNormal {
    fn listed_when_empty(&self) -> bool {
        false
    }

    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        let e = &cx.app.entity;
        // Individuals are concerned only as sole traders (个体工商户).
        if e.nature == Some(crate::model::Nature::Individual) && e.sole_trader != Some(true) {
            return Vec::new();
        }
        let path = "/entity/registry_status";
        match e.registry_status {
            None => vec![Outcome::missing(path)],
            Some(s) => {
                let o = if s == crate::model::RegistryStatus::Normal {
                    Outcome::pass(path)
                } else {
                    Outcome::violated(path)
                };
                vec![o.var("value", s.label())]
            }
        }
    }
}

impl Kind for InvestorMatchesNature {
    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        use crate::model::Nature;
        let e = &cx.app.entity;
        let path = "/entity/investor";
        let Some(investor) = e.investor.as_deref().filter(|s| !s.trim().is_empty()) else {
            return vec![Outcome::missing(path)];
        };
        let key = name_key(investor);
        let same = |n: &Option<String>| n.as_deref().is_some_and(|n| name_key(n) == key);
        let problem = match e.nature {
            Some(Nature::Individual) if !same(&e.name) => Some(Text::new(
                "个人备案应填写本人姓名",
                "an individual gives their own name",
            )),
            Some(Nature::Government | Nature::PublicInstitution) => {
                let persons = super::people::persons(cx.app, &[]);
                if same(&e.name) {
                    Some(Text::new(
                        "应填写上级主管单位，不能是本单位",
                        "it must name the supervising body, not the unit itself",
                    ))
                } else if persons.iter().any(|p| same(&p.person.name)) {
                    Some(Text::new(
                        "应填写上级主管单位，不能是个人",
                        "it must name the supervising body, not a person",
                    ))
                } else {
                    None
                }
            }
            _ => None,
        };
        vec![
            match problem {
                None => Outcome::pass(path),
                Some(why) => Outcome::violated(path).var("found", why),
            }
            .var("value", investor),
        ]
    }
}

impl Kind for NewAccessMatchesRecord {
    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        let e = &cx.app.entity;
        let Some(prev) = cx
            .app
            .previous
            .as_ref()
            .filter(|p| p.name.is_some() || p.cert_number.is_some())
        else {
            return vec![Outcome::info("/entity/name").var(
                "found",
                Text::new(
                    "工信部备案记录离线不可见，请自行核对",
                    "the MIIT record is not visible offline; compare it yourself",
                ),
            )];
        };
        let mut out = Vec::new();
        if let (Some(a), Some(b)) = (&prev.name, &e.name) {
            let o = if name_key(a) == name_key(b) {
                Outcome::pass("/entity/name")
            } else {
                Outcome::violated("/entity/name")
            };
            out.push(
                o.var("value", b.clone())
                    .var(
                        "found",
                        Text::new(format!("备案记录为“{a}”"), format!("the record says \"{a}\"")),
                    )
                    .related("/previous/name"),
            );
        }
        if let (Some(a), Some(b)) = (&prev.cert_number, &e.cert_number) {
            let ok = crate::text::id_key(a) == crate::text::id_key(b);
            let o = if ok {
                Outcome::pass("/entity/cert_number")
            } else {
                Outcome::violated("/entity/cert_number")
            };
            out.push(
                o.var(
                    "found",
                    Text::new(
                        "证件号码与备案记录不同",
                        "the certificate number differs from the record",
                    ),
                )
                .related("/previous/cert_number"),
            );
        }
        out
    }
}

impl Kind for ChangeEntitySameEntity {
    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        let e = &cx.app.entity;
        let Some(prev) = cx
            .app
            .previous
            .as_ref()
            .filter(|p| p.name.is_some() || p.cert_number.is_some())
        else {
            return vec![Outcome::missing("/previous")];
        };
        let mut out = Vec::new();
        let uscc = |n: &Option<String>| n.as_deref().and_then(|n| crate::ids::uscc::validate(n).ok());
        if let (Some(a), Some(b)) = (uscc(&prev.cert_number), uscc(&e.cert_number)) {
            if a != b {
                out.push(
                    Outcome::violated("/entity/cert_number")
                        .var(
                            "found",
                            Text::new(
                                format!("统一社会信用代码由 {a} 变为 {b}"),
                                format!("the credit code changes from {a} to {b}"),
                            ),
                        )
                        .related("/previous/cert_number"),
                );
            }
        }
        if let (Some(a), Some(b)) = (&prev.name, &e.name) {
            if name_key(a) != name_key(b) && !cx.app.has_document("rename_letter") {
                out.push(
                    Outcome::violated("/documents")
                        .var(
                            "found",
                            Text::new(
                                format!("名称由“{a}”变为“{b}”，未提供更名函"),
                                format!("the name changes from \"{a}\" to \"{b}\" without a rename letter"),
                            ),
                        )
                        .related("/entity/name"),
                );
            }
        }
        if out.is_empty() {
            out.push(Outcome::pass("/entity/name"));
        }
        out
    }
}

/// The sole-trader (个体工商户) patterns: with a trade name as an enterprise; without one as the province requires.
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SoleTraderPattern {
    #[serde(default = "either")]
    pub sole_trader_without_trade_name: SoleTraderMode,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SoleTraderMode {
    Either,
    Enterprise,
    Individual,
}

fn either() -> SoleTraderMode {
    SoleTraderMode::Either
}

impl Kind for SoleTraderPattern {
    fn listed_when_empty(&self) -> bool {
        false
    }

    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        use crate::model::Nature;
        let e = &cx.app.entity;
        if e.sole_trader != Some(true) {
            return Vec::new();
        }
        let Some(nature) = e.nature else { return Vec::new() };
        let Some(trade_name) = e.trade_name else {
            return vec![Outcome::missing("/entity/trade_name")];
        };
        let path = "/entity/nature";
        let fail = |zh: &str, en: &str| {
            vec![
                Outcome::violated(path)
                    .var("found", Text::new(zh, en))
                    .var("value", nature.label()),
            ]
        };
        if trade_name {
            return if nature == Nature::Enterprise {
                vec![Outcome::pass(path)]
            } else {
                fail(
                    "（有字号）须按“企业”备案",
                    "(with a trade name) must file as an enterprise",
                )
            };
        }
        let named_after_operator = e
            .name
            .as_deref()
            .zip(e.legal_rep.as_ref().and_then(|l| l.name.as_deref()))
            .is_some_and(|(a, b)| name_key(a) == name_key(b));
        let as_enterprise = nature == Nature::Enterprise && named_after_operator;
        let as_individual = nature == Nature::Individual;
        let pattern_ok = match self.sole_trader_without_trade_name {
            SoleTraderMode::Either => as_enterprise || as_individual,
            SoleTraderMode::Enterprise => as_enterprise,
            SoleTraderMode::Individual => as_individual,
        };
        if !pattern_ok {
            return fail(
                "（无字号）的备案方式不符合要求",
                "(without a trade name) does not file in an accepted way",
            );
        }
        if e.remark.as_deref().is_none_or(|r| r.trim().is_empty()) {
            return vec![Outcome::violated("/entity/remark").var(
                "found",
                Text::new(
                    "（无字号）须在备注中说明",
                    "(without a trade name) must say so in the remark",
                ),
            )];
        }
        vec![Outcome::pass(path)]
    }
}
