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

impl ErrorKind {
    /// The id the JSON report writes (`error.kind`), also shown by the other formats.
    pub fn id(self) -> &'static str {
        match self {
            ErrorKind::Io => "io",
            ErrorKind::Syntax => "syntax",
            ErrorKind::Limit => "limit",
            ErrorKind::Province => "province",
            ErrorKind::Version => "version",
        }
    }
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
    /// The application: as read, or mapped from an API request body.
    pub root: Node,
    /// The request body the application was mapped from, if it was one.
    pub api: Option<Box<ApiDoc>>,
}

/// An API request body read as an application: findings are reported at the body's own pointers.
#[derive(Clone, Debug)]
pub struct ApiDoc {
    /// The API's id (`wechat`, `douyin`).
    pub api: String,
    pub payload: Node,
    /// Application pointer → body pointer, for every field and object mapped.
    pub paths: std::collections::HashMap<String, String>,
    /// Application fields the body does not carry on purpose (the platform fills them, or a code the tables
    /// lack): their absence is not the body's error.
    pub exempt: std::collections::HashMap<String, Text>,
    /// The body's top-level keys (present or not): a pointer starting with one is a body pointer.
    pub tops: Vec<String>,
    /// Application fields whose value came through an API code table: a name there that the application format
    /// does not know is the table's, not the body's error.
    pub coded: std::collections::HashSet<String>,
    /// The document kinds the body has fields for, each with its field (the list, without `/*`).
    pub kinds: Vec<(String, String)>,
}

/// `/a/b/c`, `/a/b`, `/a`, ``: a pointer and its ancestors, nearest first.
fn ancestors(path: &str) -> impl Iterator<Item = &str> {
    let mut next = Some(path);
    std::iter::from_fn(move || {
        let cur = next?;
        next = (!cur.is_empty()).then(|| cur.rsplit_once('/').map_or("", |(p, _)| p));
        Some(cur)
    })
}

impl ApiDoc {
    /// The body pointer of an application pointer: the mapped field, else the closest mapped object; a
    /// pointer that already names a place in the body is kept.
    pub fn to_api(&self, path: &str) -> String {
        if let Some(a) = self.paths.get(path) {
            return a.clone();
        }
        if self.is_body_path(path) {
            return path.to_string();
        }
        ancestors(path)
            .find_map(|p| self.paths.get(p))
            .cloned()
            .unwrap_or_default()
    }

    /// Whether a pointer names a place in the body (the API rules and the body's own checks report those).
    pub fn is_body_path(&self, path: &str) -> bool {
        let first = node::pointer_tokens(path).into_iter().next();
        first.is_some_and(|t| self.tops.contains(&t))
    }

    /// Why a field the application lacks is not the body's error, if it is not.
    pub fn exempt(&self, path: &str) -> Option<Text> {
        if self.is_body_path(path) {
            return None;
        }
        if let Some(t) = ancestors(path).find_map(|p| self.exempt.get(p)) {
            return Some(t.clone());
        }
        // A field the body has no place for: the body cannot be fixed by adding it.
        (!self.paths.contains_key(path)).then(|| {
            Text::new(
                format!("{} 的请求体没有对应字段", self.api),
                format!("the {} request body has no field for this", self.api),
            )
        })
    }
}

/// Whether a file is read as strict JSON: its name ends in `.json` (`--stdin-filename` names standard input).
pub(crate) fn is_json_name(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| ext.eq_ignore_ascii_case("json"))
}

/// Decodes and parses the bytes of a file by its name: `.json` files are strict JSON (a trailing comma or a
/// comment is a syntax error, not YAML), everything else YAML 1.2.
pub(crate) fn load_named(name: &str, bytes: &[u8], limits: &Limits) -> Result<Document, InputError> {
    let doc = load(bytes, limits)?;
    if is_json_name(name) {
        strict_json(&doc.text)?;
    }
    Ok(doc)
}

/// Refuses text that is not JSON, at serde_json's position (its column counts bytes: turned into characters).
fn strict_json(text: &str) -> Result<(), InputError> {
    let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(text) else {
        return Ok(());
    };
    let line_text = text.lines().nth(e.line().saturating_sub(1)).unwrap_or("");
    let bytes = e.column().saturating_sub(1).min(line_text.len());
    let column = line_text.char_indices().take_while(|(i, _)| *i < bytes).count() + 1;
    // serde_json's message ends with " at line L column C": the position is given separately.
    let full = e.to_string();
    let reason = full.split(" at line ").next().unwrap_or(&full).to_string();
    Err(InputError {
        kind: ErrorKind::Syntax,
        message: Text::new(
            format!("不是有效的 JSON（.json 文件按严格 JSON 读取）：{reason}"),
            format!("not valid JSON (.json files are read as strict JSON): {reason}"),
        ),
        line: e.line().max(1),
        column,
    })
}

/// Decodes and parses the bytes of one file as YAML 1.2 (JSON included).
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
    Ok(Document {
        text,
        root,
        api: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_files_are_strict_json() {
        let limits = Limits::default();
        let e = load_named("a.json", b"{\"a\": 1,\n \"b\": 2,\n}", &limits).err();
        let e = e.map(|e| (e.kind, e.line, e.column));
        assert_eq!(e, Some((ErrorKind::Syntax, 3, 1)));
        // The same text is YAML under another name, and valid JSON passes under .json.
        assert!(load_named("a.yaml", b"{\"a\": 1,\n \"b\": 2,\n}", &limits).is_ok());
        assert!(load_named("A.JSON", b"{\"a\": \"\xE4\xB8\xAD\"}", &limits).is_ok());
        // Columns count characters, not bytes.
        let e = load_named("a.json", "{\"名\": 1 2}".as_bytes(), &limits).err();
        assert_eq!(e.map(|e| e.column), Some(9));
    }

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
