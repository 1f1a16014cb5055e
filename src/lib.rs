//! beian checks a Chinese ICP filing application (ICP备案申请) before it is submitted.
//!
//! The pipeline, with imports flowing one way (`tools/modcycles.py` proves there is no cycle):
//! [`input`] (bytes → positioned tree) → [`model`] (the typed application, enum aliases) → [`data`] (the
//! tables: provinces, divisions, phone ranges, vocabularies) → [`checks`] (the closed vocabulary of check kinds
//! and the predicate language) → [`rules`] (load and validate rule data from `provinces/` into those checks) →
//! [`engine`] (rules over one application → [`finding`]s, with [`suppress`], [`cross`] and [`sms`]) →
//! [`report`] (one renderer per format) → [`commands`] and [`cli`] (arguments in [`args`], files from [`walk`]).

pub mod args;
pub mod batch;
pub mod checks;
pub mod cli;
pub mod commands;
pub mod coverage;
pub mod cross;
pub mod data;
pub mod date;
pub mod engine;
pub mod finding;
pub mod ids;
pub mod init;
pub mod input;
pub mod model;
pub mod outcome;
pub mod report;
pub mod rules;
pub mod schema;
pub mod sms;
pub mod suppress;
pub mod text;
pub mod verify;
pub mod walk;
