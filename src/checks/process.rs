//! Filing types and process: services present, filing numbers, nature changes, reminders.

use serde::Deserialize;

use super::de::NatureSet;
use super::{Cx, Kind, unit_kinds};
use crate::model::{AppKind, ServiceKind};
use crate::outcome::Outcome;
use crate::text::{Text, nfkc};

unit_kinds!(FilingNumberFormat);

/// A reminder: an `info` finding that needs no data, shown where the rule applies.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reminder {}

impl Kind for Reminder {
    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        // A pattern (`/websites/*/principal`) names no single place: the reminder is about the application.
        let at = if cx.anchor.split('/').any(|t| t == "*") {
            ""
        } else {
            cx.anchor
        };
        vec![Outcome::info(at)]
    }

    fn listed_when_empty(&self) -> bool {
        false
    }
}

/// A service suffix: the number after `-` and the optional letter (A, X, K).
type Suffix = (String, Option<char>);

/// Splits `辽ICP备12345678号-1A` into the entity number and the service suffix.
fn split_number(raw: &str, abbreviations: &[&str]) -> Result<(String, Option<Suffix>), Text> {
    let s: String = nfkc(raw).chars().filter(|c| !c.is_whitespace()).collect();
    let s = s.replace("icp", "ICP").replace("Icp", "ICP");
    let Some(first) = s.chars().next() else {
        return Err(Text::new("为空", "it is empty"));
    };
    if !abbreviations.contains(&first.to_string().as_str()) {
        return Err(Text::new(
            format!("开头“{first}”不是省份简称"),
            format!("it does not start with a province abbreviation ('{first}')"),
        ));
    }
    let rest = s.get(first.len_utf8()..).unwrap_or("");
    let Some(rest) = rest.strip_prefix("ICP备") else {
        return Err(Text::new(
            "省份简称后应为“ICP备”",
            "the abbreviation must be followed by ICP备",
        ));
    };
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return Err(Text::new("“ICP备”后应为数字", "ICP备 must be followed by digits"));
    }
    let rest = rest.get(digits.len()..).unwrap_or("");
    let Some(rest) = rest.strip_prefix('号') else {
        return Err(Text::new("数字后应为“号”", "the digits must be followed by 号"));
    };
    let entity = format!("{first}ICP备{digits}号");
    if rest.is_empty() {
        return Ok((entity, None));
    }
    let Some(suffix) = rest.strip_prefix('-') else {
        return Err(Text::new("“号”后只能跟“-序号”", "only a -n suffix may follow 号"));
    };
    let n: String = suffix.chars().take_while(char::is_ascii_digit).collect();
    let tail = suffix.get(n.len()..).unwrap_or("");
    if n.is_empty() || n.starts_with('0') {
        return Err(Text::new(
            "“-”后应为从1开始的序号",
            "the suffix must be a number from 1",
        ));
    }
    let letter = match tail {
        "" => None,
        t if t.chars().count() == 1 => t.chars().next(),
        _ => {
            return Err(Text::new(
                "序号后只能有一个字母（A、X 或 K）",
                "only one letter (A, X or K) may follow the number",
            ));
        }
    };
    Ok((entity, Some((n, letter))))
}

impl Kind for FilingNumberFormat {
    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        let abbreviations: Vec<&str> = cx.data.provinces.list.iter().map(|p| p.icp.as_str()).collect();
        let mut out = Vec::new();
        let entity_number = cx
            .app
            .entity
            .icp_number
            .as_deref()
            .filter(|s| !s.trim().is_empty());
        let mut entity_norm = None;
        if let Some(n) = entity_number {
            let o = match split_number(n, &abbreviations) {
                Ok((e, None)) => {
                    entity_norm = Some(e);
                    Outcome::pass("/entity/icp_number")
                }
                Ok((_, Some(_))) => Outcome::violated("/entity/icp_number").var(
                    "found",
                    Text::new("主体备案号不带“-序号”", "an entity number has no -n suffix"),
                ),
                Err(why) => Outcome::violated("/entity/icp_number").var("found", why),
            };
            out.push(o.var("value", n));
        }
        for s in cx.app.services() {
            let Some(n) = s.icp_number.as_deref().filter(|v| !v.trim().is_empty()) else {
                continue;
            };
            let path = s.path("icp_number");
            let expected_letter = match (s.kind, s.app_kind) {
                (ServiceKind::Website, _) => None,
                (ServiceKind::App, Some(AppKind::MiniProgram)) => Some('X'),
                (ServiceKind::App, Some(AppKind::QuickApp)) => Some('K'),
                (ServiceKind::App, _) => Some('A'),
            };
            let o = match split_number(n, &abbreviations) {
                Err(why) => Outcome::violated(path).var("found", why),
                Ok((_, None)) => Outcome::violated(path)
                    .var("found", Text::new("缺少“-序号”后缀", "the -n suffix is missing")),
                Ok((e, Some((_, letter)))) => {
                    if letter != expected_letter {
                        let want = expected_letter.map_or_else(|| "-n".to_string(), |c| format!("-n{c}"));
                        Outcome::violated(path).var(
                            "found",
                            Text::new(format!("后缀应为 {want}"), format!("the suffix should be {want}")),
                        )
                    } else if entity_norm.as_ref().is_some_and(|en| *en != e) {
                        Outcome::violated(path).var(
                            "found",
                            Text::new(
                                "不以本主体的备案号开头",
                                "it does not start with this entity's number",
                            ),
                        )
                    } else {
                        Outcome::pass(path)
                    }
                }
            };
            out.push(o.var("value", n));
        }
        out
    }
}

/// A change from a `from` nature (on record, `previous.nature`) to a `to` nature is refused; with
/// `unless_previous_is_legal_rep`, not when the holder on record (`previous.cert_number`, else `previous.name`) is
/// the new entity's legal representative (an individual who founded the company, say).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NatureChange {
    pub from: NatureSet,
    pub to: NatureSet,
    #[serde(default)]
    pub unless_previous_is_legal_rep: bool,
}

fn previous_is_legal_rep(app: &crate::model::Application) -> bool {
    let (Some(prev), Some(rep)) = (app.previous.as_ref(), app.entity.legal_rep.as_ref()) else {
        return false;
    };
    // The holder on record as a person, compared the way every check compares people.
    let holder = crate::model::Person {
        name: prev.name.clone(),
        cert_number: prev.cert_number.clone(),
        ..crate::model::Person::default()
    };
    super::people::same_person(&holder, rep)
}

impl Kind for NatureChange {
    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        let Some(prev) = cx.app.previous.as_ref().and_then(|p| p.nature) else {
            return vec![Outcome::missing("/previous/nature")];
        };
        let Some(cur) = cx.app.entity.nature else {
            return vec![Outcome::missing("/entity/nature")];
        };
        let excepted = self.unless_previous_is_legal_rep && previous_is_legal_rep(cx.app);
        let o = if self.from.contains(prev) && self.to.contains(cur) && !excepted {
            Outcome::violated("/entity/nature")
        } else {
            Outcome::pass("/entity/nature")
        };
        vec![
            o.var("found", prev.label())
                .var("value", cur.label())
                .related("/previous/nature"),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filing_numbers_split() {
        let ab = ["辽", "京"];
        assert_eq!(
            split_number("辽ICP备12345678号", &ab).unwrap().0,
            "辽ICP备12345678号"
        );
        let (_, s) = split_number("辽icp备12345678号-1A", &ab).unwrap();
        assert_eq!(s, Some(("1".into(), Some('A'))));
        assert!(split_number("辽ICP备12345678", &ab).is_err());
        assert!(split_number("沪ICP备1号", &ab).is_err());
        assert!(split_number("辽ICP备1号-0", &ab).is_err());
    }
}
