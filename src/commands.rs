//! The information subcommands: `explain`, `rules`, `provinces`, `sms`.

use std::fmt::Write as _;
use std::io::Write;

use crate::args::{Error, ExplainArgs, ListFormat, ProvincesArgs, RulesArgs, SmsArgs};
use crate::engine::{FileOutcome, Options};
use crate::rules::{Catalog, Rule};
use crate::text::{Lang, Text};

fn t(lang: Lang, zh: &str, en: &str) -> String {
    Text::new(zh, en).get(lang).to_string()
}

fn province_id(catalog: &Catalog, p: Option<&str>) -> Result<Option<String>, Error> {
    match p {
        None => Ok(None),
        Some(v) => Ok(Some(crate::args::province(catalog, v)?.id.clone())),
    }
}

fn applies(rule: &Rule) -> String {
    let types = rule.applies.filing_types.as_ref().map_or_else(
        || "all".to_string(),
        |l| l.iter().map(|t| t.id()).collect::<Vec<_>>().join(", "),
    );
    let natures = match &rule.applies.natures {
        crate::rules::Natures::All => "all".to_string(),
        crate::rules::Natures::Units => "units".to_string(),
        crate::rules::Natures::List(l) => l.iter().map(|n| n.id()).collect::<Vec<_>>().join(", "),
    };
    format!("{types} / {natures}")
}

/// `beian explain RULE_ID`.
pub(crate) fn explain(a: &ExplainArgs, out: &mut dyn Write) -> Result<u8, Error> {
    let catalog = a.common.catalog()?;
    explain_in(&catalog, a, out)
}

/// `beian explain` against a loaded catalog.
pub fn explain_in(catalog: &Catalog, a: &ExplainArgs, out: &mut dyn Write) -> Result<u8, Error> {
    let lang = a.common.lang();
    let pid = province_id(catalog, a.province.as_deref())?;
    let rules = catalog.effective(pid.as_deref());
    let rule = rules
        .iter()
        .find(|r| r.id == a.rule)
        .map(|r| &**r)
        .or_else(|| catalog.find(&a.rule))
        .ok_or_else(|| {
            let near = catalog.similar_rule_ids(&a.rule);
            Error::Usage(format!(
                "unknown rule id `{}`{}",
                a.rule,
                if near.is_empty() {
                    String::new()
                } else {
                    format!("; did you mean `{}`?", near.join("`, `"))
                }
            ))
        })?;
    writeln!(out, "{} — {}", rule.id, rule.title.get(lang))?;
    if let Some(r) = &rule.reference {
        writeln!(out, "{}: {r}", t(lang, "参考编号", "reference"))?;
    }
    writeln!(
        out,
        "{}: {} ({}: {})",
        t(lang, "严重程度", "severity"),
        rule.severity.id(),
        t(lang, "缺少数据时", "when data is missing"),
        rule.missing.id()
    )?;
    writeln!(
        out,
        "{}: {}",
        t(lang, "可否豁免", "can be waived"),
        if rule.mandatory {
            t(lang, "否", "no")
        } else {
            t(lang, "是", "yes")
        }
    )?;
    writeln!(
        out,
        "{}: {}",
        t(
            lang,
            "适用（备案类型 / 主体性质）",
            "applies to (filing types / natures)"
        ),
        applies(rule)
    )?;
    writeln!(
        out,
        "{}: {} ({})",
        t(lang, "检查", "check"),
        rule.check.id(),
        rule.layer
    )?;
    if let Some(w) = &rule.when {
        for l in [Lang::Zh, Lang::En] {
            writeln!(
                out,
                "{}: {}",
                t(lang, "适用条件", "applies when"),
                crate::checks::predicate::lang::describe(w, l)
            )?;
        }
    }
    if let crate::checks::Check::Assert(a) = &rule.check {
        for l in [Lang::Zh, Lang::En] {
            writeln!(out, "{}: {}", t(lang, "要求", "requires"), a.describe(l))?;
        }
    } else if !rule.params.is_empty() {
        writeln!(
            out,
            "{}: {}",
            t(lang, "参数", "parameters"),
            serde_json::Value::Object(rule.params.clone())
        )?;
    }
    if !rule.fields.is_empty() {
        writeln!(out, "{}: {}", t(lang, "字段", "fields"), rule.fields.join(", "))?;
    }
    writeln!(out, "{}: {}", t(lang, "说明", "message"), rule.message.get(lang))?;
    if let Some(h) = &rule.hint {
        writeln!(out, "{}: {}", t(lang, "建议", "hint"), h.get(lang))?;
    }
    write!(
        out,
        "{}: {}",
        t(lang, "可信度", "confidence"),
        rule.confidence.id()
    )?;
    match &rule.confidence_note {
        Some(n) => writeln!(out, " — {}", n.get(lang))?,
        None => writeln!(out)?,
    }
    writeln!(
        out,
        "{}: {}",
        t(lang, "生效日期", "effective"),
        rule.effective.map_or_else(
            || t(
                lang,
                "来源未给出起始日期（审阅时有效）",
                "no start date in the sources (in force when reviewed)"
            ),
            |d| d.to_string()
        )
    )?;
    if let Some(o) = &rule.overridden {
        writeln!(
            out,
            "{}: {} — {}",
            t(lang, "省份调整", "changed by province"),
            o.by,
            o.note.get(lang)
        )?;
        for s in &o.sources {
            writeln!(
                out,
                "  - {} — {} ({} {})",
                s.url,
                s.title,
                t(lang, "查阅于", "seen"),
                s.seen
            )?;
        }
    }
    writeln!(out, "{}:", t(lang, "来源", "sources"))?;
    for s in &rule.sources {
        let published = s.published_suffix();
        writeln!(
            out,
            "  - {} — {}{published} ({} {})",
            s.url,
            s.title,
            t(lang, "查阅于", "seen"),
            s.seen
        )?;
    }
    let examples = rule.examples()?;
    if !examples.is_empty() {
        writeln!(out, "{}:", t(lang, "示例", "examples"))?;
        for e in &examples {
            let changes: Vec<String> = e
                .set
                .iter()
                .map(|(p, n)| {
                    format!(
                        "{p} = {}",
                        n.scalar()
                            .map_or_else(|| n.to_json_typed().to_string(), |s| s.text.clone())
                    )
                })
                .chain(
                    e.remove
                        .iter()
                        .map(|p| format!("{p} {}", t(lang, "删除", "removed"))),
                )
                .chain(e.tables.iter().map(|(id, rows)| {
                    format!(
                        "{id} {} {}{}",
                        t(lang, "代码表换为", "table replaced by"),
                        rows.len(),
                        t(lang, " 行", " rows")
                    )
                }))
                .collect();
            let expect = serde_json::to_value(e.expect)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let note = e.note.as_deref().map(|n| format!(" — {n}")).unwrap_or_default();
            writeln!(
                out,
                "  - {expect}: {} [{}]{note}",
                catalog.example_base(rule, e),
                changes.join("; ")
            )?;
        }
    }
    Ok(0)
}

/// `beian rules [--province P]`.
pub(crate) fn rules(a: &RulesArgs, out: &mut dyn Write) -> Result<u8, Error> {
    let lang = a.common.lang();
    let catalog = a.common.catalog()?;
    if let Some(dir) = &a.docs {
        let n = write_docs(&catalog, dir)?;
        writeln!(out, "{n} rule pages written to {}", dir.display())?;
        return Ok(0);
    }
    if a.verify {
        let files = match &a.common.rules_dir {
            None => crate::rules::files::Files::embedded(),
            Some(d) => crate::rules::files::Files::with_dir(d).map_err(Error::Usage)?,
        };
        let (count, bad) = crate::verify::verify(&catalog, &files);
        for m in &bad {
            writeln!(
                out,
                "{} {} example #{}: {}",
                m.layer, m.rule, m.example, m.message
            )?;
        }
        writeln!(
            out,
            "{} {count} {}, {} {}",
            t(lang, "规则示例", "rule examples:"),
            t(lang, "个", "run"),
            bad.len(),
            t(lang, "个不成立", "failed")
        )?;
        return Ok(u8::from(!bad.is_empty()));
    }
    let pid = province_id(&catalog, a.province.as_deref())?;
    let mut rules = catalog.effective(pid.as_deref());
    if let Some(api) = &a.api {
        let set = catalog
            .api_set(api)
            .ok_or_else(|| crate::args::unknown_choice("--api", "API", api, catalog.api_ids()))?;
        rules = catalog.effective_with_api(pid.as_deref(), set);
    }
    if a.format == ListFormat::Json {
        let list: Vec<serde_json::Value> = rules
            .iter()
            .map(|r| {
                let mut v = serde_json::json!({
                    "id": r.id,
                    "ruleset": r.layer.id(),
                    "title": {"zh": r.title.zh, "en": r.title.en},
                    "severity": r.severity.id(),
                    "confidence": r.confidence.id(),
                    "sources": r.urls(),
                });
                if let (Some(o), Some(obj)) = (&r.overridden, v.as_object_mut()) {
                    obj.insert("overridden_by".into(), serde_json::json!(o.by));
                    obj.insert(
                        "override_note".into(),
                        serde_json::json!({"zh": o.note.zh, "en": o.note.en}),
                    );
                }
                v
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &list).map_err(std::io::Error::from)?;
        writeln!(out)?;
        return Ok(0);
    }
    for r in rules.iter() {
        let mark = match (&r.overridden, &r.layer) {
            (Some(o), _) => format!(" [{} {}]", t(lang, "省份调整:", "overridden by"), o.by),
            (None, crate::rules::Layer::National | crate::rules::Layer::Input) => String::new(),
            (None, crate::rules::Layer::Province(layer)) => format!(" [{layer}]"),
        };
        writeln!(
            out,
            "{:<5} {:<6} {} — {}{mark}",
            r.severity.id(),
            r.confidence.id(),
            r.id,
            r.title.get(lang)
        )?;
    }
    if let Some(set) = pid.as_deref().and_then(|p| catalog.province_set(p)) {
        for o in set.overrides.iter().filter(|o| o.enabled == Some(false)) {
            writeln!(out, "off   -      {} — {}", o.rule, o.note.get(lang))?;
        }
        if !set.document_kinds.is_empty() {
            let kinds: Vec<&str> = set.document_kinds.iter().map(|k| k.id.as_str()).collect();
            writeln!(
                out,
                "{}: {}",
                t(lang, "本省增加的文件类型", "document kinds added by the province"),
                kinds.join(", ")
            )?;
        }
    }
    Ok(0)
}

/// `beian provinces`.
pub(crate) fn provinces(a: &ProvincesArgs, out: &mut dyn Write) -> Result<u8, Error> {
    let lang = a.common.lang();
    let catalog = a.common.catalog()?;
    if a.markdown {
        write!(out, "{}", crate::coverage::markdown(&catalog))?;
        return Ok(0);
    }
    if a.format == ListFormat::Json && a.province.is_none() {
        serde_json::to_writer_pretty(&mut *out, &crate::coverage::rows(&catalog))
            .map_err(std::io::Error::from)?;
        writeln!(out)?;
        return Ok(0);
    }
    if let Some(p) = &a.province {
        return province_detail(&catalog, lang, p, out);
    }
    let header = [
        t(lang, "代码", "code"),
        t(lang, "名称", "name"),
        "id".to_string(),
        t(lang, "规则", "rules"),
        t(lang, "覆盖", "overrides"),
        t(lang, "版本", "version"),
        t(lang, "审阅", "reviewed"),
        t(lang, "最新来源", "newest source"),
    ];
    let mut table = vec![header.to_vec()];
    for r in crate::coverage::rows(&catalog) {
        table.push(match &r.set {
            Some(f) => vec![
                r.code,
                r.name,
                r.id,
                f.rules.to_string(),
                f.overrides.to_string(),
                f.version.clone(),
                f.reviewed.clone(),
                f.newest_source
                    .clone()
                    .unwrap_or_else(|| t(lang, "无日期", "undated")),
            ],
            None => vec![
                r.code,
                r.name,
                r.id,
                "-".into(),
                "-".into(),
                t(
                    lang,
                    "暂无省级规则（仅适用全国规则）",
                    "no provincial rules yet (national layer only)",
                ),
            ],
        });
    }
    write_table(out, &table)?;
    writeln!(
        out,
        "{}",
        t(
            lang,
            "`beian provinces <省份>` 显示该省规则集的来源与资料缺口。",
            "`beian provinces <PROVINCE>` shows a rule set's sources and the gaps its references leave."
        )
    )?;
    Ok(0)
}

/// Columns padded by display width, so Chinese names line up.
fn write_table(out: &mut dyn Write, rows: &[Vec<String>]) -> std::io::Result<()> {
    use unicode_width::UnicodeWidthStr;
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|c| {
            rows.iter()
                .filter(|r| r.len() > c + 1)
                .filter_map(|r| r.get(c))
                .map(|v| v.width())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in rows {
        let mut line = String::new();
        for (c, v) in row.iter().enumerate() {
            if c > 0 {
                line.push_str("  ");
            }
            line.push_str(v);
            if c + 1 < row.len() {
                let w = widths.get(c).copied().unwrap_or(0);
                line.push_str(&" ".repeat(w.saturating_sub(v.width())));
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

fn province_detail(catalog: &Catalog, lang: Lang, p: &str, out: &mut dyn Write) -> Result<u8, Error> {
    let info = crate::args::province(catalog, p)?;
    writeln!(
        out,
        "{} {} ({}, {})",
        info.code, info.full_name, info.id, info.icp
    )?;
    let Some(set) = catalog.province_set(&info.id) else {
        writeln!(
            out,
            "{}",
            t(
                lang,
                "暂无省级规则：只适用全国规则。",
                "No provincial rule set yet: only the national layer applies."
            )
        )?;
        return Ok(0);
    };
    writeln!(
        out,
        "{} {}  {} {}  {} {}  {} {}",
        t(lang, "版本", "version"),
        set.version,
        t(lang, "审阅", "reviewed"),
        set.reviewed,
        t(lang, "规则", "rules"),
        set.rules.len(),
        t(lang, "覆盖全国规则", "overrides"),
        set.overrides.len()
    )?;
    if let Some(c) = &set.coverage {
        writeln!(
            out,
            "\n{}\n{}",
            t(lang, "资料覆盖范围与缺口：", "Coverage and gaps:"),
            c.get(lang)
        )?;
    }
    let mut sources: Vec<&crate::rules::Source> = set.cited_sources().collect();
    sources.sort_by(|a, b| a.key.cmp(&b.key));
    sources.dedup_by(|a, b| a.key == b.key);
    writeln!(out, "\n{}", t(lang, "来源：", "Sources:"))?;
    for s in sources {
        writeln!(
            out,
            "  {} ({}; {} {})\n    {}",
            s.title,
            s.published.as_deref().unwrap_or("undated"),
            t(lang, "查阅于", "seen"),
            s.seen,
            s.url
        )?;
    }
    writeln!(
        out,
        "\n{}",
        t(
            lang,
            &format!("规则列表：beian rules --province {}", info.id),
            &format!("Rules: beian rules --province {}", info.id)
        )
    )?;
    Ok(0)
}

/// `beian sms PATH`.
/// `beian convert`: an application ↔ an API request body. Exit 0, or 2 for a file that cannot be read.
pub(crate) fn convert(a: &crate::args::ConvertArgs, out: &mut dyn Write) -> Result<u8, Error> {
    let catalog = a.common.catalog_lazy()?;
    let apis = &catalog.data.apis;
    if let Some(id) = &a.map {
        let spec = apis.apis.get(id).ok_or_else(|| {
            crate::args::unknown_choice("--map", "API", id, apis.apis.keys().map(String::as_str))
        })?;
        out.write_all(crate::payload::convert::map_markdown(id, spec, apis).as_bytes())?;
        return Ok(0);
    }
    let (Some(path), Some(to)) = (a.path.as_deref(), a.to.as_deref()) else {
        return Err(Error::Usage("convert needs a file and --to".into()));
    };
    if to != "beian" && !apis.apis.contains_key(to) {
        let known = std::iter::once("beian").chain(apis.apis.keys().map(String::as_str));
        return Err(crate::args::unknown_choice("--to", "format", to, known));
    }
    let forced = crate::args::input_format(&catalog, &a.input_format)?;
    let file = crate::walk::InputFile {
        name: path.to_string(),
        path: (path != "-").then(|| path.into()),
        discovered: false,
    };
    let bytes =
        crate::walk::read_input(&file, a.max_size).map_err(|e| Error::Usage(format!("{path}: {e}")))?;
    let limits = crate::input::Limits {
        max_size: a.max_size,
        ..crate::input::Limits::default()
    };
    let doc = crate::input::load_named(path, &bytes, &limits).map_err(|e| {
        Error::Usage(format!(
            "{path}:{}:{}: {}",
            e.line,
            e.column,
            e.message.get(a.common.lang())
        ))
    })?;
    let api = match forced.as_deref() {
        Some("beian") => None,
        Some(id) => Some(id.to_string()),
        None => crate::payload::detect(apis, &doc.root).map(str::to_string),
    };
    // The application: as read, or mapped from the body. What the mapping could not carry is said on stderr.
    let mut notes = Vec::new();
    let app = match api.as_deref().and_then(|id| apis.apis.get(id).map(|s| (id, s))) {
        Some((id, spec)) => {
            let (doc, _) = crate::payload::translate(doc, id, spec, &catalog.data);
            if let Some(body) = &doc.api {
                let mut lost: Vec<(&String, &crate::text::Text)> = body
                    .exempt
                    .iter()
                    .filter(|(b, _)| !spec.platform_fills.iter().any(|p| &p.beian == *b))
                    .collect();
                lost.sort_by(|a, b| a.0.cmp(b.0));
                for (b, why) in lost {
                    notes.push(format!("{}: {}; not in the application", body.to_api(b), why.en));
                }
                notes.extend(crate::payload::convert::uncarried(spec, &body.payload));
            }
            doc.root
        }
        None => doc.root,
    };
    match apis.apis.get(to) {
        None => out.write_all(crate::payload::convert::to_yaml(&app).as_bytes())?,
        Some(spec) => {
            // Media ids belong to the platform that issued them: not carried from one API's body to another's
            // (an application's `file` values are kept: they may be ids from an earlier conversion).
            let keep_media = api.as_deref().is_none_or(|from| from == to);
            let (body, more) = crate::payload::convert::to_body(&app, spec, &catalog.data, keep_media);
            notes.extend(more);
            serde_json::to_writer_pretty(&mut *out, &body).map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
    }
    let mut err = anstream::stderr();
    for n in notes {
        writeln!(err, "note: {n}")?;
    }
    Ok(0)
}

pub(crate) fn sms(a: &SmsArgs, out: &mut dyn Write) -> Result<u8, Error> {
    let lang = a.common.lang();
    let catalog = a.common.catalog_lazy()?;
    let file = crate::walk::InputFile {
        name: a.path.clone(),
        path: (a.path != "-").then(|| a.path.clone().into()),
        discovered: false,
    };
    let bytes =
        crate::walk::read_input(&file, a.max_size).map_err(|e| Error::Usage(format!("{}: {e}", a.path)))?;
    let opts = Options {
        lang,
        show_pii: a.show_pii,
        province: a.province.clone(),
        limits: crate::input::Limits {
            max_size: a.max_size,
            ..crate::input::Limits::default()
        },
        ..Options::default()
    };
    let result = crate::engine::check_bytes(&a.path, &bytes, &catalog, &opts);
    match result.outcome {
        // Errors go to standard error, with exit code 2, as for every other command.
        FileOutcome::Error(e) => Err(Error::Usage(format!(
            "{}:{}:{}: {}",
            a.path, e.line, e.column, e.message
        ))),
        FileOutcome::Checked(c) => {
            let Some(plan) = c.sms else { return Ok(2) };
            let code = if plan.without_mobile.is_empty() { 0 } else { 1 };
            if a.format == ListFormat::Json {
                let v = serde_json::json!({"file": a.path, "filing_type": c.filing_type, "sms": plan});
                serde_json::to_writer_pretty(&mut *out, &v).map_err(std::io::Error::from)?;
                writeln!(out)?;
                return Ok(code);
            }
            writeln!(
                out,
                "{}: {}",
                t(lang, "备案类型", "filing type"),
                c.filing_type.unwrap_or("-")
            )?;
            if plan.recipients.is_empty() {
                writeln!(out, "{}", t(lang, "无人接收验证码。", "Nobody receives a code."))?;
            }
            for r in &plan.recipients {
                let roles: Vec<String> = r.roles.iter().map(|x| format!("{} {}", x.role, x.path)).collect();
                writeln!(out, "  {}  ← {}", r.mobile, roles.join(", "))?;
            }
            for m in &plan.without_mobile {
                writeln!(
                    out,
                    "  {}  ← {} {}",
                    t(
                        lang,
                        "（缺少手机号码，无法接收验证码）",
                        "(no mobile: cannot receive a code)"
                    ),
                    m.role,
                    m.path
                )?;
            }
            writeln!(
                out,
                "{}",
                match lang {
                    Lang::Zh => format!(
                        "须在 {} 小时内完成核验；最多重发 {} 次；连续输错 {} 次将退回申请。",
                        plan.deadline_hours, plan.max_resends, plan.max_wrong_attempts
                    ),
                    Lang::En => format!(
                        "Enter each code within {} hours; at most {} resends; {} wrong entries and the application is returned.",
                        plan.deadline_hours, plan.max_resends, plan.max_wrong_attempts
                    ),
                }
            )?;
            for n in &plan.notes {
                writeln!(out, "- {n}")?;
            }
            // A principal without a mobile cannot complete the verification: the plan is incomplete.
            Ok(code)
        }
    }
}

/// Writes `docs/rules/`: a page per rule of every rule set and an index. Pages of rules that no longer exist are
/// removed, so the directory is exactly what the rule data says.
pub(crate) fn write_docs(catalog: &Catalog, dir: &std::path::Path) -> Result<usize, Error> {
    use crate::rules::doc;
    std::fs::create_dir_all(dir)?;
    let mut index = String::from(
        "# Rules\n\n<!-- Generated from the rule data by `beian rules --docs docs/rules`; do not edit. -->\n\nOne page per rule: what it requires, why, how to fix it, and its sources. `beian explain RULE_ID` prints the same in a terminal.\n",
    );
    let mut written = std::collections::BTreeSet::new();
    for set in catalog.sets() {
        let _ = write!(index, "\n## `{}`\n\n", set.id);
        for rule in &set.rules {
            let name = doc::file_name(&rule.id);
            std::fs::write(dir.join(&name), doc::page(rule))?;
            let _ = writeln!(index, "- [`{}`]({name}) — {}", rule.id, rule.title.en);
            written.insert(name);
        }
    }
    std::fs::write(dir.join("README.md"), index)?;
    for entry in std::fs::read_dir(dir)?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".md") && name != "README.md" && !written.contains(&name) {
            std::fs::remove_file(entry.path())?;
        }
    }
    Ok(written.len())
}
