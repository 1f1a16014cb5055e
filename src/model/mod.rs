//! The application model: enumerations with their Chinese aliases, the typed application and its required
//! fields.

pub(crate) mod app;
pub(crate) mod enums;
pub(crate) mod normal;
pub(crate) mod read;
pub(crate) mod required;

pub(crate) use app::{Application, Person, Role, Service, ServiceKind, Term, Validity, Vocabulary};
pub use enums::{AppKind, CertType, DocumentKind, FilingType, Nature, Provider, RegistryStatus};
pub(crate) use read::{Diagnostic, Located, Reader};

use crate::input::Node;

/// Reads an application and its parser findings (unknown keys, wrong types, unknown values, missing required
/// fields). `Err` is an unsupported `version`.
pub(crate) fn build(root: &Node, vocab: &Vocabulary) -> Result<(Application, Vec<Diagnostic>), Located> {
    let mut reader = Reader::default();
    let app = app::read(root, vocab, &mut reader)?;
    required::check(&app, &mut reader);
    let mut diagnostics = reader.diagnostics;
    diagnostics.extend(normal::check_all(&app));
    Ok((app, diagnostics))
}

/// Whether a parsed document is an application: a mapping with `filing_type` or `entity`.
pub(crate) fn is_application(doc: &crate::input::Document) -> bool {
    doc.root.get("filing_type").is_some() || doc.root.get("entity").is_some()
}
