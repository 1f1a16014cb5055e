//! Runs the rules over one application: province and date resolution, applicability, outcomes → findings.

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::checks::Cx;
use crate::date::Date;
pub(crate) use crate::finding::{
    Checked, Counts, Failure, FileOutcome, FileResult, Finding, ProvinceBlock, Related, RulesetBlock,
};
use crate::input::node::{locate, pointer_tokens, shared_prefix};
use crate::input::{self, Document, ErrorKind, InputError, Limits};
use crate::model::{self, Application, Diagnostic};
use crate::outcome::{Outcome, Status, Var, Verdict};
use crate::rules::template::render_with;
use crate::rules::{Catalog, Layer, ProvinceInfo, Rule, Severity};
use crate::sms;
use crate::text::{Lang, Text, suggest};

/// How a check run is configured (the `check` flags).
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub lang: Lang,
    pub show_pii: bool,
    pub date: Option<Date>,
    pub province: Option<String>,
    pub strict: bool,
    pub limits: Limits,
    /// Today in Asia/Shanghai, unless a test fixes it.
    pub today: Option<Date>,
    /// `--ignore RULE_ID=REASON`.
    pub ignore: Vec<crate::suppress::FlagIgnore>,
    /// `--input-format`: `None` recognises API request bodies by their keys; `beian` reads every file as an
    /// application; an API id reads every file as that API's body.
    pub input_format: Option<String>,
}

fn failure(e: InputError, lang: Lang) -> Failure {
    Failure {
        kind: e.kind,
        // An error may quote the file (a syntax error near a value): never a full number or address.
        message: crate::outcome::mask_free_text(e.message.get(lang)).into_owned(),
        line: e.line,
        column: e.column,
        province: None,
    }
}

/// Which rule statuses an outcome maps to.
fn status_of(verdict: Verdict, rule: &Rule) -> Status {
    let sev = |s: Severity| match s {
        Severity::Fail => Status::Fail,
        Severity::Warn => Status::Warn,
        Severity::Info => Status::Info,
    };
    match verdict {
        Verdict::Pass => Status::Pass,
        Verdict::Violated => sev(rule.severity),
        Verdict::Doubt if rule.severity == Severity::Info => Status::Info,
        Verdict::Doubt => Status::Warn,
        Verdict::Info => Status::Info,
        Verdict::Missing | Verdict::Undecided => sev(rule.missing),
    }
}

/// Whether `path` is at or below one of `reported` (a field already reported missing or invalid).
fn covered(reported: &BTreeSet<String>, path: &str) -> bool {
    reported
        .iter()
        .any(|r| path == r || path.starts_with(&format!("{r}/")))
}

struct Render<'a> {
    lang: Lang,
    show_pii: bool,
    doc: &'a Document,
    file: &'a str,
    common: Vec<(&'static str, Text)>,
}

impl Render<'_> {
    fn finding(&self, rule: &Rule, outcome: Outcome) -> Finding {
        let status = status_of(outcome.verdict, rule);
        let mut vars = outcome.vars.clone();
        vars.entry("path").or_insert_with(|| {
            Var::from(if outcome.path.is_empty() {
                "/".to_string()
            } else {
                outcome.path.clone()
            })
        });
        vars.entry("field")
            .or_insert_with(|| Var::from(outcome.path.clone()));
        // A body's user reads the body's pointers, not the application's.
        if let Some(api) = &self.doc.api {
            for v in vars.values_mut() {
                if let Var::Text(t) = v {
                    if t.zh.starts_with('/') && t.zh == t.en && !t.zh.contains(' ') {
                        let mapped = api.to_api(&t.zh);
                        *v = Var::from(if mapped.is_empty() {
                            "/".to_string()
                        } else {
                            mapped
                        });
                    }
                }
            }
        }
        vars.entry("value").or_insert_with(|| Var::from(""));
        vars.entry("found").or_insert_with(|| Var::from(""));
        let r = |t: &Text| {
            render_with(
                t.get(self.lang),
                self.lang,
                self.show_pii,
                &vars,
                &self.common,
                &rule.params,
            )
        };
        // A field the body leaves to the platform (or a code beian cannot convert) is not missing from it.
        let exempt = self
            .doc
            .api
            .as_ref()
            .and_then(|a| body_exempt(a, &self.doc.root, rule, &outcome));
        // A document the body lacks is reported at the body field that would hold it.
        let mut outcome = outcome;
        if let (Some(api), "/documents", None) = (&self.doc.api, outcome.path.as_str(), &exempt) {
            let kind = match outcome.vars.get("kind") {
                Some(Var::Text(t)) => t.en.clone(),
                _ => String::new(),
            };
            if let Some((_, field)) = api.kinds.iter().find(|(k, _)| kind.split('/').any(|w| w == k)) {
                outcome.path = field.clone();
            }
        }
        let status = if exempt.is_some() { Status::Info } else { status };
        let title = r(&rule.title);
        let (message, hint) = match outcome.verdict {
            Verdict::Pass => {
                let m = match &rule.pass {
                    Some(p) => r(p),
                    None => {
                        let at = if outcome.path.is_empty() {
                            String::new()
                        } else {
                            format!(" ({})", outcome.path)
                        };
                        match self.lang {
                            Lang::Zh => format!("通过：{title}{at}"),
                            Lang::En => format!("OK: {title}{at}"),
                        }
                    }
                };
                (m, None)
            }
            Verdict::Missing | Verdict::Undecided => {
                // A body's reader is told the body's field.
                let path = match &self.doc.api {
                    Some(api) => api.to_api(&outcome.path),
                    None => outcome.path.clone(),
                };
                let field = if path.is_empty() { "/".to_string() } else { path };
                let undecided = outcome.verdict == Verdict::Undecided;
                let m = match (self.lang, undecided) {
                    (Lang::Zh, false) => format!("未检查：请补充 `{field}`（{title}）"),
                    (Lang::En, false) => format!("not checked: add `{field}` ({title})"),
                    (Lang::Zh, true) => format!("未检查：无法从 `{field}` 的值判断（{title}）"),
                    (Lang::En, true) => {
                        format!("not checked: the value of `{field}` does not tell ({title})")
                    }
                };
                let h = (status != Status::Info).then(|| match (self.lang, undecided) {
                    (Lang::Zh, false) => format!("在申请中填写 `{field}`。"),
                    (Lang::En, false) => format!("Fill in `{field}` in the application."),
                    // A phone number whose range the table lacks: a phone.dat can tell.
                    (Lang::Zh, true) if is_phone(&field) => format!(
                        "内置号段表没有该号码的号段（缺14x/16x/17x/19x）：用 --phone-db 指定 phone.dat 文件，或向接入商确认 `{field}` 的归属地。"
                    ),
                    (Lang::En, true) if is_phone(&field) => format!(
                        "The built-in table lacks this number's range (14x/16x/17x/19x): give a phone.dat with --phone-db, or confirm where `{field}` is registered with your provider."
                    ),
                    (Lang::Zh, true) => format!("请核对 `{field}`，并向接入商确认这条规则。"),
                    (Lang::En, true) => format!("Check `{field}` and confirm this rule with your provider."),
                });
                (m, h)
            }
            Verdict::Info => (r(&rule.message), None),
            Verdict::Violated | Verdict::Doubt => {
                let h = if status == Status::Info {
                    None
                } else {
                    rule.hint.as_ref().map(r)
                };
                let template = match (&rule.doubt, outcome.verdict) {
                    (Some(d), Verdict::Doubt) => d,
                    _ => &rule.message,
                };
                // A rule a province changed says whose rule it is.
                let mut m = r(template);
                if let Some(o) = &rule.overridden {
                    let by = self
                        .common
                        .iter()
                        .find(|(k, _)| *k == "province")
                        .map(|(_, v)| v.get(self.lang).to_string())
                        .unwrap_or_else(|| o.by.clone());
                    m.push_str(&match self.lang {
                        Lang::Zh => format!("（{by}调整后的规则）"),
                        Lang::En => format!(" (as {by} applies it)"),
                    });
                }
                (m, h)
            }
        };
        // What the body cannot say is not checked: the note says why, and which rule it concerns.
        let (message, hint) = match exempt {
            // The parser's own rules have generic titles ("Required field missing"): the reason says it all.
            Some(why) if rule.layer == Layer::Input => (why.get(self.lang).to_string(), None),
            Some(why) => (
                match self.lang {
                    Lang::Zh => format!("未检查：{}（{title}）", why.zh),
                    Lang::En => format!("not checked: {} ({title})", why.en),
                },
                None,
            ),
            None => (message, hint),
        };
        // A finding about a key (an unknown field) points at the key, every other one at the value.
        let span = if let Some((line, column)) = outcome.at {
            crate::input::Span {
                line,
                column,
                end_line: line,
                end_column: column,
            }
        } else if rule.id == model::read::UNKNOWN_FIELD {
            crate::input::node::locate_key(&self.doc.root, &outcome.path)
        } else {
            locate(&self.doc.root, &outcome.path)
        };
        let related = outcome
            .related
            .iter()
            .map(|p| {
                let s = locate(&self.doc.root, p);
                Related {
                    file: self.file.to_string(),
                    path: p.clone(),
                    line: s.line,
                    column: s.column,
                }
            })
            .collect();
        // Whatever a message echoes from the file (a misspelt key's value, an enumeration field holding a number)
        // is masked here, where every format takes it from.
        let (message, hint) = if self.show_pii {
            (message, hint)
        } else {
            (
                crate::outcome::mask_free_text(&message).into_owned(),
                hint.map(|h| crate::outcome::mask_free_text(&h).into_owned()),
            )
        };
        Finding {
            rule: rule.id.clone(),
            status,
            path: outcome.path,
            line: span.line,
            column: span.column,
            end_line: span.end_line.max(span.line),
            end_column: if span.end_line > span.line {
                span.end_column
            } else {
                span.end_column.max(span.column)
            },
            message,
            hint,
            sources: rule.shared_urls(),
            confidence: rule.confidence,
            related,
            also: Vec::new(),
            own_text: None,
            waived_also: Vec::new(),
            original_status: None,
            suppression: None,
        }
    }
}

/// Keeps what a rule says: every non-pass outcome, or a single pass when everything passed.
fn condense(outcomes: Vec<Outcome>) -> Vec<Outcome> {
    if outcomes.is_empty() {
        return vec![Outcome::pass("")];
    }
    if outcomes.iter().all(|o| o.verdict == Verdict::Pass) {
        // Several places passed: point at the pointer prefix they share (whole tokens only).
        let mut common: Option<&str> = None;
        for o in &outcomes {
            common = Some(match common {
                None => o.path.as_str(),
                Some(c) => shared_prefix(c, &o.path),
            });
        }
        let common = common.unwrap_or("").to_string();
        let several = outcomes.len() > 1;
        let mut first = outcomes.into_iter().next().unwrap_or_else(|| Outcome::pass(""));
        if several {
            first.path = common;
            first.vars.remove("value");
        }
        return vec![first];
    }
    outcomes
        .into_iter()
        .filter(|o| o.verdict != Verdict::Pass)
        .collect()
}

/// Resolves the province from the flag or the file; `Err` leaves the file without a verdict.
fn resolve_province<'c>(
    catalog: &'c Catalog,
    app: &Application,
    doc: &Document,
    opts: &Options,
) -> Result<(&'c ProvinceInfo, &'static str, Option<Outcome>), InputError> {
    let provinces = &catalog.data.provinces;
    let span = locate(&doc.root, "/province");
    let unknown = |value: &str, line: usize, column: usize| {
        let near = suggest(value, provinces.spellings());
        let list = if near.is_empty() {
            String::new()
        } else {
            near.join("、")
        };
        InputError {
            kind: ErrorKind::Province,
            message: Text::new(
                format!(
                    "未知的省份“{value}”{}",
                    if list.is_empty() {
                        String::new()
                    } else {
                        format!("；是否应为 {list}？")
                    }
                ),
                format!(
                    "unknown province `{value}`{}",
                    if list.is_empty() {
                        String::new()
                    } else {
                        format!("; did you mean {list}?")
                    }
                ),
            ),
            line,
            column,
        }
    };
    if let Some(flag) = &opts.province {
        let p = provinces.resolve(flag).ok_or_else(|| unknown(flag, 1, 1))?;
        let note = app
            .province
            .as_ref()
            .filter(|f| provinces.resolve(f).is_none_or(|fp| fp.code != p.code))
            .map(|f| {
                Outcome::info("/province")
                    .var("value", f.clone())
                    .var("found", Text::new(p.name.clone(), p.pinyin.clone()))
            });
        return Ok((p, "flag", note));
    }
    match &app.province {
        // A body names its province by the area code of its subject.
        None if doc.api.is_some() => {
            let ptr = doc
                .api
                .as_ref()
                .map(|a| a.to_api("/province"))
                .unwrap_or_default();
            let at = doc
                .api
                .as_ref()
                .map_or(crate::input::Span::START, |a| locate(&a.payload, &ptr));
            let why = doc
                .api
                .as_ref()
                .and_then(|a| a.exempt.get("/province"))
                .cloned()
                .unwrap_or_else(|| Text::new("未填写 6 位区域代码", "it holds no 6-digit area code"));
            Err(InputError {
                kind: ErrorKind::Province,
                message: Text::new(
                    format!(
                        "无法确定审核省份：请求体的 {ptr}：{}；请更正或使用 --province",
                        why.zh
                    ),
                    format!(
                        "no province: {ptr} of the body: {}; correct it or pass --province",
                        why.en
                    ),
                ),
                line: at.line,
                column: at.column,
            })
        }
        None => Err(InputError {
            kind: ErrorKind::Province,
            message: Text::new(
                "未指定审核省份：请在文件中填写 province 或使用 --province",
                "no province: set `province` in the file or pass --province",
            ),
            line: 1,
            column: 1,
        }),
        Some(v) => provinces
            .resolve(v)
            .map(|p| (p, "file", None))
            .ok_or_else(|| unknown(v, span.line, span.column)),
    }
}

/// Checks one file's bytes. `file` is the name reports show.
pub fn check_bytes(file: &str, bytes: &[u8], catalog: &Catalog, opts: &Options) -> FileResult {
    let outcome = match check_inner(file, bytes, catalog, opts, None, false) {
        Ok(Some(c)) => FileOutcome::Checked(Box::new(c)),
        Ok(None) => FileOutcome::Error(Failure {
            kind: ErrorKind::Syntax,
            message: String::new(),
            line: 1,
            column: 1,
            province: None,
        }),
        Err(e) => FileOutcome::Error(e),
    };
    FileResult {
        file: file.to_string(),
        outcome,
    }
}

pub(crate) use crate::model::is_application;

/// Checks one file of a batch: `cross` is the run's index and the file's position in it. A file found by walking
/// a directory (`discovered`) that is not an application gives `None`.
pub(crate) fn check_in_batch(
    file: &str,
    bytes: &[u8],
    catalog: &Catalog,
    opts: &Options,
    cross: Option<(&crate::cross::CrossIndex, usize)>,
    discovered: bool,
) -> Option<FileResult> {
    let outcome = match check_inner(file, bytes, catalog, opts, cross, discovered) {
        Ok(Some(c)) => FileOutcome::Checked(Box::new(c)),
        Ok(None) => return None,
        Err(e) => FileOutcome::Error(e),
    };
    Some(FileResult {
        file: file.to_string(),
        outcome,
    })
}

#[allow(clippy::result_large_err)] // One result per file: the size does not matter, boxing would only add noise.
fn check_inner(
    file: &str,
    bytes: &[u8],
    catalog: &Catalog,
    opts: &Options,
    cross: Option<(&crate::cross::CrossIndex, usize)>,
    discovered: bool,
) -> Result<Option<Checked>, Failure> {
    let doc = input::load_named(file, bytes, &opts.limits).map_err(|e| failure(e, opts.lang))?;
    let api = match opts.input_format.as_deref() {
        Some("beian") => None,
        Some(id) => Some(id),
        None => crate::payload::detect(&catalog.data.apis, &doc.root),
    };
    if discovered && api.is_none() && !is_application(&doc) {
        return Ok(None);
    }
    let (doc, body_diags) = match api.map(|id| (id, catalog.data.apis.apis.get(id))) {
        None => (doc, Vec::new()),
        Some((id, Some(spec))) => crate::payload::translate(doc, id, spec, &catalog.data),
        Some((id, None)) => {
            return Err(Failure {
                kind: ErrorKind::Syntax,
                message: format!("unknown input format `{id}`"),
                line: 1,
                column: 1,
                province: None,
            });
        }
    };
    let (app, mut diags) = model::build(&doc.root, &catalog.data.vocab).map_err(|v| {
        let s = locate(&doc.root, &v.ptr);
        failure(
            InputError {
                kind: ErrorKind::Version,
                message: Text::new(
                    format!("不支持的格式版本“{}”：本工具只支持 version: 1", v.value),
                    format!(
                        "unsupported format version `{}`: this tool reads version 1",
                        v.value
                    ),
                ),
                line: s.line,
                column: s.column,
            },
            opts.lang,
        )
    })?;
    diags.extend(body_diags);
    let (province, source, province_note) =
        resolve_province(catalog, &app, &doc, opts).map_err(|e| failure(e, opts.lang))?;
    let date = opts
        .date
        .or(app.date)
        .or(opts.today)
        .unwrap_or_else(Date::today_shanghai);
    // Embedded rule sets are parsed on first use; one that does not validate gives no verdict (the test suite
    // loads every embedded set eagerly, so this is a `--rules-dir` or build defect, never silence).
    let set = catalog.province_checked(&province.id).map_err(|e| Failure {
        kind: ErrorKind::Province,
        message: format!("rule data: {e}"),
        line: 1,
        column: 1,
        province: None,
    })?;
    let mut rules = catalog.effective(set.map(|s| s.id.as_str()));
    // An API layer that does not validate gives no verdict, as a province's (a `--rules-dir` defect).
    let layer = match &doc.api {
        Some(a) => catalog.api_checked(&a.api).map_err(|e| Failure {
            kind: ErrorKind::Province,
            message: format!("rule data: {e}"),
            line: 1,
            column: 1,
            province: None,
        })?,
        None => None,
    };
    if let Some(layer) = layer {
        rules = catalog.effective_with_api(set.map(|s| s.id.as_str()), layer);
    }
    let ruleset = match set {
        Some(s) => RulesetBlock {
            version: s.version.clone(),
            updated: s.reviewed.clone(),
            source: catalog.origin.label(),
        },
        None => RulesetBlock {
            version: catalog.national.version.clone(),
            updated: catalog.national.reviewed.clone(),
            source: catalog.origin.label(),
        },
    };
    let findings = evaluate(Evaluation {
        file,
        doc: &doc,
        app: &app,
        diags,
        province_note,
        province,
        date,
        rules: &rules,
        catalog,
        opts,
        cross,
        tables: None,
    });
    let mut counts = Counts::default();
    for f in &findings {
        match f.status {
            Status::Pass => counts.pass += 1,
            Status::Fail => counts.fail += 1,
            Status::Warn => counts.warn += 1,
            Status::Info => counts.info += 1,
            Status::Suppressed => counts.suppressed += 1,
        }
    }
    Ok(Some(Checked {
        date,
        province: ProvinceBlock {
            code: province.code.clone(),
            id: province.id.clone(),
            name: province.name.clone(),
            source,
        },
        ruleset,
        filing_type: app.filing_type.map(|t| t.id()),
        findings,
        counts,
        sms: sms::plan(&app, &catalog.data.sms, opts.lang, opts.show_pii).map(|mut plan| {
            // A body's reader looks for the body's fields.
            if let Some(api) = &doc.api {
                let roles = plan.recipients.iter_mut().flat_map(|r| r.roles.iter_mut());
                for r in roles.chain(plan.without_mobile.iter_mut()) {
                    r.path = api.to_api(&r.path);
                }
            }
            plan
        }),
        document: doc,
        application: app,
    }))
}

/// What `evaluate` runs over: one application, read and resolved, and the rules in force for it.
pub(crate) struct Evaluation<'a> {
    pub file: &'a str,
    pub doc: &'a Document,
    pub app: &'a Application,
    /// Diagnostics the parser reported (findings of the `input.*` rules).
    pub diags: Vec<Diagnostic>,
    /// What resolving the province said, if anything (`input.province-flag`).
    pub province_note: Option<Outcome>,
    pub province: &'a ProvinceInfo,
    pub date: Date,
    pub rules: &'a [Arc<Rule>],
    pub catalog: &'a Catalog,
    pub opts: &'a Options,
    /// The batch's cross-file index and this file's place in it.
    pub cross: Option<(&'a crate::cross::CrossIndex, usize)>,
    /// API code tables replacing the data's (a rule example's `tables`).
    pub tables: Option<&'a std::collections::BTreeMap<String, crate::apispec::CodeTable>>,
}

/// The findings of every rule for an application.
pub(crate) fn evaluate(ev: Evaluation<'_>) -> Vec<Finding> {
    let Evaluation {
        file,
        doc,
        app,
        diags,
        province_note,
        province,
        date,
        rules,
        catalog,
        opts,
        cross,
        tables,
    } = ev;
    let common = vec![
        ("date", Text::same(date.to_string())),
        (
            "province",
            Text::new(province.name.clone(), province.pinyin.clone()),
        ),
        (
            "filing_type",
            app.filing_type.map(|t| t.label()).unwrap_or_default(),
        ),
        ("nature", app.entity.nature.map(|n| n.label()).unwrap_or_default()),
    ];
    let render = Render {
        lang: opts.lang,
        show_pii: opts.show_pii,
        doc,
        file,
        common,
    };
    // Fields already reported missing or invalid: rules that need them are not listed (one finding each).
    let reported: BTreeSet<String> = diags
        .iter()
        .filter(|d| d.rule != model::read::UNKNOWN_FIELD)
        .map(|d| d.outcome.path.clone())
        .collect();
    let required: BTreeSet<String> = diags
        .iter()
        .filter(|d| d.rule == model::read::REQUIRED)
        .map(|d| d.outcome.path.clone())
        .collect();
    let mut findings = Vec::new();
    let by_id = |id: &str| rules.iter().find(|r| r.id == id);
    for d in diags {
        if let Some(rule) = by_id(d.rule) {
            findings.push(render.finding(rule, d.outcome));
        }
    }
    if let (Some(note), Some(rule)) = (province_note, by_id("input.province-flag")) {
        findings.push(render.finding(rule, note));
    }
    if let Some((index, me)) = cross {
        for (rule_id, outcome, others) in index.outcomes(me) {
            let Some(rule) = by_id(rule_id) else { continue };
            let mut f = render.finding(rule, outcome);
            f.related.extend(others.into_iter().map(|p| Related {
                file: index.name(p.file).to_string(),
                path: p.path,
                line: p.line,
                column: p.column,
            }));
            findings.push(f);
        }
    }
    let memo = crate::checks::Memo::default();
    for rule in rules.iter().filter(|r| r.layer != Layer::Input) {
        if rule.applies.matches(app.filing_type, app.entity.nature) != Some(true) {
            continue;
        }
        if rule.effective.is_some_and(|e| e > date) || !rule.check.active() {
            continue;
        }
        let anchor = rule.fields.first().map_or("", String::as_str);
        let cx = Cx {
            app,
            date,
            province,
            data: &catalog.data,
            anchor,
            memo: &memo,
            body: doc.api.as_deref(),
            tables: tables.unwrap_or(&catalog.data.apis.tables),
        };
        // A rule-level `when`: false = the rule does not apply; unknown = the missing-data finding.
        let gate = rule
            .when
            .as_ref()
            .map(|w| crate::checks::predicate::evaluate(&cx, w));
        let ran = match gate {
            Some(r) if r.t == crate::checks::predicate::Tri::False => continue,
            Some(r) if r.t == crate::checks::predicate::Tri::Unknown => {
                crate::checks::predicate::outcomes(r, anchor)
            }
            _ => rule.check.run(&cx),
        };
        // A rule's finding at a field reported as required says again that it is absent: one finding is enough.
        let outcomes: Vec<Outcome> = ran
            .into_iter()
            .filter(|o| {
                let absent = matches!(o.verdict, Verdict::Missing | Verdict::Undecided);
                !(required.contains(&o.path) || absent && covered(&reported, &o.path))
            })
            .collect();
        // A reminder with nothing to remind of (e.g. about APPs, without APPs) is not listed.
        if outcomes.is_empty() && !rule.check.listed_when_empty() {
            continue;
        }
        // A rule whose every subject lacks data already reported elsewhere is not listed.
        if outcomes.is_empty()
            && !reported.is_empty()
            && !matches!(rule.check, crate::checks::Check::Reminder(_))
            && requires_reported(rule, &reported)
        {
            continue;
        }
        for o in condense(outcomes) {
            findings.push(render.finding(rule, o));
        }
    }
    if let Some(api) = &doc.api {
        for f in &mut findings {
            at_body(api, file, f);
        }
        // The API rules on JSON types: a value of the wrong type is one mistake, whatever else reads it.
        let typed: BTreeSet<&str> = rules
            .iter()
            .filter(|r| matches!(&r.check, crate::checks::Check::Body(b) if b.json_type.is_some()))
            .map(|r| r.id.as_str())
            .collect();
        // The API rules on required parts: a part that is missing explains what is missing inside it.
        let required: BTreeSet<&str> = rules
            .iter()
            .filter(|r| {
                matches!(&r.check, crate::checks::Check::Body(b) if b.required && b.when_sibling.is_none())
            })
            .map(|r| r.id.as_str())
            .collect();
        one_per_body_place(&mut findings, &api.api, &typed, &required);
        // Two application places mapped to one body place (the legal person read as the principal) can give
        // the same finding twice.
        let mut seen = BTreeSet::new();
        findings.retain(|f| seen.insert((f.rule.clone(), f.path.clone(), f.message.clone())));
    }
    merge_covered(&mut findings, rules);
    let before = findings.len();
    for (rule_id, outcome) in crate::suppress::apply(doc, app, rules, &opts.ignore, &mut findings) {
        if let Some(rule) = by_id(rule_id) {
            findings.push(render.finding(rule, outcome));
        }
    }
    if let Some(api) = &doc.api {
        for f in findings.iter_mut().skip(before) {
            at_body(api, file, f);
        }
    }
    findings.sort_by(|a, b| (a.line, a.column, &a.rule).cmp(&(b.line, b.column, &b.rule)));
    findings
}

/// Why an outcome about an application mapped from an API body is not the body's error, if it is not: a field
/// the platform fills or the body has no place for, a document kind the body has no field for, a name an API
/// code table gives that the application format does not know.
fn body_exempt(api: &input::ApiDoc, root: &input::Node, rule: &Rule, o: &Outcome) -> Option<Text> {
    if o.verdict == Verdict::Pass {
        return None;
    }
    if api.coded.contains(&o.path)
        && (rule.id == model::read::UNKNOWN_VALUE || rule.id == model::read::UNLISTED_VALUE)
    {
        return Some(Text::new(
            format!(
                "{} 代码表给出的名称在申请格式中没有对应值，依赖它的规则未检查",
                api.api
            ),
            format!(
                "the {} code table names a value the application format does not have; rules that need it are not checked",
                api.api
            ),
        ));
    }
    if o.path == "/documents" {
        let kinds = match o.vars.get("kind") {
            Some(crate::outcome::Var::Text(t)) => t.en.clone(),
            _ => String::new(),
        };
        let wanted: Vec<&str> = kinds.split('/').filter(|k| !k.is_empty()).collect();
        if !wanted.is_empty() && !wanted.iter().any(|k| api.kinds.iter().any(|(c, _)| c == k)) {
            return Some(Text::new(
                format!("{} 的请求体没有可提交 {kinds} 的字段", api.api),
                format!("the {} request body has no field for {kinds}", api.api),
            ));
        }
        return None;
    }
    let absent = crate::input::node::resolve(root, &o.path).is_none_or(|n| n.is_null());
    absent.then(|| api.exempt(&o.path)).flatten()
}

/// One mistake, one finding: where an API rule fails or warns at a place of the body, the parser's
/// `input.required` and `input.wrong-type` for the same place are dropped (the API rule says it in the body's
/// terms), and where the place has the wrong type, its `input.required`.
fn one_per_body_place(
    findings: &mut Vec<Finding>,
    api: &str,
    typed: &BTreeSet<&str>,
    required: &BTreeSet<&str>,
) {
    let prefix = format!("{api}.");
    let bad = |s: Status| matches!(s, Status::Fail | Status::Warn);
    let is_api = |f: &Finding| f.rule.starts_with(&prefix);
    // A type finding: the parser's wrong shape, or an API rule on JSON types (`wechat.number-fields`).
    let is_type = |f: &Finding| f.rule == model::read::WRONG_TYPE || typed.contains(f.rule.as_str());
    let paths = |keep: &dyn Fn(&Finding) -> bool| -> BTreeSet<String> {
        findings
            .iter()
            .filter(|f| keep(f))
            .map(|f| f.path.clone())
            .collect()
    };
    let api_bad = paths(&|f| is_api(f) && bad(f.status));
    let api_failed = paths(&|f| is_api(f) && f.status == Status::Fail);
    let api_typed = paths(&|f| typed.contains(f.rule.as_str()) && f.status == Status::Fail);
    let wrong: Vec<String> = paths(&|f| is_type(f) && f.status == Status::Fail)
        .into_iter()
        .collect();
    let missing: Vec<String> = paths(&|f| required.contains(f.rule.as_str()) && f.status == Status::Fail)
        .into_iter()
        .collect();
    let drop: Vec<bool> = findings
        .iter()
        .map(|f| {
            // `input.required` where the API says it in the body's terms, or the value has the wrong shape.
            (f.rule == model::read::REQUIRED && (api_bad.contains(&f.path) || wrong.contains(&f.path)))
                // The parser's wrong shape where an API type rule says the same.
                || (f.rule == model::read::WRONG_TYPE && api_typed.contains(&f.path))
                // Whatever else is said at or inside a value of the wrong shape follows from that mistake.
                || (!is_type(f)
                    && bad(f.status)
                    && wrong.iter().any(|w| f.path == *w || f.path.starts_with(&format!("{w}/"))))
                // An API doubt where an API rule fails at the same value.
                || (is_api(f) && f.status == Status::Warn && api_failed.contains(&f.path))
                // Whatever is said inside a part that is missing follows from its absence.
                || (bad(f.status) && missing.iter().any(|m| f.path.starts_with(&format!("{m}/"))))
        })
        .collect();
    let mut keep = drop.into_iter().map(|d| !d);
    findings.retain(|_| keep.next().unwrap_or(true));
}

/// Points a finding of an application mapped from an API body at the body: its pointer and position.
fn at_body(api: &input::ApiDoc, file: &str, f: &mut Finding) {
    f.path = api.to_api(&f.path);
    let span = if f.rule == model::read::UNKNOWN_FIELD {
        crate::input::node::locate_key(&api.payload, &f.path)
    } else {
        locate(&api.payload, &f.path)
    };
    f.line = span.line;
    f.column = span.column;
    f.end_line = span.end_line.max(span.line);
    f.end_column = if span.end_line > span.line {
        span.end_column
    } else {
        span.end_column.max(span.column)
    };
    for r in f.related.iter_mut().filter(|r| r.file == file) {
        r.path = api.to_api(&r.path);
        let s = locate(&api.payload, &r.path);
        r.line = s.line;
        r.column = s.column;
    }
}

/// One mistake, one finding: a failure or warning of a rule that `covers` a national rule, at a place where that
/// rule also fails or warns, is folded into the national finding (its id in `also`, its sources added, the more
/// severe status and the province's message and hint kept). Its findings elsewhere stay.
fn merge_covered(findings: &mut Vec<Finding>, rules: &[std::sync::Arc<Rule>]) {
    let covering: Vec<&Rule> = rules
        .iter()
        .filter(|r| !r.covers.is_empty())
        .map(|r| &**r)
        .collect();
    if covering.is_empty() {
        return;
    }
    let bad = |s: Status| matches!(s, Status::Fail | Status::Warn);
    let mut drop = vec![false; findings.len()];
    for rule in covering {
        for i in 0..findings.len() {
            let Some(f) = findings.get(i) else { continue };
            if f.rule != rule.id || !bad(f.status) {
                continue;
            }
            let (path, status, sources) = (f.path.clone(), f.status, f.sources.clone());
            let (message, hint) = (f.message.clone(), f.hint.clone());
            let target = findings
                .iter()
                .position(|g| rule.covers.contains(&g.rule) && g.path == path && bad(g.status));
            if let Some(g) = target.and_then(|j| findings.get_mut(j)) {
                g.also.push(rule.id.clone());
                // The message shown is the confirming rule's, so its sources come first.
                let mut merged: Vec<String> = sources.to_vec();
                merged.extend(g.sources.iter().filter(|s| !sources.contains(s)).cloned());
                g.sources = merged.into();
                if status == Status::Fail {
                    g.status = Status::Fail;
                }
                // The reviewing province's words: it may ask more than the national text says (辽宁 takes no
                // authorization letter from a finance-named unit), so its message and hint are the finding's.
                if g.own_text.is_none() {
                    g.own_text = Some((g.message.clone(), g.hint.clone()));
                }
                g.message = message;
                if hint.is_some() {
                    g.hint = hint;
                }
                if let Some(d) = drop.get_mut(i) {
                    *d = true;
                }
            }
        }
    }
    let mut keep = drop.into_iter().map(|d| !d);
    findings.retain(|_| keep.next().unwrap_or(true));
}

/// Whether a pointer names a phone number (a principal's mobile or emergency number).
fn is_phone(ptr: &str) -> bool {
    ptr.ends_with("/mobile") || ptr.ends_with("/emergency_phone")
}

/// Whether a rule reads a field that was reported missing or invalid.
fn requires_reported(rule: &Rule, reported: &BTreeSet<String>) -> bool {
    rule.fields.iter().any(|f| {
        let pattern = pointer_tokens(f);
        reported.iter().any(|r| {
            let toks = pointer_tokens(r);
            toks.len() <= pattern.len() && toks.iter().zip(&pattern).all(|(t, p)| p == "*" || p == t)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::shared_prefix;

    #[test]
    fn shared_prefix_stops_at_token_boundaries() {
        assert_eq!(
            shared_prefix("/entity/principal/mobile", "/websites/0/principal/mobile"),
            ""
        );
        assert_eq!(shared_prefix("/websites/0/name", "/websites/1/name"), "/websites");
        assert_eq!(
            shared_prefix("/websites/1/name", "/websites/10/name"),
            "/websites"
        );
        assert_eq!(shared_prefix("/a/b", "/a/b"), "/a/b");
        assert_eq!(shared_prefix("/a/b", "/a/b/c"), "/a/b");
        assert_eq!(shared_prefix("/a/bc", "/a/b"), "/a");
    }
}
