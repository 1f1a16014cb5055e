//! The configuration file (`beian.toml` or `.beian.toml`): defaults for `beian check` kept with the filings,
//! found upward from the first checked path as ruff finds `ruff.toml`. Flags beat the file; `--config PATH`
//! names one, `--no-config` ignores any.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::args::{Error, FailOn, Format, LangArg, parse_size};
use crate::report::Level;
use crate::suppress::FlagIgnore;

/// The names looked for in each directory, in this order.
pub(crate) const NAMES: [&str; 2] = ["beian.toml", ".beian.toml"];

/// What a configuration file may set (README: "Configuration").
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct Config {
    pub province: Option<String>,
    pub format: Option<Format>,
    pub lang: Option<LangArg>,
    pub fail_on: Option<FailOn>,
    pub level: Option<Level>,
    /// A size in bytes, or with a unit: "2MiB", "512KiB".
    pub max_size: Option<SizeValue>,
    /// How files are read: auto, beian, or an API's request body (wechat, douyin).
    pub input_format: Option<String>,
    /// Code table id → a saved response of its query API (as `--api-table`), relative to the file.
    #[serde(default)]
    pub api_tables: BTreeMap<String, PathBuf>,
    /// Rule id → the reason it is waived for every file checked with this configuration.
    #[serde(default)]
    pub ignore: BTreeMap<String, String>,
    /// Where the file was found (not a key).
    #[serde(skip)]
    pub path: Option<PathBuf>,
}

/// A size given as a number or as text with a unit.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum SizeValue {
    Bytes(u64),
    Text(String),
}

impl Config {
    /// The waivers, as `--ignore` flags from this file.
    pub(crate) fn ignores(&self) -> Vec<FlagIgnore> {
        self.ignore
            .iter()
            .map(|(rule, reason)| FlagIgnore {
                rule: rule.clone(),
                reason: reason.clone(),
                config: true,
            })
            .collect()
    }

    pub(crate) fn max_size(&self) -> Result<Option<u64>, Error> {
        match &self.max_size {
            None => Ok(None),
            Some(SizeValue::Bytes(n)) => Ok(Some(*n)),
            Some(SizeValue::Text(t)) => parse_size(t)
                .map(Some)
                .map_err(|e| Error::Usage(format!("{}: max-size: {e}", self.shown()))),
        }
    }

    fn shown(&self) -> String {
        self.path
            .as_ref()
            .map_or_else(String::new, |p| p.display().to_string())
    }
}

/// Reads and parses one configuration file; an error names the file, line and column.
pub(crate) fn read(path: &Path) -> Result<Config, Error> {
    let bytes = crate::walk::read_within(Some(path), 1 << 20)
        .map_err(|e| Error::Usage(format!("{}: {e}", path.display())))?;
    let text =
        String::from_utf8(bytes).map_err(|_| Error::Usage(format!("{}: not UTF-8", path.display())))?;
    let mut config: Config = toml::from_str(&text).map_err(|e| {
        let (line, column) = e.span().map_or((1, 1), |s| line_column(&text, s.start));
        let message = e.message().trim().replace('\n', " ");
        Error::Usage(format!("{}:{line}:{column}: {message}", path.display()))
    })?;
    config.path = Some(path.to_path_buf());
    Ok(config)
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// The configuration file that applies to a checked path: the first of `NAMES` in its directory or the nearest
/// one above (standard input: the working directory).
pub(crate) fn discover(first: Option<&str>) -> Option<PathBuf> {
    let start = match first {
        None | Some("-") => std::env::current_dir().ok()?,
        Some(p) => {
            let p = Path::new(p);
            let p = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
            if p.is_dir() { p } else { p.parent()?.to_path_buf() }
        }
    };
    start
        .ancestors()
        .find_map(|dir| NAMES.iter().map(|n| dir.join(n)).find(|c| c.is_file()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("1048576"), Ok(1_048_576));
        assert_eq!(parse_size("1MiB"), Ok(1 << 20));
        assert_eq!(parse_size("512 KiB"), Ok(512 << 10));
        assert_eq!(parse_size("2MB"), Ok(2_000_000));
        assert_eq!(parse_size("1.5MiB"), Ok(1_572_864));
        assert!(parse_size("1 parsec").is_err());
        assert!(parse_size("99999999999GiB").is_err());
        assert!(parse_size("").is_err());
    }

    #[test]
    fn errors_name_line_and_column() {
        let dir = std::env::temp_dir().join(format!("beian-config-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let path = dir.join("beian.toml");
        let _ = std::fs::write(&path, "province = \"辽宁\"\nformt = \"json\"\n");
        let e = read(&path).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(e.contains("beian.toml:2:1:") && e.contains("formt"), "{e}");
        let _ = std::fs::write(&path, "fail-on = \"warn\"\n[ignore]\n\"national.x\" = \"why\"\n");
        let c = read(&path).ok();
        assert_eq!(c.as_ref().and_then(|c| c.fail_on), Some(FailOn::Warn));
        assert_eq!(c.map(|c| c.ignores().len()), Some(1));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
