//! The application model: enumerations with their Chinese aliases, the typed application and its required
//! fields.

pub mod app;
pub mod enums;
pub mod normal;
pub mod read;
pub mod required;

pub use app::{Application, Person, Role, Service, ServiceKind, Term, Validity, Vocabulary};
pub use enums::{AppKind, CertType, DocumentKind, FilingType, Nature, Provider, RegistryStatus};
pub use read::{Diagnostic, Located, Reader};

use crate::input::Node;

/// Reads an application and its parser findings (unknown keys, wrong types, unknown values, missing required
/// fields). `Err` is an unsupported `version`.
pub fn build(root: &Node, vocab: &Vocabulary) -> Result<(Application, Vec<Diagnostic>), Located> {
    let mut reader = Reader::default();
    let app = app::read(root, vocab, &mut reader)?;
    required::check(&app, &mut reader);
    let mut diagnostics = reader.diagnostics;
    diagnostics.extend(normal::check_all(&app));
    Ok((app, diagnostics))
}

/// Whether a parsed document is an application: a mapping with `filing_type` or `entity`.
pub fn is_application(doc: &crate::input::Document) -> bool {
    doc.root.get("filing_type").is_some() || doc.root.get("entity").is_some()
}
