//! Phone numbers and e-mail: formats, area codes, home province of mobiles and landlines.

use serde::Deserialize;

use super::people::{Role, principals};
use super::{Cx, Kind, unit_kinds};
use crate::ids::domain;
use crate::ids::phone::{Locality, mobile_problem};
use crate::outcome::{Outcome, Pii};
use crate::text::{Text, nfkc};

unit_kinds!(MobileFormat, LandlineAreaMatches, EmailFormat,);

impl Kind for MobileFormat {
    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        principals(cx.app)
            .into_iter()
            .map(|p| {
                let path = p.person.path("mobile");
                let Some(m) = p.person.mobile.as_deref() else {
                    return Outcome::missing(path);
                };
                match mobile_problem(m) {
                    None => Outcome::pass(path),
                    Some(why) => Outcome::violated(path).var("found", why),
                }
                .pii("value", Pii::Number, m)
            })
            .collect()
    }
}

/// `office_phone`, when given, must be a landline; `office_phone_required` makes it mandatory.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LandlineFormat {
    #[serde(default)]
    pub office_phone_required: bool,
}

impl Kind for LandlineFormat {
    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        principals(cx.app)
            .into_iter()
            .filter_map(|p| {
                let path = p.person.path("office_phone");
                let Some(v) = p.person.office_phone.as_deref() else {
                    return self.office_phone_required.then(|| {
                        Outcome::violated(path).var("value", "—").var(
                            "found",
                            Text::new("本省要求填写办公电话", "this province requires an office phone"),
                        )
                    });
                };
                Some(
                    match cx.data.area_codes.parse(v) {
                        Ok(_) => Outcome::pass(path),
                        Err(why) => Outcome::violated(path).var("found", why),
                    }
                    .pii("value", Pii::Number, v),
                )
            })
            .collect()
    }
}

impl Kind for LandlineAreaMatches {
    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        let address_province = cx
            .app
            .entity
            .address
            .as_ref()
            .and_then(|a| a.province.as_deref())
            .and_then(|p| cx.data.provinces.resolve(p));
        principals(cx.app)
            .into_iter()
            .filter_map(|p| {
                let v = p.person.office_phone.as_deref()?;
                let line = cx.data.area_codes.parse(v).ok()?;
                let path = p.person.path("office_phone");
                let Some(home) = address_province else {
                    return Some(Outcome::missing("/entity/address/province"));
                };
                let area_province = cx.data.provinces.by_code(&line.province);
                let found = area_province.map_or_else(
                    || Text::same(line.province.clone()),
                    |a| Text::new(a.name.clone(), a.pinyin.clone()),
                );
                let out = if home.code == line.province {
                    Outcome::pass(path)
                } else {
                    Outcome::violated(path)
                };
                Some(out.pii("value", Pii::Number, v).var("found", found))
            })
            .collect()
    }
}

/// `local@domain` with one `@`, printable ASCII local part, a domain that passes the domain pipeline.
fn email_problem(raw: &str) -> Option<Text> {
    let s = nfkc(raw);
    if s.matches('@').count() != 1 {
        return Some(Text::new("须有且只有一个 @", "it must contain exactly one @"));
    }
    let (local, host) = s.split_once('@')?;
    if local.is_empty() || !local.chars().all(|c| c.is_ascii_graphic()) {
        return Some(Text::new(
            "@ 前须为不含空格的可打印 ASCII 字符",
            "the part before @ must be printable ASCII without spaces",
        ));
    }
    match domain::parse(host) {
        Err(why) => Some(Text::new(
            format!("域名部分{}", why.zh),
            format!("the domain part {}", why.en),
        )),
        Ok(d) if !d.known => Some(Text::new(
            "域名后缀不存在",
            "the domain's suffix is not a known public suffix",
        )),
        Ok(_) => None,
    }
}

impl Kind for EmailFormat {
    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        principals(cx.app)
            .into_iter()
            .map(|p| {
                let path = p.person.path("email");
                let Some(m) = p.person.email.as_deref() else {
                    return Outcome::missing(path);
                };
                match email_problem(m) {
                    None => Outcome::pass(path),
                    Some(why) => Outcome::violated(path).var("found", why),
                }
                .pii("value", Pii::Email, m)
            })
            .collect()
    }
}

fn default_roles() -> Vec<Role> {
    vec![Role::EntityPrincipal, Role::ServicePrincipal]
}

/// Principals' mobiles must be registered in the filing province (three states: match, mismatch, unknown).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MobileLocal {
    #[serde(default)]
    pub mobile_must_be_local: bool,
    #[serde(default = "default_roles")]
    pub mobile_local_roles: Vec<Role>,
    /// Remark text that, when present in `entity.remark`, excuses a mobile from elsewhere.
    #[serde(default)]
    pub mobile_local_remark_exception: Option<String>,
    /// Other provinces (GB/T 2260 codes) whose mobiles count as local too (a region such as 京津冀).
    #[serde(default)]
    pub mobile_local_provinces: Vec<String>,
    /// Also check `emergency_phone` when it is a mobile (landlines are not judged here).
    #[serde(default)]
    pub mobile_local_emergency_too: bool,
    /// Also check emergency mobiles, but another province's is only a warning (sources that say it less firmly).
    #[serde(default)]
    pub mobile_local_emergency_warn: bool,
}

impl Kind for MobileLocal {
    fn active(&self) -> bool {
        self.mobile_must_be_local
    }

    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        let excused = self.mobile_local_remark_exception.as_deref().is_some_and(|w| {
            cx.app
                .entity
                .remark
                .as_deref()
                .is_some_and(|r| nfkc(r).contains(&nfkc(w)))
        });
        let emergency = self.mobile_local_emergency_too || self.mobile_local_emergency_warn;
        principals(cx.app)
            .into_iter()
            .filter(|p| self.mobile_local_roles.contains(&p.role))
            .flat_map(|p| {
                let numbers = [
                    ("mobile", p.person.mobile.clone()),
                    (
                        "emergency_phone",
                        p.person.emergency_phone.clone().filter(|_| emergency),
                    ),
                ];
                numbers
                    .into_iter()
                    .map(move |(field, n)| (p.person.path(field), field, n))
            })
            .filter_map(|(path, field, number)| {
                let m = number?;
                let m = m.as_str();
                // A malformed mobile is national.phone.mobile-format's finding; an emergency landline is not judged.
                if mobile_problem(m).is_some() {
                    return None;
                }
                let out = match cx.data.mobile.locate(m) {
                    Locality::Province(code)
                        if code == cx.province.code || self.mobile_local_provinces.contains(&code) =>
                    {
                        Outcome::pass(path)
                    }
                    Locality::Province(code) => {
                        let place = cx.data.provinces.by_code(&code).map_or_else(
                            || Text::same(code.clone()),
                            |p| Text::new(p.name.clone(), p.pinyin.clone()),
                        );
                        let soft = field == "emergency_phone" && !self.mobile_local_emergency_too;
                        if excused {
                            Outcome::pass(path)
                        } else if soft {
                            Outcome::doubt(path)
                        } else {
                            Outcome::violated(path)
                        }
                        .var("found", place)
                    }
                    Locality::Unknown => Outcome::doubt(path).var(
                        "found",
                        Text::new(
                            "未知（该号段不在内置号段表中，无法离线核实归属地；内置表约覆盖已分配7位号段的64%，缺14x/16x/17x/19x号段；可用 --phone-db 指定 phone.dat 文件补充）",
                            "unknown (its range is not in the built-in table, which covers about 64% of allocated 7-digit prefixes and lacks the 14x/16x/17x/19x ranges; --phone-db FILE adds a phone.dat that covers them)",
                        ),
                    ),
                };
                Some(out.pii("value", Pii::Number, m))
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
