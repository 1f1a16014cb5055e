//! Input: bytes → a positioned document tree, or an error with kind and position (README: "The
//! application file").

pub(crate) mod node;
pub mod yaml;

use serde::Serialize;

use crate::text::Text;
pub(crate) use node::{Node, Span};

/// Why a file got no verdict (the JSON report's `error.kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ErrorKind {
    Io,
    Syntax,
    Limit,
    Province,
    Version,
}

#[derive(Clone, Debug, PartialEq)]
pub struct InputError {
    pub kind: ErrorKind,
    pub message: Text,
    pub line: usize,
    pub column: usize,
}

/// Limits that keep hostile input from exhausting time or memory.
#[derive(Clone, Debug)]
pub struct Limits {
    pub max_size: u64,
    pub max_depth: usize,
    pub alias_budget: usize,
    pub max_string_chars: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_size: 1024 * 1024,
            max_depth: 64,
            alias_budget: 10_000,
            max_string_chars: 65_536,
        }
    }
}

/// A loaded source file: its text (for snippets) and its tree.
#[derive(Clone, Debug)]
pub struct Document {
    pub text: String,
    pub root: Node,
}

/// Decodes and parses the bytes of one file.
pub fn load(bytes: &[u8], limits: &Limits) -> Result<Document, InputError> {
    if bytes.len() as u64 > limits.max_size {
        return Err(InputError {
            kind: ErrorKind::Limit,
            message: Text::new(
                // Reading stops one byte past the limit, so the file's real size is unknown: say the limit.
                format!("文件大于上限 {} 字节（--max-size 可调高）", limits.max_size),
                format!(
                    "the file is larger than the limit of {} bytes (raise it with --max-size)",
                    limits.max_size
                ),
            ),
            line: 1,
            column: 1,
        });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.to_string(),
        Err(e) => {
            let valid = bytes
                .get(..e.valid_up_to())
                .and_then(|b| std::str::from_utf8(b).ok())
                .unwrap_or("");
            let line = valid.matches('\n').count() + 1;
            let column = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            return Err(InputError {
                kind: ErrorKind::Syntax,
                message: Text::new("文件不是 UTF-8 编码", "the file is not valid UTF-8"),
                line,
                column,
            });
        }
    };
    let root = yaml::parse(&text, limits)?;
    if root.entries().is_none() {
        return Err(InputError {
            kind: ErrorKind::Syntax,
            message: Text::new(
                format!("顶层必须是映射（键: 值），实际为{}", root.type_name().zh),
                format!(
                    "the top level must be a mapping (key: value), found {}",
                    root.type_name().en
                ),
            ),
            line: root.span.line,
            column: root.span.column,
        });
    }
    Ok(Document { text, root })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_crlf_are_fine() {
        let d = load(b"\xEF\xBB\xBFa: 1\r\nb: '02'\r\n", &Limits::default()).unwrap();
        assert_eq!(d.root.get("b").unwrap().scalar().unwrap().text, "02");
        assert_eq!(d.root.get("b").unwrap().span.line, 2);
    }

    #[test]
    fn invalid_utf8_has_position() {
        let e = load(b"a: 1\nb: \xFF\n", &Limits::default()).unwrap_err();
        assert_eq!((e.kind, e.line, e.column), (ErrorKind::Syntax, 2, 4));
    }

    #[test]
    fn size_limit() {
        let limits = Limits {
            max_size: 4,
            ..Limits::default()
        };
        assert_eq!(load(b"a: 12345", &limits).unwrap_err().kind, ErrorKind::Limit);
    }

    #[test]
    fn top_level_must_be_mapping() {
        let e = load(b"- a\n- b\n", &Limits::default()).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Syntax);
        assert!(e.message.en.contains("mapping"));
    }
}
