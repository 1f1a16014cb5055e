//! Embeds every file under `provinces/` so the binary runs without any data files (STYLE.md lesson 8).
//!
//! Rule files and YAML tables are compiled to JSON here, so a run reads them at JSON speed instead of parsing
//! YAML (national.yaml alone takes milliseconds). `--rules-dir` still reads YAML, with positions for errors.
//! Plain scalars are typed as the loader types them (YAML 1.2 core schema); values under a `set` key (rule
//! examples, which are applications) keep their text, with only booleans and nulls typed.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use saphyr_parser::{Event, Parser, ScalarStyle};
use serde_json::{Map, Value};

// The short-form rules of division names, shared with src/ids/divisions.rs.
include!("src/ids/division_names.rs");

/// `divisions.tsv` as Rust statics: the rows, the sorted name index, the longest name.
fn divisions_table(tsv: &str) -> String {
    let mut rows = Vec::new();
    for line in tsv
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let cols: Vec<&str> = line.split('\t').collect();
        if let [code, level, parent, name, ..] = cols.as_slice() {
            let level = match *level {
                "province" => 0u8,
                "prefecture" => 1,
                _ => 2,
            };
            rows.push((
                code.to_string(),
                level,
                parent.to_string(),
                name.trim().to_string(),
            ));
        }
    }
    let mut index: Vec<(String, usize, bool)> = Vec::new();
    for (i, (_, level, _, name)) in rows.iter().enumerate() {
        if PLACEHOLDERS.contains(&name.as_str()) {
            continue;
        }
        index.push((name.clone(), i, true));
        if let Some(short) = short_name(name, *level) {
            index.push((short, i, false));
        }
    }
    index.sort();
    let max_name = index.iter().map(|e| e.0.chars().count()).max().unwrap_or(0);
    let mut code = String::from("pub(super) static ROWS: &[Division] = &[\n");
    for (c, level, parent, name) in &rows {
        let level = match level {
            0 => "Level::Province",
            1 => "Level::Prefecture",
            _ => "Level::County",
        };
        let parent = if parent == "-" {
            "None".to_string()
        } else {
            format!("Some(Cow::Borrowed({parent:?}))")
        };
        let _ = writeln!(
            code,
            "    Division {{ code: Cow::Borrowed({c:?}), level: {level}, parent: {parent}, name: Cow::Borrowed({name:?}) }},"
        );
    }
    code.push_str("];\npub(super) static INDEX: &[(&str, u16, bool)] = &[\n");
    for (name, i, full) in &index {
        let _ = writeln!(code, "    ({name:?}, {i}, {full}),");
    }
    let _ = writeln!(code, "];\npub(super) const MAX_NAME: usize = {max_name};");
    code
}

/// `mobile_ranges.tsv` as a static: (start, end, province code).
fn mobile_table(tsv: &str) -> String {
    let mut code = String::from("pub(super) static RANGES: &[(u32, u32, u8)] = &[\n");
    for line in tsv
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let cols: Vec<&str> = line.split('\t').map(str::trim).collect();
        if let [a, b, p, ..] = cols.as_slice() {
            if let (Ok(a), Ok(b), Ok(p)) = (a.parse::<u32>(), b.parse::<u32>(), p.parse::<u8>()) {
                let _ = writeln!(code, "    ({a}, {b}, {p}),");
            }
        }
    }
    code.push_str("];\n");
    code
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'))
        {
            continue;
        }
        if p.is_dir() {
            collect(&p, out);
        } else if matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "tsv")) {
            out.push(p);
        }
    }
}

fn typed(text: &str, plain: bool, raw: bool) -> Value {
    if !plain {
        return Value::String(text.to_string());
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    if raw {
        // Example values keep their text exactly; a plain integer whose text survives the round trip stays a
        // number, so that a request body's example keeps its JSON type (`"type": 4` against `"type": "4"`).
        return match text.parse::<i64>() {
            Ok(i) if i.to_string() == text => Value::from(i),
            _ => Value::String(text.to_string()),
        };
    }
    if let Ok(i) = text.parse::<i64>() {
        return Value::from(i);
    }
    if text.contains('.') {
        if let Some(n) = text.parse::<f64>().ok().and_then(serde_json::Number::from_f64) {
            return Value::Number(n);
        }
    }
    Value::String(text.to_string())
}

enum Frame {
    Map(Map<String, Value>, Option<String>, bool),
    Seq(Vec<Value>, bool),
}

/// YAML → JSON; `None` when the file does not convert (the runtime loader then reports the error).
fn convert(text: &str) -> Option<Value> {
    let mut stack: Vec<Frame> = Vec::new();
    let mut root = None;
    let raw_here = |stack: &Vec<Frame>| match stack.last() {
        Some(Frame::Map(_, Some(k), raw)) => *raw || k == "set",
        Some(Frame::Map(_, None, raw)) | Some(Frame::Seq(_, raw)) => *raw,
        None => false,
    };
    fn push(stack: &mut [Frame], root: &mut Option<Value>, v: Value) -> Option<()> {
        match stack.last_mut() {
            None => *root = Some(v),
            Some(Frame::Seq(items, _)) => items.push(v),
            Some(Frame::Map(map, key, _)) => match key.take() {
                Some(k) => {
                    map.insert(k, v);
                }
                None => *key = Some(v.as_str()?.to_string()),
            },
        }
        Some(())
    }
    for ev in Parser::new_from_str(text) {
        let (ev, _) = ev.ok()?;
        match ev {
            Event::Scalar(t, style, _, _) => {
                let is_key = matches!(stack.last(), Some(Frame::Map(_, None, _)));
                let v = if is_key {
                    Value::String(t.to_string())
                } else {
                    typed(&t, style == ScalarStyle::Plain, raw_here(&stack))
                };
                push(&mut stack, &mut root, v)?;
            }
            Event::MappingStart(..) => {
                let raw = raw_here(&stack);
                stack.push(Frame::Map(Map::new(), None, raw));
            }
            Event::SequenceStart(..) => {
                let raw = raw_here(&stack);
                stack.push(Frame::Seq(Vec::new(), raw));
            }
            Event::MappingEnd | Event::SequenceEnd => {
                let v = match stack.pop()? {
                    Frame::Map(m, _, _) => Value::Object(m),
                    Frame::Seq(s, _) => Value::Array(s),
                };
                push(&mut stack, &mut root, v)?;
            }
            Event::Alias(_) => return None,
            _ => {}
        }
    }
    root
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let root = manifest.join("provinces");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default());
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    collect(&root, &mut files);
    let mut document_kinds = Map::new();
    let mut code = String::from(
        "/// Every data file under `provinces/`: (path relative to it, contents, compiled to JSON).\npub(super) static FILES: &[(&str, &str, bool)] = &[\n",
    );
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let rel = f
            .strip_prefix(&root)
            .unwrap_or(f)
            .to_string_lossy()
            .replace('\\', "/");
        // The two large tables become Rust statics (no parsing at start-up).
        if rel == "data/divisions.tsv" || rel == "data/mobile_ranges.tsv" {
            let tsv = std::fs::read_to_string(f).unwrap_or_default();
            let (name, table) = if rel == "data/divisions.tsv" {
                ("divisions_table.rs", divisions_table(&tsv))
            } else {
                ("mobile_table.rs", mobile_table(&tsv))
            };
            if let Err(e) = std::fs::write(out_dir.join(name), table) {
                println!("cargo:warning=cannot write {name}: {e}");
            }
            let _ = writeln!(
                code,
                "    ({rel:?}, include_str!({:?}), true),",
                f.display().to_string()
            );
            continue;
        }
        // Fixtures are applications: they stay YAML, read only when rule examples run.
        let compile = rel.ends_with(".yaml") && !rel.starts_with("fixtures/");
        let compiled = compile
            .then(|| std::fs::read_to_string(f).ok())
            .flatten()
            .and_then(|t| convert(t.strip_prefix('\u{feff}').unwrap_or(&t)))
            .and_then(|v| {
                // Province rule files: note their document kinds, so `check` can build the vocabulary without
                // parsing every province (they are parsed when an application names them).
                if !rel.contains('/') {
                    if let Some(kinds) = v.get("document_kinds") {
                        document_kinds.insert(rel.trim_end_matches(".yaml").to_string(), kinds.clone());
                    }
                }
                let target = out_dir.join("compiled").join(format!("{rel}.json"));
                std::fs::create_dir_all(target.parent()?).ok()?;
                std::fs::write(&target, serde_json::to_string(&v).ok()?).ok()?;
                Some(target)
            });
        let _ = match compiled {
            Some(target) => writeln!(
                code,
                "    ({rel:?}, include_str!({:?}), true),",
                target.display().to_string()
            ),
            None => writeln!(
                code,
                "    ({rel:?}, include_str!({:?}), false),",
                f.display().to_string()
            ),
        };
    }
    let index = out_dir.join("compiled").join("document_kinds.index.json");
    if std::fs::create_dir_all(out_dir.join("compiled")).is_ok()
        && std::fs::write(&index, Value::Object(document_kinds).to_string()).is_ok()
    {
        let _ = writeln!(
            code,
            "    (\"document_kinds.index.json\", include_str!({:?}), true),",
            index.display().to_string()
        );
    }
    code.push_str("];\n");
    // Tables absent from the data directory compile to empty statics.
    for (name, empty) in [
        (
            "divisions_table.rs",
            "pub(super) static ROWS: &[Division] = &[];\npub(super) static INDEX: &[(&str, u16, bool)] = &[];\npub(super) const MAX_NAME: usize = 0;\n",
        ),
        (
            "mobile_table.rs",
            "pub(super) static RANGES: &[(u32, u32, u8)] = &[];\n",
        ),
    ] {
        if !out_dir.join(name).exists() {
            let _ = std::fs::write(out_dir.join(name), empty);
        }
    }
    if let Err(e) = std::fs::write(out_dir.join("embedded.rs"), code) {
        println!("cargo:warning=cannot write embedded.rs: {e}");
    }
}
