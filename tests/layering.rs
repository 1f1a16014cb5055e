//! The modules of src/ import one another one way: no cycle among the top-level modules, nor among the
//! submodules of any module directory (references to `crate::<module>` and `super::<sibling>`, tests excluded).
//! `tools/modcycles.py` prints the same graph for a person.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    text.split("#[cfg(test)]").next().unwrap_or("").to_string()
}

/// The identifiers that follow `prefix` in `text`.
fn after(text: &str, prefix: &str) -> Vec<String> {
    text.match_indices(prefix)
        .map(|(i, _)| {
            text[i + prefix.len()..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_' || c.is_ascii_digit())
                .collect()
        })
        .collect()
}

/// A cycle in the graph, if there is one (depth-first search).
fn find_cycle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        v: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(v.to_string(), 1);
        path.push(v.to_string());
        for w in edges.get(v).into_iter().flatten() {
            match state.get(w.as_str()).copied().unwrap_or(0) {
                1 => {
                    let start = path.iter().position(|p| p == w).unwrap_or(0);
                    let mut c = path[start..].to_vec();
                    c.push(w.clone());
                    return Some(c);
                }
                0 => {
                    if let Some(c) = visit(w, edges, state, path) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        path.pop();
        state.insert(v.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for v in edges.keys() {
        if state.get(v.as_str()).copied().unwrap_or(0) == 0 {
            if let Some(c) = visit(v, edges, &mut state, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}

/// The modules of `dir` (files and directories, without `lib`, `main` and `mod`) and their references.
fn graph(dir: &Path, prefix: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut names = BTreeSet::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let name = e
            .file_name()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        if !["lib", "main", "mod"].contains(&name.as_str()) {
            names.insert(name);
        }
    }
    let mut edges: BTreeMap<String, BTreeSet<String>> =
        names.iter().map(|n| (n.clone(), BTreeSet::new())).collect();
    for m in &names {
        let mut files = Vec::new();
        let sub = dir.join(m);
        if sub.is_dir() {
            rust_files(&sub, &mut files);
        }
        let file = dir.join(format!("{m}.rs"));
        if file.exists() {
            files.push(file);
        }
        for f in files {
            let text = code(&f);
            let mut deps = after(&text, &format!("crate::{prefix}"));
            if !prefix.is_empty() && f.parent() == Some(dir) {
                deps.extend(after(&text, "super::"));
            }
            for d in deps {
                if names.contains(&d) && &d != m {
                    edges.entry(m.clone()).or_default().insert(d);
                }
            }
        }
    }
    edges
}

fn check(dir: &Path, prefix: &str, cycles: &mut Vec<String>) {
    if let Some(c) = find_cycle(&graph(dir, prefix)) {
        cycles.push(format!("{}: {}", dir.display(), c.join(" -> ")));
    }
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        if e.path().is_dir() {
            let name = e.file_name().to_string_lossy().to_string();
            check(&e.path(), &format!("{prefix}{name}::"), cycles);
        }
    }
}

#[test]
fn src_modules_have_no_import_cycle() {
    let mut cycles = Vec::new();
    check(Path::new("src"), "", &mut cycles);
    assert!(cycles.is_empty(), "import cycles: {cycles:#?}");
}

#[test]
fn the_cycle_finder_finds_a_cycle() {
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    g.entry("a".into()).or_default().insert("b".into());
    g.entry("b".into()).or_default().insert("c".into());
    g.entry("c".into()).or_default().insert("a".into());
    assert_eq!(find_cycle(&g).map(|c| c.len()), Some(4));
    g.entry("c".into()).or_default().remove("a");
    assert_eq!(find_cycle(&g), None);
}
