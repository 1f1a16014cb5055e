//! The application (README: "The application file"): what a filer submits, with the pointer of every part.

use super::enums::{AppKind, CertType, DocumentKind, FilingType, Nature, Provider, RegistryStatus};
use super::read::{Fields, Located, Reader};
use crate::date::Date;
use crate::input::node::{Node, join};
use crate::text::{Text, enum_key};

/// An accepted console term and its spellings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Term {
    pub id: String,
    pub aliases: Vec<String>,
}

/// Enumerations whose accepted values are data (`provinces/data/vocabularies.yaml`, province document kinds).
#[derive(Clone, Debug, Default)]
pub struct Vocabulary {
    pub document_kinds: Vec<Term>,
    pub content_types: Vec<Term>,
    pub languages: Vec<Term>,
    pub preapproval_types: Vec<Term>,
    pub platforms: Vec<Term>,
}

impl Vocabulary {
    /// The national document kinds (`DocumentKind`) plus `extra` kinds from rule sets.
    pub fn with_documents(extra: &[Term]) -> Vec<Term> {
        let mut kinds: Vec<Term> = DocumentKind::ALL
            .iter()
            .map(|k| Term {
                id: k.id().to_string(),
                aliases: k
                    .aliases()
                    .iter()
                    .filter(|a| **a != k.id())
                    .map(|a| (*a).to_string())
                    .collect(),
            })
            .collect();
        kinds.extend(extra.iter().cloned());
        kinds
    }

    pub fn lookup(terms: &[Term], value: &str) -> Option<String> {
        let key = enum_key(value);
        terms
            .iter()
            .find(|t| enum_key(&t.id) == key || t.aliases.iter().any(|a| enum_key(a) == key))
            .map(|t| t.id.clone())
    }

    pub fn spellings(terms: &[Term]) -> Vec<&str> {
        terms
            .iter()
            .flat_map(|t| std::iter::once(t.id.as_str()).chain(t.aliases.iter().map(String::as_str)))
            .collect()
    }
}

/// `cert_valid_until`: a date or 长期.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Validity {
    Until(Date),
    LongTerm,
}

use serde::Deserialize;

/// A role a person block plays.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    EntityPrincipal,
    ServicePrincipal,
    LegalRep,
    /// The entity of an individual filing, read as a person.
    Individual,
}

impl Role {
    pub fn label(self) -> Text {
        match self {
            Role::EntityPrincipal => Text::new("主体负责人", "the entity principal"),
            Role::ServicePrincipal => Text::new("网站/APP负责人", "the website/APP principal"),
            Role::LegalRep => Text::new("法定代表人", "the legal representative"),
            Role::Individual => Text::new("备案人", "the individual"),
        }
    }
}

/// A person block: every principal and `legal_rep`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Person {
    pub ptr: String,
    pub name: Option<String>,
    pub cert_type: Option<CertType>,
    pub cert_number: Option<String>,
    pub cert_valid_until: Option<Validity>,
    pub cert_address: Option<String>,
    pub mobile: Option<String>,
    pub emergency_phone: Option<String>,
    pub email: Option<String>,
    pub office_phone: Option<String>,
    /// Optional: the person is a student (some provinces ask for proof of enrolment).
    pub student: Option<bool>,
}

impl Person {
    pub fn path(&self, field: &str) -> String {
        join(&self.ptr, field)
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Address {
    pub ptr: String,
    pub province: Option<String>,
    pub city: Option<String>,
    pub county: Option<String>,
    pub detail: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ExistingService {
    pub ptr: String,
    pub name: Option<String>,
    pub domains: Vec<Located>,
    pub icp_number: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Entity {
    pub ptr: String,
    pub nature: Option<Nature>,
    pub name: Option<String>,
    pub cert_type: Option<CertType>,
    pub cert_type_name: Option<String>,
    pub cert_number: Option<String>,
    pub cert_address: Option<String>,
    pub address: Option<Address>,
    pub investor: Option<String>,
    pub legal_rep: Option<Person>,
    pub principal: Option<Person>,
    pub business_scope: Option<String>,
    pub registration_authority: Option<String>,
    pub sole_trader: Option<bool>,
    pub trade_name: Option<bool>,
    pub has_seal: Option<bool>,
    pub registry_status: Option<RegistryStatus>,
    pub icp_number: Option<String>,
    pub remark: Option<String>,
    pub existing_services: Vec<ExistingService>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Domain {
    pub ptr: String,
    pub name: Option<String>,
    pub registrant: Option<String>,
    pub expires: Option<Date>,
    pub registrar: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct PreApproval {
    pub ptr: String,
    pub kind: Option<String>,
    pub number: Option<String>,
    pub issuer: Option<String>,
    pub valid_until: Option<Date>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Platform {
    pub ptr: String,
    pub platform: Option<String>,
    pub package: Option<String>,
    pub public_key: Option<String>,
    pub sig_md5: Option<String>,
}

/// Which kind of service a block is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServiceKind {
    Website,
    App,
}

/// A website or an APP (互联网信息服务).
#[derive(Clone, Debug, PartialEq)]
pub struct Service {
    pub ptr: String,
    pub kind: ServiceKind,
    pub name: Option<String>,
    pub domains: Vec<Domain>,
    pub homepage: Option<String>,
    pub content_types: Vec<Located>,
    pub languages: Vec<Located>,
    pub ips: Vec<Located>,
    pub pre_approvals: Vec<PreApproval>,
    pub principal: Option<Person>,
    pub icp_number: Option<String>,
    pub remark: Option<String>,
    pub app_kind: Option<AppKind>,
    pub platforms: Vec<Platform>,
}

impl Service {
    pub fn path(&self, field: &str) -> String {
        join(&self.ptr, field)
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Access {
    pub provider: Option<Provider>,
    pub authorization_code: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct DocumentItem {
    pub ptr: String,
    pub kind: String,
    pub signed: Option<Date>,
    pub valid_until: Option<Date>,
    pub file: Option<String>,
    pub for_ptr: Option<String>,
    /// Optional: who issued the document (a police station for 户籍 proof, say).
    pub issuer: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Previous {
    pub ptr: String,
    pub nature: Option<Nature>,
    pub name: Option<String>,
    pub cert_number: Option<String>,
    pub legal_rep: Option<Person>,
    /// Optional: the entity principal on record (access and change filings).
    pub principal: Option<Person>,
    /// Optional: the domains on record (change_service, new_access).
    pub domains: Vec<Located>,
    /// Optional: the filing number on record.
    pub icp_number: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Suppression {
    pub ptr: String,
    pub rule: Option<String>,
    pub path: Option<String>,
    pub reason: Option<String>,
}

/// The whole application.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Application {
    pub version: Option<String>,
    pub province: Option<String>,
    pub filing_type: Option<FilingType>,
    pub date: Option<Date>,
    pub entity: Entity,
    pub websites: Vec<Service>,
    pub apps: Vec<Service>,
    pub access: Option<Access>,
    pub documents: Vec<DocumentItem>,
    pub previous: Option<Previous>,
    pub suppressions: Vec<Suppression>,
}

impl Application {
    /// Websites then APPs.
    pub fn services(&self) -> impl Iterator<Item = &Service> {
        self.websites.iter().chain(self.apps.iter())
    }

    /// `entity.principal`, then every website and APP principal.
    pub fn principals(&self) -> impl Iterator<Item = &Person> {
        self.entity
            .principal
            .iter()
            .chain(self.services().filter_map(|s| s.principal.as_ref()))
    }

    pub fn has_document(&self, kind: &str) -> bool {
        self.documents.iter().any(|d| d.kind == kind)
    }

    /// Personal data written in the file (ID and permit numbers, phone numbers, e-mail), for masking snippets.
    pub fn pii_values(&self) -> Vec<(crate::outcome::Pii, String)> {
        use crate::outcome::Pii;
        let mut out = Vec::new();
        let mut person = |p: &Person| {
            if p.cert_type.is_none_or(CertType::is_personal) {
                out.extend(p.cert_number.iter().map(|v| (Pii::Number, v.clone())));
            }
            for v in [&p.mobile, &p.emergency_phone, &p.office_phone]
                .into_iter()
                .flatten()
            {
                out.push((Pii::Number, v.clone()));
            }
            out.extend(p.email.iter().map(|v| (Pii::Email, v.clone())));
        };
        self.entity.legal_rep.iter().for_each(&mut person);
        self.principals().for_each(&mut person);
        if let Some(prev) = &self.previous {
            prev.legal_rep
                .iter()
                .chain(prev.principal.iter())
                .for_each(&mut person);
        }
        if self.entity.nature == Some(Nature::Individual) {
            out.extend(self.entity.cert_number.iter().map(|v| (Pii::Number, v.clone())));
            if let Some(n) = self.previous.as_ref().and_then(|p| p.cert_number.clone()) {
                out.push((Pii::Number, n));
            }
        }
        out.retain(|(_, v)| v.trim().chars().count() >= 3);
        out.sort_by_key(|e| std::cmp::Reverse(e.1.len()));
        out.dedup_by(|a, b| a.1 == b.1);
        out
    }

    pub fn is_unit(&self) -> Option<bool> {
        self.entity.nature.map(Nature::is_unit)
    }
}

const TOP: &[&str] = &[
    "version",
    "province",
    "filing_type",
    "date",
    "entity",
    "websites",
    "apps",
    "access",
    "documents",
    "previous",
    "suppressions",
];
const ENTITY: &[&str] = &[
    "nature",
    "name",
    "cert_type",
    "cert_type_name",
    "cert_number",
    "cert_address",
    "address",
    "investor",
    "legal_rep",
    "principal",
    "business_scope",
    "registration_authority",
    "sole_trader",
    "trade_name",
    "has_seal",
    "registry_status",
    "icp_number",
    "remark",
    "existing_services",
];
const PERSON: &[&str] = &[
    "name",
    "cert_type",
    "cert_number",
    "cert_valid_until",
    "cert_address",
    "mobile",
    "emergency_phone",
    "email",
    "office_phone",
    "student",
];
const ADDRESS: &[&str] = &["province", "city", "county", "detail"];
const WEBSITE: &[&str] = &[
    "name",
    "domains",
    "homepage",
    "content_types",
    "languages",
    "ips",
    "pre_approvals",
    "principal",
    "icp_number",
    "remark",
];
const APP: &[&str] = &[
    "name",
    "kind",
    "platforms",
    "domains",
    "homepage",
    "content_types",
    "languages",
    "ips",
    "pre_approvals",
    "principal",
    "icp_number",
    "remark",
];
const DOMAIN: &[&str] = &["name", "registrant", "expires", "registrar"];
const PRE_APPROVAL: &[&str] = &["type", "number", "issuer", "valid_until"];
const PLATFORM: &[&str] = &["platform", "package", "public_key", "sig_md5"];
const ACCESS: &[&str] = &["provider", "authorization_code"];
const DOCUMENT: &[&str] = &["kind", "signed", "valid_until", "file", "for", "issuer"];
const PREVIOUS: &[&str] = &[
    "nature",
    "name",
    "cert_number",
    "legal_rep",
    "principal",
    "domains",
    "icp_number",
];
const SUPPRESSION: &[&str] = &["rule", "path", "reason"];
const EXISTING: &[&str] = &["name", "domains", "icp_number"];

fn person(r: &mut Reader, node: &Node, ptr: String) -> Option<Person> {
    let f = Fields::open(r, node, &ptr, PERSON)?;
    let cert_valid_until = f.node("cert_valid_until").and_then(|n| {
        let p = f.path("cert_valid_until");
        let text = r.text_node(n, &p)?;
        if matches!(enum_key(&text).as_str(), "long_term" | "长期") {
            return Some(Validity::LongTerm);
        }
        match Date::parse(&text) {
            Some(d) => Some(Validity::Until(d)),
            None => {
                r.wrong_type(
                    n,
                    &p,
                    Text::new(
                        "日期 YYYY-MM-DD 或“长期”",
                        "a date YYYY-MM-DD or long_term (长期)",
                    ),
                );
                None
            }
        }
    });
    Some(Person {
        name: f.name(r, "name"),
        cert_type: f.enumerated(r, "cert_type", CertType::parse, &CertType::spellings()),
        cert_number: f.text(r, "cert_number"),
        cert_valid_until,
        cert_address: f.text(r, "cert_address"),
        mobile: f.text(r, "mobile"),
        emergency_phone: f.text(r, "emergency_phone"),
        email: f.text(r, "email"),
        office_phone: f.text(r, "office_phone"),
        student: f.bool(r, "student"),
        ptr,
    })
}

fn sub_person(r: &mut Reader, f: &Fields<'_>, key: &str) -> Option<Person> {
    let node = f.node(key)?;
    person(r, node, f.path(key))
}

fn domain(r: &mut Reader, node: &Node, ptr: String) -> Option<Domain> {
    if node.scalar().is_some() {
        return Some(Domain {
            name: r.text_node(node, &ptr),
            ptr,
            ..Domain::default()
        });
    }
    let f = Fields::open(r, node, &ptr, DOMAIN)?;
    Some(Domain {
        name: f.name(r, "name"),
        registrant: f.text(r, "registrant"),
        expires: f.date(r, "expires"),
        registrar: f.text(r, "registrar"),
        ptr,
    })
}

fn service(
    r: &mut Reader,
    vocab: &Vocabulary,
    node: &Node,
    ptr: String,
    kind: ServiceKind,
) -> Option<Service> {
    let known = if kind == ServiceKind::Website {
        WEBSITE
    } else {
        APP
    };
    let f = Fields::open(r, node, &ptr, known)?;
    let content_spellings = Vocabulary::spellings(&vocab.content_types);
    let language_spellings = Vocabulary::spellings(&vocab.languages);
    let preapproval_spellings = Vocabulary::spellings(&vocab.preapproval_types);
    let platform_spellings = Vocabulary::spellings(&vocab.platforms);
    Some(Service {
        kind,
        name: f.name(r, "name"),
        domains: f.list(r, "domains", domain),
        homepage: f.text(r, "homepage"),
        content_types: f.open_enum_list(
            r,
            "content_types",
            |v| Vocabulary::lookup(&vocab.content_types, v),
            &content_spellings,
        ),
        languages: f.open_enum_list(
            r,
            "languages",
            |v| Vocabulary::lookup(&vocab.languages, v),
            &language_spellings,
        ),
        ips: f.list(r, "ips", |r, n, p| {
            Some(Located {
                value: r.text_node(n, &p)?,
                ptr: p,
            })
        }),
        pre_approvals: f.list(r, "pre_approvals", |r, n, p| {
            let g = Fields::open(r, n, &p, PRE_APPROVAL)?;
            Some(PreApproval {
                kind: g.enumerated(
                    r,
                    "type",
                    |v| Vocabulary::lookup(&vocab.preapproval_types, v),
                    &preapproval_spellings,
                ),
                number: g.text(r, "number"),
                issuer: g.text(r, "issuer"),
                valid_until: g.date(r, "valid_until"),
                ptr: p,
            })
        }),
        principal: sub_person(r, &f, "principal"),
        icp_number: f.text(r, "icp_number"),
        remark: f.text(r, "remark"),
        app_kind: f.enumerated(r, "kind", AppKind::parse, &AppKind::spellings()),
        platforms: f.list(r, "platforms", |r, n, p| {
            let g = Fields::open(r, n, &p, PLATFORM)?;
            Some(Platform {
                platform: g.enumerated(
                    r,
                    "platform",
                    |v| Vocabulary::lookup(&vocab.platforms, v),
                    &platform_spellings,
                ),
                package: g.text(r, "package"),
                public_key: g.text(r, "public_key"),
                sig_md5: g.text(r, "sig_md5"),
                ptr: p,
            })
        }),
        ptr,
    })
}

fn entity(r: &mut Reader, node: &Node, ptr: &str) -> Entity {
    let Some(f) = Fields::open(r, node, ptr, ENTITY) else {
        return Entity {
            ptr: ptr.to_string(),
            ..Entity::default()
        };
    };
    let address = f.node("address").and_then(|n| {
        let p = f.path("address");
        let g = Fields::open(r, n, &p, ADDRESS)?;
        Some(Address {
            province: g.text(r, "province"),
            city: g.text(r, "city"),
            county: g.text(r, "county"),
            detail: g.text(r, "detail"),
            ptr: p,
        })
    });
    Entity {
        nature: f.enumerated(r, "nature", Nature::parse, &Nature::spellings()),
        name: f.name(r, "name"),
        cert_type: f.enumerated(r, "cert_type", CertType::parse, &CertType::spellings()),
        cert_type_name: f.text(r, "cert_type_name"),
        cert_number: f.text(r, "cert_number"),
        cert_address: f.text(r, "cert_address"),
        address,
        investor: f.text(r, "investor"),
        legal_rep: sub_person(r, &f, "legal_rep"),
        principal: sub_person(r, &f, "principal"),
        business_scope: f.text(r, "business_scope"),
        registration_authority: f.text(r, "registration_authority"),
        sole_trader: f.bool(r, "sole_trader"),
        trade_name: f.bool(r, "trade_name"),
        has_seal: f.bool(r, "has_seal"),
        registry_status: f.enumerated(
            r,
            "registry_status",
            RegistryStatus::parse,
            &RegistryStatus::spellings(),
        ),
        icp_number: f.text(r, "icp_number"),
        remark: f.text(r, "remark"),
        existing_services: f.list(r, "existing_services", |r, n, p| {
            let g = Fields::open(r, n, &p, EXISTING)?;
            Some(ExistingService {
                name: g.text(r, "name"),
                domains: g.list(r, "domains", |r, n, p| {
                    Some(Located {
                        value: r.text_node(n, &p)?,
                        ptr: p,
                    })
                }),
                icp_number: g.text(r, "icp_number"),
                ptr: p,
            })
        }),
        ptr: ptr.to_string(),
    }
}

fn document(r: &mut Reader, vocab: &Vocabulary, node: &Node, ptr: String) -> Option<DocumentItem> {
    let spellings = Vocabulary::spellings(&vocab.document_kinds);
    let kind_of = |r: &mut Reader, text: String, p: &str| {
        let id = Vocabulary::lookup(&vocab.document_kinds, &text);
        if id.is_none() {
            r.unknown_value(p, &text, &spellings);
        }
        id
    };
    if node.scalar().is_some() {
        let text = r.text_node(node, &ptr)?;
        let kind = kind_of(r, text, &ptr)?;
        return Some(DocumentItem {
            ptr,
            kind,
            ..DocumentItem::default()
        });
    }
    let f = Fields::open(r, node, &ptr, DOCUMENT)?;
    let kind_text = f.text(r, "kind");
    let kind = match kind_text {
        Some(t) => kind_of(r, t, &f.path("kind"))?,
        None => {
            r.required(&f.path("kind"), Text::new("文件类型", "the document kind"));
            return None;
        }
    };
    Some(DocumentItem {
        kind,
        signed: f.date(r, "signed"),
        valid_until: f.date(r, "valid_until"),
        file: f.text(r, "file"),
        for_ptr: f.text(r, "for"),
        issuer: f.text(r, "issuer"),
        ptr,
    })
}

/// Reads the application from its tree. `Err` carries an unsupported `version`.
pub(crate) fn read(root: &Node, vocab: &Vocabulary, r: &mut Reader) -> Result<Application, Located> {
    let Some(f) = Fields::open(r, root, "", TOP) else {
        return Ok(Application::default());
    };
    let version = f.text(r, "version");
    if let Some(v) = &version {
        if v.trim() != "1" {
            return Err(Located {
                value: v.clone(),
                ptr: "/version".into(),
            });
        }
    }
    let entity = match f.node("entity") {
        Some(n) => entity(r, n, "/entity"),
        None => Entity {
            ptr: "/entity".into(),
            ..Entity::default()
        },
    };
    Ok(Application {
        version,
        province: f.text(r, "province"),
        filing_type: f.enumerated(r, "filing_type", FilingType::parse, &FilingType::spellings()),
        date: f.date(r, "date"),
        entity,
        websites: f.list(r, "websites", |r, n, p| {
            service(r, vocab, n, p, ServiceKind::Website)
        }),
        apps: f.list(r, "apps", |r, n, p| service(r, vocab, n, p, ServiceKind::App)),
        access: f.node("access").and_then(|n| {
            let g = Fields::open(r, n, "/access", ACCESS)?;
            Some(Access {
                provider: g.enumerated(r, "provider", Provider::parse, &Provider::spellings()),
                authorization_code: g.text(r, "authorization_code"),
            })
        }),
        documents: f.list(r, "documents", |r, n, p| document(r, vocab, n, p)),
        previous: f.node("previous").and_then(|n| {
            let g = Fields::open(r, n, "/previous", PREVIOUS)?;
            Some(Previous {
                nature: g.enumerated(r, "nature", Nature::parse, &Nature::spellings()),
                name: g.text(r, "name"),
                cert_number: g.text(r, "cert_number"),
                legal_rep: sub_person(r, &g, "legal_rep"),
                principal: sub_person(r, &g, "principal"),
                domains: g.list(r, "domains", |r, n, p| {
                    Some(Located {
                        value: r.text_node(n, &p)?,
                        ptr: p,
                    })
                }),
                icp_number: g.text(r, "icp_number"),
                ptr: "/previous".into(),
            })
        }),
        suppressions: f.list(r, "suppressions", |r, n, p| {
            let g = Fields::open(r, n, &p, SUPPRESSION)?;
            Some(Suppression {
                rule: g.text(r, "rule"),
                path: g.text(r, "path"),
                reason: g.text(r, "reason"),
                ptr: p,
            })
        }),
    })
}
