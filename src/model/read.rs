//! Typed reading of the document tree: wrong types, unknown keys and unknown enum values become parser findings
//! (README: "The application file"), never a crash, and reading goes on.

use crate::date::Date;
use crate::input::node::{Entry, Node, NodeKind, join};
use crate::outcome::{Outcome, Verdict};
use crate::text::{Text, suggest};

/// A parser finding: one of the built-in `input.*` rules with its outcome.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Diagnostic {
    pub rule: &'static str,
    pub outcome: Outcome,
}

pub(crate) const UNKNOWN_FIELD: &str = "input.unknown-field";
pub(crate) const WRONG_TYPE: &str = "input.wrong-type";
pub(crate) const UNKNOWN_VALUE: &str = "input.unknown-value";
pub(crate) const UNLISTED_VALUE: &str = "input.unlisted-value";
pub(crate) const REQUIRED: &str = "input.required";
pub(crate) const NORMALISED: &str = "input.normalised";

/// Collects parser findings while the model is read.
#[derive(Default)]
pub(crate) struct Reader {
    pub diagnostics: Vec<Diagnostic>,
}

/// `; did you mean `a`, `b`?` (empty without candidates).
pub(crate) fn suggestions(list: &[&str]) -> Text {
    if list.is_empty() {
        return Text::default();
    }
    let quoted: Vec<String> = list.iter().map(|s| format!("`{s}`")).collect();
    Text::new(
        format!("；是否应为 {}？", quoted.join("、")),
        format!("; did you mean {}?", quoted.join(", ")),
    )
}

impl Reader {
    pub(crate) fn push(&mut self, rule: &'static str, outcome: Outcome) {
        self.diagnostics.push(Diagnostic { rule, outcome });
    }

    pub(crate) fn wrong_type(&mut self, node: &Node, ptr: &str, expected: Text) {
        let found = node.type_name();
        self.push(
            WRONG_TYPE,
            Outcome::violated(ptr)
                .var("field", ptr.to_string())
                .var("expected", expected)
                .var("found", found),
        );
    }

    pub(crate) fn unknown_value(&mut self, ptr: &str, value: &str, candidates: &[&str]) {
        self.value_finding(UNKNOWN_VALUE, ptr, value, candidates);
    }

    /// A value of an open enumeration (one that changes faster than beian's data): kept, and warned about.
    pub(crate) fn unlisted_value(&mut self, ptr: &str, value: &str, candidates: &[&str]) {
        self.value_finding(UNLISTED_VALUE, ptr, value, candidates);
    }

    fn value_finding(&mut self, rule: &'static str, ptr: &str, value: &str, candidates: &[&str]) {
        let near = suggest(value, candidates.iter().copied());
        // The ids (the Chinese terms are accepted too, but the ids are the short list to choose from).
        let ids: Vec<&str> = candidates
            .iter()
            .copied()
            .filter(|c| {
                !c.is_empty()
                    && c.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            })
            .collect();
        self.push(
            rule,
            Outcome::violated(ptr)
                .var("field", ptr.to_string())
                .var("value", value.to_string())
                .var("suggestions", suggestions(&near))
                .var("accepted", ids.join(", ")),
        );
    }

    pub(crate) fn required(&mut self, ptr: &str, what: Text) {
        // A value that is there but unreadable (an unknown value, a wrong type) has its own finding: one mistake,
        // one finding.
        if self.diagnostics.iter().any(|d| d.outcome.path == ptr) {
            return;
        }
        self.push(
            REQUIRED,
            Outcome::violated(ptr)
                .var("field", ptr.to_string())
                .var("found", what),
        );
    }

    /// The entries of a mapping; null counts as absent, anything else is a wrong type.
    pub(crate) fn map<'n>(&mut self, node: &'n Node, ptr: &str) -> Option<&'n [Entry]> {
        match &node.kind {
            NodeKind::Map(entries) => Some(entries),
            _ if node.is_null() => None,
            _ => {
                self.wrong_type(node, ptr, Text::new("映射（键: 值）", "a mapping (key: value)"));
                None
            }
        }
    }

    /// Warns about keys outside `known`, with the closest known key.
    pub(crate) fn unknown_keys(&mut self, entries: &[Entry], ptr: &str, known: &[&str]) {
        for e in entries {
            if !known.contains(&e.key.as_str()) {
                let near = suggest(&e.key, known.iter().copied());
                let path = join(ptr, &e.key);
                self.push(
                    UNKNOWN_FIELD,
                    Outcome::new(Verdict::Violated, path.clone())
                        .var("field", format!("`{}`", e.key))
                        .var("suggestions", suggestions(&near)),
                );
            }
        }
    }

    /// A scalar as text; null and blank text ("", "  ", as a template leaves it) are absent, so a blank field
    /// gets the one finding an absent field gets (`input.required`, or a rule's missing data), not a cascade of
    /// rules judging an empty value.
    pub(crate) fn text_node(&mut self, node: &Node, ptr: &str) -> Option<String> {
        match &node.kind {
            NodeKind::Scalar(_) if node.is_null() => None,
            NodeKind::Scalar(s) if s.text.trim().is_empty() => None,
            NodeKind::Scalar(s) => Some(s.text.clone()),
            _ => {
                self.wrong_type(node, ptr, Text::new("文本", "text"));
                None
            }
        }
    }

    pub(crate) fn bool_node(&mut self, node: &Node, ptr: &str) -> Option<bool> {
        match &node.kind {
            NodeKind::Scalar(_) if node.is_null() => None,
            NodeKind::Scalar(s) if s.plain && matches!(s.text.as_str(), "true" | "True" | "TRUE") => {
                Some(true)
            }
            NodeKind::Scalar(s) if s.plain && matches!(s.text.as_str(), "false" | "False" | "FALSE") => {
                Some(false)
            }
            _ => {
                self.wrong_type(
                    node,
                    ptr,
                    Text::new("布尔值 true 或 false", "a boolean, true or false"),
                );
                None
            }
        }
    }

    pub(crate) fn date_node(&mut self, node: &Node, ptr: &str) -> Option<Date> {
        let text = self.text_node(node, ptr)?;
        let date = Date::parse(&text);
        if date.is_none() {
            self.wrong_type(node, ptr, Text::new("日期 YYYY-MM-DD", "a date, YYYY-MM-DD"));
        }
        date
    }

    /// A list; a single scalar or null is not accepted as a list (null is absent).
    pub(crate) fn seq<'n>(&mut self, node: &'n Node, ptr: &str) -> Option<&'n [Node]> {
        match &node.kind {
            NodeKind::Seq(items) => Some(items),
            _ if node.is_null() => None,
            _ => {
                self.wrong_type(node, ptr, Text::new("列表", "a list"));
                None
            }
        }
    }
}

/// A mapping being read: looks fields up by key and builds their pointers.
pub(crate) struct Fields<'n> {
    pub ptr: String,
    pub entries: &'n [Entry],
}

impl<'n> Fields<'n> {
    /// Opens `node` as a mapping with the given known keys; unknown keys are reported.
    pub(crate) fn open(r: &mut Reader, node: &'n Node, ptr: &str, known: &[&str]) -> Option<Fields<'n>> {
        let entries = r.map(node, ptr)?;
        r.unknown_keys(entries, ptr, known);
        Some(Fields {
            ptr: ptr.to_string(),
            entries,
        })
    }

    pub(crate) fn node(&self, key: &str) -> Option<&'n Node> {
        self.entries
            .iter()
            .find(|e| e.key == key)
            .map(|e| &e.value)
            .filter(|n| !n.is_null())
    }

    pub(crate) fn path(&self, key: &str) -> String {
        join(&self.ptr, key)
    }

    pub(crate) fn text(&self, r: &mut Reader, key: &str) -> Option<String> {
        let node = self.node(key)?;
        r.text_node(node, &self.path(key))
    }

    /// A name: text that YAML would not read as a boolean or a number when written plain (`name: true` and
    /// `name: 12345` are almost always a mistake); quoted, any text is a name.
    pub(crate) fn name(&self, r: &mut Reader, key: &str) -> Option<String> {
        let node = self.node(key)?;
        let path = self.path(key);
        if let Some(s) = node.scalar().filter(|s| s.plain) {
            let t = s.text.trim();
            let boolean = matches!(t, "true" | "false" | "True" | "False" | "TRUE" | "FALSE");
            let number = !t.is_empty()
                && t.chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | '.' | 'e' | 'E'))
                && t.parse::<f64>().is_ok();
            if boolean || number {
                r.wrong_type(node, &path, Text::new("名称（文本）", "a name (text)"));
                return None;
            }
        }
        r.text_node(node, &path)
    }

    pub(crate) fn bool(&self, r: &mut Reader, key: &str) -> Option<bool> {
        let node = self.node(key)?;
        r.bool_node(node, &self.path(key))
    }

    pub(crate) fn date(&self, r: &mut Reader, key: &str) -> Option<Date> {
        let node = self.node(key)?;
        r.date_node(node, &self.path(key))
    }

    /// An enumerated value matched by `parse`; unknown values are reported with suggestions.
    pub(crate) fn enumerated<T>(
        &self,
        r: &mut Reader,
        key: &str,
        parse: impl Fn(&str) -> Option<T>,
        spellings: &[&str],
    ) -> Option<T> {
        let text = self.text(r, key)?;
        let value = parse(&text);
        if value.is_none() {
            r.unknown_value(&self.path(key), &text, spellings);
        } else if !spellings.contains(&text.as_str()) {
            // Read through case, width or hyphen folding: the schema lists only the spellings themselves, so
            // the file would not validate against it; say what it was read as.
            let key_of = crate::text::enum_key(&text);
            let read = spellings
                .iter()
                .find(|s| crate::text::is_enum_key_of(&key_of, s))
                .copied()
                .unwrap_or(text.as_str());
            r.push(
                NORMALISED,
                Outcome::doubt(self.path(key))
                    .var(
                        "found",
                        Text::new(
                            "非标准写法（大小写、全角或连字符）",
                            "a non-standard spelling (case, width or hyphens)",
                        ),
                    )
                    .var("value", read.to_string()),
            );
        }
        value
    }

    /// A list whose items are read by `item` (given the item node and its pointer).
    pub(crate) fn list<T>(
        &self,
        r: &mut Reader,
        key: &str,
        mut item: impl FnMut(&mut Reader, &'n Node, String) -> Option<T>,
    ) -> Vec<T> {
        let Some(node) = self.node(key) else {
            return Vec::new();
        };
        let ptr = self.path(key);
        let Some(items) = r.seq(node, &ptr) else {
            return Vec::new();
        };
        items
            .iter()
            .enumerate()
            .filter_map(|(i, n)| item(r, n, join(&ptr, &i.to_string())))
            .collect()
    }

    /// A list of values from an open enumeration: known spellings map to their id, others are kept as written
    /// with an `input.unlisted-value` warning.
    pub(crate) fn open_enum_list(
        &self,
        r: &mut Reader,
        key: &str,
        parse: impl Fn(&str) -> Option<String>,
        spellings: &[&str],
    ) -> Vec<Located> {
        self.list(r, key, |r, n, p| {
            let text = r.text_node(n, &p)?;
            if let Some(id) = parse(&text) {
                return Some(Located { value: id, ptr: p });
            }
            r.unlisted_value(&p, &text, spellings);
            Some(Located {
                value: text.trim().to_string(),
                ptr: p,
            })
        })
    }
}

/// A value with the pointer it was read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located {
    pub value: String,
    pub ptr: String,
}
