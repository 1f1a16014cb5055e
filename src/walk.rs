//! Finds the files to check: arguments expanded, directories walked, each file once; and reads inputs through one
//! size-limited reader (check, sms, --phone-db and --rules-dir all use it).
//!
//! Symbolic links are followed, each directory at most once (by its canonical path), so a link loop ends; FIFOs,
//! sockets and devices found in a directory are skipped with a note, and a path given explicitly that is not a
//! regular file is an error: nothing ever blocks on a pipe or reads an endless device.

use std::collections::BTreeSet;
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

/// What walking found besides files: an entry it could not read, or one it skipped.
#[derive(Debug)]
pub(crate) enum Walked {
    File(InputFile),
    /// An entry that could not be read, at its own path.
    Failed(String, io::Error),
    /// A FIFO, socket or device with a checked extension: skipped, with a note.
    Skipped(String, &'static str),
}

fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    if meta.is_dir() {
        "a directory"
    } else {
        "not a regular file"
    }
}

fn walk(dir: &Path, shown: &str, visited: &mut BTreeSet<PathBuf>, out: &mut Vec<Walked>) {
    // A directory already walked (a symlink loop, or two links to one place) is not walked again.
    let key = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    if !visited.insert(key) {
        return;
    }
    let listing = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            out.push(Walked::Failed(shown.to_string(), e));
            return;
        }
    };
    let mut entries: Vec<(String, PathBuf)> = Vec::new();
    for e in listing {
        match e {
            Ok(e) => entries_push(&mut entries, e),
            Err(err) => out.push(Walked::Failed(shown.to_string(), err)),
        }
    }
    entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    for (name, path) in entries {
        let shown_child = format!("{}/{name}", shown.trim_end_matches('/'));
        // `metadata` follows a symbolic link; a dangling one is an error at its own path.
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(e) => {
                out.push(Walked::Failed(shown_child, e));
                continue;
            }
        };
        if meta.is_dir() {
            walk(&path, &shown_child, visited, out);
        } else if [".yaml", ".yml", ".json"].iter().any(|e| name.ends_with(e)) {
            if meta.is_file() {
                out.push(Walked::File(InputFile {
                    name: shown_child,
                    path: Some(path),
                    discovered: true,
                }));
            } else {
                out.push(Walked::Skipped(shown_child, kind_of(&meta)));
            }
        }
    }
}

/// A file name as reports show it: bytes that are not UTF-8 written as `\xNN`, so two different names never
/// print the same.
fn shown_name(name: &std::ffi::OsStr) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let mut out = String::new();
        for chunk in name.as_bytes().utf8_chunks() {
            out.push_str(chunk.valid());
            for b in chunk.invalid() {
                out.push_str(&format!("\\x{b:02x}"));
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        name.to_string_lossy().into_owned()
    }
}

fn entries_push(entries: &mut Vec<(String, PathBuf)>, e: std::fs::DirEntry) {
    let name = shown_name(&e.file_name());
    if !name.starts_with('.') {
        entries.push((name, e.path()));
    }
}

/// Expands arguments into files: directories are walked, a file named twice is checked once.
pub(crate) fn collect(paths: &[String]) -> Vec<Walked> {
    let mut out: Vec<Walked> = Vec::new();
    let mut seen = BTreeSet::new();
    let mut visited = BTreeSet::new();
    for p in paths {
        if p == "-" {
            if seen.insert(PathBuf::from("-")) {
                out.push(Walked::File(InputFile {
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
            walk(&path, &shown, &mut visited, &mut found);
            for w in found {
                if let Walked::File(f) = &w {
                    let key = f
                        .path
                        .as_ref()
                        .and_then(|p| p.canonicalize().ok())
                        .unwrap_or_else(|| PathBuf::from(&f.name));
                    if !seen.insert(key) {
                        continue;
                    }
                }
                out.push(w);
            }
        } else {
            let key = path.canonicalize().unwrap_or_else(|_| path.clone());
            if seen.insert(key) {
                out.push(Walked::File(InputFile {
                    name: shown,
                    path: Some(path),
                    discovered: false,
                }));
            }
        }
    }
    out
}

/// Reads standard input (`None`) or a regular file, refusing more than `limit` bytes without reading them all:
/// at most `limit + 1` bytes are read, so the caller can tell "over the limit". A path that is not a regular file
/// (a FIFO, a socket, a device, a directory) is refused before it is opened, so nothing blocks.
pub(crate) fn read_limited(path: Option<&Path>, limit: u64) -> io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    let cap = limit.saturating_add(1);
    match path {
        None => {
            io::stdin().lock().take(cap).read_to_end(&mut buf)?;
        }
        Some(p) => {
            let meta = std::fs::metadata(p)?;
            if !meta.is_file() {
                return Err(io::Error::new(io::ErrorKind::InvalidInput, kind_of(&meta)));
            }
            std::fs::File::open(p)?.take(cap).read_to_end(&mut buf)?;
        }
    }
    Ok(buf)
}

/// Like `read_limited`, for a file that must fit: over the limit is an error naming it.
pub(crate) fn read_within(path: Option<&Path>, limit: u64) -> io::Result<Vec<u8>> {
    let buf = read_limited(path, limit)?;
    if buf.len() as u64 > limit {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("larger than the limit of {limit} bytes"),
        ));
    }
    Ok(buf)
}

/// Reads one input to check.
pub(crate) fn read_input(f: &InputFile, limit: u64) -> io::Result<Vec<u8>> {
    read_limited(f.path.as_deref(), limit)
}
