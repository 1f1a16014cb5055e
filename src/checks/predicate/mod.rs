//! Evaluates rule-data predicates (`rules::predicate`) over the application: three-valued (true, false, unknown
//! when data is absent), each result carrying the places that decided it, so that a finding lands on the
//! offending element and `related` on the other side of a relation.

pub(crate) mod lang;

use std::borrow::Cow;

use super::people::{Role, person_keys, same_person};
use super::{Cx, Kind};
use crate::date::Date;
use crate::input::node::join;
use crate::model::app::{
    Access, Address, DocumentItem, Domain, ExistingService, Platform, PreApproval, Previous, Service,
    ServiceKind,
};
use crate::model::{Application, Person, Validity};
use crate::outcome::{Outcome, Pii, Var, Vars, Verdict};
use crate::text::{Text, enum_key, id_key, name_key, nfkc, phone_key};
use lang::{Assert, Norm, Op, Path, Pred, Quant, Root};

/// Three-valued truth.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tri {
    True,
    False,
    Unknown,
}

/// A message variable, turned into text only for the places a finding reports (most results are never shown).
#[derive(Clone, Debug)]
enum Lazy<'a> {
    Val(Val<'a>),
    Str(Cow<'a, str>),
    Text(Text),
}

impl<'a> From<Val<'a>> for Lazy<'a> {
    fn from(v: Val<'a>) -> Lazy<'a> {
        Lazy::Val(v)
    }
}

impl<'a> From<&'a str> for Lazy<'a> {
    fn from(v: &'a str) -> Lazy<'a> {
        Lazy::Str(Cow::Borrowed(v))
    }
}

impl From<String> for Lazy<'_> {
    fn from(v: String) -> Self {
        Lazy::Str(Cow::Owned(v))
    }
}

impl From<Text> for Lazy<'_> {
    fn from(v: Text) -> Self {
        Lazy::Text(v)
    }
}

/// A place that decided a result, with what a message says about it.
#[derive(Clone, Debug)]
pub(crate) struct Ev<'a> {
    pub path: String,
    vars: Vec<(&'static str, Lazy<'a>)>,
    pub related: Vec<String>,
    /// Unknown because a filled-in value cannot be read, not because it is absent.
    pub undecided: bool,
}

impl<'a> Ev<'a> {
    fn at(path: impl Into<String>) -> Ev<'a> {
        Ev {
            path: path.into(),
            vars: Vec::new(),
            related: Vec::new(),
            undecided: false,
        }
    }

    fn undecided(path: impl Into<String>) -> Ev<'a> {
        Ev {
            undecided: true,
            ..Ev::at(path)
        }
    }

    fn var(mut self, name: &'static str, v: impl Into<Lazy<'a>>) -> Ev<'a> {
        self.vars.push((name, v.into()));
        self
    }

    /// The variables as messages read them.
    fn vars(self) -> (String, Vars, Vec<String>) {
        let mut vars = Vars::new();
        for (name, v) in self.vars {
            let var = match v {
                Lazy::Val(v) => shown(&v, &self.path),
                Lazy::Str(s) => Var::from(s.into_owned()),
                Lazy::Text(t) => Var::Text(t),
            };
            vars.insert(name, var);
        }
        (self.path, vars, self.related)
    }
}

/// A result and the places that decided it.
#[derive(Clone, Debug)]
pub(crate) struct Res<'a> {
    pub t: Tri,
    pub ev: Vec<Ev<'a>>,
}

impl<'a> Res<'a> {
    fn new(t: Tri, ev: Vec<Ev<'a>>) -> Res<'a> {
        Res { t, ev }
    }
}

/// A value of the schema.
#[derive(Clone, Debug)]
enum Val<'a> {
    App,
    Entity,
    Person(&'a Person, Option<Role>),
    Address(&'a Address),
    Service(&'a Service),
    Domain(&'a Domain),
    PreApproval(&'a PreApproval),
    Document(&'a DocumentItem),
    Previous(&'a Previous),
    Existing(&'a ExistingService),
    Access(&'a Access),
    Platform(&'a Platform),
    Text(Cow<'a, str>, Norm),
    Date(Date),
    Flag(bool),
    Num(f64),
    Enum(Cow<'a, str>),
}

/// A value and where it is.
#[derive(Clone, Debug)]
struct Item<'a> {
    val: Val<'a>,
    ptr: String,
}

/// Reading a field: one value, a list, or absent at a pointer.
enum Nav<'a> {
    One(Item<'a>),
    Many(Vec<Item<'a>>, String),
    Absent(String),
    /// The field is filled in but the derived value cannot be told (a mobile range the table lacks, an ID
    /// number without a birth date): a doubt, not missing data.
    Undecided(String),
}

fn item<'a>(val: Val<'a>, ptr: impl Into<String>) -> Item<'a> {
    Item { val, ptr: ptr.into() }
}

fn text_of<'a>(v: Option<&'a String>, norm: Norm, ptr: String) -> Nav<'a> {
    match v {
        Some(s) if !s.trim().is_empty() => Nav::One(item(Val::Text(Cow::Borrowed(s.as_str()), norm), ptr)),
        _ => Nav::Absent(ptr),
    }
}

fn opt<'a, T>(v: Option<T>, ptr: String, f: impl FnOnce(T) -> Val<'a>) -> Nav<'a> {
    match v {
        Some(x) => Nav::One(item(f(x), ptr)),
        None => Nav::Absent(ptr),
    }
}

fn person<'a>(p: Option<&'a Person>, role: Role, ptr: String) -> Nav<'a> {
    opt(p, ptr, |p| Val::Person(p, Some(role)))
}

fn located<'a>(list: &'a [crate::model::Located], norm: Norm, ptr: String) -> Nav<'a> {
    Nav::Many(
        list.iter()
            .map(|l| item(Val::Text(Cow::Borrowed(l.value.as_str()), norm), l.ptr.clone()))
            .collect(),
        ptr,
    )
}

fn enums<'a>(list: &'a [crate::model::Located], ptr: String) -> Nav<'a> {
    Nav::Many(
        list.iter()
            .map(|l| item(Val::Enum(Cow::Borrowed(l.value.as_str())), l.ptr.clone()))
            .collect(),
        ptr,
    )
}

fn services<'a>(list: impl Iterator<Item = &'a Service>) -> Vec<Item<'a>> {
    list.map(|s| item(Val::Service(s), s.ptr.clone())).collect()
}

fn months_between(a: Date, b: Date) -> i64 {
    let m = i64::from(b.year() - a.year()) * 12 + i64::from(b.month()) - i64::from(a.month());
    m - i64::from(b.day() < a.day())
}

/// Monday to Friday strictly after `from` up to and including `to`.
fn working_days(from: Date, to: Date) -> i64 {
    let (a, b) = (from.days(), to.days());
    if b <= a {
        return 0;
    }
    // 1970-01-01 (day 0) was a Thursday: (d + 3) mod 7 is 0 on Mondays.
    (a + 1..=b).filter(|d| (d + 3).rem_euclid(7) < 5).count() as i64
}

/// A field derived from a domain name: its public suffix, last label, whether that is a country code, the
/// registrable domain and its prefix (the label left of the suffix).
fn domain_derived<'a>(raw: &str, field: &str, ptr: String) -> Nav<'a> {
    let Ok(d) = crate::ids::domain::parse(raw) else {
        return Nav::Undecided(ptr);
    };
    let text = |s: String, norm| Nav::One(item(Val::Text(Cow::Owned(s), norm), ptr.clone()));
    match field {
        "suffix" => d
            .suffix
            .clone()
            .map_or(Nav::Undecided(ptr.clone()), |s| text(s, Norm::Domain)),
        "tld" => text(d.tld().to_string(), Norm::Domain),
        "cctld" => {
            let t = d.tld();
            let cc = t.len() == 2 && t.chars().all(|c| c.is_ascii_alphabetic());
            Nav::One(item(Val::Flag(cc), ptr.clone()))
        }
        "registrable" => d
            .registrable
            .clone()
            .map_or(Nav::Undecided(ptr.clone()), |s| text(s, Norm::Domain)),
        "prefix" => match (&d.registrable, &d.suffix) {
            (Some(r), Some(s)) => match r.strip_suffix(s.as_str()).and_then(|p| p.strip_suffix('.')) {
                Some(label) => text(crate::ids::domain::to_unicode(label), Norm::Name),
                None => Nav::Undecided(ptr.clone()),
            },
            _ => Nav::Undecided(ptr.clone()),
        },
        _ => Nav::Absent(ptr.clone()),
    }
}

/// Reads one field of a value (the names are those of `rules::predicate::fields`).
fn step<'a>(cx: &Cx<'a>, it: &Item<'a>, name: &str) -> Nav<'a> {
    let app: &'a Application = cx.app;
    // Application-level fields have fixed pointers: no need to build one.
    let p = if matches!(it.val, Val::App) {
        String::new()
    } else {
        join(&it.ptr, name)
    };
    match &it.val {
        Val::App => match name {
            "province" => Nav::One(item(
                Val::Enum(Cow::Borrowed(cx.province.id.as_str())),
                "/province",
            )),
            "filing_type" => opt(app.filing_type, "/filing_type".into(), |t| {
                Val::Enum(Cow::Borrowed(t.id()))
            }),
            "date" => Nav::One(item(Val::Date(cx.date), "/date")),
            "entity" => Nav::One(item(Val::Entity, app.entity.ptr.clone())),
            "previous" => opt(app.previous.as_ref(), "/previous".into(), Val::Previous),
            "access" => opt(app.access.as_ref(), "/access".into(), Val::Access),
            "websites" => Nav::Many(services(app.websites.iter()), "/websites".into()),
            "apps" => Nav::Many(services(app.apps.iter()), "/apps".into()),
            "services" => Nav::Many(services(app.services()), "/websites".into()),
            "domains" => Nav::Many(
                app.services()
                    .flat_map(|s| s.domains.iter())
                    .map(|d| item(Val::Domain(d), d.ptr.clone()))
                    .collect(),
                "/websites".into(),
            ),
            "principals" | "service_principals" => {
                let mut out = Vec::new();
                if name == "principals" {
                    if let Some(ep) = &app.entity.principal {
                        out.push(item(Val::Person(ep, Some(Role::EntityPrincipal)), ep.ptr.clone()));
                    }
                }
                for s in app.services() {
                    if let Some(sp) = &s.principal {
                        out.push(item(
                            Val::Person(sp, Some(Role::ServicePrincipal)),
                            sp.ptr.clone(),
                        ));
                    }
                }
                Nav::Many(
                    out,
                    if name == "principals" {
                        "/entity/principal"
                    } else {
                        "/websites"
                    }
                    .into(),
                )
            }
            "documents" => Nav::Many(
                app.documents
                    .iter()
                    .map(|d| item(Val::Document(d), d.ptr.clone()))
                    .collect(),
                "/documents".into(),
            ),
            "pre_approvals" => Nav::Many(
                app.services()
                    .flat_map(|s| s.pre_approvals.iter())
                    .map(|a| item(Val::PreApproval(a), a.ptr.clone()))
                    .collect(),
                "/websites".into(),
            ),
            "existing_services" => Nav::Many(
                app.entity
                    .existing_services
                    .iter()
                    .map(|e| item(Val::Existing(e), e.ptr.clone()))
                    .collect(),
                "/entity/existing_services".into(),
            ),
            "existing_domains" => Nav::Many(
                app.entity
                    .existing_services
                    .iter()
                    .flat_map(|e| e.domains.iter())
                    .map(|l| {
                        item(
                            Val::Text(Cow::Borrowed(l.value.as_str()), Norm::Domain),
                            l.ptr.clone(),
                        )
                    })
                    .collect(),
                "/entity/existing_services".into(),
            ),
            "content_types" => Nav::Many(
                app.services()
                    .flat_map(|s| s.content_types.iter())
                    .map(|l| item(Val::Enum(Cow::Borrowed(l.value.as_str())), l.ptr.clone()))
                    .collect(),
                "/websites".into(),
            ),
            _ => Nav::Absent(p),
        },
        Val::Entity => {
            let e = &app.entity;
            match name {
                "nature" => opt(e.nature, p, |n| Val::Enum(Cow::Borrowed(n.id()))),
                "name" => text_of(e.name.as_ref(), Norm::Name, p),
                "cert_type" => opt(e.cert_type, p, |t| Val::Enum(Cow::Borrowed(t.id()))),
                "cert_type_name" => text_of(e.cert_type_name.as_ref(), Norm::Plain, p),
                "cert_number" => text_of(e.cert_number.as_ref(), Norm::Id, p),
                "cert_address" => text_of(e.cert_address.as_ref(), Norm::Address, p),
                "address" => opt(e.address.as_ref(), p, Val::Address),
                "investor" => text_of(e.investor.as_ref(), Norm::Name, p),
                "legal_rep" => person(e.legal_rep.as_ref(), Role::LegalRep, p),
                "principal" => person(e.principal.as_ref(), Role::EntityPrincipal, p),
                "business_scope" => text_of(e.business_scope.as_ref(), Norm::Plain, p),
                "registration_authority" => text_of(e.registration_authority.as_ref(), Norm::Name, p),
                "sole_trader" => opt(e.sole_trader, p, Val::Flag),
                "trade_name" => opt(e.trade_name, p, Val::Flag),
                "has_seal" => opt(e.has_seal, p, Val::Flag),
                "registry_status" => opt(e.registry_status, p, |s| Val::Enum(Cow::Borrowed(s.id()))),
                "icp_number" => text_of(e.icp_number.as_ref(), Norm::Code, p),
                "remark" => text_of(e.remark.as_ref(), Norm::Plain, p),
                "existing_services" => step(cx, &item(Val::App, ""), "existing_services"),
                "unit" => opt(e.nature, join(&e.ptr, "nature"), |n| Val::Flag(n.is_unit())),
                _ => Nav::Absent(p),
            }
        }
        Val::Person(person, role) => {
            let cert = |then: &dyn Fn(&str) -> Option<Val<'a>>| {
                let cp = join(&it.ptr, "cert_number");
                match person.cert_number.as_deref().filter(|n| !n.trim().is_empty()) {
                    None => Nav::Absent(cp),
                    Some(n) => match then(n) {
                        Some(v) => Nav::One(item(v, cp)),
                        None => Nav::Undecided(cp),
                    },
                }
            };
            let own = |v: &Option<String>, norm: Norm| match v {
                Some(s) if !s.trim().is_empty() => {
                    Nav::One(item(Val::Text(Cow::Owned(s.clone()), norm), p.clone()))
                }
                _ => Nav::Absent(p.clone()),
            };
            match name {
                "name" => own(&person.name, Norm::Name),
                "cert_type" => opt(person.cert_type, p, |t| Val::Enum(Cow::Borrowed(t.id()))),
                "cert_number" => own(&person.cert_number, Norm::Id),
                "cert_valid_until" => match person.cert_valid_until {
                    Some(Validity::Until(d)) => Nav::One(item(Val::Date(d), p)),
                    _ => Nav::Absent(p),
                },
                // Derived from `cert_valid_until`: found there.
                "long_term" => opt(person.cert_valid_until, join(&it.ptr, "cert_valid_until"), |v| {
                    Val::Flag(v == Validity::LongTerm)
                }),
                "cert_address" => own(&person.cert_address, Norm::Address),
                "mobile" => own(&person.mobile, Norm::Phone),
                "emergency_phone" => own(&person.emergency_phone, Norm::Phone),
                "office_phone" => own(&person.office_phone, Norm::Phone),
                "email" => own(&person.email, Norm::Email),
                "student" => opt(person.student, p, Val::Flag),
                "age" => {
                    let on = cx.date;
                    cert(&|n| crate::ids::idcard::birth_date(n).map(|b| Val::Num(f64::from(b.age_on(on)))))
                }
                "sex" => cert(&|n| {
                    let male = crate::ids::idcard::is_male(n)?;
                    Some(Val::Enum(Cow::Borrowed(if male { "male" } else { "female" })))
                }),
                "id_province" => {
                    let provinces = &cx.data.provinces;
                    cert(&|n| {
                        let code = crate::ids::idcard::province_code(n)?;
                        provinces
                            .by_code(&code)
                            .map(|pi| Val::Enum(Cow::Owned(pi.id.clone())))
                    })
                }
                "role" => opt(*role, p, |r| {
                    Val::Enum(Cow::Borrowed(match r {
                        Role::EntityPrincipal => "entity_principal",
                        Role::ServicePrincipal => "service_principal",
                        Role::LegalRep | Role::Individual => "legal_rep",
                    }))
                }),
                _ => Nav::Absent(p),
            }
        }
        Val::Address(a) => match name {
            "province" => text_of(a.province.as_ref(), Norm::Address, p),
            "city" => text_of(a.city.as_ref(), Norm::Address, p),
            "county" => text_of(a.county.as_ref(), Norm::Address, p),
            "detail" => text_of(a.detail.as_ref(), Norm::Address, p),
            _ => Nav::Absent(p),
        },
        Val::Service(s) => match name {
            // What kind of APP (the file's `apps[].kind`): a website has none.
            "app_kind" => opt(s.app_kind, s.path("kind"), |k| Val::Enum(Cow::Borrowed(k.id()))),
            "kind" => Nav::One(item(
                Val::Enum(Cow::Borrowed(match s.kind {
                    ServiceKind::Website => "website",
                    ServiceKind::App => "app",
                })),
                s.ptr.clone(),
            )),
            "name" => text_of(s.name.as_ref(), Norm::Name, p),
            "domains" => Nav::Many(
                s.domains
                    .iter()
                    .map(|d| item(Val::Domain(d), d.ptr.clone()))
                    .collect(),
                p,
            ),
            "homepage" => text_of(s.homepage.as_ref(), Norm::Plain, p),
            "content_types" => enums(&s.content_types, p),
            "languages" => enums(&s.languages, p),
            "ips" => located(&s.ips, Norm::Plain, p),
            "pre_approvals" => Nav::Many(
                s.pre_approvals
                    .iter()
                    .map(|a| item(Val::PreApproval(a), a.ptr.clone()))
                    .collect(),
                p,
            ),
            "principal" => person(s.principal.as_ref(), Role::ServicePrincipal, p),
            "icp_number" => text_of(s.icp_number.as_ref(), Norm::Code, p),
            "remark" => text_of(s.remark.as_ref(), Norm::Plain, p),
            "platforms" => Nav::Many(
                s.platforms
                    .iter()
                    .map(|x| item(Val::Platform(x), x.ptr.clone()))
                    .collect(),
                p,
            ),
            _ => Nav::Absent(p),
        },
        Val::Domain(d) => {
            // A domain written as a bare string has its name at the item's own pointer.
            let name_ptr = if d.registrant.is_none() && d.expires.is_none() && d.registrar.is_none() {
                it.ptr.clone()
            } else {
                join(&it.ptr, "name")
            };
            match name {
                "name" => text_of(d.name.as_ref(), Norm::Domain, name_ptr),
                "registrant" => text_of(d.registrant.as_ref(), Norm::Name, p),
                "expires" => opt(d.expires, p, Val::Date),
                "registrar" => text_of(d.registrar.as_ref(), Norm::Name, p),
                _ => match d.name.as_deref() {
                    Some(n) => domain_derived(n, name, name_ptr),
                    None => Nav::Absent(name_ptr),
                },
            }
        }
        Val::PreApproval(a) => match name {
            "type" => opt(a.kind.as_deref(), p, |k| Val::Enum(Cow::Borrowed(k))),
            "number" => text_of(a.number.as_ref(), Norm::Code, p),
            "issuer" => text_of(a.issuer.as_ref(), Norm::Name, p),
            "valid_until" => opt(a.valid_until, p, Val::Date),
            _ => Nav::Absent(p),
        },
        Val::Document(d) => match name {
            "kind" => Nav::One(item(Val::Enum(Cow::Borrowed(d.kind.as_str())), it.ptr.clone())),
            "signed" => opt(d.signed, p, Val::Date),
            "valid_until" => opt(d.valid_until, p, Val::Date),
            "issuer" => text_of(d.issuer.as_ref(), Norm::Name, p),
            "file" => text_of(d.file.as_ref(), Norm::Plain, p),
            "for" => text_of(d.for_ptr.as_ref(), Norm::Plain, p),
            _ => Nav::Absent(p),
        },
        Val::Previous(x) => match name {
            "nature" => opt(x.nature, p, |n| Val::Enum(Cow::Borrowed(n.id()))),
            "name" => text_of(x.name.as_ref(), Norm::Name, p),
            "cert_number" => text_of(x.cert_number.as_ref(), Norm::Id, p),
            "legal_rep" => person(x.legal_rep.as_ref(), Role::LegalRep, p),
            "principal" => person(x.principal.as_ref(), Role::EntityPrincipal, p),
            "domains" => located(&x.domains, Norm::Domain, p),
            "icp_number" => text_of(x.icp_number.as_ref(), Norm::Code, p),
            _ => Nav::Absent(p),
        },
        Val::Existing(x) => match name {
            "name" => text_of(x.name.as_ref(), Norm::Name, p),
            "domains" => located(&x.domains, Norm::Domain, p),
            "icp_number" => text_of(x.icp_number.as_ref(), Norm::Code, p),
            _ => Nav::Absent(p),
        },
        Val::Access(a) => match name {
            "provider" => opt(a.provider, p, |x| Val::Enum(Cow::Borrowed(x.id()))),
            "authorization_code" => text_of(a.authorization_code.as_ref(), Norm::Code, p),
            _ => Nav::Absent(p),
        },
        Val::Platform(x) => match name {
            "platform" => opt(x.platform.as_deref(), p, |k| Val::Enum(Cow::Borrowed(k))),
            "package" => text_of(x.package.as_ref(), Norm::Plain, p),
            "public_key" => text_of(x.public_key.as_ref(), Norm::Plain, p),
            "sig_md5" => text_of(x.sig_md5.as_ref(), Norm::Plain, p),
            _ => Nav::Absent(p),
        },
        Val::Date(d) => {
            let today = cx.date;
            let n = match name {
                "days_left" => d.days() - today.days(),
                "months_left" => months_between(today, *d),
                "days_ago" => today.days() - d.days(),
                "months_ago" => months_between(*d, today),
                "working_days_ago" => working_days(*d, today),
                _ => return Nav::Absent(p),
            };
            Nav::One(item(Val::Num(n as f64), it.ptr.clone()))
        }
        Val::Text(t, norm) => match name {
            "chars" => Nav::One(item(
                Val::Num(nfkc(t).chars().filter(|c| !c.is_whitespace()).count() as f64),
                it.ptr.clone(),
            )),
            "suffix" | "tld" | "cctld" | "registrable" | "prefix" if *norm == Norm::Domain => {
                domain_derived(t, name, it.ptr.clone())
            }
            "province" if *norm == Norm::Phone => {
                let code = if phone_key(t).starts_with('1') {
                    match cx.data.mobile.locate(t) {
                        crate::ids::phone::Locality::Province(c) => Some(c),
                        crate::ids::phone::Locality::Unknown => None,
                    }
                } else {
                    cx.data.area_codes.parse(t).ok().map(|l| l.province)
                };
                match code.and_then(|c| cx.data.provinces.by_code(&c)) {
                    Some(pi) => Nav::One(item(Val::Enum(Cow::Owned(pi.id.clone())), it.ptr.clone())),
                    None => Nav::Undecided(it.ptr.clone()),
                }
            }
            "province" if *norm == Norm::Address => match cx.province_of_address(t) {
                Some(code) => match cx.data.provinces.by_code(&code) {
                    Some(pi) => Nav::One(item(Val::Enum(Cow::Owned(pi.id.clone())), it.ptr.clone())),
                    None => Nav::Undecided(it.ptr.clone()),
                },
                None => Nav::Undecided(it.ptr.clone()),
            },
            _ => Nav::Absent(p),
        },
        Val::Flag(_) | Val::Num(_) | Val::Enum(_) => Nav::Absent(p),
    }
}

/// The scope while a predicate is evaluated: the elements of the enclosing quantifiers, innermost last.
struct Env<'a> {
    stack: Vec<(Option<&'a str>, Item<'a>)>,
    /// Join indexes of `none` quantifiers, by the quantifier's address (see `Join`).
    joins: std::collections::HashMap<usize, Join>,
    /// Person indexes of quantifiers whose filter names a person, by the quantifier's address.
    persons: std::collections::HashMap<usize, PersonJoin>,
    /// Lists read from the application, by the selector's address (see `list`).
    lists: std::collections::HashMap<usize, (std::rc::Rc<[Item<'a>]>, String)>,
    /// The elements a quantifier evaluates, by its address, the other side's key and the person its filter names.
    chosen: std::collections::HashMap<ChosenKey, std::rc::Rc<[usize]>>,
}

type PersonKeys = (Option<String>, Option<String>);
type ChosenKey = (usize, Option<(String, bool)>, Option<(PersonKeys, bool)>);

/// For `some`/`none: LIST, holds: {field: A, eq_field: B}` where one side reads the element and the other does
/// not: the elements of LIST by the comparison key of their side. Only elements whose key equals the other side's
/// can make `holds` true, so a relation between every pair of principals costs a lookup per principal instead of
/// a scan of all of them.
struct Join {
    by_key: std::collections::HashMap<String, Vec<usize>>,
    /// Elements whose side has no key (absent, or not text): always evaluated.
    unkeyed: Vec<usize>,
}

/// Persons of a list by what `same_person` compares, so that the persons equal to a given one are found exactly.
struct PersonJoin {
    by_number: std::collections::HashMap<String, Vec<usize>>,
    /// Persons without a certificate number, by name: matched by name against anyone.
    by_name_without_number: std::collections::HashMap<String, Vec<usize>>,
    by_name: std::collections::HashMap<String, Vec<usize>>,
    /// Each person block by its pointer: a block is the same person as itself, whatever it holds.
    by_ptr: std::collections::HashMap<String, usize>,
}

impl PersonJoin {
    fn new(items: &[Item<'_>]) -> Self {
        let mut index = PersonJoin {
            by_number: std::collections::HashMap::new(),
            by_name_without_number: std::collections::HashMap::new(),
            by_name: std::collections::HashMap::new(),
            by_ptr: std::collections::HashMap::new(),
        };
        for (i, it) in items.iter().enumerate() {
            if let Val::Person(person, _) = it.val {
                index.by_ptr.insert(person.ptr.clone(), i);
                let (number, name) = person_keys(person);
                if let Some(k) = &name {
                    index.by_name.entry(k.clone()).or_default().push(i);
                    if number.is_none() {
                        index.by_name_without_number.entry(k.clone()).or_default().push(i);
                    }
                }
                if let Some(k) = number {
                    index.by_number.entry(k).or_default().push(i);
                }
            }
        }
        index
    }

    /// The elements `same_person` holds for, sorted: with a number, those with the number and those without
    /// one but with the name; without a number, those with the name.
    fn same_as(&self, target: &Person) -> Vec<usize> {
        let (number, name) = person_keys(target);
        fn found<'m>(
            m: &'m std::collections::HashMap<String, Vec<usize>>,
            k: Option<&String>,
        ) -> &'m [usize] {
            k.and_then(|k| m.get(k)).map_or(&[], Vec::as_slice)
        }
        let mut picked: Vec<usize> = match number {
            Some(_) => [
                found(&self.by_number, number.as_ref()),
                found(&self.by_name_without_number, name.as_ref()),
            ]
            .concat(),
            None => found(&self.by_name, name.as_ref()).to_vec(),
        };
        picked.extend(self.by_ptr.get(&target.ptr));
        picked.sort_unstable();
        picked.dedup();
        picked
    }
}

/// The person a filter requires the element to be (`{field: ., same_person: $p}`, alone or as a conjunct, gives
/// `true`) or not to be (`{not: {field: ., same_person: $p}}` as a conjunct, gives `false`): an element on the
/// other side fails the filter whatever the rest says, so only the others need evaluating.
fn person_conjunct(filter: &Pred) -> Option<(&Path, bool)> {
    fn is_same(p: &Pred) -> Option<&Path> {
        match p {
            Pred::Test {
                field,
                op: Op::SamePerson(other),
            } if field.root == Root::Current
                && field.steps.is_empty()
                && matches!(other.root, Root::Binding(_)) =>
            {
                Some(other)
            }
            _ => None,
        }
    }
    match filter {
        Pred::All(ps) => ps.iter().find_map(|p| match p {
            Pred::Not(inner) => is_same(inner).map(|o| (o, false)),
            p => is_same(p).map(|o| (o, true)),
        }),
        p => is_same(p).map(|o| (o, true)),
    }
}

/// The person a filter's person conjunct (see `person_conjunct`) names, and whether the filter wants that person
/// or the others.
fn person_target<'a>(cx: &Cx<'a>, env: &Env<'a>, filter: &Pred) -> Option<(&'a Person, bool)> {
    let (who, wanted) = person_conjunct(filter)?;
    let Nav::One(target) = resolve(cx, env, who) else {
        return None;
    };
    let Val::Person(target, _) = target.val else {
        return None;
    };
    Some((target, wanted))
}

/// The key the other side of an equality in `holds` (see `Join`) has, and whether the test is `eq_field`; builds
/// the quantifier's index of its elements on first use.
fn join_want<'a>(
    cx: &Cx<'a>,
    env: &mut Env<'a>,
    id: usize,
    items: &[Item<'a>],
    holds: &Pred,
) -> Option<(String, bool)> {
    let (mine, theirs, mine_is_subject, equal) = join_sides(holds)?;
    let subject_norm = text_norm(if mine_is_subject { mine } else { theirs });
    if !env.joins.contains_key(&id) {
        let mut join = Join {
            by_key: std::collections::HashMap::new(),
            unkeyed: Vec::new(),
        };
        for (i, it) in items.iter().enumerate() {
            env.stack.push((None, it.clone()));
            let k = match resolve(cx, env, mine) {
                Nav::One(v) if mine_is_subject => key(&v.val),
                Nav::One(v) => key_as(&v.val, subject_norm),
                _ => None,
            };
            env.stack.pop();
            match k {
                Some(k) => join.by_key.entry(k).or_default().push(i),
                None => join.unkeyed.push(i),
            }
        }
        env.joins.insert(id, join);
    }
    let want = match resolve(cx, env, theirs) {
        Nav::One(v) if mine_is_subject => key_as(&v.val, text_norm(mine)),
        Nav::One(v) => key(&v.val),
        _ => return None,
    }?;
    Some((want, equal))
}

/// The elements whose side of the equality can make it true, sorted: equal, those with the other side's key;
/// not equal, every other key's; and always those without a key.
fn key_candidates(env: &Env<'_>, id: usize, want: &str, equal: bool) -> Option<Vec<usize>> {
    let join = env.joins.get(&id)?;
    let mut picked: Vec<usize> = if equal {
        join.by_key.get(want).cloned().unwrap_or_default()
    } else {
        join.by_key
            .iter()
            .filter(|(k, _)| k.as_str() != want)
            .flat_map(|(_, v)| v.iter().copied())
            .collect()
    };
    picked.extend(join.unkeyed.iter().copied());
    picked.sort_unstable();
    Some(picked)
}

/// The elements a quantifier need evaluate, sorted, from the other side's key of an equality in `holds` (see
/// `Join`) and the person its filter names (wanted or not); `None` = all of them.
fn narrow(
    env: &mut Env<'_>,
    id: usize,
    items: &[Item<'_>],
    q: Quant,
    want: Option<(String, bool)>,
    person: Option<(&Person, bool)>,
) -> Option<std::rc::Rc<[usize]>> {
    let by_key = want.and_then(|(want, equal)| key_candidates(env, id, &want, equal));
    let person = person.map(|(target, wanted)| {
        let index = env.persons.entry(id).or_insert_with(|| PersonJoin::new(items));
        (index.same_as(target), wanted)
    });
    let chosen: Vec<usize> = match (by_key, person) {
        (Some(a), Some((same, wanted))) => a
            .into_iter()
            .filter(|i| same.binary_search(i).is_ok() == wanted)
            .collect(),
        (None, Some((same, true))) => same,
        // Not that person: narrowed for `some`/`none`; `every` evaluates every element.
        (None, Some((same, false))) if q != Quant::Every => (0..items.len())
            .filter(|i| same.binary_search(i).is_err())
            .collect(),
        (Some(a), None) => a,
        _ => return None,
    };
    Some(chosen.into())
}

/// The elements a quantifier ranges over and the list's pointer; a list read from the application is read once
/// per predicate evaluation (the outer scope cannot change it).
fn list<'a>(cx: &Cx<'a>, env: &mut Env<'a>, sel: &Path) -> (std::rc::Rc<[Item<'a>]>, String) {
    let id = std::ptr::from_ref(sel) as usize;
    if sel.root == Root::App {
        if let Some((items, ptr)) = env.lists.get(&id) {
            return (items.clone(), ptr.clone());
        }
    }
    let (items, ptr) = match resolve(cx, env, sel) {
        Nav::Many(items, ptr) => (items, ptr),
        Nav::One(it) => {
            let ptr = it.ptr.clone();
            (vec![it], ptr)
        }
        Nav::Absent(ptr) | Nav::Undecided(ptr) => (Vec::new(), ptr),
    };
    let items: std::rc::Rc<[Item<'a>]> = items.into();
    if sel.root == Root::App {
        env.lists.insert(id, (items.clone(), ptr.clone()));
    }
    (items, ptr)
}

/// The comparison key of a value read with `norm` (how `eq_field` compares the other side).
fn key_as(v: &Val<'_>, norm: Norm) -> Option<String> {
    match v {
        Val::Text(t, _) | Val::Enum(t) => key(&Val::Text(Cow::Borrowed(t), norm)),
        _ => None,
    }
}

/// The sides of an equality a join can use: (the element's side, the other side, whether the element's side is
/// the test's subject).
/// (the element's side, the other side, whether the element's side is the subject, whether the test is `eq_field`
/// rather than `ne_field`).
fn join_sides(holds: &Pred) -> Option<(&Path, &Path, bool, bool)> {
    let (field, other, plus, equal) = match holds {
        Pred::Test {
            field,
            op: Op::EqField(other, plus),
        } => (field, other, plus, true),
        Pred::Test {
            field,
            op: Op::NeField(other, plus),
        } => (field, other, plus, false),
        _ => return None,
    };
    if !plus.is_empty() {
        return None;
    }
    match (&field.root, &other.root) {
        (Root::Current, r) if *r != Root::Current => Some((field, other, true, equal)),
        (r, Root::Current) if *r != Root::Current => Some((other, field, false, equal)),
        _ => None,
    }
}

fn text_norm(path: &Path) -> Norm {
    match path.ty.base {
        crate::checks::predicate::lang::Base::Text(n) => n,
        _ => Norm::Plain,
    }
}

fn resolve<'a>(cx: &Cx<'a>, env: &Env<'a>, path: &Path) -> Nav<'a> {
    let start = match &path.root {
        Root::App => item(Val::App, ""),
        Root::Current => match env.stack.last() {
            Some((_, it)) => it.clone(),
            None => return Nav::Absent(String::new()),
        },
        Root::Binding(name) => match env.stack.iter().rev().find(|(b, _)| *b == Some(name.as_str())) {
            Some((_, it)) => it.clone(),
            None => return Nav::Absent(String::new()),
        },
    };
    let mut cur = Nav::One(start);
    for s in &path.steps {
        cur = match cur {
            Nav::One(it) => step(cx, &it, s),
            other => return other,
        };
    }
    cur
}

/// The value as a message shows it: personal data masked by the renderer.
fn shown(val: &Val<'_>, ptr: &str) -> Var {
    match val {
        Val::Text(t, Norm::Phone | Norm::Id) => Var::Pii(Pii::Number, t.to_string()),
        Val::Text(t, Norm::Email) => Var::Pii(Pii::Email, t.to_string()),
        Val::Text(t, _) | Val::Enum(t) => Var::from(t.to_string()),
        Val::Num(n) => Var::from(fmt_num(*n)),
        Val::Flag(b) => Var::from(b.to_string()),
        Val::Date(d) => Var::from(d.to_string()),
        Val::Person(p, _) => match &p.name {
            Some(n) => Var::from(n.clone()),
            None => Var::from(ptr.to_string()),
        },
        _ => Var::from(ptr.to_string()),
    }
}

fn fmt_num(n: f64) -> String {
    if n.fract() == 0.0 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// The comparison key of a value, by its type.
fn key(v: &Val<'_>) -> Option<String> {
    Some(match v {
        Val::Text(t, norm) => match norm {
            Norm::Name | Norm::Address => name_key(t),
            Norm::Id | Norm::Code => id_key(t),
            Norm::Phone => phone_key(t),
            Norm::Email => nfkc(t).to_lowercase(),
            // Domains and suffixes compare in their ASCII form: `公益` equals `xn--55qw42g`.
            Norm::Domain => {
                let t = nfkc(t).trim_end_matches('.').to_lowercase();
                idna::domain_to_ascii(&t).unwrap_or(t)
            }
            Norm::Plain => nfkc(t),
        },
        Val::Enum(t) => enum_key(t),
        Val::Num(n) => fmt_num(*n),
        Val::Flag(b) => b.to_string(),
        Val::Date(d) => d.to_string(),
        _ => return None,
    })
}

fn lit_key(v: &Val<'_>, lit: &str) -> String {
    match v {
        Val::Text(_, norm) => key(&Val::Text(Cow::Borrowed(lit), *norm)).unwrap_or_default(),
        _ => enum_key(lit),
    }
}

fn text(v: &Val<'_>) -> Option<String> {
    match v {
        Val::Text(t, _) | Val::Enum(t) => Some(name_key(t).to_lowercase()),
        _ => None,
    }
}

fn only_words(t: &str, words: &[String]) -> bool {
    // Removes listed words longest first; what remains must be punctuation.
    let mut rest = t.to_string();
    let mut sorted: Vec<&String> = words.iter().collect();
    sorted.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    for w in sorted.iter().filter(|w| !w.is_empty()) {
        rest = rest.replace(w.as_str(), "");
    }
    rest.chars().all(|c| !c.is_alphanumeric())
}

fn test<'a>(cx: &Cx<'a>, env: &Env<'a>, field: &'a Path, op: &'a Op) -> Res<'a> {
    let subject = match resolve(cx, env, field) {
        Nav::Absent(ptr) => {
            return match op {
                Op::Present(want) => Res::new(
                    if *want { Tri::False } else { Tri::True },
                    vec![Ev::at(ptr).var("found", Text::new("未填写", "not filled in"))],
                ),
                _ => Res::new(Tri::Unknown, vec![Ev::at(ptr)]),
            };
        }
        Nav::Undecided(ptr) => {
            return match op {
                // A derived value that cannot be told is not there: `present` is false.
                Op::Present(want) => Res::new(if *want { Tri::False } else { Tri::True }, vec![Ev::at(ptr)]),
                _ => Res::new(Tri::Unknown, vec![Ev::undecided(ptr)]),
            };
        }
        Nav::Many(items, ptr) => {
            let t = match op {
                Op::Present(want) => items.is_empty() != *want,
                _ => false,
            };
            let count = items.len().to_string();
            return Res::new(
                if t { Tri::True } else { Tri::False },
                vec![Ev::at(ptr).var("count", count.clone()).var("found", count)],
            );
        }
        Nav::One(it) => it,
    };
    let ev = Ev::at(subject.ptr.clone()).var("value", subject.val.clone());
    let done = |b: bool, ev: Ev<'a>| Res::new(if b { Tri::True } else { Tri::False }, vec![ev]);
    let other = |p: &Path| resolve(cx, env, p);
    match op {
        Op::Present(want) => {
            let filled = !matches!(&subject.val, Val::Text(t, _) if t.trim().is_empty());
            done(filled == *want, ev)
        }
        Op::Is(want) => match subject.val {
            Val::Flag(b) => done(b == *want, ev),
            _ => Res::new(Tri::Unknown, vec![ev]),
        },
        Op::Eq(lit) | Op::Ne(lit) => {
            let eq = key(&subject.val).is_some_and(|k| k == lit_key(&subject.val, lit));
            done(eq == matches!(op, Op::Eq(_)), ev.var("found", lit.as_str()))
        }
        Op::In(list) | Op::NotIn(list) => {
            let k = key(&subject.val).unwrap_or_default();
            let hit = list.iter().find(|l| lit_key(&subject.val, l) == k);
            let ev = match hit {
                Some(h) => ev.var("found", h.as_str()),
                None => ev,
            };
            done(hit.is_some() == matches!(op, Op::In(_)), ev)
        }
        Op::Num(cmp, n) => match subject.val {
            Val::Num(v) => {
                let ev = ev
                    .var("found", fmt_num(v))
                    .var("age", fmt_num(v))
                    .var("days", fmt_num(v))
                    .var("months", fmt_num(v))
                    .var("count", fmt_num(v));
                done(cmp.holds(v, *n), ev)
            }
            _ => Res::new(Tri::Unknown, vec![ev]),
        },
        Op::EqField(p, plus) | Op::NeField(p, plus) => match other(p) {
            Nav::One(o) => {
                let want = key(&Val::Text(
                    Cow::Owned(format!(
                        "{}{plus}",
                        match &o.val {
                            Val::Text(t, _) | Val::Enum(t) => t.to_string(),
                            _ => String::new(),
                        }
                    )),
                    match &subject.val {
                        Val::Text(_, n) => *n,
                        _ => Norm::Plain,
                    },
                ));
                let eq = key(&subject.val).is_some() && key(&subject.val) == want;
                let mut ev = ev.var("other", o.val.clone()).var("other_path", o.ptr.clone());
                ev.related.push(o.ptr);
                done(eq == matches!(op, Op::EqField(..)), ev)
            }
            Nav::Absent(ptr) | Nav::Many(_, ptr) => Res::new(Tri::Unknown, vec![Ev::at(ptr)]),
            Nav::Undecided(ptr) => Res::new(Tri::Unknown, vec![Ev::undecided(ptr)]),
        },
        Op::SamePerson(p) => match (&subject.val, other(p)) {
            (Val::Person(a, _), Nav::One(o)) => match &o.val {
                // The same block is the same person; someone with neither name nor number cannot be told
                // apart from anyone else.
                Val::Person(b, _) if a.ptr == b.ptr => done(true, ev),
                Val::Person(b, _) if person_keys(a) == (None, None) || person_keys(b) == (None, None) => {
                    Res::new(Tri::Unknown, vec![ev])
                }
                Val::Person(b, _) => {
                    let mut ev = ev.var("other", o.val.clone()).var("other_path", o.ptr.clone());
                    ev.related.push(o.ptr.clone());
                    done(same_person(a, b), ev)
                }
                _ => Res::new(Tri::Unknown, vec![ev]),
            },
            (_, Nav::Absent(ptr)) => Res::new(Tri::Unknown, vec![Ev::at(ptr)]),
            (_, Nav::Undecided(ptr)) => Res::new(Tri::Unknown, vec![Ev::undecided(ptr)]),
            _ => Res::new(Tri::Unknown, vec![ev]),
        },
        Op::LegalRep(want) => match (&subject.val, cx.app.entity.legal_rep.as_ref()) {
            (Val::Person(a, _), Some(lr))
                if person_keys(a) != (None, None) && person_keys(lr) != (None, None) =>
            {
                let mut ev = ev;
                ev.related.push(lr.ptr.clone());
                done(same_person(a, lr) == *want, ev)
            }
            // Someone with neither name nor number: who they are cannot be told.
            (Val::Person(a, _), Some(_)) => Res::new(Tri::Unknown, vec![Ev::at(join(&a.ptr, "name"))]),
            _ => Res::new(Tri::Unknown, vec![Ev::at("/entity/legal_rep")]),
        },
        Op::ContainsAny(words) | Op::StartsWith(words) | Op::EndsWith(words) => {
            let Some(t) = text(&subject.val) else {
                return Res::new(Tri::Unknown, vec![ev]);
            };
            let hit = words.find(|w| match op {
                Op::StartsWith(_) => t.starts_with(w),
                Op::EndsWith(_) => t.ends_with(w),
                _ => t.contains(w),
            });
            let ev = match hit {
                Some(w) => ev.var("word", w.as_str()).var("found", w.as_str()),
                None => ev.var("found", words.raw.join("/")),
            };
            done(hit.is_some(), ev)
        }
        Op::ContainsAll(groups) => {
            let Some(t) = text(&subject.val) else {
                return Res::new(Tri::Unknown, vec![ev]);
            };
            match groups.iter().find(|g| g.find(|w| t.contains(w)).is_none()) {
                None => done(true, ev),
                Some(g) => done(
                    false,
                    ev.var("found", g.raw.join("/")).var("word", g.raw.join("/")),
                ),
            }
        }
        Op::OnlyWords(words) => match text(&subject.val) {
            Some(t) => done(only_words(&t, &words.keys), ev),
            None => Res::new(Tri::Unknown, vec![ev]),
        },
        Op::ContainsField(p) => match (text(&subject.val), other(p)) {
            (Some(t), Nav::One(o)) => {
                let needle = text(&o.val).unwrap_or_default();
                let mut ev = ev.var("other", o.val.clone()).var("other_path", o.ptr.clone());
                ev.related.push(o.ptr.clone());
                done(!needle.is_empty() && t.contains(&needle), ev)
            }
            (_, Nav::Absent(ptr)) => Res::new(Tri::Unknown, vec![Ev::at(ptr)]),
            (_, Nav::Undecided(ptr)) => Res::new(Tri::Unknown, vec![Ev::undecided(ptr)]),
            _ => Res::new(Tri::Unknown, vec![ev]),
        },
    }
}

/// Kleene conjunction (`dominant` false) or disjunction (`dominant` true): the result, and the places of the parts
/// that decided it.
fn combine(results: Vec<Res<'_>>, dominant: Tri) -> Res<'_> {
    let t = if results.iter().any(|r| r.t == dominant) {
        dominant
    } else if results.iter().any(|r| r.t == Tri::Unknown) {
        Tri::Unknown
    } else if dominant == Tri::False {
        Tri::True
    } else {
        Tri::False
    };
    let deciding = results.into_iter().filter(|r| r.t == t).flat_map(|r| r.ev);
    // The places that made a conjunction true (or a disjunction false) only place a pass, or the blame of a
    // negation that a pair of parts explains: a few suffice. Keeping them all made a quantifier over a quantifier
    // (every principal against every other) cost memory quadratic in the number of websites.
    let ev = if t != dominant && t != Tri::Unknown {
        deciding.take(EVIDENCE_KEPT).collect()
    } else {
        // One place once: a relation that holds between every pair would otherwise keep each place once per pair.
        let mut seen = std::collections::HashSet::new();
        deciding.filter(|e| seen.insert(e.path.clone())).collect()
    };
    Res::new(t, ev)
}

/// How many deciding places a result that is not a violation keeps.
const EVIDENCE_KEPT: usize = 16;

fn all(results: Vec<Res<'_>>) -> Res<'_> {
    combine(results, Tri::False)
}

fn any(results: Vec<Res<'_>>) -> Res<'_> {
    combine(results, Tri::True)
}

fn not(r: Res<'_>) -> Res<'_> {
    let t = match r.t {
        Tri::True => Tri::False,
        Tri::False => Tri::True,
        Tri::Unknown => Tri::Unknown,
    };
    Res::new(t, r.ev)
}

fn eval<'a>(cx: &Cx<'a>, env: &mut Env<'a>, p: &'a Pred) -> Res<'a> {
    match p {
        Pred::All(ps) => all(ps.iter().map(|p| eval(cx, env, p)).collect()),
        Pred::Any(ps) => any(ps.iter().map(|p| eval(cx, env, p)).collect()),
        Pred::Not(p) => not(eval(cx, env, p)),
        Pred::If(a, b) => {
            let c = eval(cx, env, a);
            match c.t {
                Tri::False => Res::new(Tri::True, Vec::new()),
                Tri::True => eval(cx, env, b),
                Tri::Unknown => {
                    let r = eval(cx, env, b);
                    if r.t == Tri::True {
                        r
                    } else {
                        Res::new(Tri::Unknown, c.ev)
                    }
                }
            }
        }
        Pred::HasDocument(kinds) => {
            let hit = cx.app.documents.iter().find(|d| kinds.contains(&d.kind));
            let found = kinds.join("/");
            match hit {
                Some(d) => Res::new(
                    Tri::True,
                    vec![
                        Ev::at(d.ptr.clone())
                            .var("kind", d.kind.as_str())
                            .var("found", found),
                    ],
                ),
                None => Res::new(
                    Tri::False,
                    vec![
                        Ev::at("/documents")
                            .var("kind", kinds.join("/"))
                            .var("found", found),
                    ],
                ),
            }
        }
        Pred::Test { field, op } => test(cx, env, field, op),
        Pred::Quant {
            q,
            sel,
            bind,
            filter,
            holds,
        } => {
            let (items, list_ptr) = list(cx, env, sel);
            let id = std::ptr::from_ref(p) as usize;
            // Only a list the outer scope does not change can be indexed once per quantifier.
            let indexed = sel.root == Root::App && items.len() > 8;
            // `some`/`none` whose `holds` is an equality with the element: only the elements with the other
            // side's key (and those without a key) can hold.
            let want = if indexed && *q != Quant::Every {
                holds.as_deref().and_then(|h| join_want(cx, env, id, &items, h))
            } else {
                None
            };
            // A filter that requires the element to be (or not to be) a given person.
            let person = if indexed {
                filter.as_deref().and_then(|f| person_target(cx, env, f))
            } else {
                None
            };
            // The same inputs narrow the list the same way: pairwise relations among many elements that share a
            // key and a person (one principal on every website) compute the candidates once.
            let memo_key = (
                id,
                want.clone(),
                person.map(|(target, wanted)| (person_keys(target), wanted)),
            );
            let chosen = match env.chosen.get(&memo_key) {
                Some(c) => Some(c.clone()),
                None => {
                    let chosen = narrow(env, id, &items, *q, want, person);
                    if let Some(c) = &chosen {
                        env.chosen.insert(memo_key, c.clone());
                    }
                    chosen
                }
            };
            let chosen: std::rc::Rc<[usize]> = chosen.unwrap_or_else(|| (0..items.len()).collect());
            let mut results = Vec::new();
            let mut found = 0;
            for &i in chosen.iter() {
                let Some(it) = items.get(i) else { continue };
                let ptr = it.ptr.clone();
                env.stack.push((bind.as_deref(), it.clone()));
                let keep = filter.as_ref().map(|f| eval(cx, env, f));
                let r = match keep {
                    Some(k) if k.t == Tri::False => None,
                    // `some`/`none` ask whether an element passes the filter and holds: an element that does not
                    // hold cannot, whatever its filter (Kleene: unknown and false is false).
                    Some(k) if k.t == Tri::Unknown && *q != Quant::Every => match holds {
                        Some(h) if eval(cx, env, h).t == Tri::False => None,
                        _ => Some(k),
                    },
                    Some(k) if k.t == Tri::Unknown => Some(k),
                    _ => Some(match holds {
                        Some(h) => eval(cx, env, h),
                        None => Res::new(Tri::True, vec![Ev::at(ptr)]),
                    }),
                };
                env.stack.pop();
                let holds_here = r.as_ref().is_some_and(|r| r.t == Tri::True);
                results.extend(r);
                // `some`/`none` are decided by the first element that holds; a few more name the others (a
                // number shared by every principal would otherwise cost every pair).
                if holds_here && *q != Quant::Every {
                    found += 1;
                    if found >= EVIDENCE_KEPT {
                        break;
                    }
                }
            }
            match q {
                Quant::Every => all(results),
                Quant::Some | Quant::None => {
                    let r = if results.is_empty() {
                        Res::new(Tri::False, vec![Ev::at(list_ptr.clone()).var("count", "0")])
                    } else {
                        any(results)
                    };
                    let r = if r.t == Tri::False && r.ev.is_empty() {
                        Res::new(Tri::False, vec![Ev::at(list_ptr)])
                    } else {
                        r
                    };
                    if *q == Quant::None { not(r) } else { r }
                }
            }
        }
        Pred::Count { parts, cmp, n } => {
            let mut unknown = Vec::new();
            let mut keys: Vec<String> = Vec::new();
            let mut count = 0usize;
            let mut list_ptr = String::new();
            let distinct = parts.iter().any(|p| p.distinct.is_some());
            for part in parts {
                let items = match resolve(cx, env, &part.sel) {
                    Nav::Many(items, ptr) => {
                        if list_ptr.is_empty() {
                            list_ptr = ptr;
                        }
                        items
                    }
                    Nav::One(it) => vec![it],
                    Nav::Absent(_) | Nav::Undecided(_) => Vec::new(),
                };
                for it in items {
                    env.stack.push((None, it));
                    let keep = part.filter.as_ref().map_or(Tri::True, |f| {
                        let r = eval(cx, env, f);
                        if r.t == Tri::Unknown {
                            unknown.extend(r.ev);
                        }
                        r.t
                    });
                    if keep == Tri::True {
                        match &part.distinct {
                            Some(d) => {
                                if let Nav::One(v) = resolve(cx, env, d) {
                                    if let Some(k) = key(&v.val) {
                                        if !keys.contains(&k) {
                                            keys.push(k);
                                        }
                                    }
                                }
                            }
                            None => count += 1,
                        }
                    }
                    env.stack.pop();
                }
            }
            if distinct {
                count = keys.len();
            }
            let c = count as f64;
            let ev = Ev::at(list_ptr)
                .var("count", count.to_string())
                .var("found", count.to_string());
            if !unknown.is_empty() && !cmp.holds(c, *n) {
                return Res::new(Tri::Unknown, unknown);
            }
            Res::new(if cmp.holds(c, *n) { Tri::True } else { Tri::False }, vec![ev])
        }
    }
}

/// Evaluates a predicate over the application.
pub(crate) fn evaluate<'a>(cx: &Cx<'a>, p: &'a Pred) -> Res<'a> {
    let mut env = Env {
        stack: Vec::new(),
        joins: std::collections::HashMap::new(),
        persons: std::collections::HashMap::new(),
        lists: std::collections::HashMap::new(),
        chosen: std::collections::HashMap::new(),
    };
    eval(cx, &mut env, p)
}

fn dedup(ev: Vec<Ev<'_>>) -> Vec<Ev<'_>> {
    let mut out: Vec<Ev<'_>> = Vec::new();
    for e in ev {
        if !out.iter().any(|o| o.path == e.path) {
            out.push(e);
        }
    }
    out
}

/// The outcomes of a result: a finding per offending place, the missing-data finding per absent field, or a pass.
pub(crate) fn outcomes(res: Res<'_>, anchor: &str) -> Vec<Outcome> {
    let verdict = match res.t {
        Tri::True => Verdict::Pass,
        Tri::False => Verdict::Violated,
        Tri::Unknown => Verdict::Missing,
    };
    if verdict == Verdict::Pass {
        // One pass, at the pointer prefix the deciding places share (no variables: a pass explains nothing).
        let mut paths = res.ev.iter().map(|e| e.path.as_str());
        let first = paths.next().unwrap_or(anchor);
        let common = paths.fold(first, crate::input::node::shared_prefix);
        return vec![Outcome::pass(common)];
    }
    let mut ev = dedup(res.ev);
    if ev.is_empty() {
        ev.push(Ev::at(anchor));
    }
    ev.into_iter()
        .map(|e| {
            let verdict = if verdict == Verdict::Missing && e.undecided {
                Verdict::Undecided
            } else {
                verdict
            };
            let (path, vars, related) = e.vars();
            Outcome {
                verdict,
                path,
                vars,
                related,
                at: None,
            }
        })
        .collect()
}

/// Variables predicate functions provide to messages.
pub(crate) const VARS: &[&str] = &[
    "other",
    "other_path",
    "word",
    "count",
    "age",
    "suffix",
    "tld",
    "days",
    "months",
    "kind",
];

impl Kind for Assert {
    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        let main = evaluate(cx, &self.that);
        if main.t != Tri::True && !self.unless.is_empty() {
            let alts: Vec<Res> = self.unless.iter().map(|u| evaluate(cx, u)).collect();
            if let Some(ok) = alts.iter().find(|r| r.t == Tri::True) {
                return outcomes(ok.clone(), cx.anchor);
            }
            if main.t == Tri::False {
                if let Some(u) = alts.into_iter().find(|r| r.t == Tri::Unknown) {
                    return outcomes(u, cx.anchor);
                }
            }
        }
        let lenient = main.t == Tri::False
            && self
                .warn_if
                .as_ref()
                .is_some_and(|w| evaluate(cx, w).t == Tri::True);
        let mut out = outcomes(main, cx.anchor);
        if lenient {
            for o in &mut out {
                o.verdict = Verdict::Doubt;
            }
        }
        out
    }

    fn vars(&self) -> &'static [&'static str] {
        VARS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small application every table row reads: a 辽宁 company with one website and one APP.
    const APP: &str = r#"
version: 1
province: 辽宁
filing_type: change_service
date: 2026-12-01
entity:
  nature: enterprise
  name: 沈阳示例科技有限公司
  cert_type: business_licence
  cert_number: 91210100LN0000015B
  cert_address: 辽宁省沈阳市和平区南京北街123号
  remark: 本单位承诺网站内容与单位相关
  legal_rep: {name: 张三, cert_type: id_card, cert_number: "210102198503122311"}
  principal: {name: 张三, cert_type: id_card, cert_number: "210102198503122311", mobile: "13904112345", emergency_phone: "13840212345"}
  existing_services:
    - {name: 老网站, domains: [old-example.com.cn]}
websites:
  - name: 示例科技官网
    domains:
      - {name: example.com.cn, registrant: 沈阳示例科技有限公司, expires: 2027-03-01}
      - {name: example.org, registrant: 张三, expires: 2026-12-20}
    content_types: [单位门户网站]
    principal: {name: 李四, cert_type: id_card, cert_number: "21010219900705182X", mobile: "13804112345", emergency_phone: "13904112345"}
apps:
  - name: 示例APP
    kind: app
    principal: {name: 张三, cert_type: id_card, cert_number: "210102198503122311", mobile: "13904112345", emergency_phone: "13840212345"}
documents:
  - {kind: rename_letter, signed: 2026-11-27, issuer: 沈阳市市场监督管理局}
previous:
  name: 沈阳旧名科技有限公司
  domains: [example.com.cn]
"#;

    /// (predicate, expected truth, the first place that decided it).
    const TABLE: &[(&str, Tri, &str)] = &[
        // logic and quantifiers
        (
            "{every: websites, holds: {field: .name, present: true}}",
            Tri::True,
            "/websites/0/name",
        ),
        (
            "{some: domains, where: {field: .tld, eq: org}}",
            Tri::True,
            "/websites/0/domains/1",
        ),
        (
            "{none: domains, holds: {field: .tld, in: [org, io]}}",
            Tri::False,
            "/websites/0/domains/1/name",
        ),
        (
            "{every: service_principals, holds: {not: {field: ., same_person: entity.principal}}}",
            Tri::False,
            "/apps/0/principal",
        ),
        (
            "{some: apps, where: {field: .app_kind, eq: mini_program}}",
            Tri::False,
            "/apps",
        ),
        (
            "{every: services, holds: {field: .app_kind, eq: app}}",
            Tri::Unknown,
            "/websites/0/kind",
        ),
        (
            "{if: {field: filing_type, eq: change_service}, then: {has_document: rename_letter}}",
            Tri::True,
            "/documents/0",
        ),
        (
            "{any: [{has_document: domain_certificate}, {field: entity.remark, contains_any: [承诺]}]}",
            Tri::True,
            "/entity/remark",
        ),
        (
            "{all: [{field: entity.unit, is: true}, {field: entity.sole_trader, is: true}]}",
            Tri::Unknown,
            "/entity/sole_trader",
        ),
        (
            "{all: [{field: entity.unit, is: false}, {field: entity.sole_trader, is: true}]}",
            Tri::False,
            "/entity/nature",
        ),
        // counts
        ("{count: domains, gt: 1}", Tri::True, "/websites"),
        (
            "{count: [domains, existing_domains], distinct: .prefix, eq: 2}",
            Tri::True,
            "/websites",
        ),
        (
            "{count: [websites, existing_services], ge: 3}",
            Tri::False,
            "/websites",
        ),
        // people and derived values
        (
            "{field: entity.principal, legal_rep: true}",
            Tri::True,
            "/entity/principal",
        ),
        (
            "{every: principals, holds: {field: .age, ge: 18}}",
            Tri::True,
            "/entity/principal/cert_number",
        ),
        (
            "{some: service_principals, where: {field: .sex, eq: female}}",
            Tri::True,
            "/websites/0/principal",
        ),
        (
            "{field: entity.principal.id_province, eq: liaoning}",
            Tri::True,
            "/entity/principal/cert_number",
        ),
        (
            "{field: entity.cert_address.province, eq: liaoning}",
            Tri::True,
            "/entity/cert_address",
        ),
        (
            "{field: entity.principal.mobile.province, eq: liaoning}",
            Tri::True,
            "/entity/principal/mobile",
        ),
        (
            "{every: service_principals, holds: {field: .emergency_phone, ne_field: entity.principal.mobile}}",
            Tri::False,
            "/websites/0/principal/emergency_phone",
        ),
        // text
        (
            "{field: entity.name, starts_with: [沈阳]}",
            Tri::True,
            "/entity/name",
        ),
        (
            "{field: entity.name, ends_with: [有限公司]}",
            Tri::True,
            "/entity/name",
        ),
        (
            "{field: entity.remark, contains_all: [[承诺], [单位, 企业]]}",
            Tri::True,
            "/entity/remark",
        ),
        (
            "{field: entity.remark, contains_all: [[承诺], [个人]]}",
            Tri::False,
            "/entity/remark",
        ),
        (
            "{field: entity.name, contains_field: previous.name}",
            Tri::False,
            "/entity/name",
        ),
        (
            "{field: entity.name, eq_field: previous.name}",
            Tri::False,
            "/entity/name",
        ),
        (
            "{field: entity.principal.name, eq_field: entity.legal_rep.name, plus: ''}",
            Tri::True,
            "/entity/principal/name",
        ),
        (
            "{every: websites, holds: {field: .name, only_words: [示例, 科技, 官网]}}",
            Tri::True,
            "/websites/0/name",
        ),
        // documents and dates
        (
            "{some: documents, where: {field: .kind, eq: rename_letter}, holds: {field: .signed.working_days_ago, le: 3}}",
            Tri::True,
            "/documents/0/signed",
        ),
        (
            "{some: documents, holds: {field: .issuer, contains_any: [沈阳]}}",
            Tri::True,
            "/documents/0/issuer",
        ),
        (
            "{every: domains, holds: {field: .expires.days_left, gt: 30}}",
            Tri::False,
            "/websites/0/domains/1/expires",
        ),
        (
            "{every: domains, holds: {field: .expires.months_left, ge: 0}}",
            Tri::True,
            "/websites/0/domains/0/expires",
        ),
        (
            "{every: domains, holds: {field: .name.registrable, in: [example.com.cn, example.org]}}",
            Tri::True,
            "/websites/0/domains/0/name",
        ),
        (
            "{every: domains, as: d, holds: {some: previous.domains, where: {field: ., eq_field: $d.name}}}",
            Tri::False,
            "/previous/domains",
        ),
        // absent data: unknown at the field
        (
            "{field: entity.address.city, eq: 沈阳市}",
            Tri::Unknown,
            "/entity/address",
        ),
        ("{field: access.provider, present: false}", Tri::True, "/access"),
    ];

    #[test]
    fn every_function_on_one_application() {
        let catalog = crate::rules::load::load_catalog(
            &crate::rules::files::Files::embedded(),
            crate::rules::Origin::Embedded,
        );
        let Ok(catalog) = catalog else {
            panic!("catalog");
        };
        let doc = crate::input::load(APP.as_bytes(), &crate::input::Limits::default());
        let Ok(doc) = doc else { panic!("document") };
        let Ok((app, _)) = crate::model::build(&doc.root, &catalog.data.vocab) else {
            panic!("application")
        };
        let province = catalog.data.provinces.by_id("liaoning");
        let Some(province) = province else {
            panic!("province")
        };
        let cx = Cx {
            app: &app,
            date: Date::new(2026, 12, 1).unwrap_or_else(|| Date::from_days(0)),
            province,
            data: &catalog.data,
            anchor: "",
            memo: &crate::checks::Memo::default(),
            body: None,
            tables: &catalog.data.apis.tables,
        };
        for (src, want, at) in TABLE {
            let node = crate::rules::load::data_tree("t.yaml", src, false);
            let Ok(node) = node else { panic!("{src}: not YAML") };
            let pred = lang::parse(&node, None);
            let Ok(pred) = pred else { panic!("{src}: {pred:?}") };
            let r = evaluate(&cx, &pred);
            assert_eq!(
                r.t,
                *want,
                "{src}: {:?}",
                r.ev.iter().map(|e| &e.path).collect::<Vec<_>>()
            );
            if !at.is_empty() {
                assert_eq!(r.ev.first().map(|e| e.path.as_str()), Some(*at), "{src}");
            }
        }
    }

    #[test]
    fn working_days_skip_weekends() {
        let d = |s: &str| Date::parse(s).unwrap_or_else(|| Date::from_days(0));
        // 2026-12-04 is a Friday; to the next Friday is five working days.
        assert_eq!(working_days(d("2026-12-04"), d("2026-12-11")), 5);
        assert_eq!(working_days(d("2026-12-05"), d("2026-12-07")), 1);
        assert_eq!(working_days(d("2026-12-07"), d("2026-12-07")), 0);
        assert_eq!(months_between(d("2026-01-31"), d("2026-02-28")), 0);
        assert_eq!(months_between(d("2026-01-15"), d("2026-03-15")), 2);
    }

    #[test]
    fn only_words_allows_punctuation() {
        let w = vec!["博客".to_string(), "个人".to_string()];
        let w = crate::checks::predicate::lang::Words::new(w).keys;
        assert!(only_words("个人博客", &w));
        assert!(only_words("个人、博客", &w));
        assert!(!only_words("个人商城", &w));
    }

    #[test]
    fn kleene_tables() {
        let r = |t| Res::new(t, vec![]);
        use Tri::*;
        for (a, b, and, or) in [
            (True, True, True, True),
            (True, False, False, True),
            (True, Unknown, Unknown, True),
            (False, Unknown, False, Unknown),
            (Unknown, Unknown, Unknown, Unknown),
            (False, False, False, False),
        ] {
            assert_eq!(all(vec![r(a), r(b)]).t, and, "{a:?} and {b:?}");
            assert_eq!(any(vec![r(a), r(b)]).t, or, "{a:?} or {b:?}");
        }
        assert_eq!(not(r(Unknown)).t, Unknown);
    }
}
