//! Addresses: certificate address, mailing address detail, region consistency, home province.

use serde::Deserialize;

use super::{Cx, Kind, unit_kinds};
use crate::ids::divisions::{Division, Level};
use crate::model::{CertType, Nature};
use crate::outcome::Outcome;
use crate::text::{Text, nfkc};

unit_kinds!(
    CertAddressPresent,
    HouseNumber,
    NoSpecialChars,
    RegionConsistent,
    HomeProvince
);

const EXEMPTION: &str = "已为最详细地址";

impl Kind for CertAddressPresent {
    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        let path = "/entity/cert_address";
        match cx
            .app
            .entity
            .cert_address
            .as_deref()
            .filter(|s| !s.trim().is_empty())
        {
            None => vec![Outcome::violated(path).var("found", Text::new("未填写", "is missing"))],
            Some(a) => match cx.province_of_address(a) {
                Some(_) => vec![Outcome::pass(path).var("value", a)],
                None => vec![Outcome::doubt(path).var("value", a).var(
                    "found",
                    Text::new(
                        "无法确定所在省份（应以省或市的名称开头）",
                        "does not name its province (start it with the province or city)",
                    ),
                )],
            },
        }
    }
}

fn is_numeral(c: char) -> bool {
    c.is_ascii_digit() || "零〇一二三四五六七八九十百千两".contains(c)
}

/// Problems with the detail of a mailing address, if any.
fn house_number_problem(detail: &str, remark: Option<&str>) -> Option<Text> {
    let d = nfkc(detail);
    let lower = d.to_lowercase();
    if lower.contains("信箱") || lower.replace(['.', ' '], "").contains("pobox") {
        return Some(Text::new("不能使用信箱", "a post-office box is not an address"));
    }
    let chars: Vec<char> = d.chars().collect();
    // Dash shorthand such as 42-2-1.
    let dashed = chars
        .windows(3)
        .any(|w| matches!(w, [a, '-', b] if a.is_ascii_digit() && b.is_ascii_digit()));
    if dashed {
        return Some(Text::new(
            "使用了“42-2-1”式简写",
            "it uses dash shorthand such as 42-2-1",
        ));
    }
    if d.contains(EXEMPTION) || remark.is_some_and(|r| nfkc(r).contains(EXEMPTION)) {
        return None;
    }
    let units = ["号", "室", "栋", "幢", "座", "楼", "层", "单元", "弄"];
    let has_number = chars.iter().enumerate().any(|(i, c)| {
        is_numeral(*c) && {
            let rest: String = chars
                .iter()
                .skip(i + 1)
                .skip_while(|c| is_numeral(**c))
                .take(2)
                .collect();
            units.iter().any(|u| rest.starts_with(u))
        }
    });
    (!has_number).then(|| Text::new("没有门牌号或房间号", "it has no house or room number"))
}

impl Kind for HouseNumber {
    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        let path = "/entity/address/detail";
        let Some(detail) = cx.app.entity.address.as_ref().and_then(|a| a.detail.as_deref()) else {
            return vec![Outcome::missing(path)];
        };
        vec![
            match house_number_problem(detail, cx.app.entity.remark.as_deref()) {
                None => Outcome::pass(path),
                Some(why) => Outcome::violated(path).var("found", why),
            }
            .var("value", detail),
        ]
    }
}

impl Kind for NoSpecialChars {
    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        let path = "/entity/address/detail";
        let Some(detail) = cx.app.entity.address.as_ref().and_then(|a| a.detail.as_deref()) else {
            return vec![Outcome::missing(path)];
        };
        const BAD: &str = "~!@$%^&*+=|\\<>?\"';:[]{}`";
        let d = nfkc(detail);
        let bad = d
            .chars()
            .find(|c| BAD.contains(*c) || c.is_control() || is_emoji(*c));
        vec![
            match bad {
                None => Outcome::pass(path),
                Some(c) => Outcome::violated(path).var("found", c.to_string()),
            }
            .var("value", detail),
        ]
    }
}

fn is_emoji(c: char) -> bool {
    matches!(c as u32, 0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0xFE0F)
}

fn label(d: &Division) -> String {
    d.name.to_string()
}

impl Kind for RegionConsistent {
    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        let Some(a) = cx.app.entity.address.as_ref() else {
            return vec![Outcome::missing("/entity/address")];
        };
        let div = &cx.data.divisions;
        let mut out = Vec::new();
        let pick = |name: &str, level: Level| -> Vec<&Division> {
            div.named(name).into_iter().filter(|d| d.level == level).collect()
        };
        let Some(pname) = a.province.as_deref() else {
            return vec![Outcome::missing(format!("{}/province", a.ptr))];
        };
        let provinces = pick(pname, Level::Province);
        let province = match provinces.first() {
            Some(p) => *p,
            None => match cx
                .data
                .provinces
                .resolve(pname)
                .and_then(|p| div.by_code(&format!("{}0000", p.code)))
            {
                Some(p) => p,
                None => {
                    return vec![
                        Outcome::violated(format!("{}/province", a.ptr))
                            .var("value", pname)
                            .var(
                                "found",
                                Text::new(
                                    format!("“{pname}”不是省级行政区"),
                                    format!("`{pname}` is not a province"),
                                ),
                            ),
                    ];
                }
            },
        };
        // A municipality's city may be written as the municipality itself.
        let city = a.city.as_deref().and_then(|c| {
            let hits: Vec<&Division> = pick(c, Level::Prefecture)
                .into_iter()
                .filter(|d| div.within(d, province))
                .collect();
            if hits.is_empty()
                && (c == province.name || div.named_loosely(c).iter().any(|d| d.code == province.code))
            {
                return Some(None);
            }
            hits.first().map(|d| Some(*d))
        });
        if let Some(c) = a.city.as_deref() {
            if city.is_none() {
                out.push(Outcome::violated(format!("{}/city", a.ptr)).var("value", c).var(
                    "found",
                    Text::new(
                        format!("“{c}”不是{}的地级行政区", province.name),
                        format!("`{c}` is not a city of {}", province.name),
                    ),
                ));
            }
        }
        let city_div = city.flatten();
        if let (Some(county), Some(scope)) = (a.county.as_deref(), city.map(|c| c.unwrap_or(province))) {
            let has_counties = div.children(scope).next().is_some() || city_div.is_none();
            let found = pick(county, Level::County)
                .into_iter()
                .any(|d| div.within(d, scope));
            if has_counties && !found {
                out.push(
                    Outcome::violated(format!("{}/county", a.ptr))
                        .var("value", county)
                        .var(
                            "found",
                            Text::new(
                                format!("“{county}”不是{}的区县", label(scope)),
                                format!("`{county}` is not a county of {}", label(scope)),
                            ),
                        ),
                );
            }
        }
        if let Some(detail) = a.detail.as_deref() {
            for m in div.leading(detail) {
                let ok = m.candidates.iter().filter_map(|i| div.get(*i)).any(|d| {
                    div.within(d, province)
                        && city_div.is_none_or(|c| {
                            d.level == Level::Province || div.within(d, c) || div.within(c, d)
                        })
                });
                if !ok {
                    out.push(Outcome::violated(format!("{}/detail", a.ptr)).var("value", detail).var(
                        "found",
                        Text::new(
                            format!("详细地址开头的“{}”与所选的省市区不一致", m.text),
                            format!("`{}` at the start of the detail is not the selected province/city/county", m.text),
                        ),
                    ));
                    break;
                }
            }
        }
        if out.is_empty() {
            out.push(Outcome::pass(a.ptr.clone()));
        }
        out
    }
}

/// Mailing address and certificate address lie in one province (or city, with `mailing_address_scope: city`).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SameProvince {
    #[serde(default = "default_scope")]
    pub mailing_address_scope: Scope,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    Province,
    City,
}

fn default_scope() -> Scope {
    Scope::Province
}

impl Kind for SameProvince {
    fn vars(&self) -> &'static [&'static str] {
        &["scope"]
    }

    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        let e = &cx.app.entity;
        let Some(a) = e.address.as_ref() else {
            return vec![Outcome::missing("/entity/address")];
        };
        let path = format!("{}/province", a.ptr);
        let Some(mail) = a.province.as_deref().and_then(|p| cx.data.provinces.resolve(p)) else {
            return vec![Outcome::missing(path)];
        };
        let scope_text = match self.mailing_address_scope {
            Scope::Province => Text::new("省", "province"),
            Scope::City => Text::new("市", "city"),
        };
        let individual_with_permit =
            e.nature == Some(Nature::Individual) && cx.app.has_document("residence_proof");
        let reference = if individual_with_permit {
            Some(cx.province.code.clone())
        } else {
            let Some(cert) = e.cert_address.as_deref() else {
                return vec![Outcome::missing("/entity/cert_address")];
            };
            cx.province_of_address(cert)
        };
        // The certificate address does not tell enough to compare: the reviewer may still refuse it.
        let doubt = |why: Text| {
            vec![
                Outcome::doubt(path.clone())
                    .var("value", cx.data.province_label(&mail.code))
                    .var("scope", scope_text.clone())
                    .var("found", why)
                    .related("/entity/cert_address"),
            ]
        };
        let Some(reference) = reference else {
            return doubt(Text::new(
                "证件住所无法确定省份",
                "a certificate address whose province cannot be determined",
            ));
        };
        let mut same = mail.code == reference;
        if same && self.mailing_address_scope == Scope::City && !individual_with_permit {
            let div = &cx.data.divisions;
            let cert_city = e.cert_address.as_deref().and_then(|c| {
                div.leading(c)
                    .into_iter()
                    .flat_map(|m| m.candidates)
                    .filter_map(|i| div.get(i))
                    .find(|d| d.level == Level::Prefecture)
                    .cloned()
            });
            let mail_city = a.city.as_deref().and_then(|c| {
                div.named(c)
                    .into_iter()
                    .find(|d| d.level == Level::Prefecture)
                    .cloned()
            });
            match (cert_city, mail_city) {
                (Some(x), Some(y)) => same = x.code == y.code,
                (None, _) => {
                    return doubt(Text::new(
                        "证件住所中找不到所在的市",
                        "no city can be found in the certificate address",
                    ));
                }
                (Some(_), None) => {}
            }
        }
        let o = if same {
            Outcome::pass(path)
        } else {
            Outcome::violated(path)
        };
        vec![
            o.var("value", cx.data.province_label(&mail.code))
                .var("found", cx.data.province_label(&reference))
                .var("scope", scope_text)
                .related("/entity/cert_address"),
        ]
    }
}

impl Kind for HomeProvince {
    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        let e = &cx.app.entity;
        let here = &cx.province.code;
        let with = |o: Outcome, found: Text| o.var("found", found);
        if let Some(code) = e.cert_address.as_deref().and_then(|a| cx.province_of_address(a)) {
            let o = if &code == here {
                Outcome::pass("/entity/cert_address")
            } else {
                Outcome::violated("/entity/cert_address")
            };
            return vec![with(o, cx.data.province_label(&code)).related("/province")];
        }
        // The USCC's characters 3–4 are where it was registered: a hint, not proof.
        let uscc_province = e
            .cert_number
            .as_deref()
            .filter(|_| {
                e.cert_type
                    .is_some_and(|t| t != CertType::Other && !t.is_personal())
            })
            .and_then(|n| crate::ids::uscc::validate(n).ok())
            .and_then(|n| n.get(2..4).map(str::to_string))
            .filter(|p| p != "10");
        let found = match uscc_province {
            Some(p) => Text::new(
                format!(
                    "{}（据统一社会信用代码推断，证件住所无法确认）",
                    cx.data.province_label(&p).zh
                ),
                format!(
                    "{} (from the credit code; the certificate address cannot confirm it)",
                    cx.data.province_label(&p).en
                ),
            ),
            None => Text::new(
                "无法确定（证件住所未写明省份）",
                "unknown (the certificate address does not name its province)",
            ),
        };
        vec![with(Outcome::doubt("/entity/cert_address"), found)]
    }
}

/// An individual files in the province of the certificate address; `residence_proof_accepted` decides what a
/// residence permit does.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdProvince {
    #[serde(default)]
    pub residence_proof_accepted: Option<bool>,
}

impl Kind for IdProvince {
    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        let e = &cx.app.entity;
        let here = &cx.province.code;
        let path = "/entity/cert_address";
        let resolved = e.cert_address.as_deref().and_then(|a| cx.province_of_address(a));
        let Some(code) = resolved else {
            let id_province = e
                .cert_number
                .as_deref()
                .filter(|_| e.cert_type == Some(CertType::IdCard))
                .and_then(crate::ids::idcard::province_code);
            return vec![match id_province {
                Some(p) if &p == here => Outcome::pass(path).var("found", cx.data.province_label(&p)),
                Some(p) => Outcome::doubt(path).var("found", cx.data.province_label(&p)),
                None => Outcome::doubt(path).var("found", Text::new("无法确定", "unknown")),
            }];
        };
        if &code == here {
            return vec![Outcome::pass(path).var("found", cx.data.province_label(&code))];
        }
        let o = if !cx.app.has_document("residence_proof") {
            Outcome::violated(path)
        } else {
            match self.residence_proof_accepted {
                Some(true) => Outcome::pass(path),
                Some(false) => Outcome::violated(path),
                None => Outcome::doubt(path),
            }
        };
        vec![o.var("found", cx.data.province_label(&code)).related("/province")]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn house_numbers() {
        assert!(house_number_problem("南京北街123号5楼501室", None).is_none());
        assert!(house_number_problem("大王村三组（已为最详细地址）", None).is_none());
        assert!(house_number_problem("南京北街42-2-1", None).is_some());
        assert!(house_number_problem("南京北街", None).is_some());
        assert!(house_number_problem("南京北街五十二号", None).is_none());
        assert!(house_number_problem("邮政信箱123号", None).is_some());
        assert!(house_number_problem("大王村", Some("已为最详细地址")).is_none());
    }
}
