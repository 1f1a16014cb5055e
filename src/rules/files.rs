//! The data files: embedded at build time, optionally replaced file by file from `--rules-dir`.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// Built from the embedded province files: `{ruleset: [document kinds]}` (see `load::load_catalog_lazy`).
pub(crate) const DOCUMENT_KINDS_INDEX: &str = "document_kinds.index.json";

/// Data files by path relative to `provinces/` (`national.yaml`, `data/provinces.yaml`, …).
#[derive(Clone, Debug, Default)]
pub struct Files {
    /// Embedded texts are borrowed from the binary; only `--rules-dir` files are owned.
    pub files: BTreeMap<String, Cow<'static, str>>,
    /// Display name of each file (the path as a user would open it).
    pub names: BTreeMap<String, String>,
    /// Files whose text is JSON compiled from YAML at build time (embedded rule files and tables).
    pub compiled: std::collections::BTreeSet<String>,
}

/// Largest rule or data file read from `--rules-dir` (the largest embedded one is about 160 KB).
const RULE_FILE_LIMIT: u64 = 16 * 1024 * 1024;

impl Files {
    pub fn embedded() -> Files {
        let mut f = Files::default();
        for (path, text, compiled) in embedded::FILES {
            f.files.insert((*path).to_string(), Cow::Borrowed(*text));
            f.names.insert((*path).to_string(), format!("provinces/{path}"));
            if *compiled {
                f.compiled.insert((*path).to_string());
            }
        }
        f
    }

    /// The embedded files with every `*.yaml` / `*.tsv` found under `dir` taking their place (a fork of the rule
    /// sets, or a fix before release). Files the directory lacks stay embedded.
    ///
    /// Reads the rule files of `dir` (each through the size-limited reader: a FIFO or an endless device there is
    /// an error, not a hang).
    pub(crate) fn with_dir(dir: &Path) -> Result<Files, String> {
        let mut f = Files::embedded();
        // The build-time index of province document kinds describes the embedded files only.
        f.files.remove(DOCUMENT_KINDS_INDEX);
        if !dir.is_dir() {
            return Err(format!("{}: not a directory", dir.display()));
        }
        let mut stack = vec![dir.to_path_buf()];
        // Each directory once, by its canonical path: a symbolic-link loop ends.
        let mut visited = std::collections::BTreeSet::new();
        while let Some(d) = stack.pop() {
            if !visited.insert(d.canonicalize().unwrap_or_else(|_| d.clone())) {
                continue;
            }
            let entries = std::fs::read_dir(&d).map_err(|e| format!("{}: {e}", d.display()))?;
            for entry in entries.flatten() {
                let p = entry.path();
                if p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with('.'))
                {
                    continue;
                }
                if p.is_dir() {
                    stack.push(p);
                } else if matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "tsv")) {
                    let rel = p
                        .strip_prefix(dir)
                        .unwrap_or(&p)
                        .to_string_lossy()
                        .replace('\\', "/");
                    let bytes = crate::walk::read_within(Some(&p), RULE_FILE_LIMIT)
                        .map_err(|e| format!("{}: {e}", p.display()))?;
                    let text = String::from_utf8(bytes).map_err(|_| format!("{}: not UTF-8", p.display()))?;
                    f.compiled.remove(&rel);
                    f.files.insert(
                        rel.clone(),
                        Cow::Owned(text.strip_prefix('\u{feff}').unwrap_or(&text).to_string()),
                    );
                    f.names.insert(rel, p.display().to_string());
                }
            }
        }
        Ok(f)
    }

    pub fn is_compiled(&self, path: &str) -> bool {
        self.compiled.contains(path)
    }

    pub fn get(&self, path: &str) -> Option<&str> {
        self.files.get(path).map(|t| t.as_ref())
    }

    pub fn name(&self, path: &str) -> String {
        self.names.get(path).cloned().unwrap_or_else(|| path.to_string())
    }

    /// Rule files: top-level `*.yaml` (not under `data/` or `fixtures/`).
    pub fn rule_files(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files
            .iter()
            .filter(|(p, _)| p.ends_with(".yaml") && !p.contains('/') && p.as_str() != "retired.yaml")
            .map(|(p, t)| (p.as_str(), t.as_ref()))
    }
}
