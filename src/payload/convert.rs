//! `beian convert`: an API request body → an application (YAML, for editing), and an application → an API
//! request body (JSON), both through the field map of `provinces/data/apis.yaml`. Media fields the application
//! cannot hold are written as placeholders the caller fills in.

use crate::apispec::{ApiSpec, Via, member};
use crate::data::Data;
use crate::input::node::{Node, NodeKind, pointer_tokens, resolve};

/// A YAML text of a tree (block style; every scalar that is not a plain number or word is double-quoted, so
/// that `02412345678` stays text).
pub(crate) fn to_yaml(node: &Node) -> String {
    let mut out = String::new();
    write_node(node, 0, &mut out);
    out
}

fn quoted(text: &str, plain: bool) -> String {
    let safe = plain
        && !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
        && !text.starts_with('-')
        && !text.starts_with('.');
    if safe {
        text.to_string()
    } else {
        serde_json::Value::String(text.to_string()).to_string()
    }
}

fn key_text(key: &str) -> String {
    quoted(key, true)
}

fn write_node(node: &Node, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match &node.kind {
        NodeKind::Scalar(s) => {
            out.push_str(&quoted(&s.text, s.plain));
            out.push('\n');
        }
        NodeKind::Map(entries) if entries.is_empty() => out.push_str("{}\n"),
        NodeKind::Seq(items) if items.is_empty() => out.push_str("[]\n"),
        NodeKind::Map(entries) => {
            for (i, e) in entries.iter().enumerate() {
                if i > 0 || !out.ends_with("- ") {
                    out.push_str(&pad);
                }
                out.push_str(&key_text(&e.key));
                out.push(':');
                match &e.value.kind {
                    NodeKind::Scalar(_) => out.push(' '),
                    NodeKind::Map(x) if x.is_empty() => out.push(' '),
                    NodeKind::Seq(x) if x.is_empty() => out.push(' '),
                    _ => out.push('\n'),
                }
                write_node(&e.value, indent + 2, out);
            }
        }
        NodeKind::Seq(items) => {
            for item in items {
                out.push_str(&pad);
                out.push_str("- ");
                match &item.kind {
                    NodeKind::Map(e) if !e.is_empty() => write_node(item, indent + 2, out),
                    NodeKind::Seq(x) if !x.is_empty() => {
                        out.push('\n');
                        write_node(item, indent + 2, out);
                    }
                    _ => write_node(item, indent + 2, out),
                }
            }
        }
    }
}

/// The JSON value of a scalar text: numbers stay numbers where the body has them as numbers.
fn json_of(text: &str, numeric: bool) -> serde_json::Value {
    if numeric {
        if let Ok(n) = text.parse::<i64>() {
            return serde_json::Value::from(n);
        }
    }
    serde_json::Value::String(text.to_string())
}

/// Sets `ptr` in a JSON body, creating objects and arrays on the way.
fn put(root: &mut serde_json::Value, ptr: &str, value: serde_json::Value) {
    let tokens = pointer_tokens(ptr);
    let mut cur = root;
    for (i, t) in tokens.iter().enumerate() {
        let last = i + 1 == tokens.len();
        let next_list = tokens
            .get(i + 1)
            .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()));
        let empty = || {
            if next_list {
                serde_json::Value::Array(Vec::new())
            } else {
                serde_json::Value::Object(serde_json::Map::new())
            }
        };
        let slot = match cur {
            serde_json::Value::Object(map) => map.entry(t.clone()).or_insert_with(empty),
            serde_json::Value::Array(items) => {
                let Ok(n) = t.parse::<usize>() else { return };
                while items.len() <= n {
                    items.push(empty());
                }
                match items.get_mut(n) {
                    Some(s) => s,
                    None => return,
                }
            }
            _ => return,
        };
        if last {
            *slot = value;
            return;
        }
        cur = slot;
    }
}

/// The body code of an application value (`enterprise` → 4), through a table.
fn code_of(data: &Data, table: &str, value: &str) -> Option<String> {
    let t = data.apis.tables.get(table)?;
    t.rows
        .iter()
        .find(|r| {
            member(r, "beian").as_deref() == Some(value) || member(r, &t.name).as_deref() == Some(value)
        })
        .and_then(|r| member(r, &t.key))
        .or_else(|| {
            // An application may spell a value by its Chinese term (企业): the table names rows that way.
            let parsed = crate::model::Nature::parse(value).map(|n| n.label().zh);
            let parsed = parsed.or_else(|| crate::model::CertType::parse(value).map(|c| c.label().zh))?;
            t.rows
                .iter()
                .find(|r| member(r, &t.name).as_deref() == Some(parsed.as_str()))
                .and_then(|r| member(r, &t.key))
        })
}

/// The area code of a division name at `level` (0 province, 1 prefecture, 2 county), within the division
/// `within`.
fn division_code(data: &Data, name: &str, level: usize, within: Option<&str>) -> Option<String> {
    use crate::ids::divisions::Level;
    let divisions = &data.divisions;
    let parent = within.and_then(|c| divisions.by_code(c));
    let want = match level {
        0 => Level::Province,
        1 => Level::Prefecture,
        _ => Level::County,
    };
    let mut found = divisions
        .named(name)
        .into_iter()
        .filter(|d| d.level == want && parent.is_none_or(|p| divisions.within(d, p)));
    if let Some(d) = found.next() {
        return Some(d.code.to_string());
    }
    // A municipality's city is written as its own name (北京市): the body uses the placeholder prefecture.
    let p = parent?;
    if p.name == name {
        return divisions.children(p).next().map(|d| d.code.to_string());
    }
    None
}

/// Placeholder written where the body needs a media file the application does not hold.
pub(crate) const MEDIA: &str = "MEDIA_ID";

/// An application → the API's request body.
/// An application → the API's request body, with notes on what the body could not take. `keep_media`: the
/// documents' `file` values are this API's media ids (the application came from its body); otherwise each
/// becomes a placeholder.
pub(crate) fn to_body(
    app: &Node,
    spec: &ApiSpec,
    data: &Data,
    keep_media: bool,
) -> (serde_json::Value, Vec<String>) {
    let mut notes = Vec::new();
    for (key, what) in [
        ("/websites", "websites"),
        ("/domains", "domains"),
        ("/previous", "previous"),
    ] {
        if resolve(app, key).is_some_and(|n| !n.is_null() && n.items().is_none_or(|i| !i.is_empty())) {
            notes.push(format!(
                "{key}: the request body has no place for {what}; not written"
            ));
        }
    }
    // What every body implies: a first filing of a mini-program, with no date of its own.
    for (ptr, implied) in [("/filing_type", "first_filing"), ("/apps/0/kind", "mini_program")] {
        if let Some(v) = crate::payload::value(resolve(app, ptr)).filter(|v| *v != implied) {
            notes.push(format!(
                "{ptr}: `{v}` is not written; a request body files a new mini-program ({implied})"
            ));
        }
    }
    if crate::payload::value(resolve(app, "/date")).is_some() {
        notes.push("/date: the request body has no date; not written".into());
    }
    if let Some(apps) = resolve(app, "/apps")
        .and_then(Node::items)
        .filter(|a| a.len() > 1)
    {
        notes.push(format!(
            "/apps: a request body files one mini-program; apps 1 to {} not written",
            apps.len() - 1
        ));
    }
    let mut body = serde_json::Value::Object(serde_json::Map::new());
    let mut area: Vec<String> = Vec::new();
    // An object the body leaves out when it is a copy of another (WeChat: no legal_person_info when the
    // principal is the legal person) is not written then.
    let left_out: Vec<&str> = spec
        .copies
        .iter()
        .filter(|c| same_members(app, c))
        .map(|c| c.to.as_str())
        .collect();
    // Every other value the application holds that no body field takes.
    let mapped: Vec<&str> = spec.fields.iter().map(|f| f.beian.as_str()).collect();
    let mut leaves = Vec::new();
    unmapped_leaves(app, "", "", &mapped, &mut leaves);
    notes.extend(
        leaves
            .into_iter()
            .filter(|p| !left_out.iter().any(|t| p.starts_with(&format!("{t}/"))))
            .map(|p| format!("{p}: the request body has no place for it; not written")),
    );
    for f in &spec.fields {
        if f.via == Via::Province || f.via == Via::EndTimeFlag {
            continue;
        }
        if left_out.iter().any(|t| f.beian.starts_with(&format!("{t}/"))) {
            continue;
        }
        let (beian_list, api_list) = match (f.beian.split_once("/*"), f.api.split_once("/*")) {
            (Some((bl, br)), Some((al, ar))) => {
                let n = resolve(app, bl).and_then(Node::items).map_or(0, <[Node]>::len);
                (0..n)
                    .map(|i| (format!("{bl}/{i}{br}"), format!("{al}/{i}{ar}")))
                    .unzip::<_, _, Vec<_>, Vec<_>>()
            }
            _ => (vec![f.beian.clone()], vec![f.api.clone()]),
        };
        for (b, a) in beian_list.iter().zip(&api_list) {
            let Some(text) = crate::payload::value(resolve(app, b)) else {
                continue;
            };
            let text = text.trim();
            let value = match f.via {
                Via::Text => Some(serde_json::Value::String(text.to_string())),
                Via::Code => {
                    let code = f.table.as_deref().and_then(|t| code_of(data, t, text));
                    if code.is_none() {
                        notes.push(format!(
                            "{b}: `{text}` has no code in {}; {a} not written",
                            f.table.as_deref().unwrap_or_default()
                        ));
                    }
                    code.map(|c| json_of(&c, true))
                }
                Via::Division => {
                    let within = area.last().map(String::as_str);
                    let code = division_code(data, text, area.len(), within);
                    if let Some(c) = &code {
                        area.push(c.clone());
                    }
                    code.map(serde_json::Value::String)
                }
                Via::Date8 => Some(serde_json::Value::String(match text {
                    "long_term" | "长期" => "长期".to_string(),
                    t => t.replace('-', ""),
                })),
                Via::UnixDate => match text {
                    "long_term" | "长期" => {
                        put(
                            &mut body,
                            &replace_last(a, "incharge_people_credentials_has_end_time"),
                            serde_json::Value::Bool(false),
                        );
                        None
                    }
                    t => crate::date::Date::parse(t).map(|d| {
                        put(
                            &mut body,
                            &replace_last(a, "incharge_people_credentials_has_end_time"),
                            serde_json::Value::Bool(true),
                        );
                        serde_json::Value::from(d.days() * 86_400 - 8 * 3600)
                    }),
                },
                Via::Province | Via::EndTimeFlag => None,
            };
            if let Some(v) = value {
                put(&mut body, a, v);
            }
        }
    }
    let items = resolve(app, "/documents")
        .and_then(Node::items)
        .unwrap_or_default();
    // Each document is written once, to the first body field of its kind (and owner); where several body fields
    // hold one kind (WeChat's two 承诺书), each but the last takes one document, so a round trip refills them.
    let mut written = vec![false; items.len()];
    for (at, d) in spec.documents.iter().enumerate() {
        let shared = spec
            .documents
            .iter()
            .skip(at + 1)
            .any(|o| o.kind == d.kind && o.for_ == d.for_);
        let mut wanted = Vec::new();
        for (n, doc) in items.iter().enumerate() {
            let kind = doc
                .get("kind")
                .or(Some(doc))
                .and_then(|k| crate::payload::value(Some(k)));
            let target = crate::payload::value(doc.get("for"));
            // A document for an owner the application does not have (no mini-program) has no place.
            let owner = d.for_.as_deref().is_none_or(|f| resolve(app, f).is_some());
            let fits = owner
                && kind == Some(d.kind.as_str())
                && (d.for_.is_none() || target.is_none() || target == d.for_.as_deref());
            if shared && !wanted.is_empty() {
                break;
            }
            if let Some(w) = written.get_mut(n).filter(|w| fits && !**w) {
                *w = true;
                wanted.push(doc);
            }
        }
        for (i, doc) in wanted.into_iter().enumerate() {
            let file = crate::payload::value(doc.get("file"))
                .filter(|_| keep_media)
                .unwrap_or(MEDIA)
                .to_string();
            let ptr = match d.api.split_once("/*") {
                Some((list, rest)) => format!("{list}/{i}{rest}"),
                None if i == 0 => d.api.clone(),
                None => continue,
            };
            put(&mut body, &ptr, serde_json::Value::String(file));
        }
    }
    for (n, doc) in items.iter().enumerate() {
        if !written.get(n).copied().unwrap_or(true) {
            let kind = doc
                .get("kind")
                .or(Some(doc))
                .and_then(|k| crate::payload::value(Some(k)))
                .unwrap_or_default();
            // A kind the body has a field for, whose owner the application lacks (no mini-program).
            let owner = spec
                .documents
                .iter()
                .find(|d| d.kind == kind)
                .and_then(|d| d.for_.as_deref());
            notes.push(match owner {
                Some(o) => format!(
                    "/documents/{n}: {kind} belongs to {o}, which the application does not have; not written"
                ),
                None => format!("/documents/{n}: the request body has no field for {kind}; not written"),
            });
        }
    }
    if resolve(app, "/apps/0").is_none() {
        notes.push(
            "/apps: the application has no APP or mini-program; the body's mini-program part is not written"
                .into(),
        );
    }
    (body, notes)
}

/// What of a body the application does not carry: fields with no place in it, and documents of one kind from
/// two body fields (converting back writes both to the first).
pub(crate) fn uncarried(spec: &ApiSpec, payload: &Node) -> Vec<String> {
    let present = |pattern: &str| {
        crate::payload::places(payload, pattern)
            .into_iter()
            .filter(|(_, n)| {
                n.is_some_and(|n| {
                    !n.is_null()
                        && n.items().is_none_or(|i| !i.is_empty())
                        && n.scalar().is_none_or(|s| !s.text.trim().is_empty())
                })
            })
            .map(|(p, _)| p)
            .collect::<Vec<_>>()
    };
    let mut notes: Vec<String> = spec
        .other
        .iter()
        .flat_map(|o| present(o))
        .map(|p| format!("{p}: the application has no place for it; not carried"))
        .collect();
    for f in spec.fields.iter().filter(|f| f.skip_unless.is_some()) {
        let Some((list, _)) = f.api.split_once("/*") else {
            continue;
        };
        let key = f.skip_unless.as_deref().unwrap_or_default();
        for (i, item) in crate::input::node::resolve(payload, list)
            .and_then(Node::items)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let note = format!("{list}/{i}: without `{key}`, the element is not carried");
            if crate::payload::value(item.get(key)).is_none() && !notes.contains(&note) {
                notes.push(note);
            }
        }
    }
    let mut first: Vec<(&str, &str)> = Vec::new();
    for d in &spec.documents {
        let list = d.api.split_once("/*").map_or(d.api.as_str(), |(l, _)| l);
        if present(&d.api).is_empty() {
            continue;
        }
        match first.iter().find(|(k, _)| *k == d.kind) {
            Some((_, earlier)) => notes.push(format!(
                "{list}: read as {}, as {earlier} is; converting back writes it to {earlier}",
                d.kind
            )),
            None => first.push((d.kind.as_str(), list)),
        }
    }
    notes
}

/// Values of the application (leaves, with their pointers) that no field of the map takes; parts noted as a
/// whole (websites, domains, previous, documents, apps after the first) and what every body implies (version,
/// filing type, the APP's kind) are left out.
fn unmapped_leaves(node: &Node, ptr: &str, pattern: &str, mapped: &[&str], out: &mut Vec<String>) {
    const WHOLE: &[&str] = &[
        "/websites",
        "/domains",
        "/previous",
        "/documents",
        "/version",
        "/filing_type",
        "/date",
        "/province",
        "/apps/0/kind",
    ];
    if WHOLE.contains(&pattern) || (ptr.starts_with("/apps/") && !ptr.starts_with("/apps/0")) {
        return;
    }
    match &node.kind {
        NodeKind::Map(entries) => {
            for e in entries {
                let t = crate::input::node::escape_token(&e.key);
                unmapped_leaves(
                    &e.value,
                    &format!("{ptr}/{t}"),
                    &format!("{pattern}/{t}"),
                    mapped,
                    out,
                );
            }
        }
        NodeKind::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                // The map names `apps/0` by its index and other lists' elements by `*`.
                let index = format!("{pattern}/{i}");
                let p = if mapped.iter().any(|m| m.starts_with(&format!("{index}/"))) {
                    index
                } else {
                    format!("{pattern}/*")
                };
                unmapped_leaves(item, &format!("{ptr}/{i}"), &p, mapped, out);
            }
        }
        NodeKind::Scalar(_) if node.is_null() => {}
        NodeKind::Scalar(_) => {
            if !mapped.contains(&pattern) {
                out.push(ptr.to_string());
            }
        }
    }
}

/// Whether the copy's target holds the same members as its source (then the body leaves it out).
fn same_members(app: &Node, c: &crate::apispec::Copy) -> bool {
    let get = |n: &Node, m: &str| crate::payload::value(n.get(m)).map(|v| v.trim().to_string());
    match (resolve(app, &c.from), resolve(app, &c.to)) {
        (Some(from), Some(to)) => {
            c.members.iter().any(|m| get(to, m).is_some())
                && c.members
                    .iter()
                    .all(|m| get(to, m).is_none() || get(to, m) == get(from, m))
        }
        _ => false,
    }
}

fn replace_last(ptr: &str, key: &str) -> String {
    match ptr.rsplit_once('/') {
        Some((parent, _)) => format!("{parent}/{key}"),
        None => format!("/{key}"),
    }
}

/// The field map of an API as Markdown (`beian convert --map API`, docs/apis.md).
pub(crate) fn map_markdown(id: &str, spec: &ApiSpec, apis: &crate::apispec::Apis) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(out, "### `{id}`: {}\n", spec.title.en);
    let _ = writeln!(
        out,
        "Recognised by the top-level keys {}. Source: <{}>\n",
        spec.detect
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", "),
        spec.source
    );
    let _ = writeln!(out, "| body field | application field | conversion |");
    let _ = writeln!(out, "|---|---|---|");
    for f in &spec.fields {
        let via = match f.via {
            Via::Text => String::new(),
            Via::Code => format!("code table `{}`", f.table.as_deref().unwrap_or_default()),
            Via::Division => "area code ↔ division name".into(),
            Via::Province => "area code → province (read only)".into(),
            Via::Date8 => "YYYYmmdd ↔ YYYY-MM-DD, 长期 ↔ long_term".into(),
            Via::UnixDate => "seconds ↔ date (Asia/Shanghai)".into(),
            Via::EndTimeFlag => "false ↔ long_term".into(),
        };
        let skip = f
            .skip_unless
            .as_deref()
            .map(|k| format!("; elements without `{k}` are left out"))
            .unwrap_or_default();
        let _ = writeln!(out, "| `{}` | `{}` | {via}{skip} |", f.api, f.beian);
    }
    for d in &spec.documents {
        let owner = d
            .for_
            .as_deref()
            .map(|f| format!(" for `{f}`"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "| `{}` | `documents`: `{}`{owner} | media id → `file` |",
            d.api, d.kind
        );
    }
    for c in &spec.constants {
        let _ = writeln!(out, "| — | `{}` | always `{}` |", c.beian, c.value);
    }
    for c in &spec.copies {
        let _ = writeln!(
            out,
            "| `{}` absent | `{}` | copied from `{}` ({}) when the body leaves it out{} |",
            c.when_absent,
            c.to,
            c.from,
            c.members.join(", "),
            c.unless
                .as_deref()
                .map(|u| format!(" and has no `{u}`"))
                .unwrap_or_default()
        );
    }
    if !spec.platform_fills.is_empty() {
        let _ = writeln!(
            out,
            "\nNot in the body (a missing value is a note, not a failure):\n"
        );
        for p in &spec.platform_fills {
            let _ = writeln!(out, "- `{}`: {}", p.beian, p.why.en);
        }
    }
    if !spec.other.is_empty() {
        let _ = writeln!(
            out,
            "\nKnown fields with no place in the application (accepted; the API rules check some of them): {}.",
            spec.other
                .iter()
                .map(|o| format!("`{o}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let prefix = format!("{id}.");
    let tables: Vec<_> = apis
        .tables
        .iter()
        .filter(|(t, _)| t.starts_with(&prefix))
        .collect();
    if !tables.is_empty() {
        let _ = writeln!(
            out,
            "\nCode tables (run-time API results; what the documentation shows, `--api-table` replaces one):\n"
        );
        for (t, table) in tables {
            let codes = if table.rows.is_empty() {
                "no codes documented".to_string()
            } else {
                table.listing()
            };
            let _ = writeln!(out, "- `{t}` ({}, seen {}): {codes}", table.source, table.seen);
        }
    }
    out
}
