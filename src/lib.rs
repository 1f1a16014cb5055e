//! beian checks a Chinese ICP filing application (ICP备案申请) before it is submitted.
//!
//! The pipeline, with imports flowing one way (`tests/layering.rs` proves there is no cycle):
//! `input` (bytes → positioned tree) → `model` (the typed application, enum aliases) → `data` (the
//! tables: provinces, divisions, phone ranges, vocabularies, the API field maps) → `payload` (an API request body
//! mapped onto the application format, the body's pointers kept) → `checks` (the closed vocabulary of check kinds
//! and the predicate language) → `rules` (load and validate rule data from `provinces/` into those checks) →
//! `engine` (rules over one application → `finding`s, with `suppress`, `cross` and `sms`) →
//! `report` (one renderer per format) → `commands` and `cli` (arguments in `args`, files from `walk`).

mod apispec;
mod args;
mod batch;
mod checks;
mod cli;
mod commands;
mod config;
mod coverage;
mod cross;
mod data;
mod date;
mod engine;
mod finding;
mod ids;
mod init;
mod input;
mod model;
mod outcome;
mod payload;
mod report;
mod rules;
mod schema;
mod sms;
mod suppress;
mod text;
mod verify;
mod walk;

// The public surface: what the `beian` binary, the integration tests and a library user need. Everything else is
// crate-private.
pub use args::{Cli, CommonArgs, Error, ExplainArgs};
pub use checks::Check;
pub use cli::run;
pub use commands::explain_in;
pub use coverage::{markdown as coverage_markdown, rows as coverage_rows};
pub use date::Date;
pub use engine::{Options, check_bytes};
pub use finding::{FileOutcome, FileResult, Finding};
pub use input::node::pointer_tokens;
pub use input::{Limits, load as load_document, yaml};
pub use model::{AppKind, CertType, DocumentKind, FilingType, Nature, Provider, RegistryStatus};
pub use rules::files::Files;
pub use rules::load::{load_catalog, load_catalog_lazy};
pub use rules::{Catalog, Expect, Origin, Rule, RuleSet, Severity};
pub use schema::application as application_schema;
pub use verify::verify;
