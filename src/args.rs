//! The command line's arguments (clap definitions) and the error that ends a run with exit code 2.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use std::io;

use crate::date::Date;
use crate::rules::{Catalog, Origin, files::Files, load::load_catalog};
use crate::text::Lang;

#[derive(Debug, Parser)]
#[command(name = "beian", version, about = "Check a Chinese ICP filing application (ICP备案申请) before it is submitted", long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check application files (YAML or JSON) against the national and provincial rules.
    Check(CheckArgs),
    /// Explain a rule: what, why, fields, parameters, sources, confidence, effective date, examples.
    Explain(ExplainArgs),
    /// List the rules that apply in a province (national + provincial, overrides marked).
    Rules(RulesArgs),
    /// List the 31 provinces with their rule sets.
    Provinces(ProvincesArgs),
    /// Who receives the MIIT SMS verification codes for an application, and the deadlines.
    Sms(SmsArgs),
    /// Print the JSON Schema (draft-07) of the application file or of the JSON report.
    Schema(SchemaArgs),
    /// Print a commented template application with the fields a filing type and nature need.
    Init(InitArgs),
    /// Print shell completions.
    Completions(CompletionsArgs),
    /// Print the man page (roff).
    #[command(hide = true)]
    Man,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    #[arg(long, value_name = "P")]
    pub province: Option<String>,
    /// Filing type (id or Chinese term)
    #[arg(long = "type", value_name = "T", default_value = "first_filing")]
    pub filing_type: String,
    /// Entity nature (id or Chinese term)
    #[arg(long, value_name = "N", default_value = "enterprise")]
    pub nature: String,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    Application,
    Report,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    #[arg(value_enum)]
    pub which: SchemaKind,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Junit,
    Github,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    Zh,
    En,
}

/// Flags every subcommand shares.
#[derive(Debug, Args, Clone)]
pub struct CommonArgs {
    /// Language of messages and hints [default: from LC_ALL / LC_MESSAGES / LANG]
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
    /// Load rule sets and data files from DIR (files there replace the embedded ones)
    #[arg(long, value_name = "DIR")]
    pub rules_dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ProvincesArgs {
    /// Show one province in detail: its rule set, sources and what the references leave uncovered
    #[arg(value_name = "PROVINCE")]
    pub province: Option<String>,
    /// Print the coverage table as Markdown (docs/coverage.md)
    #[arg(long)]
    pub markdown: bool,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files, directories (every *.yaml, *.yml, *.json below), or - for standard input
    #[arg(value_name = "PATHS")]
    pub paths: Vec<String>,
    /// The province whose 管局 reviews the application (overrides the file's `province`)
    #[arg(long, value_name = "P")]
    pub province: Option<String>,
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// The day date rules are computed against [default: the file's `date`, else today in Asia/Shanghai]
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub date: Option<Date>,
    /// A phone.dat file that covers mobile ranges the built-in table lacks
    #[arg(long, value_name = "FILE")]
    pub phone_db: Option<PathBuf>,
    /// Warnings fail the verdict too
    #[arg(long)]
    pub strict: bool,
    /// Show ID numbers, phone numbers and e-mail addresses unmasked
    #[arg(long)]
    pub show_pii: bool,
    /// Waive a rule for this run, with the reason: --ignore RULE_ID=REASON (repeatable)
    #[arg(long, value_name = "RULE_ID=REASON", value_parser = clap::value_parser!(crate::suppress::FlagIgnore))]
    pub ignore: Vec<crate::suppress::FlagIgnore>,
    /// Largest input file in bytes
    #[arg(long, value_name = "BYTES", default_value_t = 1024 * 1024)]
    pub max_size: u64,
    /// Human output: only failures and errors
    #[arg(long, short, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Human output: also list passes and reminders
    #[arg(long, short)]
    pub verbose: bool,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A rule id, e.g. national.phone.emergency-differs
    pub rule: String,
    /// Show the rule as this province applies it
    #[arg(long, value_name = "P")]
    pub province: Option<String>,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// The province [default: the national layer only]
    #[arg(long, value_name = "P")]
    pub province: Option<String>,
    /// Run every rule's own examples and report those that do not hold (exit 1), e.g. for a --rules-dir fork
    #[arg(long)]
    pub verify: bool,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct SmsArgs {
    /// An application file, or - for standard input
    pub path: String,
    #[arg(long, value_name = "P")]
    pub province: Option<String>,
    #[arg(long)]
    pub show_pii: bool,
    /// Largest input file in bytes
    #[arg(long, value_name = "BYTES", default_value_t = 1024 * 1024)]
    pub max_size: u64,
    #[command(flatten)]
    pub common: CommonArgs,
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s).ok_or_else(|| format!("`{s}` is not a date YYYY-MM-DD"))
}

/// An error that ends the run with exit code 2 (usage, unreadable rule data).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Rules(#[from] crate::rules::RuleError),
    #[error(transparent)]
    Io(#[from] io::Error),
}

impl CommonArgs {
    pub fn lang(&self) -> Lang {
        match self.lang {
            Some(LangArg::Zh) => Lang::Zh,
            Some(LangArg::En) => Lang::En,
            None => Lang::from_env(),
        }
    }

    /// The catalog with province rule sets parsed on first use (`check`, `sms`).
    pub fn catalog_lazy(&self) -> Result<Catalog, Error> {
        match &self.rules_dir {
            None => Ok(crate::rules::load::load_catalog_lazy(
                &Files::embedded(),
                Origin::Embedded,
            )?),
            Some(_) => self.catalog(),
        }
    }

    pub fn catalog(&self) -> Result<Catalog, Error> {
        match &self.rules_dir {
            None => Ok(load_catalog(&Files::embedded(), Origin::Embedded)?),
            Some(dir) => {
                let files = Files::with_dir(dir).map_err(Error::Usage)?;
                Ok(load_catalog(&files, Origin::Dir(dir.display().to_string()))?)
            }
        }
    }
}
