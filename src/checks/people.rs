//! Who is who in an application: principals, the legal representative, and "same person".

use crate::model::{Application, CertType, Nature, Person};
use crate::text::{Text, id_key, name_key};

pub(crate) use crate::model::Role;

/// A person block with its role.
#[derive(Clone, Debug)]
pub(crate) struct PersonRef<'a> {
    pub role: Role,
    pub person: std::borrow::Cow<'a, Person>,
}

/// The entity of an individual filing as a person block at `/entity`.
pub(crate) fn individual(app: &Application) -> Option<Person> {
    (app.entity.nature == Some(Nature::Individual)).then(|| Person {
        ptr: "/entity".into(),
        name: app.entity.name.clone(),
        cert_type: app.entity.cert_type,
        cert_number: app.entity.cert_number.clone(),
        cert_address: app.entity.cert_address.clone(),
        ..Person::default()
    })
}

/// Principals: the entity principal, then every website and APP principal.
pub(crate) fn principals(app: &Application) -> Vec<PersonRef<'_>> {
    let mut out = Vec::new();
    if let Some(p) = &app.entity.principal {
        out.push(PersonRef {
            role: Role::EntityPrincipal,
            person: std::borrow::Cow::Borrowed(p),
        });
    }
    for s in app.services() {
        if let Some(p) = &s.principal {
            out.push(PersonRef {
                role: Role::ServicePrincipal,
                person: std::borrow::Cow::Borrowed(p),
            });
        }
    }
    out
}

/// Every person block in `roles` (all persons when `roles` is empty).
pub(crate) fn persons<'a>(app: &'a Application, roles: &[Role]) -> Vec<PersonRef<'a>> {
    let wants = |r: Role| roles.is_empty() || roles.contains(&r);
    let mut out = Vec::new();
    if wants(Role::Individual) {
        if let Some(p) = individual(app) {
            out.push(PersonRef {
                role: Role::Individual,
                person: std::borrow::Cow::Owned(p),
            });
        }
    }
    if wants(Role::LegalRep) {
        if let Some(p) = &app.entity.legal_rep {
            out.push(PersonRef {
                role: Role::LegalRep,
                person: std::borrow::Cow::Borrowed(p),
            });
        }
    }
    out.extend(principals(app).into_iter().filter(|p| wants(p.role)));
    out
}

/// Same person: equal normalised certificate numbers, or equal names when either number is missing.
pub(crate) fn same_person(a: &Person, b: &Person) -> bool {
    let ((num_a, name_a), (num_b, name_b)) = (person_keys(a), person_keys(b));
    match (num_a, num_b) {
        (Some(x), Some(y)) => x == y,
        _ => matches!((name_a, name_b), (Some(x), Some(y)) if x == y),
    }
}

/// What `same_person` compares: the certificate-number key and the name key, each when not empty.
pub(crate) fn person_keys(p: &Person) -> (Option<String>, Option<String>) {
    let number = p.cert_number.as_deref().map(id_key).filter(|k| !k.is_empty());
    let name = p.name.as_deref().map(name_key).filter(|k| !k.is_empty());
    (number, name)
}

/// Whether a person is the legal representative; `None` when there is none to compare with, or either has
/// neither a certificate number nor a name (nothing tells who they are).
pub(crate) fn is_legal_rep(app: &Application, p: &Person) -> Option<bool> {
    let lr = app.entity.legal_rep.as_ref()?;
    let known = |x: &Person| person_keys(x) != (None, None);
    (known(p) && known(lr)).then(|| same_person(p, lr))
}

/// A short description of a person for messages: role and name.
pub(crate) fn describe(p: &PersonRef<'_>) -> Text {
    let role = p.role.label();
    match &p.person.name {
        Some(n) => Text::new(
            format!("{}{}（{}）", role.zh, n, p.person.ptr),
            format!("{} {} ({})", role.en, n, p.person.ptr),
        ),
        None => Text::new(
            format!("{}（{}）", role.zh, p.person.ptr),
            format!("{} ({})", role.en, p.person.ptr),
        ),
    }
}

/// Certificate types whose 18-digit number carries a birth date.
pub(crate) fn carries_birth_date(t: CertType) -> bool {
    matches!(
        t,
        CertType::IdCard | CertType::TemporaryId | CertType::HkMacaoResidence | CertType::TaiwanResidence
    )
}
