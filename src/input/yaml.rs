//! Builds the document tree from saphyr-parser events, enforcing the input limits (depth, alias expansion).
//!
//! JSON is read through the same path (it is a subset of YAML 1.2), so both formats get identical positions,
//! duplicate-key detection and limits.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span as YSpan};

use super::node::{Entry, Node, NodeKind, Scalar, Span};
use super::{ErrorKind, InputError, Limits};
use crate::text::Text;

fn span_of(s: &YSpan) -> Span {
    Span {
        line: s.start.line(),
        column: s.start.col() + 1,
        end_line: s.end.line(),
        end_column: s.end.col() + 1,
    }
}

enum Frame {
    Seq {
        start: Span,
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        start: Span,
        anchor: usize,
        entries: Vec<Entry>,
        key: Option<(String, Span)>,
        /// Keys so far (NFKC, so `ｎａｍｅ` repeats `name`) → their entry: duplicate detection in constant time.
        seen: std::collections::HashMap<String, usize>,
    },
}

struct Builder<'l> {
    limits: &'l Limits,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Node>,
    alias_nodes: usize,
    root: Option<Node>,
}

fn err(kind: ErrorKind, span: Span, message: Text) -> InputError {
    InputError {
        kind,
        message,
        line: span.line,
        column: span.column,
    }
}

impl Builder<'_> {
    /// Adds a finished node to its parent, or makes it the root.
    fn push(&mut self, node: Node) -> Result<(), InputError> {
        match self.stack.last_mut() {
            None => {
                self.root = Some(node);
                Ok(())
            }
            Some(Frame::Seq { items, .. }) => {
                items.push(node);
                Ok(())
            }
            Some(Frame::Map {
                entries, key, seen, ..
            }) => match key.take() {
                Some((k, key_span)) => {
                    entries.push(Entry {
                        key: k,
                        key_span,
                        value: node,
                    });
                    Ok(())
                }
                None => {
                    let Some(scalar) = node.scalar() else {
                        return Err(err(
                            ErrorKind::Syntax,
                            node.span,
                            Text::new(
                                "映射的键必须是标量",
                                "a mapping key must be a scalar, not a list or mapping",
                            ),
                        ));
                    };
                    // A merge key would bring in fields from elsewhere that this reader does not copy: refuse it
                    // rather than check an application without them.
                    if scalar.plain && scalar.text == "<<" {
                        return Err(err(
                            ErrorKind::Syntax,
                            node.span,
                            Text::new(
                                "不支持 YAML 合并键“<<”：请把字段逐一写出",
                                "YAML merge keys (`<<`) are not supported: write the fields out",
                            ),
                        ));
                    }
                    let normal = crate::text::nfkc(&scalar.text);
                    if let Some(first) = seen.get(&normal).and_then(|i| entries.get(*i)) {
                        return Err(err(
                            ErrorKind::Syntax,
                            node.span,
                            Text::new(
                                format!(
                                    "重复的键“{}”（首次出现在第 {} 行）",
                                    scalar.text, first.key_span.line
                                ),
                                format!(
                                    "duplicate key `{}` (first at line {})",
                                    scalar.text, first.key_span.line
                                ),
                            ),
                        ));
                    }
                    seen.insert(normal, entries.len());
                    *key = Some((scalar.text.clone(), node.span));
                    Ok(())
                }
            },
        }
    }

    fn open(&mut self, frame: Frame, span: Span) -> Result<(), InputError> {
        if self.stack.len() >= self.limits.max_depth {
            return Err(err(
                ErrorKind::Limit,
                span,
                Text::new(
                    format!("嵌套层级超过 {} 层", self.limits.max_depth),
                    format!("nested deeper than {} levels", self.limits.max_depth),
                ),
            ));
        }
        if let Some(Frame::Map { key: None, .. }) = self.stack.last() {
            return Err(err(
                ErrorKind::Syntax,
                span,
                Text::new(
                    "映射的键必须是标量",
                    "a mapping key must be a scalar, not a list or mapping",
                ),
            ));
        }
        self.stack.push(frame);
        Ok(())
    }

    fn close(&mut self, end: Span) -> Result<(), InputError> {
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        let (kind, start, anchor) = match frame {
            Frame::Seq { start, anchor, items } => (NodeKind::Seq(items), start, anchor),
            Frame::Map {
                start,
                anchor,
                entries,
                ..
            } => (NodeKind::Map(entries), start, anchor),
        };
        let span = Span {
            end_line: end.end_line,
            end_column: end.end_column,
            ..start
        };
        let node = Node::new(kind, span);
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        self.push(node)
    }

    fn event(&mut self, event: Event<'_>, span: Span) -> Result<(), InputError> {
        match event {
            Event::Scalar(text, style, anchor, _tag) => {
                if text.chars().count() > self.limits.max_string_chars {
                    return Err(err(
                        ErrorKind::Limit,
                        span,
                        Text::new(
                            format!("文本长度超过 {} 个字符", self.limits.max_string_chars),
                            format!(
                                "a value is longer than {} characters",
                                self.limits.max_string_chars
                            ),
                        ),
                    ));
                }
                let plain = matches!(style, ScalarStyle::Plain);
                let node = Node::new(
                    NodeKind::Scalar(Scalar {
                        text: text.into_owned(),
                        plain,
                    }),
                    span,
                );
                if anchor != 0 {
                    self.anchors.insert(anchor, node.clone());
                }
                self.push(node)
            }
            Event::SequenceStart(anchor, _) => self.open(
                Frame::Seq {
                    start: span,
                    anchor,
                    items: Vec::new(),
                },
                span,
            ),
            Event::MappingStart(anchor, _) => self.open(
                Frame::Map {
                    start: span,
                    anchor,
                    entries: Vec::new(),
                    key: None,
                    seen: std::collections::HashMap::new(),
                },
                span,
            ),
            Event::SequenceEnd | Event::MappingEnd => self.close(span),
            Event::Alias(id) => {
                let Some(node) = self.anchors.get(&id) else {
                    return Err(err(
                        ErrorKind::Syntax,
                        span,
                        Text::new("别名引用了未定义的锚点", "alias refers to an undefined anchor"),
                    ));
                };
                self.alias_nodes += node.size();
                if self.alias_nodes > self.limits.alias_budget {
                    return Err(err(
                        ErrorKind::Limit,
                        span,
                        Text::new(
                            format!("别名展开超过 {} 个节点", self.limits.alias_budget),
                            format!(
                                "YAML aliases expand to more than {} nodes",
                                self.limits.alias_budget
                            ),
                        ),
                    ));
                }
                // The copy keeps the anchor's positions: a value reached through an alias is shown there.
                let node = node.clone();
                self.push(node)
            }
            Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart(_)
            | Event::DocumentEnd
            | Event::Nothing => Ok(()),
        }
    }
}

/// Parses one YAML 1.2 (or JSON) document. Errors carry the kind, position and reason.
pub fn parse(text: &str, limits: &Limits) -> Result<Node, InputError> {
    let mut builder = Builder {
        limits,
        stack: Vec::new(),
        anchors: HashMap::new(),
        alias_nodes: 0,
        root: None,
    };
    let mut documents = 0usize;
    for item in Parser::new_from_str(text) {
        let (event, yspan) = item.map_err(|e| {
            let m = e.marker();
            InputError {
                kind: ErrorKind::Syntax,
                message: Text::same(e.info().to_string()),
                line: m.line(),
                column: m.col() + 1,
            }
        })?;
        let span = span_of(&yspan);
        if let Event::DocumentStart(_) = event {
            documents += 1;
            if documents > 1 {
                return Err(err(
                    ErrorKind::Syntax,
                    span,
                    Text::new(
                        "一个文件只能包含一个申请（一个 YAML 文档）",
                        "more than one YAML document: a file holds one application",
                    ),
                ));
            }
        }
        builder.event(event, span)?;
    }
    let root = builder.root.ok_or_else(|| {
        err(
            ErrorKind::Syntax,
            Span::START,
            Text::new("文件为空", "the file is empty"),
        )
    })?;
    if root.is_null() {
        return Err(err(
            ErrorKind::Syntax,
            Span::START,
            Text::new("文件为空", "the file is empty"),
        ));
    }
    Ok(root)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<Node, InputError> {
        parse(s, &Limits::default())
    }

    #[test]
    fn scalars_stay_as_written() {
        let n = p("mobile: 13904112345\noffice: 02412345678\nx: 1e3\n").unwrap();
        assert_eq!(n.get("office").unwrap().scalar().unwrap().text, "02412345678");
        assert_eq!(n.get("x").unwrap().scalar().unwrap().text, "1e3");
    }

    #[test]
    fn positions_are_one_based_code_points() {
        let n = p("名称: 示例\nb: [1, 2]\n").unwrap();
        let v = n.get("名称").unwrap();
        assert_eq!((v.span.line, v.span.column), (1, 5));
        let b = n.get("b").unwrap().items().unwrap();
        assert_eq!((b[1].span.line, b[1].span.column), (2, 8));
    }

    #[test]
    fn duplicate_key_is_an_error_at_the_second_key() {
        let e = p("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!((e.kind, e.line, e.column), (ErrorKind::Syntax, 3, 1));
    }

    #[test]
    fn json_with_tabs_parses() {
        let n = p("{\n\t\"a\": \"013\",\n\t\"b\": [1,\n\t\t2]\n}\n").unwrap();
        assert_eq!(n.get("a").unwrap().scalar().unwrap().text, "013");
    }

    #[test]
    fn alias_copies_keep_anchor_position() {
        let n = p("a: &x\n  k: v\nb: *x\n").unwrap();
        assert_eq!(n.get("b").unwrap().get("k").unwrap().span.line, 2);
    }

    #[test]
    fn alias_bomb_hits_budget() {
        let mut s = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..8 {
            let refs = vec![format!("*a{}", i - 1); 10].join(", ");
            s.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        let e = p(&s).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Limit);
    }

    #[test]
    fn depth_limit() {
        let s = "[".repeat(100) + &"]".repeat(100);
        assert_eq!(p(&s).unwrap_err().kind, ErrorKind::Limit);
        let ok = "a: ".to_string() + &"[".repeat(60) + &"]".repeat(60);
        assert!(p(&ok).is_ok());
    }

    #[test]
    fn empty_and_multi_document() {
        assert_eq!(p("").unwrap_err().kind, ErrorKind::Syntax);
        assert_eq!(p("# only a comment\n").unwrap_err().kind, ErrorKind::Syntax);
        assert_eq!(p("a: 1\n---\nb: 2\n").unwrap_err().line, 2);
    }

    #[test]
    fn complex_keys_are_refused() {
        assert!(p("? [a, b]\n: c\n").is_err());
    }
}
