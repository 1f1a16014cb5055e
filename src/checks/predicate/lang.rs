//! Predicates in rule data (`check: assert`, rule-level `when:`): the syntax tree, its parser with positions, the
//! static field schema every path is checked against when a rule file loads, and the predicate in words.
//! `checks::predicate` evaluates it over the application.

use crate::input::Span;
use crate::input::node::{Node, NodeKind};
use crate::model::{CertType, DocumentKind, FilingType, Nature};
use crate::text::{Lang, suggest};

/// A predicate as the rule file writes it.
#[derive(Clone, Debug, PartialEq)]
pub enum Pred {
    All(Vec<Pred>),
    Any(Vec<Pred>),
    Not(Box<Pred>),
    If(Box<Pred>, Box<Pred>),
    Quant {
        q: Quant,
        sel: Path,
        bind: Option<String>,
        filter: Option<Box<Pred>>,
        holds: Option<Box<Pred>>,
    },
    /// The elements of one or more lists (each with the same `where` and `distinct`, read on its own type).
    Count {
        parts: Vec<CountPart>,
        cmp: Cmp,
        n: f64,
    },
    HasDocument(Vec<String>),
    Test {
        field: Path,
        op: Op,
    },
}

/// One list a `count` reads.
#[derive(Clone, Debug, PartialEq)]
pub struct CountPart {
    pub sel: Path,
    pub filter: Option<Box<Pred>>,
    pub distinct: Option<Path>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quant {
    Every,
    Some,
    None,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

impl Cmp {
    pub fn holds(self, a: f64, b: f64) -> bool {
        match self {
            Cmp::Lt => a < b,
            Cmp::Le => a <= b,
            Cmp::Gt => a > b,
            Cmp::Ge => a >= b,
            Cmp::Eq => (a - b).abs() < f64::EPSILON,
            Cmp::Ne => (a - b).abs() >= f64::EPSILON,
        }
    }

    fn key(self) -> &'static str {
        match self {
            Cmp::Lt => "lt",
            Cmp::Le => "le",
            Cmp::Gt => "gt",
            Cmp::Ge => "ge",
            Cmp::Eq => "eq",
            Cmp::Ne => "ne",
        }
    }

    fn words(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Cmp::Lt, Lang::Zh) => "小于",
            (Cmp::Le, Lang::Zh) => "不超过",
            (Cmp::Gt, Lang::Zh) => "大于",
            (Cmp::Ge, Lang::Zh) => "至少为",
            (Cmp::Eq, Lang::Zh) => "等于",
            (Cmp::Ne, Lang::Zh) => "不等于",
            (Cmp::Lt, Lang::En) => "is less than",
            (Cmp::Le, Lang::En) => "is at most",
            (Cmp::Gt, Lang::En) => "is more than",
            (Cmp::Ge, Lang::En) => "is at least",
            (Cmp::Eq, Lang::En) => "is",
            (Cmp::Ne, Lang::En) => "is not",
        }
    }

    const ALL: [Cmp; 6] = [Cmp::Lt, Cmp::Le, Cmp::Gt, Cmp::Ge, Cmp::Eq, Cmp::Ne];
}

/// A test's operator and argument.
#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    Present(bool),
    Is(bool),
    Eq(String),
    Ne(String),
    In(Vec<String>),
    NotIn(Vec<String>),
    Num(Cmp, f64),
    EqField(Path, String),
    NeField(Path, String),
    SamePerson(Path),
    LegalRep(bool),
    ContainsAny(Words),
    ContainsAll(Vec<Words>),
    StartsWith(Words),
    EndsWith(Words),
    OnlyWords(Words),
    ContainsField(Path),
}

/// A word list as written, with each word's comparison key (`name_key`, lower-cased) computed once at load.
#[derive(Clone, Debug, PartialEq)]
pub struct Words {
    pub raw: Vec<String>,
    pub keys: Vec<String>,
}

impl Words {
    pub fn new(raw: Vec<String>) -> Words {
        let keys = raw
            .iter()
            .map(|w| crate::text::name_key(w).to_lowercase())
            .collect();
        Words { raw, keys }
    }

    /// The written word whose key satisfies `hit`.
    pub fn find(&self, hit: impl Fn(&str) -> bool) -> Option<&String> {
        self.keys
            .iter()
            .position(|k| !k.is_empty() && hit(k))
            .and_then(|i| self.raw.get(i))
    }
}

/// Where a path starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Root {
    App,
    Current,
    Binding(String),
}

/// A dotted path whose every step was checked against the schema.
#[derive(Clone, Debug, PartialEq)]
pub struct Path {
    pub root: Root,
    pub steps: Vec<&'static str>,
    /// As written, for messages and `explain`.
    pub text: String,
    /// The type it leads to.
    pub ty: Ty,
}

/// The types of the schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Base {
    App,
    Entity,
    Person,
    Address,
    Service,
    Domain,
    PreApproval,
    Document,
    Previous,
    Existing,
    Access,
    Platform,
    /// Text and how it compares.
    Text(Norm),
    Date,
    Flag,
    Number,
    /// An enumeration and the closed set its literals are checked against.
    Enum(EnumSet),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Norm {
    Plain,
    Name,
    Id,
    Phone,
    Email,
    Domain,
    /// An address text: has the derived field `province`.
    Address,
    /// A public identifier (a filing number): compared like `Id`, never masked.
    Code,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EnumSet {
    FilingType,
    Nature,
    CertType,
    Sex,
    Role,
    ServiceKind,
    /// `apps[].kind`: app, mini_program, quick_app.
    AppKind,
    DocumentKind,
    /// A vocabulary that rule sets or data extend: literals are not checked.
    Open,
    Province,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ty {
    pub base: Base,
    pub list: bool,
}

const fn one(base: Base) -> Ty {
    Ty { base, list: false }
}

const fn many(base: Base) -> Ty {
    Ty { base, list: true }
}

const TEXT: Ty = one(Base::Text(Norm::Plain));
const NAME: Ty = one(Base::Text(Norm::Name));
const ID: Ty = one(Base::Text(Norm::Id));
const CODE: Ty = one(Base::Text(Norm::Code));
const PHONE: Ty = one(Base::Text(Norm::Phone));
const ADDRESS_TEXT: Ty = one(Base::Text(Norm::Address));
const DATE: Ty = one(Base::Date);
const FLAG: Ty = one(Base::Flag);
const NUMBER: Ty = one(Base::Number);

/// Every field of every type: the closed schema paths are checked against (`checks::predicate::step` reads them).
pub(crate) fn fields(base: Base) -> &'static [(&'static str, Ty)] {
    match base {
        Base::App => {
            const T: &[(&str, Ty)] = &[
                ("province", one(Base::Enum(EnumSet::Province))),
                ("filing_type", one(Base::Enum(EnumSet::FilingType))),
                ("date", DATE),
                ("entity", one(Base::Entity)),
                ("previous", one(Base::Previous)),
                ("access", one(Base::Access)),
                ("websites", many(Base::Service)),
                ("apps", many(Base::Service)),
                ("services", many(Base::Service)),
                ("domains", many(Base::Domain)),
                ("principals", many(Base::Person)),
                ("service_principals", many(Base::Person)),
                ("documents", many(Base::Document)),
                ("pre_approvals", many(Base::PreApproval)),
                ("existing_services", many(Base::Existing)),
                ("existing_domains", many(Base::Text(Norm::Domain))),
                ("content_types", many(Base::Enum(EnumSet::Open))),
            ];
            T
        }
        Base::Entity => {
            const T: &[(&str, Ty)] = &[
                ("nature", one(Base::Enum(EnumSet::Nature))),
                ("name", NAME),
                ("cert_type", one(Base::Enum(EnumSet::CertType))),
                ("cert_type_name", TEXT),
                ("cert_number", ID),
                ("cert_address", ADDRESS_TEXT),
                ("address", one(Base::Address)),
                ("investor", NAME),
                ("legal_rep", one(Base::Person)),
                ("principal", one(Base::Person)),
                ("business_scope", TEXT),
                ("registration_authority", NAME),
                ("sole_trader", FLAG),
                ("trade_name", FLAG),
                ("has_seal", FLAG),
                ("registry_status", one(Base::Enum(EnumSet::Open))),
                ("icp_number", CODE),
                ("remark", TEXT),
                ("existing_services", many(Base::Existing)),
                ("unit", FLAG),
            ];
            T
        }
        Base::Person => {
            const T: &[(&str, Ty)] = &[
                ("name", NAME),
                ("cert_type", one(Base::Enum(EnumSet::CertType))),
                ("cert_number", ID),
                ("cert_valid_until", DATE),
                ("cert_address", ADDRESS_TEXT),
                ("mobile", PHONE),
                ("emergency_phone", PHONE),
                ("office_phone", PHONE),
                ("email", one(Base::Text(Norm::Email))),
                ("student", FLAG),
                ("age", NUMBER),
                ("sex", one(Base::Enum(EnumSet::Sex))),
                ("id_province", one(Base::Enum(EnumSet::Province))),
                ("role", one(Base::Enum(EnumSet::Role))),
                ("long_term", FLAG),
            ];
            T
        }
        Base::Address => {
            const T: &[(&str, Ty)] = &[
                ("province", ADDRESS_TEXT),
                ("city", ADDRESS_TEXT),
                ("county", ADDRESS_TEXT),
                ("detail", ADDRESS_TEXT),
            ];
            T
        }
        Base::Service => {
            const T: &[(&str, Ty)] = &[
                ("kind", one(Base::Enum(EnumSet::ServiceKind))),
                ("app_kind", one(Base::Enum(EnumSet::AppKind))),
                ("name", NAME),
                ("domains", many(Base::Domain)),
                ("homepage", TEXT),
                ("content_types", many(Base::Enum(EnumSet::Open))),
                ("languages", many(Base::Enum(EnumSet::Open))),
                ("ips", many(Base::Text(Norm::Plain))),
                ("pre_approvals", many(Base::PreApproval)),
                ("principal", one(Base::Person)),
                ("icp_number", CODE),
                ("remark", TEXT),
                ("platforms", many(Base::Platform)),
            ];
            T
        }
        Base::Domain => {
            const T: &[(&str, Ty)] = &[
                ("name", one(Base::Text(Norm::Domain))),
                ("registrant", NAME),
                ("expires", DATE),
                ("registrar", NAME),
                ("suffix", one(Base::Text(Norm::Domain))),
                ("tld", one(Base::Text(Norm::Domain))),
                ("cctld", FLAG),
                ("registrable", one(Base::Text(Norm::Domain))),
                ("prefix", NAME),
            ];
            T
        }
        Base::PreApproval => {
            const T: &[(&str, Ty)] = &[
                ("type", one(Base::Enum(EnumSet::Open))),
                ("number", CODE),
                ("issuer", NAME),
                ("valid_until", DATE),
            ];
            T
        }
        Base::Document => {
            const T: &[(&str, Ty)] = &[
                ("kind", one(Base::Enum(EnumSet::DocumentKind))),
                ("signed", DATE),
                ("valid_until", DATE),
                ("issuer", NAME),
                ("file", TEXT),
                ("for", TEXT),
            ];
            T
        }
        Base::Previous => {
            const T: &[(&str, Ty)] = &[
                ("nature", one(Base::Enum(EnumSet::Nature))),
                ("name", NAME),
                ("cert_number", ID),
                ("legal_rep", one(Base::Person)),
                ("principal", one(Base::Person)),
                ("domains", many(Base::Text(Norm::Domain))),
                ("icp_number", CODE),
            ];
            T
        }
        Base::Existing => {
            const T: &[(&str, Ty)] = &[
                ("name", NAME),
                ("domains", many(Base::Text(Norm::Domain))),
                ("icp_number", CODE),
            ];
            T
        }
        Base::Access => {
            const T: &[(&str, Ty)] = &[
                ("provider", one(Base::Enum(EnumSet::Open))),
                ("authorization_code", CODE),
            ];
            T
        }
        Base::Platform => {
            const T: &[(&str, Ty)] = &[
                ("platform", one(Base::Enum(EnumSet::Open))),
                ("package", TEXT),
                ("public_key", TEXT),
                ("sig_md5", TEXT),
            ];
            T
        }
        Base::Date => {
            const T: &[(&str, Ty)] = &[
                ("days_left", NUMBER),
                ("months_left", NUMBER),
                ("days_ago", NUMBER),
                ("months_ago", NUMBER),
                ("working_days_ago", NUMBER),
            ];
            T
        }
        Base::Text(Norm::Address) => {
            const T: &[(&str, Ty)] = &[
                ("chars", NUMBER),
                ("province", one(Base::Enum(EnumSet::Province))),
            ];
            T
        }
        Base::Text(Norm::Domain) => {
            const T: &[(&str, Ty)] = &[
                ("chars", NUMBER),
                ("suffix", one(Base::Text(Norm::Domain))),
                ("tld", one(Base::Text(Norm::Domain))),
                ("cctld", FLAG),
                ("registrable", one(Base::Text(Norm::Domain))),
                ("prefix", NAME),
            ];
            T
        }
        Base::Text(Norm::Phone) => {
            const T: &[(&str, Ty)] = &[
                ("chars", NUMBER),
                ("province", one(Base::Enum(EnumSet::Province))),
            ];
            T
        }
        Base::Text(_) => {
            const T: &[(&str, Ty)] = &[("chars", NUMBER)];
            T
        }
        Base::Flag | Base::Number => &[],
        Base::Enum(_) => &[],
    }
}

/// A predicate error at a place in the rule file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PredError {
    pub span: Span,
    pub message: String,
}

fn err<T>(span: Span, message: impl Into<String>) -> Result<T, PredError> {
    Err(PredError {
        span,
        message: message.into(),
    })
}

fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    let near = suggest(word, candidates);
    if near.is_empty() {
        String::new()
    } else {
        format!("; did you mean `{}`?", near.join("`, `"))
    }
}

/// What the parser knows besides the schema: the bindings in scope and the document kinds of the rule set.
struct Scope<'a> {
    /// Innermost last: (binding name, element type).
    stack: Vec<(Option<String>, Ty)>,
    /// Document kinds the rule set adds; `None` = do not check document kinds.
    doc_kinds: Option<&'a [String]>,
}

/// Parses a predicate. `doc_kinds` are the document kinds the rule set adds (national ones are always known);
/// `None` skips checking document kinds (a rule changed per example).
pub(crate) fn parse(node: &Node, doc_kinds: Option<&[String]>) -> Result<Pred, PredError> {
    let mut scope = Scope {
        stack: Vec::new(),
        doc_kinds,
    };
    pred(node, &mut scope)
}

const FORMS: &[&str] = &[
    "all",
    "any",
    "not",
    "if",
    "every",
    "some",
    "none",
    "count",
    "has_document",
    "field",
];

const OPS: &[&str] = &[
    "present",
    "is",
    "eq",
    "ne",
    "in",
    "not_in",
    "lt",
    "le",
    "gt",
    "ge",
    "eq_field",
    "ne_field",
    "same_person",
    "legal_rep",
    "contains_any",
    "contains_all",
    "starts_with",
    "ends_with",
    "only_words",
    "contains_field",
];

fn entries(node: &Node, what: &str) -> Result<Vec<(String, Span, Node)>, PredError> {
    match &node.kind {
        NodeKind::Map(e) => Ok(e
            .iter()
            .map(|e| (e.key.clone(), e.key_span, e.value.clone()))
            .collect()),
        _ => err(node.span, format!("{what} must be a mapping")),
    }
}

fn allowed(map: &[(String, Span, Node)], keys: &[&str], form: &str) -> Result<(), PredError> {
    for (k, span, _) in map {
        if !keys.contains(&k.as_str()) {
            return err(
                *span,
                format!(
                    "`{k}` is not a key of `{form}`{}",
                    did_you_mean(k, keys.iter().copied())
                ),
            );
        }
    }
    Ok(())
}

fn get<'m>(map: &'m [(String, Span, Node)], key: &str) -> Option<&'m Node> {
    map.iter().find(|(k, _, _)| k == key).map(|(_, _, v)| v)
}

fn scalar(node: &Node, what: &str) -> Result<String, PredError> {
    match node.scalar() {
        Some(s) => Ok(s.text.clone()),
        None => err(node.span, format!("{what} must be a single value")),
    }
}

fn boolean(node: &Node) -> Result<bool, PredError> {
    match scalar(node, "this")?.as_str() {
        "true" => Ok(true),
        "false" => Ok(false),
        other => err(node.span, format!("`{other}` is not `true` or `false`")),
    }
}

fn number(node: &Node) -> Result<f64, PredError> {
    let text = scalar(node, "a number")?;
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite())
        .map_or_else(|| err(node.span, format!("`{text}` is not a number")), Ok)
}

fn words(node: &Node) -> Result<Vec<String>, PredError> {
    match &node.kind {
        NodeKind::Seq(items) if !items.is_empty() => items.iter().map(|i| scalar(i, "a word")).collect(),
        NodeKind::Scalar(s) => Ok(vec![s.text.clone()]),
        _ => err(node.span, "expected a list of words"),
    }
}

fn preds(node: &Node, scope: &mut Scope<'_>, form: &str) -> Result<Vec<Pred>, PredError> {
    match &node.kind {
        NodeKind::Seq(items) if !items.is_empty() => items.iter().map(|i| pred(i, scope)).collect(),
        _ => err(node.span, format!("`{form}` takes a list of predicates")),
    }
}

fn pred(node: &Node, scope: &mut Scope<'_>) -> Result<Pred, PredError> {
    let map = entries(node, "a predicate")?;
    if get(&map, "field").is_some() {
        return test(&map, node.span, scope);
    }
    let Some((form, form_span, arg)) = map.iter().find(|(k, _, _)| FORMS.contains(&k.as_str())) else {
        let first = map.first().map_or("", |(k, _, _)| k.as_str());
        let span = map.first().map_or(node.span, |(_, s, _)| *s);
        return err(
            span,
            format!(
                "`{first}` is not a predicate{}",
                did_you_mean(first, FORMS.iter().copied())
            ),
        );
    };
    match form.as_str() {
        "all" | "any" => {
            allowed(&map, &[form.as_str()], form)?;
            let list = preds(arg, scope, form)?;
            Ok(if form == "all" {
                Pred::All(list)
            } else {
                Pred::Any(list)
            })
        }
        "not" => {
            allowed(&map, &["not"], "not")?;
            Ok(Pred::Not(Box::new(pred(arg, scope)?)))
        }
        "if" => {
            allowed(&map, &["if", "then"], "if")?;
            let Some(then) = get(&map, "then") else {
                return err(*form_span, "`if` needs `then`");
            };
            Ok(Pred::If(
                Box::new(pred(arg, scope)?),
                Box::new(pred(then, scope)?),
            ))
        }
        "every" | "some" | "none" => {
            allowed(&map, &[form.as_str(), "as", "where", "holds"], form)?;
            let sel = path(arg, scope)?;
            if !sel.ty.list {
                return err(arg.span, format!("`{}` is not a list", sel.text));
            }
            let bind = get(&map, "as").map(|n| scalar(n, "`as`")).transpose()?;
            scope.stack.push((
                bind.clone(),
                Ty {
                    list: false,
                    ..sel.ty
                },
            ));
            let filter = get(&map, "where").map(|n| pred(n, scope)).transpose();
            let holds = get(&map, "holds").map(|n| pred(n, scope)).transpose();
            scope.stack.pop();
            let (filter, holds) = (filter?, holds?);
            let q = match form.as_str() {
                "every" => Quant::Every,
                "some" => Quant::Some,
                _ => Quant::None,
            };
            if q == Quant::Every && holds.is_none() {
                return err(*form_span, "`every` needs `holds`");
            }
            Ok(Pred::Quant {
                q,
                sel,
                bind,
                filter: filter.map(Box::new),
                holds: holds.map(Box::new),
            })
        }
        "count" => {
            let mut keys = vec!["count", "where", "distinct"];
            keys.extend(Cmp::ALL.iter().map(|c| c.key()));
            allowed(&map, &keys, "count")?;
            let sels: Vec<&Node> = match &arg.kind {
                NodeKind::Seq(items) if !items.is_empty() => items.iter().collect(),
                _ => vec![arg],
            };
            let mut parts = Vec::new();
            for node in sels {
                let sel = path(node, scope)?;
                if !sel.ty.list {
                    return err(node.span, format!("`{}` is not a list", sel.text));
                }
                scope.stack.push((
                    None,
                    Ty {
                        list: false,
                        ..sel.ty
                    },
                ));
                let filter = get(&map, "where").map(|n| pred(n, scope)).transpose();
                let distinct = get(&map, "distinct").map(|n| path(n, scope)).transpose();
                scope.stack.pop();
                parts.push(CountPart {
                    sel,
                    filter: filter?.map(Box::new),
                    distinct: distinct?,
                });
            }
            let cmps: Vec<(Cmp, &Node)> = Cmp::ALL
                .iter()
                .filter_map(|c| get(&map, c.key()).map(|n| (*c, n)))
                .collect();
            let [(cmp, n)] = cmps.as_slice() else {
                return err(*form_span, "`count` needs exactly one of lt, le, gt, ge, eq, ne");
            };
            Ok(Pred::Count {
                parts,
                cmp: *cmp,
                n: number(n)?,
            })
        }
        "has_document" => {
            allowed(&map, &["has_document"], "has_document")?;
            let kinds = words(arg)?;
            for k in &kinds {
                check_literal(EnumSet::DocumentKind, k, arg.span, scope)?;
            }
            Ok(Pred::HasDocument(kinds))
        }
        _ => err(*form_span, format!("`{form}` is not a predicate")),
    }
}

fn test(map: &[(String, Span, Node)], span: Span, scope: &mut Scope<'_>) -> Result<Pred, PredError> {
    let mut keys = vec!["field", "plus"];
    keys.extend(OPS.iter().copied());
    allowed(map, &keys, "a test")?;
    let field_node = get(map, "field").map_or_else(|| err(span, "a test needs `field`"), Ok)?;
    let field = path(field_node, scope)?;
    let ops: Vec<&(String, Span, Node)> = map.iter().filter(|(k, _, _)| OPS.contains(&k.as_str())).collect();
    let [(op, op_span, arg)] = ops.as_slice() else {
        return err(
            span,
            format!("a test needs exactly one operator: {}", OPS.join(", ")),
        );
    };
    if field.ty.list && op != "present" {
        return err(
            field_node.span,
            format!(
                "`{}` is a list: quantify it with every/some/none or count it",
                field.text
            ),
        );
    }
    let base = field.ty.base;
    // Text tests read enumeration values too (a pre-approval type, a content type).
    let is_text = matches!(base, Base::Text(_) | Base::Enum(_));
    let is_enumish = is_text;
    let need = |ok: bool, what: &str| {
        if ok {
            Ok(())
        } else {
            err(*op_span, format!("`{op}` needs {what}; `{}` is not", field.text))
        }
    };
    let plus = get(map, "plus").map(|n| scalar(n, "`plus`")).transpose()?;
    if plus.is_some() && !matches!(op.as_str(), "eq_field" | "ne_field") {
        return err(*op_span, "`plus` goes with eq_field or ne_field");
    }
    let op = match op.as_str() {
        "present" => Op::Present(boolean(arg)?),
        "is" => {
            need(base == Base::Flag, "a flag")?;
            Op::Is(boolean(arg)?)
        }
        "eq" | "ne" => {
            need(is_enumish, "a text or an enumeration")?;
            let v = scalar(arg, "the value")?;
            if let Base::Enum(set) = base {
                check_literal(set, &v, arg.span, scope)?;
            }
            if op == "eq" { Op::Eq(v) } else { Op::Ne(v) }
        }
        "in" | "not_in" => {
            need(is_enumish, "a text or an enumeration")?;
            let list = words(arg)?;
            if let Base::Enum(set) = base {
                for v in &list {
                    check_literal(set, v, arg.span, scope)?;
                }
            }
            if op == "in" { Op::In(list) } else { Op::NotIn(list) }
        }
        "lt" | "le" | "gt" | "ge" => {
            need(base == Base::Number, "a number (age, chars, days_left …)")?;
            let cmp = Cmp::ALL
                .iter()
                .copied()
                .find(|c| c.key() == op)
                .unwrap_or(Cmp::Eq);
            Op::Num(cmp, number(arg)?)
        }
        "eq_field" | "ne_field" => {
            need(is_enumish, "a text or an enumeration")?;
            let other = path(arg, scope)?;
            if other.ty.list {
                return err(arg.span, format!("`{}` is a list", other.text));
            }
            let plus = plus.unwrap_or_default();
            if op == "eq_field" {
                Op::EqField(other, plus)
            } else {
                Op::NeField(other, plus)
            }
        }
        "same_person" => {
            need(base == Base::Person, "a person")?;
            let other = path(arg, scope)?;
            if other.ty != one(Base::Person) {
                return err(arg.span, format!("`{}` is not a person", other.text));
            }
            Op::SamePerson(other)
        }
        "legal_rep" => {
            need(base == Base::Person, "a person")?;
            Op::LegalRep(boolean(arg)?)
        }
        "contains_any" | "starts_with" | "ends_with" | "only_words" => {
            need(is_text, "a text")?;
            let w = Words::new(words(arg)?);
            match op.as_str() {
                "contains_any" => Op::ContainsAny(w),
                "starts_with" => Op::StartsWith(w),
                "ends_with" => Op::EndsWith(w),
                _ => Op::OnlyWords(w),
            }
        }
        "contains_all" => {
            need(is_text, "a text")?;
            let groups = match &arg.kind {
                NodeKind::Seq(items) if !items.is_empty() => items
                    .iter()
                    .map(|i| words(i).map(Words::new))
                    .collect::<Result<Vec<_>, _>>()?,
                _ => return err(arg.span, "`contains_all` takes a list of word lists"),
            };
            Op::ContainsAll(groups)
        }
        "contains_field" => {
            need(is_text, "a text")?;
            let other = path(arg, scope)?;
            if other.ty.list {
                return err(arg.span, format!("`{}` is a list", other.text));
            }
            Op::ContainsField(other)
        }
        other => return err(*op_span, format!("`{other}` is not an operator")),
    };
    Ok(Pred::Test { field, op })
}

fn enum_values(set: EnumSet) -> Vec<&'static str> {
    match set {
        EnumSet::FilingType => FilingType::ALL.iter().map(|v| v.id()).collect(),
        EnumSet::Nature => Nature::ALL.iter().map(|v| v.id()).collect(),
        EnumSet::CertType => CertType::ALL.iter().map(|v| v.id()).collect(),
        EnumSet::Sex => vec!["male", "female"],
        EnumSet::Role => vec!["entity_principal", "service_principal", "legal_rep"],
        EnumSet::ServiceKind => vec!["website", "app"],
        EnumSet::AppKind => crate::model::AppKind::ALL.iter().map(|v| v.id()).collect(),
        EnumSet::DocumentKind => DocumentKind::ALL.iter().map(|v| v.id()).collect(),
        EnumSet::Open | EnumSet::Province => Vec::new(),
    }
}

fn check_literal(set: EnumSet, value: &str, span: Span, scope: &Scope<'_>) -> Result<(), PredError> {
    if matches!(set, EnumSet::Open | EnumSet::Province) {
        return Ok(());
    }
    if set == EnumSet::DocumentKind && scope.doc_kinds.is_none() {
        return Ok(());
    }
    let mut values = enum_values(set);
    if set == EnumSet::DocumentKind {
        values.extend(scope.doc_kinds.unwrap_or_default().iter().map(String::as_str));
    }
    if values.contains(&value) {
        return Ok(());
    }
    err(
        span,
        format!(
            "`{value}` is not a value of this field{}",
            did_you_mean(value, values.iter().copied())
        ),
    )
}

fn path(node: &Node, scope: &Scope<'_>) -> Result<Path, PredError> {
    let text = scalar(node, "a path")?;
    let t = text.trim();
    let (root, rest, mut ty) = if let Some(rest) = t.strip_prefix('$') {
        let (name, rest) = rest.split_once('.').unwrap_or((rest, ""));
        let Some((_, ty)) = scope.stack.iter().rev().find(|(b, _)| b.as_deref() == Some(name)) else {
            let names: Vec<&str> = scope.stack.iter().filter_map(|(b, _)| b.as_deref()).collect();
            return err(
                node.span,
                format!("`${name}` is not bound here{}", did_you_mean(name, names)),
            );
        };
        (Root::Binding(name.to_string()), rest, *ty)
    } else if let Some(rest) = t.strip_prefix('.') {
        let Some((_, ty)) = scope.stack.last() else {
            return err(
                node.span,
                format!("`{t}` reads the current element, but no every/some/none/count is around it"),
            );
        };
        (Root::Current, rest, *ty)
    } else {
        (Root::App, t, one(Base::App))
    };
    let mut steps = Vec::new();
    for name in rest.split('.').filter(|s| !s.is_empty()) {
        if ty.list {
            return err(
                node.span,
                format!("`{t}`: a list cannot be read into (`{name}`); quantify it"),
            );
        }
        let table = fields(ty.base);
        let Some((key, next)) = table.iter().find(|(k, _)| *k == name) else {
            return err(
                node.span,
                format!(
                    "`{name}` is not a field here (in `{t}`){}",
                    did_you_mean(name, table.iter().map(|(k, _)| *k))
                ),
            );
        };
        steps.push(*key);
        ty = *next;
    }
    if root == Root::App && steps.is_empty() {
        return err(node.span, "an empty path");
    }
    Ok(Path {
        root,
        steps,
        text: t.to_string(),
        ty,
    })
}

/// `check: assert`: a predicate that must hold, with alternatives that also satisfy the rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Assert {
    pub that: Pred,
    pub unless: Vec<Pred>,
    /// When this holds, a broken rule is reported as a warning (the case the sources treat more leniently).
    pub warn_if: Option<Pred>,
}

impl Assert {
    /// Parses `params` of `check: assert`.
    pub fn parse(params: &Node, doc_kinds: Option<&[String]>) -> Result<Assert, PredError> {
        let map = entries(params, "`params`")?;
        allowed(&map, &["that", "unless", "warn_if"], "assert")?;
        let Some(that) = get(&map, "that") else {
            return err(params.span, "`assert` needs `that`");
        };
        let that = parse(that, doc_kinds)?;
        let unless = match get(&map, "unless") {
            None => Vec::new(),
            Some(n) => match &n.kind {
                NodeKind::Seq(items) => items
                    .iter()
                    .map(|i| parse(i, doc_kinds))
                    .collect::<Result<_, _>>()?,
                _ => vec![parse(n, doc_kinds)?],
            },
        };
        let warn_if = get(&map, "warn_if").map(|n| parse(n, doc_kinds)).transpose()?;
        Ok(Assert {
            that,
            unless,
            warn_if,
        })
    }

    pub fn describe(&self, lang: Lang) -> String {
        let mut s = describe(&self.that, lang);
        for u in &self.unless {
            s.push_str(match lang {
                Lang::Zh => "；或者：",
                Lang::En => "; or else: ",
            });
            s.push_str(&describe(u, lang));
        }
        if let Some(w) = &self.warn_if {
            s.push_str(match lang {
                Lang::Zh => "；以下情况仅警告：",
                Lang::En => "; only a warning when ",
            });
            s.push_str(&describe(w, lang));
        }
        s
    }
}

impl<'de> serde::Deserialize<'de> for Assert {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Assert, D::Error> {
        let value = serde_json::Value::deserialize(d)?;
        let node = crate::input::node::from_json(&value);
        Assert::parse(&node, None).map_err(|e| serde::de::Error::custom(e.message))
    }
}

fn list(items: &[String]) -> String {
    items.join("/")
}

/// The predicate in words.
pub(crate) fn describe(p: &Pred, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let join = |ps: &[Pred], sep_zh: &str, sep_en: &str| {
        ps.iter()
            .map(|p| format!("({})", describe(p, lang)))
            .collect::<Vec<_>>()
            .join(if zh { sep_zh } else { sep_en })
    };
    match p {
        Pred::All(ps) => join(ps, " 且 ", " and "),
        Pred::Any(ps) => join(ps, " 或 ", " or "),
        Pred::Not(p) => {
            if zh {
                format!("并非 ({})", describe(p, lang))
            } else {
                format!("not ({})", describe(p, lang))
            }
        }
        Pred::If(a, b) => {
            if zh {
                format!("如果 {}，则 {}", describe(a, lang), describe(b, lang))
            } else {
                format!("if {}, then {}", describe(a, lang), describe(b, lang))
            }
        }
        Pred::Quant {
            q,
            sel,
            filter,
            holds,
            ..
        } => {
            let w = filter
                .as_ref()
                .map(|f| {
                    if zh {
                        format!("（其中 {}）", describe(f, lang))
                    } else {
                        format!(" where {}", describe(f, lang))
                    }
                })
                .unwrap_or_default();
            let h = holds.as_ref().map(|h| describe(h, lang));
            match (q, zh, h) {
                (Quant::Every, true, h) => format!("{}{w} 中每一项：{}", sel.text, h.unwrap_or_default()),
                (Quant::Every, false, h) => format!("every {}{w}: {}", sel.text, h.unwrap_or_default()),
                (Quant::Some, true, Some(h)) => format!("{}{w} 中至少一项：{h}", sel.text),
                (Quant::Some, true, None) => format!("存在 {}{w}", sel.text),
                (Quant::Some, false, Some(h)) => format!("some {}{w}: {h}", sel.text),
                (Quant::Some, false, None) => format!("there is one of {}{w}", sel.text),
                (Quant::None, true, Some(h)) => format!("{}{w} 中没有一项：{h}", sel.text),
                (Quant::None, true, None) => format!("没有 {}{w}", sel.text),
                (Quant::None, false, Some(h)) => format!("no {}{w}: {h}", sel.text),
                (Quant::None, false, None) => format!("there is no {}{w}", sel.text),
            }
        }
        Pred::Count { parts, cmp, n } => {
            let first = parts.first();
            let w = first
                .and_then(|p| p.filter.as_ref())
                .map(|f| {
                    if zh {
                        format!("（其中 {}）", describe(f, lang))
                    } else {
                        format!(" where {}", describe(f, lang))
                    }
                })
                .unwrap_or_default();
            let d = first
                .and_then(|p| p.distinct.as_ref())
                .map(|d| {
                    if zh {
                        format!("按 {} 去重", d.text)
                    } else {
                        format!(" (distinct {})", d.text)
                    }
                })
                .unwrap_or_default();
            let sels: Vec<&str> = parts.iter().map(|p| p.sel.text.as_str()).collect();
            if zh {
                format!("{}{w}{d} 的数量{}{n}", sels.join(" 与 "), cmp.words(lang))
            } else {
                format!(
                    "the number of {}{w}{d} {} {n}",
                    sels.join(" and "),
                    cmp.words(lang)
                )
            }
        }
        Pred::HasDocument(kinds) => {
            if zh {
                format!("备案材料中有 {}", list(kinds))
            } else {
                format!("the documents include {}", list(kinds))
            }
        }
        Pred::Test { field, op } => describe_test(&field.text, op, lang),
    }
}

fn describe_test(f: &str, op: &Op, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let pick = |a: String, b: String| if zh { a } else { b };
    match op {
        Op::Present(true) => pick(format!("{f} 已填写"), format!("{f} is filled in")),
        Op::Present(false) => pick(format!("{f} 未填写"), format!("{f} is not filled in")),
        Op::Is(v) => pick(format!("{f} 为 {v}"), format!("{f} is {v}")),
        Op::Eq(v) => pick(format!("{f} 等于 {v}"), format!("{f} is {v}")),
        Op::Ne(v) => pick(format!("{f} 不等于 {v}"), format!("{f} is not {v}")),
        Op::In(v) => pick(
            format!("{f} 是 {} 之一", list(v)),
            format!("{f} is one of {}", list(v)),
        ),
        Op::NotIn(v) => pick(
            format!("{f} 不是 {} 之一", list(v)),
            format!("{f} is none of {}", list(v)),
        ),
        Op::Num(c, n) => format!("{f} {} {n}", c.words(lang)),
        Op::EqField(o, plus) => pick(
            format!("{f} 等于 {}{plus}", o.text),
            format!("{f} equals {}{plus}", o.text),
        ),
        Op::NeField(o, plus) => pick(
            format!("{f} 不等于 {}{plus}", o.text),
            format!("{f} differs from {}{plus}", o.text),
        ),
        Op::SamePerson(o) => pick(
            format!("{f} 与 {} 是同一人", o.text),
            format!("{f} is the same person as {}", o.text),
        ),
        Op::LegalRep(true) => pick(
            format!("{f} 是法定代表人"),
            format!("{f} is the legal representative"),
        ),
        Op::LegalRep(false) => pick(
            format!("{f} 不是法定代表人"),
            format!("{f} is not the legal representative"),
        ),
        Op::ContainsAny(w) => pick(
            format!("{f} 含有 {} 之一", list(&w.raw)),
            format!("{f} contains one of {}", list(&w.raw)),
        ),
        Op::ContainsAll(groups) => {
            let g: Vec<String> = groups.iter().map(|g| list(&g.raw)).collect();
            pick(
                format!("{f} 含有以下每组中的一个词：{}", g.join("；")),
                format!("{f} contains a word of each of: {}", g.join("; ")),
            )
        }
        Op::StartsWith(w) => pick(
            format!("{f} 以 {} 之一开头", list(&w.raw)),
            format!("{f} starts with one of {}", list(&w.raw)),
        ),
        Op::EndsWith(w) => pick(
            format!("{f} 以 {} 之一结尾", list(&w.raw)),
            format!("{f} ends with one of {}", list(&w.raw)),
        ),
        Op::OnlyWords(w) => pick(
            format!("{f} 只由 {} 组成", list(&w.raw)),
            format!("{f} consists only of {}", list(&w.raw)),
        ),
        Op::ContainsField(o) => pick(
            format!("{f} 含有 {} 的值", o.text),
            format!("{f} contains the value of {}", o.text),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    fn node(src: &str) -> Node {
        crate::rules::load::data_tree("t.yaml", src, false)
            .unwrap_or_else(|_| Node::new(NodeKind::Seq(Vec::new()), Span::START))
    }

    fn parse_err(src: &str) -> String {
        parse(&node(src), Some(&[]))
            .err()
            .map(|e| e.message)
            .unwrap_or_default()
    }

    #[test]
    fn parses_every_form() {
        let cases = [
            "{all: [{field: filing_type, eq: new_access}, {not: {has_document: rename_letter}}]}",
            "{any: [{field: entity.sole_trader, is: true}, {field: entity.name, contains_any: [个体]}]}",
            "{if: {field: entity.unit, is: true}, then: {field: entity.remark, present: true}}",
            "{every: service_principals, holds: {not: {field: ., same_person: entity.principal}}}",
            "{none: domains, holds: {field: .tld, in: [org]}}",
            "{some: documents, where: {field: .kind, eq: rename_letter}, holds: {field: .signed.days_ago, le: 30}}",
            "{count: domains, distinct: .name, gt: 1}",
            "{count: [domains, existing_domains], distinct: .registrable, gt: 5}",
            "{every: websites, as: site, holds: {every: .domains, holds: {field: .registrant, eq_field: $site.principal.name}}}",
            "{field: entity.principal.age, ge: 18}",
            "{field: entity.cert_address.province, eq: tianjin}",
            "{field: entity.remark, contains_all: [[承诺], [个人, 非经营]]}",
            "{field: entity.name, eq_field: entity.legal_rep.name, plus: （个体工商户）}",
        ];
        for c in cases {
            assert!(
                parse(&node(c), Some(&[])).is_ok(),
                "{c}: {:?}",
                parse(&node(c), Some(&[]))
            );
        }
    }

    #[test]
    fn errors_name_the_problem_and_suggest() {
        let table = [
            (
                "{field: entity.princpal.name, present: true}",
                "did you mean `principal`",
            ),
            (
                "{every: websits, holds: {field: .name, present: true}}",
                "did you mean `websites`",
            ),
            ("{field: filing_type, eq: new_acess}", "did you mean `new_access`"),
            ("{alll: []}", "did you mean `all`"),
            ("{field: entity.name, contains: [x]}", "did you mean"),
            ("{field: .name, present: true}", "no every/some/none/count"),
            ("{field: websites, eq: x}", "is a list"),
            ("{field: entity.name, ge: 3}", "needs a number"),
            (
                "{field: entity.name, present: true, is: true}",
                "exactly one operator",
            ),
            ("{has_document: renamed_letter}", "did you mean `rename_letter`"),
            (
                "{every: websites, holds: {field: $s.name, present: true}}",
                "not bound",
            ),
            ("{count: websites, ge: x}", "not a number"),
        ];
        for (src, want) in table {
            let got = parse_err(src);
            assert!(got.contains(want), "{src}: got {got:?}, want {want:?}");
        }
    }

    #[test]
    fn errors_carry_the_position() {
        let n = node("that:\n  every: websites\n  holds: {field: .nme, present: true}\n");
        let e = Assert::parse(&n, Some(&[])).err();
        assert_eq!(e.map(|e| e.span.line), Some(3));
    }

    #[test]
    fn describes_in_both_languages() {
        let p = parse(
            &node("{every: service_principals, holds: {not: {field: ., same_person: entity.principal}}}"),
            None,
        );
        let p = p.unwrap_or(Pred::All(Vec::new()));
        assert_eq!(
            describe(&p, Lang::En),
            "every service_principals: not (. is the same person as entity.principal)"
        );
        assert!(describe(&p, Lang::Zh).contains("是同一人"));
    }

    #[test]
    fn schema_has_no_duplicate_fields() {
        use std::collections::BTreeSet;
        let bases = [
            Base::App,
            Base::Entity,
            Base::Person,
            Base::Address,
            Base::Service,
            Base::Domain,
            Base::PreApproval,
            Base::Document,
            Base::Previous,
            Base::Existing,
            Base::Access,
            Base::Platform,
            Base::Date,
            Base::Text(Norm::Address),
        ];
        for b in bases {
            let names: BTreeSet<&str> = fields(b).iter().map(|(k, _)| *k).collect();
            assert_eq!(names.len(), fields(b).len(), "{b:?}");
        }
    }
}
