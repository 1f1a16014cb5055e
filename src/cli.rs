//! The command line (SPEC §2): argument definitions and the subcommands.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::date::Date;
use crate::engine::{self, FileOutcome, FileResult, Options};
use crate::input::Limits;
use crate::report::{self, Summary, human::HumanOptions};
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

/// One input to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// The name reports show (`/` separators; `-` for stdin).
    pub name: String,
    pub path: Option<PathBuf>,
    /// Found by walking a directory: skipped when it is not an application.
    pub discovered: bool,
}

fn walk(dir: &Path, shown: &str, out: &mut Vec<InputFile>) -> io::Result<()> {
    let mut entries: Vec<(String, PathBuf)> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .filter(|(n, _)| !n.starts_with('.'))
        .collect();
    entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    for (name, path) in entries {
        let shown_child = format!("{}/{name}", shown.trim_end_matches('/'));
        if path.is_dir() {
            walk(&path, &shown_child, out)?;
        } else if [".yaml", ".yml", ".json"].iter().any(|e| name.ends_with(e)) {
            out.push(InputFile {
                name: shown_child,
                path: Some(path),
                discovered: true,
            });
        }
    }
    Ok(())
}

/// Expands arguments into files: directories are walked, a file named twice is checked once.
pub fn collect(paths: &[String]) -> Vec<Result<InputFile, (String, io::Error)>> {
    let mut out: Vec<Result<InputFile, (String, io::Error)>> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for p in paths {
        if p == "-" {
            if seen.insert(PathBuf::from("-")) {
                out.push(Ok(InputFile {
                    name: "-".into(),
                    path: None,
                    discovered: false,
                }));
            }
            continue;
        }
        let path = PathBuf::from(p);
        let shown = p.replace('\\', "/");
        if path.is_dir() {
            let mut found = Vec::new();
            if let Err(e) = walk(&path, &shown, &mut found) {
                out.push(Err((shown, e)));
            }
            for f in found {
                let key = f
                    .path
                    .as_ref()
                    .and_then(|p| p.canonicalize().ok())
                    .unwrap_or_else(|| PathBuf::from(&f.name));
                if seen.insert(key) {
                    out.push(Ok(f));
                }
            }
        } else {
            let key = path.canonicalize().unwrap_or_else(|_| path.clone());
            if seen.insert(key) {
                out.push(Ok(InputFile {
                    name: shown,
                    path: Some(path),
                    discovered: false,
                }));
            }
        }
    }
    out
}

fn io_failure(file: &str, e: &io::Error, lang: Lang) -> FileResult {
    let message = match lang {
        Lang::Zh => format!("无法读取：{e}"),
        Lang::En => format!("cannot read: {e}"),
    };
    FileResult {
        file: file.to_string(),
        outcome: FileOutcome::Error(engine::Failure {
            kind: crate::input::ErrorKind::Io,
            message,
            line: 1,
            column: 1,
            province: None,
        }),
    }
}

/// Reads stdin or a file, refusing more than `limit` bytes without reading them all.
fn read_input(f: &InputFile, limit: u64) -> io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    match &f.path {
        None => {
            io::stdin().lock().take(limit + 1).read_to_end(&mut buf)?;
        }
        Some(p) => {
            std::fs::File::open(p)?.take(limit + 1).read_to_end(&mut buf)?;
        }
    }
    Ok(buf)
}

/// One input, read: its bytes, or why it could not be read.
enum Loaded {
    Bytes(InputFile, Vec<u8>),
    Path(InputFile),
    Failed(FileResult),
}

/// `beian check`: returns the exit code. Files are indexed for the cross-file checks, then checked in parallel;
/// results are written in input order as they finish.
pub fn check(args: &CheckArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<u8, Error> {
    if args.paths.is_empty() {
        return Err(Error::Usage(
            "no paths given: name files or directories to check, or - for standard input".into(),
        ));
    }
    let lang = args.common.lang();
    let mut catalog = args.common.catalog_lazy()?;
    if let Some(db) = &args.phone_db {
        let bytes = std::fs::read(db).map_err(|e| Error::Usage(format!("{}: {e}", db.display())))?;
        let provinces = catalog.data.provinces.clone();
        catalog
            .data
            .mobile
            .add_phone_dat(&bytes, &|name| provinces.resolve(name).map(|p| p.code.clone()))
            .map_err(|e| Error::Usage(format!("{}: not a phone.dat file: {e}", db.display())))?;
    }
    let opts = Options {
        lang,
        show_pii: args.show_pii,
        date: args.date,
        province: args.province.clone(),
        strict: args.strict,
        limits: Limits {
            max_size: args.max_size,
            ..Limits::default()
        },
        today: None,
        ignore: args.ignore.clone(),
    };
    // Inputs are read by the workers, so memory does not grow with the number of files; standard input is read
    // here, once.
    let mut inputs = Vec::new();
    for item in collect(&args.paths) {
        match item {
            Err((name, e)) => inputs.push(Loaded::Failed(io_failure(&name, &e, lang))),
            Ok(f) if f.path.is_none() => match read_input(&f, opts.limits.max_size) {
                Ok(bytes) => inputs.push(Loaded::Bytes(f, bytes)),
                Err(e) => inputs.push(Loaded::Failed(io_failure(&f.name, &e, lang))),
            },
            Ok(f) => inputs.push(Loaded::Path(f)),
        }
    }
    let names: Vec<String> = inputs
        .iter()
        .map(|l| match l {
            Loaded::Bytes(f, _) | Loaded::Path(f) => f.name.clone(),
            Loaded::Failed(r) => r.file.clone(),
        })
        .collect();
    // Bytes of input i, or the failure to read it; `None` for a discovered file that is not an application.
    let discovered = |i: usize| matches!(inputs.get(i), Some(Loaded::Path(f)) if f.discovered);
    let bytes_of = |i: usize| -> Option<Result<std::borrow::Cow<'_, [u8]>, FileResult>> {
        match inputs.get(i)? {
            Loaded::Bytes(_, b) => Some(Ok(std::borrow::Cow::Borrowed(b.as_slice()))),
            Loaded::Failed(r) => Some(Err(r.clone())),
            Loaded::Path(f) => match read_input(f, opts.limits.max_size) {
                Err(e) => Some(Err(io_failure(&f.name, &e, lang))),
                Ok(b) => Some(Ok(std::borrow::Cow::Owned(b))),
            },
        }
    };
    // The cross-file index (SPEC §2): only when several files are checked together.
    let index = (inputs.len() > 1).then(|| {
        let mut keys = vec![None; inputs.len()];
        crate::batch::ordered_parallel(
            inputs.len(),
            |i| match bytes_of(i) {
                Some(Ok(b)) => crate::batch::keys(i, &b, &opts.limits),
                _ => None,
            },
            |i, k| {
                if let Some(slot) = keys.get_mut(i) {
                    *slot = k;
                }
            },
        );
        crate::batch::CrossIndex::build(names.clone(), keys)
    });
    let human = HumanOptions {
        lang,
        verbose: args.verbose,
        quiet: args.quiet,
        show_pii: args.show_pii,
        strict: args.strict,
    };
    let mut summary = Summary::default();
    let mut waived_by_flag: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    /// Where results go: streamed as they come, or collected for the formats written as a whole.
    enum Sink<'w> {
        Json(report::json::Stream<'w>),
        Human(&'w mut dyn Write),
        Github(&'w mut dyn Write),
        Collect(&'w mut dyn Write, Vec<FileResult>),
    }
    let mut sink = match args.format {
        Format::Json => Sink::Json(report::json::Stream::start(out, args.strict)?),
        Format::Human => Sink::Human(out),
        Format::Github => Sink::Github(out),
        Format::Sarif | Format::Junit => Sink::Collect(out, Vec::new()),
    };
    let mut failure: Option<io::Error> = None;
    crate::batch::ordered_parallel(
        inputs.len(),
        |i| match bytes_of(i) {
            None => None,
            Some(Err(r)) => Some(r),
            Some(Ok(b)) => {
                let name = names.get(i).map_or("-", String::as_str);
                engine::check_in_batch(
                    name,
                    &b,
                    &catalog,
                    &opts,
                    index.as_ref().map(|x| (x, i)),
                    discovered(i),
                )
            }
        },
        |i, r| {
            if failure.is_some() {
                return;
            }
            let Some(r) = r else {
                let name = names.get(i).map_or("", String::as_str);
                let _ = writeln!(
                    err,
                    "note: {name}: skipped, not an application (no `filing_type` or `entity`)"
                );
                return;
            };
            summary.add(&r, args.strict);
            if let FileOutcome::Checked(c) = &r.outcome {
                for f in c.findings.iter().filter(|f| {
                    f.suppression
                        .as_ref()
                        .is_some_and(|s| s.origin == crate::suppress::Origin::Flag)
                }) {
                    waived_by_flag.insert(f.rule.clone());
                }
            }
            let written = match &mut sink {
                Sink::Json(stream) => stream.file(&r),
                Sink::Human(w) => report::human::render_file(&mut **w, &r, &human),
                Sink::Github(w) => w.write_all(report::github::render_file(&r, args.strict).as_bytes()),
                Sink::Collect(_, all) => {
                    all.push(r);
                    Ok(())
                }
            };
            if let Err(e) = written {
                failure = Some(e);
            }
        },
    );
    if let Some(e) = failure {
        return Err(Error::Io(e));
    }
    for unused in args.ignore.iter().filter(|f| !waived_by_flag.contains(&f.rule)) {
        let _ = writeln!(err, "warning: --ignore {}: matched no finding", unused.rule);
    }
    let out: &mut dyn Write = match sink {
        Sink::Json(stream) => stream.finish(&summary)?,
        Sink::Human(w) => {
            report::human::render_summary(&mut *w, &summary, &human)?;
            w
        }
        Sink::Github(w) => {
            w.write_all(report::github::render_summary(&summary).as_bytes())?;
            w
        }
        Sink::Collect(w, all) => {
            if args.format == Format::Sarif {
                let doc = report::sarif::render(&all, &catalog, lang);
                serde_json::to_writer_pretty(&mut *w, &doc).map_err(io::Error::from)?;
                writeln!(w)?;
            } else {
                w.write_all(report::junit::render(&all, args.strict).as_bytes())?;
            }
            w
        }
    };
    out.flush()?;
    // The process ends next: freeing the catalog would only cost time.
    std::mem::forget(catalog);
    Ok(summary.exit_code())
}

/// Runs a parsed command line; the exit code on success.
pub fn run(cli: Cli) -> Result<u8, Error> {
    let mut err = anstream::stderr();
    if let Command::Check(a) = &cli.command {
        // Buffered: reports can be large. Colour only for the human format, decided on the real stdout.
        let stdout = io::stdout();
        return if a.format == Format::Human {
            let choice = anstream::AutoStream::choice(&stdout);
            let mut out =
                io::BufWriter::with_capacity(1 << 16, anstream::AutoStream::new(stdout.lock(), choice));
            check(a, &mut out, &mut err)
        } else {
            let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
            check(a, &mut out, &mut err)
        };
    }
    let mut out = anstream::stdout();
    match cli.command {
        Command::Check(_) => Ok(2),
        Command::Explain(a) => crate::commands::explain(&a, &mut out),
        Command::Rules(a) => crate::commands::rules(&a, &mut out),
        Command::Provinces(a) => crate::commands::provinces(&a, &mut out),
        Command::Sms(a) => crate::commands::sms(&a, &mut out),
        Command::Init(a) => {
            let catalog = a.common.catalog()?;
            let t = crate::model::FilingType::parse(&a.filing_type)
                .ok_or_else(|| Error::Usage(format!("unknown filing type `{}`", a.filing_type)))?;
            let n = crate::model::Nature::parse(&a.nature)
                .ok_or_else(|| Error::Usage(format!("unknown nature `{}`", a.nature)))?;
            let province = match &a.province {
                Some(p) => Some(
                    catalog
                        .data
                        .provinces
                        .resolve(p)
                        .map(|p| p.name.clone())
                        .ok_or_else(|| Error::Usage(format!("unknown province `{p}`")))?,
                ),
                None => None,
            };
            out.write_all(
                crate::init::template(&catalog, province.as_deref(), t, n, a.common.lang()).as_bytes(),
            )?;
            Ok(0)
        }
        Command::Completions(a) => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            // Generated into memory first: clap_complete panics on a failed write (a closed pipe).
            let mut buf = Vec::new();
            clap_complete::generate(a.shell, &mut cmd, "beian", &mut buf);
            out.write_all(&buf)?;
            Ok(0)
        }
        Command::Man => {
            let cmd = <Cli as clap::CommandFactory>::command();
            clap_mangen::Man::new(cmd).render(&mut out)?;
            Ok(0)
        }
        Command::Schema(a) => {
            let doc = match a.which {
                SchemaKind::Application => crate::schema::application(&a.common.catalog()?),
                SchemaKind::Report => crate::schema::report(),
            };
            serde_json::to_writer_pretty(&mut out, &doc).map_err(io::Error::from)?;
            writeln!(out)?;
            Ok(0)
        }
    }
}
