//! Finds the files to check: arguments expanded, directories walked, each file once; and reads one input.

use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// One input to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct InputFile {
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
pub(crate) fn collect(paths: &[String]) -> Vec<Result<InputFile, (String, io::Error)>> {
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

/// Reads stdin or a file, refusing more than `limit` bytes without reading them all.
pub(crate) fn read_input(f: &InputFile, limit: u64) -> io::Result<Vec<u8>> {
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
