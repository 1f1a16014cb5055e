//! The document tree: every value with its position, scalars exactly as written.

/// A position range. Lines and columns are 1-based; columns count Unicode code points.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Span {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

impl Span {
    pub const START: Span = Span {
        line: 1,
        column: 1,
        end_line: 1,
        end_column: 1,
    };
}

/// A scalar as written in the file. YAML's type resolution is never applied: `013` stays `013`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scalar {
    pub text: String,
    /// Plain (unquoted, not a block scalar): only plain scalars can be `null`, `true` or a number.
    pub plain: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    Scalar(Scalar),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_span: Span,
    pub value: Node,
}

#[derive(Clone, Debug)]
pub struct Node {
    pub kind: NodeKind,
    pub span: Span,
    /// For a large mapping: key → entry, built on the first lookup, so that finding a key (and every finding's
    /// position) costs constant time however many keys a hostile file has.
    index: std::sync::OnceLock<std::collections::HashMap<String, usize>>,
}

/// Mappings with fewer entries are searched in order: cheaper than hashing.
const INDEXED_FROM: usize = 32;

impl PartialEq for Node {
    fn eq(&self, other: &Node) -> bool {
        self.kind == other.kind && self.span == other.span
    }
}

impl Node {
    pub(crate) fn new(kind: NodeKind, span: Span) -> Node {
        Node {
            kind,
            span,
            index: std::sync::OnceLock::new(),
        }
    }

    /// Forgets the key index after the entries changed.
    fn changed(&mut self) {
        self.index = std::sync::OnceLock::new();
    }

    pub fn scalar(&self) -> Option<&Scalar> {
        match &self.kind {
            NodeKind::Scalar(s) => Some(s),
            _ => None,
        }
    }

    pub fn entries(&self) -> Option<&[Entry]> {
        match &self.kind {
            NodeKind::Map(e) => Some(e),
            _ => None,
        }
    }

    pub fn items(&self) -> Option<&[Node]> {
        match &self.kind {
            NodeKind::Seq(i) => Some(i),
            _ => None,
        }
    }

    /// YAML 1.2 core-schema null: an empty plain scalar, `~`, `null`, `Null` or `NULL`.
    pub fn is_null(&self) -> bool {
        matches!(&self.kind, NodeKind::Scalar(s) if s.plain && matches!(s.text.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    pub fn entry(&self, key: &str) -> Option<&Entry> {
        let entries = self.entries()?;
        if entries.len() < INDEXED_FROM {
            return entries.iter().find(|e| e.key == key);
        }
        let index = self.index.get_or_init(|| {
            let mut m = std::collections::HashMap::with_capacity(entries.len());
            for (i, e) in entries.iter().enumerate() {
                m.entry(e.key.clone()).or_insert(i);
            }
            m
        });
        index.get(key).and_then(|i| entries.get(*i))
    }

    /// A short word for the node's type, for "expected text, found a list" messages.
    pub fn type_name(&self) -> crate::text::Text {
        use crate::text::Text;
        match &self.kind {
            NodeKind::Scalar(_) if self.is_null() => Text::new("空值", "null"),
            NodeKind::Scalar(_) => Text::new("文本", "a scalar"),
            NodeKind::Seq(_) => Text::new("列表", "a list"),
            NodeKind::Map(_) => Text::new("映射", "a mapping"),
        }
    }

    /// Number of nodes in this subtree (the unit of the alias budget).
    pub fn size(&self) -> usize {
        1 + match &self.kind {
            NodeKind::Scalar(_) => 0,
            NodeKind::Seq(items) => items.iter().map(Node::size).sum(),
            NodeKind::Map(entries) => entries.iter().map(|e| 1 + e.value.size()).sum(),
        }
    }

    /// `to_json_typed` of a mapping without one of its keys (rule examples are read separately).
    pub fn to_json_typed_without(&self, key: &str) -> serde_json::Value {
        match &self.kind {
            NodeKind::Map(entries) => serde_json::Value::Object(
                entries
                    .iter()
                    .filter(|e| e.key != key)
                    .map(|e| (e.key.clone(), e.value.to_json_typed()))
                    .collect(),
            ),
            _ => self.to_json_typed(),
        }
    }

    /// Converts to JSON, resolving plain scalars with the YAML 1.2 core schema (used for rule files, whose
    /// numbers and booleans are typed, never for applications).
    pub fn to_json_typed(&self) -> serde_json::Value {
        use serde_json::Value;
        match &self.kind {
            NodeKind::Scalar(s) if s.plain => {
                if self.is_null() {
                    return Value::Null;
                }
                match s.text.as_str() {
                    "true" | "True" | "TRUE" => return Value::Bool(true),
                    "false" | "False" | "FALSE" => return Value::Bool(false),
                    _ => {}
                }
                if let Ok(i) = s.text.parse::<i64>() {
                    return Value::from(i);
                }
                if s.text.contains('.') {
                    if let Ok(f) = s.text.parse::<f64>() {
                        if let Some(n) = serde_json::Number::from_f64(f) {
                            return Value::Number(n);
                        }
                    }
                }
                Value::String(s.text.clone())
            }
            NodeKind::Scalar(s) => Value::String(s.text.clone()),
            NodeKind::Seq(items) => Value::Array(items.iter().map(Node::to_json_typed).collect()),
            NodeKind::Map(entries) => Value::Object(
                entries
                    .iter()
                    .map(|e| (e.key.clone(), e.value.to_json_typed()))
                    .collect(),
            ),
        }
    }
}

/// Builds a tree from JSON compiled at build time (no positions): numbers, booleans and nulls become plain
/// scalars, strings quoted ones, so `to_json_typed` gives the JSON back.
pub(crate) fn from_json(v: &serde_json::Value) -> Node {
    use serde_json::Value;
    let plain = |text: String| NodeKind::Scalar(Scalar { text, plain: true });
    let kind = match v {
        Value::Null => plain(String::new()),
        Value::Bool(b) => plain(b.to_string()),
        Value::Number(n) => plain(n.to_string()),
        Value::String(s) => NodeKind::Scalar(Scalar {
            text: s.clone(),
            plain: false,
        }),
        Value::Array(items) => NodeKind::Seq(items.iter().map(from_json).collect()),
        Value::Object(map) => NodeKind::Map(
            map.iter()
                .map(|(k, v)| Entry {
                    key: k.clone(),
                    key_span: Span::START,
                    value: from_json(v),
                })
                .collect(),
        ),
    };
    Node::new(kind, Span::START)
}

/// Escapes one reference token of a JSON Pointer (RFC 6901).
pub(crate) fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Splits a JSON Pointer into unescaped tokens; `""` is the whole document.
pub fn pointer_tokens(pointer: &str) -> Vec<String> {
    if pointer.is_empty() {
        return Vec::new();
    }
    pointer
        .trim_start_matches('/')
        .split('/')
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// Appends a key to a pointer.
pub(crate) fn join(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", escape_token(token))
}

/// Where a finding at `pointer` is shown: the value's position; for a missing value, the key of its
/// nearest existing parent; for `""`, line 1 column 1.
pub(crate) fn locate(root: &Node, pointer: &str) -> Span {
    let mut node = root;
    let mut span = Span::START;
    for token in pointer_tokens(pointer) {
        let next = match &node.kind {
            NodeKind::Map(_) => node.entry(&token).map(|e| (&e.value, e.key_span)),
            NodeKind::Seq(items) => token
                .parse::<usize>()
                .ok()
                .and_then(|i| items.get(i))
                .map(|n| (n, n.span)),
            NodeKind::Scalar(_) => None,
        };
        match next {
            Some((child, key_span)) => {
                node = child;
                // Remember the key in case the next token is missing.
                span = key_span;
            }
            None => return span,
        }
    }
    if pointer.is_empty() {
        Span::START
    } else {
        node.span
    }
}

/// The position of the key that holds the value at `pointer` (for findings about a key, such as an unknown
/// field); the value's position when there is no key.
pub(crate) fn locate_key(root: &Node, pointer: &str) -> Span {
    let tokens = pointer_tokens(pointer);
    let Some((last, parents)) = tokens.split_last() else {
        return Span::START;
    };
    let parent = parents.iter().try_fold(root, |n, t| match &n.kind {
        NodeKind::Map(_) => n.get(t),
        NodeKind::Seq(items) => t.parse::<usize>().ok().and_then(|i| items.get(i)),
        NodeKind::Scalar(_) => None,
    });
    match parent.and_then(|p| p.entry(last)) {
        Some(e) => e.key_span,
        None => locate(root, pointer),
    }
}

/// Whether `pointer` names an existing node.
pub(crate) fn resolve<'a>(root: &'a Node, pointer: &str) -> Option<&'a Node> {
    let mut node = root;
    for token in pointer_tokens(pointer) {
        node = match &node.kind {
            NodeKind::Map(_) => node.get(&token)?,
            NodeKind::Seq(items) => items.get(token.parse::<usize>().ok()?)?,
            NodeKind::Scalar(_) => return None,
        };
    }
    Some(node)
}

/// Sets the value at `pointer`, creating missing mappings on the way (list items must exist). Used to build
/// rule examples from a base application.
pub(crate) fn set(root: &mut Node, pointer: &str, value: Node) -> Result<(), String> {
    let tokens = pointer_tokens(pointer);
    let Some((last, parents)) = tokens.split_last() else {
        *root = value;
        return Ok(());
    };
    let mut node = root;
    for t in parents {
        node = child_mut(node, t, true).ok_or_else(|| format!("{pointer}: no `{t}` to descend into"))?;
    }
    match &mut node.kind {
        NodeKind::Map(entries) => match entries.iter_mut().find(|e| e.key == *last) {
            Some(e) => e.value = value,
            None => entries.push(Entry {
                key: last.clone(),
                key_span: node.span,
                value,
            }),
        },
        NodeKind::Seq(items) => {
            let i: usize = last
                .parse()
                .map_err(|_| format!("{pointer}: `{last}` is not a list index"))?;
            let len = items.len();
            if i == len {
                items.push(value);
            } else {
                let slot = items
                    .get_mut(i)
                    .ok_or_else(|| format!("{pointer}: index {i} is past the end"))?;
                *slot = value;
            }
        }
        NodeKind::Scalar(_) => return Err(format!("{pointer}: the parent is a scalar")),
    }
    node.changed();
    Ok(())
}

/// Removes the value at `pointer` (a missing value is fine).
pub(crate) fn remove(root: &mut Node, pointer: &str) {
    let tokens = pointer_tokens(pointer);
    let Some((last, parents)) = tokens.split_last() else {
        return;
    };
    let mut node = root;
    for t in parents {
        match child_mut(node, t, false) {
            Some(n) => node = n,
            None => return,
        }
    }
    match &mut node.kind {
        NodeKind::Map(entries) => entries.retain(|e| e.key != *last),
        NodeKind::Seq(items) => {
            if let Ok(i) = last.parse::<usize>() {
                if i < items.len() {
                    items.remove(i);
                }
            }
        }
        NodeKind::Scalar(_) => {}
    }
    node.changed();
}

fn child_mut<'a>(node: &'a mut Node, token: &str, create: bool) -> Option<&'a mut Node> {
    let span = node.span;
    // An entry may be added, and the child found here may be changed: the index is rebuilt when next needed.
    node.changed();
    if create && node.is_null() {
        node.kind = NodeKind::Map(Vec::new());
    }
    match &mut node.kind {
        NodeKind::Map(entries) => {
            if !entries.iter().any(|e| e.key == token) {
                if !create {
                    return None;
                }
                entries.push(Entry {
                    key: token.to_string(),
                    key_span: span,
                    value: Node::new(NodeKind::Map(Vec::new()), span),
                });
            }
            entries.iter_mut().find(|e| e.key == token).map(|e| &mut e.value)
        }
        NodeKind::Seq(items) => items.get_mut(token.parse::<usize>().ok()?),
        NodeKind::Scalar(_) => None,
    }
}

/// The longest common prefix of two JSON pointers that ends at a token boundary.
pub(crate) fn shared_prefix<'a>(a: &'a str, b: &str) -> &'a str {
    let mut end = 0;
    for ((i, x), y) in a.char_indices().zip(b.chars()) {
        if x != y {
            break;
        }
        if x == '/' {
            end = i;
        }
        if i + x.len_utf8() == a.len()
            && (b.len() == a.len() || b.get(a.len()..).is_some_and(|r| r.starts_with('/')))
        {
            end = a.len();
        }
    }
    a.get(..end).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_and_remove() {
        let mut root =
            crate::input::yaml::parse("a: {b: [1, 2]}\n", &crate::input::Limits::default()).unwrap();
        let v = crate::input::yaml::parse("x", &crate::input::Limits::default()).unwrap();
        set(&mut root, "/a/b/1", v.clone()).unwrap();
        set(&mut root, "/c/d", v.clone()).unwrap();
        assert_eq!(resolve(&root, "/a/b/1").unwrap().scalar().unwrap().text, "x");
        assert_eq!(resolve(&root, "/c/d").unwrap().scalar().unwrap().text, "x");
        remove(&mut root, "/a/b/0");
        assert_eq!(resolve(&root, "/a/b/0").unwrap().scalar().unwrap().text, "x");
        assert!(set(&mut root, "/a/b/5", v).is_err());
    }

    #[test]
    fn pointer_escaping_roundtrips() {
        assert_eq!(join("", "a/b~c"), "/a~1b~0c");
        assert_eq!(
            pointer_tokens("/a~1b~0c/0"),
            vec!["a/b~c".to_string(), "0".to_string()]
        );
        assert!(pointer_tokens("").is_empty());
    }
}
