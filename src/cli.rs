//! The command line: runs a parsed command line (`check` here, the other subcommands in `commands`).

use std::io::{self, Write};

pub(crate) use crate::args::*;
use crate::walk::{InputFile, Walked, collect, read_input};

use crate::engine::{self, FileOutcome, FileResult, Options};
use crate::input::Limits;
use crate::report::{self, Summary, human::HumanOptions};
use crate::text::Lang;

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

/// Largest `--phone-db` file read.
const PHONE_DB_LIMIT: u64 = 64 * 1024 * 1024;

/// One input: a file to read, or why it could not be found.
enum Loaded {
    Path(InputFile),
    Failed(FileResult),
}

/// `beian check`: returns the exit code. Files are indexed for the cross-file checks, then checked in parallel;
/// results are written in input order as they finish.
/// `beian check`'s settings: the flags, else the configuration file, else the defaults.
pub(crate) struct Settings {
    format: Format,
    lang: Lang,
    province: Option<String>,
    strict: bool,
    level: report::Level,
    max_size: u64,
    ignore: Vec<crate::suppress::FlagIgnore>,
    input_format: String,
    /// `TABLE=FILE` pairs: the flags', then the configuration file's (paths made relative to it).
    api_tables: Vec<String>,
}

impl Settings {
    fn resolve(a: &CheckArgs) -> Result<Settings, Error> {
        let config = if a.no_config {
            None
        } else if let Some(p) = &a.config {
            Some(crate::config::read(p)?)
        } else {
            crate::config::discover(a.paths.first().map(String::as_str))
                .map(|p| crate::config::read(&p))
                .transpose()?
        };
        let c = config.unwrap_or_default();
        let lang = crate::args::lang_of(a.common.lang.or(c.lang));
        // A rule waived on the command line replaces the configuration file's waiver of it.
        let mut ignore = a.ignore.clone();
        ignore.extend(
            c.ignores()
                .into_iter()
                .filter(|i| !a.ignore.iter().any(|f| f.rule == i.rule)),
        );
        Ok(Settings {
            format: a.format.or(c.format).unwrap_or(Format::Human),
            lang,
            province: a.province.clone().or(c.province.clone()),
            strict: a.strict().unwrap_or(c.fail_on == Some(crate::args::FailOn::Warn)),
            level: a.level().or(c.level).unwrap_or_default(),
            max_size: match a.max_size {
                Some(n) => n,
                None => c.max_size()?.unwrap_or(DEFAULT_MAX_SIZE),
            },
            ignore,
            input_format: a
                .input_format
                .clone()
                .or(c.input_format.clone())
                .unwrap_or_else(|| "auto".to_string()),
            api_tables: {
                let base = c.path.as_deref().and_then(std::path::Path::parent);
                let mut tables = a.api_tables.clone();
                tables.extend(
                    c.api_tables
                        .iter()
                        .filter(|(id, _)| !a.api_tables.iter().any(|f| f.starts_with(&format!("{id}="))))
                        .map(|(id, p)| format!("{id}={}", base.map_or(p.clone(), |b| b.join(p)).display())),
                );
                tables
            },
        })
    }
}

/// `--max-size` when neither the flag nor the configuration file sets it.
const DEFAULT_MAX_SIZE: u64 = 1024 * 1024;

pub(crate) fn check(
    args: &CheckArgs,
    settings: &Settings,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<u8, Error> {
    if args.paths.is_empty() {
        return Err(Error::Usage(
            "no paths given: name files or directories to check, or - for standard input".into(),
        ));
    }
    let lang = settings.lang;
    let strict = settings.strict;
    let level = settings.level;
    let format = settings.format;
    let mut catalog = args.common.catalog_lazy()?;
    // An unknown --province (or the configuration file's) is one usage error, not an error for every file.
    if let Some(p) = &settings.province {
        crate::args::province(&catalog, p)?;
    }
    // A waiver of a rule that does not exist waives nothing: a typo must not pass silently.
    for i in &settings.ignore {
        if catalog.find(&i.rule).is_none() {
            let near = catalog.similar_rule_ids(&i.rule);
            let from = if i.config {
                "[ignore] in the configuration file"
            } else {
                "--ignore"
            };
            let hint = match near.first() {
                Some(n) => format!("; did you mean `{n}`?"),
                None => " (`beian rules --province P` lists the rules)".to_string(),
            };
            return Err(Error::Usage(format!("{from}: unknown rule `{}`{hint}", i.rule)));
        }
    }
    if let Some(db) = &args.phone_db {
        // A phone.dat is a few MB; anything far larger is not one (and /dev/zero never ends).
        let bytes = crate::walk::read_within(Some(db), PHONE_DB_LIMIT)
            .map_err(|e| Error::Usage(format!("{}: {e}", db.display())))?;
        let provinces = catalog.data.provinces.clone();
        catalog
            .data
            .mobile
            .add_phone_dat(&bytes, &|name| provinces.resolve(name).map(|p| p.code.clone()))
            .map_err(|e| Error::Usage(format!("{}: not a phone.dat file: {e}", db.display())))?;
    }
    for spec in &settings.api_tables {
        let (id, path) = spec
            .split_once('=')
            .ok_or_else(|| Error::Usage(format!("--api-table {spec}: expected TABLE=FILE")))?;
        let bytes = crate::walk::read_within(Some(std::path::Path::new(path)), API_TABLE_LIMIT)
            .map_err(|e| Error::Usage(format!("--api-table {path}: {e}")))?;
        let tables = &mut catalog.data.apis.tables;
        if !tables.contains_key(id) {
            let known = tables.keys().map(String::as_str);
            return Err(crate::args::unknown_choice("--api-table", "table", id, known));
        }
        let Some(table) = tables.get_mut(id) else { continue };
        let rows = crate::apispec::captured_rows(&bytes, &table.key)
            .map_err(|e| Error::Usage(format!("--api-table {path}: {e}")))?;
        table.capture(rows, &format!("{path} (--api-table)"));
    }
    let input_format = crate::args::input_format(&catalog, &settings.input_format)?;
    let opts = Options {
        input_format,
        lang,
        show_pii: args.show_pii,
        date: args.date,
        province: settings.province.clone(),
        strict,
        limits: Limits {
            max_size: settings.max_size,
            ..Limits::default()
        },
        today: None,
        ignore: settings.ignore.clone(),
    };
    let mut inputs = Vec::new();
    for item in collect(&args.paths) {
        match item {
            Walked::Failed(name, e) => inputs.push(Loaded::Failed(io_failure(&name, &e, lang))),
            Walked::Skipped(name, what) => {
                let _ = writeln!(err, "note: {}: skipped, {what}", crate::text::visible(&name));
            }
            // Standard input takes the name --stdin-filename gives (reports show it; `.json` picks strict JSON).
            Walked::File(mut f) => {
                if let (None, Some(name)) = (&f.path, &args.stdin_filename) {
                    f.name.clone_from(name);
                }
                inputs.push(Loaded::Path(f));
            }
        }
    }
    if inputs.is_empty() {
        return Err(Error::Usage(
            "no application files found (files ending in .yaml, .yml or .json)".into(),
        ));
    }
    let names: Vec<String> = inputs
        .iter()
        .map(|l| match l {
            Loaded::Path(f) => f.name.clone(),
            Loaded::Failed(r) => r.file.clone(),
        })
        .collect();
    let discovered = |i: usize| matches!(inputs.get(i), Some(Loaded::Path(f)) if f.discovered);
    // Every file is read once, by the workers: the same bytes feed the cross-file index and the check, so a file
    // that changes meanwhile cannot be checked against another version of itself. Memory holds the inputs (each
    // within --max-size), not their trees.
    let several = inputs.len() > 1;
    let mut read: Vec<Option<Result<Vec<u8>, FileResult>>> = (0..inputs.len()).map(|_| None).collect();
    let mut keys = vec![None; inputs.len()];
    crate::batch::ordered_parallel(
        inputs.len(),
        |i| {
            let bytes = match inputs.get(i) {
                Some(Loaded::Path(f)) => {
                    read_input(f, opts.limits.max_size).map_err(|e| io_failure(&f.name, &e, lang))
                }
                Some(Loaded::Failed(r)) => Err(r.clone()),
                None => Err(io_failure("-", &io::Error::other("no such input"), lang)),
            };
            let k = match &bytes {
                Ok(b) if several => crate::cross::keys(i, b, &opts.limits),
                _ => None,
            };
            (bytes, k)
        },
        |i, (bytes, k)| {
            if let Some(slot) = read.get_mut(i) {
                *slot = Some(bytes);
            }
            if let Some(slot) = keys.get_mut(i) {
                *slot = k;
            }
        },
    );
    let bytes_of = |i: usize| read.get(i).and_then(Option::as_ref);
    // The cross-file index (national.batch.*): only when several files are checked together.
    let index = several.then(|| crate::cross::CrossIndex::build(names.clone(), keys));
    let human = HumanOptions {
        lang,
        quiet: args.quiet,
        show_pii: args.show_pii,
        strict,
    };
    let mut summary = Summary::default();
    let mut waived_by_flag: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    // --statistics: (rule, status) → findings shown.
    let mut statistics: std::collections::BTreeMap<(String, &'static str), usize> =
        std::collections::BTreeMap::new();
    /// Where results go: streamed as they come, or collected for the formats written as a whole.
    enum Sink<'w> {
        Json(report::json::Stream<'w>),
        Human(&'w mut dyn Write),
        Github(&'w mut dyn Write),
        Sarif(&'w mut dyn Write, report::sarif::Builder<'w>),
        Junit(&'w mut dyn Write, report::junit::Builder),
    }
    let mut failure: Option<io::Error> = None;
    let mut sink = match format {
        Format::Json => Sink::Json(report::json::Stream::start(out, strict, &catalog, lang)?),
        Format::Human => Sink::Human(out),
        Format::Github => Sink::Github(out),
        Format::Sarif => {
            let b = report::sarif::Builder::new(&catalog, lang);
            failure = b.start(out).err();
            Sink::Sarif(out, b)
        }
        Format::Junit => Sink::Junit(out, report::junit::Builder::new()),
    };
    crate::batch::ordered_parallel(
        inputs.len(),
        |i| {
            // Timed for JUnit's `time` attributes.
            let start = std::time::Instant::now();
            let r = match bytes_of(i) {
                None => None,
                Some(Err(r)) => Some(r.clone()),
                Some(Ok(b)) => {
                    let name = names.get(i).map_or("-", String::as_str);
                    engine::check_in_batch(
                        name,
                        b,
                        &catalog,
                        &opts,
                        index.as_ref().map(|x| (x, i)),
                        discovered(i),
                    )
                }
            };
            (r, start.elapsed())
        },
        |i, (r, elapsed)| {
            let Some(r) = r else {
                let name = names.get(i).map_or("", String::as_str);
                let _ = writeln!(
                    err,
                    "note: {}: skipped, not an application (no `filing_type` or `entity`)",
                    crate::text::visible(name)
                );
                return;
            };
            // The verdict counts every file, even after the reader of the output has gone (`| head`).
            summary.add(&r, strict);
            // A file without a verdict says why on stderr in the machine formats too, so a CI log shows the reason
            // (human output already says it in its place).
            if let (FileOutcome::Error(e), false) = (&r.outcome, format == Format::Human) {
                let _ = writeln!(
                    err,
                    "error: {}:{}:{}: {}",
                    crate::text::visible(&r.file),
                    e.line,
                    e.column,
                    crate::text::visible(&e.message)
                );
            }
            if failure.is_some() {
                return;
            }
            if let FileOutcome::Checked(c) = &r.outcome {
                use crate::suppress::Origin;
                let outside = |o: Origin| matches!(o, Origin::Flag | Origin::Config);
                for f in &c.findings {
                    if f.suppression.as_ref().is_some_and(|s| outside(s.origin)) {
                        waived_by_flag.insert(f.rule.clone());
                    }
                    for (id, _) in f.waived_also.iter().filter(|(_, o)| outside(*o)) {
                        waived_by_flag.insert(id.clone());
                    }
                }
            }
            // JUnit lists every rule checked as a testcase; the other formats show the selected findings.
            if let Sink::Junit(_, b) = &mut sink {
                if let Err(e) = b.add(&r, strict, level, elapsed) {
                    failure = Some(e);
                }
                return;
            }
            let mut r = r;
            level.select(&mut r);
            if args.statistics {
                if let FileOutcome::Checked(c) = &r.outcome {
                    for f in &c.findings {
                        *statistics.entry((f.rule.clone(), f.status.id())).or_default() += 1;
                    }
                }
            }
            let written = match &mut sink {
                Sink::Json(stream) => stream.file(&r),
                Sink::Human(w) => report::human::render_file(&mut **w, &r, &human),
                Sink::Github(w) => w.write_all(report::github::render_file(&r, strict).as_bytes()),
                Sink::Sarif(w, b) => b.add(&mut **w, &r),
                Sink::Junit(..) => Ok(()),
            };
            if let Err(e) = written {
                failure = Some(e);
            }
        },
    );
    match failure {
        // A closed pipe: stop writing quietly, keep the verdict's exit code.
        Some(e) if e.kind() == io::ErrorKind::BrokenPipe => {
            std::mem::forget(catalog);
            return Ok(summary.exit_code());
        }
        Some(e) => return Err(Error::Io(e)),
        None => {}
    }
    for unused in settings
        .ignore
        .iter()
        .filter(|f| !waived_by_flag.contains(&f.rule))
    {
        let from = if unused.config {
            "[ignore] in the configuration file"
        } else {
            "--ignore"
        };
        let _ = writeln!(err, "warning: {from} {}: matched no finding", unused.rule);
    }
    let code = summary.exit_code();
    let statistics = args.statistics.then(|| {
        let mut rows: Vec<_> = statistics.into_iter().collect();
        rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let mut text = String::new();
        for ((rule, status), n) in rows {
            let title = catalog.find(&rule).map_or("", |r| r.title.get(lang));
            text.push_str(&format!("{n:>6}  {status:<10} {rule}  {title}\n"));
        }
        text
    });
    // Writes what comes after the last file: the summary, or the whole document of SARIF and JUnit.
    let finish = || -> io::Result<()> {
        let out: &mut dyn Write = match sink {
            Sink::Json(stream) => stream.finish(&summary)?,
            Sink::Human(w) => {
                report::human::render_summary(&mut *w, &summary, &human)?;
                // The counts per rule after the summary; the machine formats keep their documents and
                // write them to stderr below.
                if let Some(s) = &statistics {
                    write!(w, "\n{s}")?;
                }
                w
            }
            Sink::Github(w) => {
                w.write_all(report::github::render_summary(&summary).as_bytes())?;
                w
            }
            Sink::Sarif(w, b) => {
                b.finish(&mut *w)?;
                w
            }
            Sink::Junit(w, b) => {
                b.finish(&mut *w)?;
                w
            }
        };
        out.flush()
    };
    if let (Some(s), false) = (&statistics, format == Format::Human) {
        let _ = write!(err, "{s}");
    }
    match finish() {
        // A closed pipe keeps the verdict's exit code.
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => return Err(Error::Io(e)),
        _ => {}
    }
    // The process ends next: freeing the catalog would only cost time.
    std::mem::forget(catalog);
    Ok(code)
}

/// Runs a parsed command line; the exit code on success.
/// A code table response is a few kilobytes; anything far larger is not one.
const API_TABLE_LIMIT: u64 = 8 * 1024 * 1024;

pub fn run(cli: Cli) -> Result<u8, Error> {
    let mut err = anstream::stderr();
    if let Command::Check(a) = &cli.command {
        let settings = Settings::resolve(a)?;
        // Buffered: reports can be large. Colour only for the human format, decided on the real destination.
        let choice = |auto: anstream::ColorChoice| match a.color {
            crate::args::ColorWhen::Always => anstream::ColorChoice::Always,
            crate::args::ColorWhen::Never => anstream::ColorChoice::Never,
            crate::args::ColorWhen::Auto => auto,
        };
        let human = settings.format == Format::Human;
        if let Some(path) = &a.output_file {
            let file = std::fs::File::create(path)
                .map_err(|e| Error::Usage(format!("--output-file {}: {e}", path.display())))?;
            let colour = if human {
                choice(anstream::ColorChoice::Never)
            } else {
                anstream::ColorChoice::Never
            };
            let mut out = io::BufWriter::with_capacity(1 << 16, anstream::AutoStream::new(file, colour));
            return check(a, &settings, &mut out, &mut err);
        }
        let stdout = io::stdout();
        let colour = if human {
            choice(anstream::AutoStream::choice(&stdout))
        } else {
            anstream::ColorChoice::Never
        };
        let mut out = io::BufWriter::with_capacity(1 << 16, anstream::AutoStream::new(stdout.lock(), colour));
        return check(a, &settings, &mut out, &mut err);
    }
    let mut out = anstream::stdout();
    match cli.command {
        Command::Check(_) => Ok(2),
        Command::Explain(a) => crate::commands::explain(&a, &mut out),
        Command::Rules(a) => crate::commands::rules(&a, &mut out),
        Command::Provinces(a) => crate::commands::provinces(&a, &mut out),
        Command::Sms(a) => crate::commands::sms(&a, &mut out),
        Command::Convert(a) => crate::commands::convert(&a, &mut out),
        Command::Init(a) => {
            let catalog = a.common.catalog()?;
            let t = crate::model::FilingType::parse(&a.filing_type)
                .ok_or_else(|| Error::Usage(format!("unknown filing type `{}`", a.filing_type)))?;
            let n = crate::model::Nature::parse(&a.nature)
                .ok_or_else(|| Error::Usage(format!("unknown nature `{}`", a.nature)))?;
            let province = match &a.province {
                Some(p) => Some(crate::args::province(&catalog, p)?.name.clone()),
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
