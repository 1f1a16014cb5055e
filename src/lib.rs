//! beian checks a Chinese ICP filing application (ICP备案申请) before it is submitted.
//!
//! The pipeline: [`input`] (bytes → positioned tree) → [`model`] (the typed application, enum aliases) →
//! [`rules`] (load and validate rule data from `provinces/`) → [`checks`] (the closed vocabulary of check kinds)
//! → [`report`] (one finding model, one renderer per format) → [`cli`].

pub mod batch;
pub mod checks;
pub mod cli;
pub mod commands;
pub mod coverage;
pub mod date;
pub mod engine;
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
