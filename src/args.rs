//! The command line's arguments (clap definitions) and the error that ends a run with exit code 2.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use std::io;

use crate::date::Date;
use crate::rules::{Catalog, Origin, files::Files, load::load_catalog};
use crate::text::Lang;

#[derive(Debug, Parser)]
#[command(
    name = "beian",
    version,
    about = "Check a Chinese ICP filing application (ICP备案申请) before it is submitted",
    long_about = None,
    after_help = "The manual: `beian man | man -l -`. Each rule's page: docs/rules/ in the repository, or `beian explain RULE_ID`."
)]
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
    /// Convert between the application format and the filing APIs' request bodies (WeChat, Douyin).
    Convert(ConvertArgs),
    /// Print a commented template application with the fields a filing type and nature need.
    Init(InitArgs),
    /// Print shell completions.
    Completions(CompletionsArgs),
    /// Print the manual page (roff): `beian man | man -l -`
    Man,
}

#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// An application or an API request body (YAML or JSON), or - for standard input
    #[arg(required_unless_present = "map")]
    pub path: Option<String>,
    /// What to write: beian (an application, YAML, for editing), or an API's request body (JSON): wechat
    /// (applyIcpFiling), douyin (submit_record_info)
    #[arg(long, value_name = "FORMAT", required_unless_present = "map")]
    pub to: Option<String>,
    /// Print the field map of an API (wechat, douyin) as Markdown instead: which body field is which field
    /// of the application
    #[arg(long, value_name = "API", conflicts_with_all = ["path", "to"])]
    pub map: Option<String>,
    /// How to read the file: auto (an API request body is recognised by its keys), beian, wechat, douyin
    #[arg(long, value_name = "FORMAT", default_value = "auto")]
    pub input_format: String,
    /// Largest input file: bytes, or with a unit (512KiB, 2MiB, 1MB)
    #[arg(long, value_name = "SIZE", default_value = "1MiB", value_parser = parse_size)]
    pub max_size: u64,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The province (name, id, code or abbreviation): adds the fields and documents its rules ask for
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
    /// The shell to print completions for
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
    /// Which schema: the application file or the JSON report
    #[arg(value_enum)]
    pub which: SchemaKind,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Human,
    Json,
    Sarif,
    Junit,
    Github,
}

/// `--format` of the listing commands (`rules`, `provinces`, `sms`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Human,
    Json,
}

/// `--color`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// When writing to a terminal, and NO_COLOR is not set
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    /// A failing finding fails the verdict (the default)
    Fail,
    /// A warning fails it too
    Warn,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
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
    #[arg(long, conflicts_with = "format")]
    pub markdown: bool,
    /// Output format
    #[arg(long, value_enum, default_value = "human")]
    pub format: ListFormat,
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
    /// Replace an API code table (data/apis.yaml, e.g. wechat.certificate_types) with the response its query API
    /// returned (JSON, saved as received); codes outside a table given this way fail instead of warning
    #[arg(long = "api-table", value_name = "TABLE=FILE")]
    pub api_tables: Vec<String>,
    /// How to read the files: auto (an API request body is recognised by its keys), beian (the application
    /// format), or an API's body: wechat (applyIcpFiling / submitAuthAndIcp), douyin (submit_record_info)
    /// [default: auto, or the configuration file's]
    #[arg(long, value_name = "FORMAT")]
    pub input_format: Option<String>,
    /// Output format [default: human, or the configuration file's]
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write the report to FILE instead of standard output
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output_file: Option<PathBuf>,
    /// When to colour human output
    #[arg(long, value_enum, value_name = "WHEN", default_value = "auto")]
    pub color: ColorWhen,
    /// Read settings from this configuration file instead of looking for beian.toml / .beian.toml upward
    #[arg(long, value_name = "PATH", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Ignore any configuration file
    #[arg(long)]
    pub no_config: bool,
    /// The day date rules are computed against [default: the file's `date`, else today in Asia/Shanghai]
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub date: Option<Date>,
    /// A phone.dat file that covers mobile ranges the built-in table lacks
    #[arg(long, value_name = "FILE")]
    pub phone_db: Option<PathBuf>,
    /// The least severe finding that fails the verdict
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,
    /// Warnings fail the verdict too (the same as --fail-on warn)
    #[arg(long)]
    pub strict: bool,
    /// The least severe findings to show, in every format [default: warn]
    #[arg(long, value_enum, value_name = "LEVEL", conflicts_with_all = ["quiet", "verbose"])]
    pub level: Option<crate::report::Level>,
    /// Show ID numbers, phone numbers and e-mail addresses unmasked
    #[arg(long)]
    pub show_pii: bool,
    /// Waive a rule for this run, with the reason: --ignore RULE_ID=REASON (repeatable)
    #[arg(long, value_name = "RULE_ID=REASON", value_parser = clap::value_parser!(crate::suppress::FlagIgnore))]
    pub ignore: Vec<crate::suppress::FlagIgnore>,
    /// Largest input file: bytes, or with a unit (512KiB, 2MiB, 1MB) [default: 1MiB]
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_size: Option<u64>,
    /// After the report, count the findings shown per rule and status (most frequent first; on stderr with a
    /// machine format)
    #[arg(long)]
    pub statistics: bool,
    /// The name standard input is reported under; its extension picks the parser (.json: strict JSON)
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,
    /// Show only failures and errors, in every format (--level fail; no per-file lines in human output)
    #[arg(long, short, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also show reminders, passes and each waiver's reason, in every format (--level pass)
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
    /// Also the rules of an API request body (wechat, douyin)
    #[arg(long, value_name = "API")]
    pub api: Option<String>,
    /// Run every rule's own examples and report those that do not hold (exit 1), e.g. for a --rules-dir fork
    #[arg(long)]
    pub verify: bool,
    /// Write one Markdown page per rule (what, why, how to fix, sources) into DIR, as in docs/rules/
    #[arg(long, value_name = "DIR", conflicts_with = "verify")]
    pub docs: Option<PathBuf>,
    /// Output format (json: id, rule set, title, severity, confidence, sources, override)
    #[arg(long, value_enum, default_value = "human")]
    pub format: ListFormat,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct SmsArgs {
    /// An application file or an API request body, or - for standard input
    pub path: String,
    /// Output format
    #[arg(long, value_enum, default_value = "human")]
    pub format: ListFormat,
    /// The province whose 管局 reviews the application (overrides the file's `province`)
    #[arg(long, value_name = "P")]
    pub province: Option<String>,
    /// Show phone numbers unmasked
    #[arg(long)]
    pub show_pii: bool,
    /// Largest input file: bytes, or with a unit (512KiB, 2MiB, 1MB)
    #[arg(long, value_name = "SIZE", default_value = "1MiB", value_parser = parse_size)]
    pub max_size: u64,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// A usage error for a value outside a closed list: `--to: unknown format `x` (one of: a, b)`.
pub(crate) fn unknown_choice<'a>(
    flag: &str,
    what: &str,
    value: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> Error {
    let known: Vec<&str> = known.into_iter().collect();
    Error::Usage(format!(
        "{flag}: unknown {what} `{value}` (one of: {})",
        known.join(", ")
    ))
}

/// `--input-format`: `None` for auto, else `beian` or an API id of the data.
pub(crate) fn input_format(catalog: &crate::rules::Catalog, value: &str) -> Result<Option<String>, Error> {
    match value {
        "auto" => Ok(None),
        "beian" => Ok(Some("beian".to_string())),
        id if catalog.data.apis.apis.contains_key(id) => Ok(Some(id.to_string())),
        other => {
            let apis = catalog.data.apis.apis.keys().map(String::as_str);
            Err(unknown_choice(
                "--input-format",
                "format",
                other,
                ["auto", "beian"].into_iter().chain(apis),
            ))
        }
    }
}

/// `1048576`, `1MiB`, `512 KiB`, `2MB`, `1.5MiB`: bytes (B, KB/MB/GB are powers of ten, KiB/MiB/GiB of two).
pub(crate) fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1_000,
        "kib" => 1 << 10,
        "m" | "mb" => 1_000_000,
        "mib" => 1 << 20,
        "g" | "gb" => 1_000_000_000,
        "gib" => 1 << 30,
        _ => return Err(format!("`{s}` is not a size (e.g. 1048576, 512KiB, 2MiB)")),
    };
    if let Ok(n) = num.parse::<u64>() {
        return n.checked_mul(factor).ok_or_else(|| format!("`{s}` is too large"));
    }
    match num.parse::<f64>() {
        Ok(x) if x.is_finite() && x >= 0.0 => {
            let bytes = x * factor as f64;
            if bytes >= u64::MAX as f64 {
                Err(format!("`{s}` is too large"))
            } else {
                Ok(bytes.round() as u64)
            }
        }
        _ => Err(format!("`{s}` is not a size (e.g. 1048576, 512KiB, 2MiB)")),
    }
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

impl CheckArgs {
    /// Whether warnings fail the verdict: `--strict` or `--fail-on warn`; `None` when neither flag is given.
    pub fn strict(&self) -> Option<bool> {
        match (self.strict, self.fail_on) {
            (true, _) | (_, Some(FailOn::Warn)) => Some(true),
            (false, Some(FailOn::Fail)) => Some(false),
            (false, None) => None,
        }
    }

    /// The findings shown: `--level`, else `--quiet`/`--verbose`; `None` when none is given.
    pub fn level(&self) -> Option<crate::report::Level> {
        use crate::report::Level;
        match (self.level, self.quiet, self.verbose) {
            (Some(l), _, _) => Some(l),
            (None, true, _) => Some(Level::Fail),
            (None, _, true) => Some(Level::Pass),
            _ => None,
        }
    }
}

/// A province named on the command line or in the configuration file; an unknown one is a usage error with the
/// closest spelling.
pub(crate) fn province<'c>(catalog: &'c Catalog, p: &str) -> Result<&'c crate::rules::ProvinceInfo, Error> {
    catalog.data.provinces.resolve(p).ok_or_else(|| {
        let near = crate::text::suggest(p, catalog.data.provinces.spellings());
        let hint = match near.first() {
            Some(n) => format!("; did you mean `{n}`?"),
            None => " (`beian provinces` lists them)".to_string(),
        };
        Error::Usage(format!("unknown province `{p}`{hint}"))
    })
}

/// `--lang`, or the configuration file's, else the environment's.
pub(crate) fn lang_of(arg: Option<LangArg>) -> Lang {
    match arg {
        Some(LangArg::Zh) => Lang::Zh,
        Some(LangArg::En) => Lang::En,
        None => Lang::from_env(),
    }
}

impl CommonArgs {
    pub fn lang(&self) -> Lang {
        lang_of(self.lang)
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
