//! Who receives the MIIT SMS codes (`beian sms`; the table is `provinces/data/sms.yaml`): one entry per
//! distinct mobile, in role order.

use serde::Serialize;

use crate::checks::people::Role;
use crate::data::SmsFacts;
use crate::model::Application;
use crate::outcome::{Pii, mask};
use crate::text::{Lang, phone_key};

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RoleRef {
    pub role: &'static str,
    pub path: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Recipient {
    pub mobile: String,
    pub roles: Vec<RoleRef>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Sms {
    pub recipients: Vec<Recipient>,
    /// Principals who should receive a code but have no mobile in the application.
    pub without_mobile: Vec<RoleRef>,
    pub deadline_hours: u32,
    pub max_resends: u32,
    pub max_wrong_attempts: u32,
    /// Reminders for this filing type (emergency numbers never receive codes, new_access uses the number on
    /// record, …).
    pub notes: Vec<String>,
}

fn role_id(r: Role) -> &'static str {
    match r {
        Role::EntityPrincipal => "entity_principal",
        Role::ServicePrincipal => "service_principal",
        Role::LegalRep => "legal_rep",
        Role::Individual => "individual",
    }
}

/// The SMS plan of an application; `None` without a filing type.
pub(crate) fn plan(app: &Application, facts: &SmsFacts, lang: Lang, show_pii: bool) -> Option<Sms> {
    let t = app.filing_type?;
    let roles = facts.recipients.get(t.id()).cloned().unwrap_or_default();
    let mut recipients: Vec<(String, Recipient)> = Vec::new();
    let mut without_mobile = Vec::new();
    for role in roles {
        let people: Vec<_> = match role {
            Role::EntityPrincipal => app.entity.principal.iter().collect(),
            Role::ServicePrincipal => app.services().filter_map(|s| s.principal.as_ref()).collect(),
            Role::LegalRep | Role::Individual => Vec::new(),
        };
        for p in people {
            let entry = RoleRef {
                role: role_id(role),
                path: p.path("mobile"),
            };
            let key = p.mobile.as_deref().map(phone_key).unwrap_or_default();
            if key.is_empty() {
                without_mobile.push(entry);
                continue;
            }
            match recipients.iter_mut().find(|(k, _)| *k == key) {
                Some((_, r)) => r.roles.push(entry),
                None => {
                    let mobile = if show_pii {
                        key.clone()
                    } else {
                        mask(Pii::Number, &key)
                    };
                    recipients.push((
                        key,
                        Recipient {
                            mobile,
                            roles: vec![entry],
                        },
                    ));
                }
            }
        }
    }
    let note = |k: &str| {
        facts.notes.get(k).map(|n| {
            if lang == Lang::Zh {
                n.zh.clone()
            } else {
                n.en.clone()
            }
        })
    };
    let mut notes: Vec<String> = Vec::new();
    if t.id() != "cancel_access" {
        notes.extend(note("always"));
    }
    notes.extend(note(t.id()));
    Some(Sms {
        recipients: recipients.into_iter().map(|(_, r)| r).collect(),
        without_mobile,
        deadline_hours: facts.deadline_hours,
        max_resends: facts.max_resends,
        max_wrong_attempts: facts.max_wrong_attempts,
        notes,
    })
}
