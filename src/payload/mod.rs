//! API request bodies (WeChat `applyIcpFiling`, Douyin `submit_record_info`, …) read as applications: the body
//! is recognised by its top-level keys, mapped onto the application format by the field map in
//! `provinces/data/apis.yaml`, and every mapped place remembers the body pointer it came from, so that findings
//! point at the body the user fixes. `convert` writes bodies from applications with the same map.

pub(crate) mod convert;

use crate::apispec::{ApiSpec, Apis, FieldMap, Via, member};
use crate::data::Data;
use crate::date::Date;
use crate::input::node::{Entry, Node, NodeKind, Scalar, Span, pointer_tokens, resolve, set};
use crate::input::{ApiDoc, Document};
use crate::model::{Diagnostic, read::UNKNOWN_FIELD};
use crate::outcome::{Outcome, Verdict};
use crate::text::{Text, suggest};

/// The API whose body `root` is, by its top-level keys.
pub(crate) fn detect<'a>(apis: &'a Apis, root: &Node) -> Option<&'a str> {
    apis.apis
        .iter()
        .find(|(_, s)| s.detect.iter().any(|k| root.get(k).is_some()))
        .map(|(id, _)| id.as_str())
}

/// One place a pattern (`/a/*/b`) names in a body.
struct Hit<'n> {
    ptr: String,
    /// The list index `*` stood for.
    index: Option<usize>,
    /// The list element `*` stood for.
    element: Option<&'n Node>,
    node: Option<&'n Node>,
}

/// The places a pattern names; one `*` stands for every element of a list.
fn expand<'n>(root: &'n Node, pattern: &str) -> Vec<Hit<'n>> {
    match pattern.split_once("/*") {
        None => vec![Hit {
            ptr: pattern.to_string(),
            index: None,
            element: None,
            node: resolve(root, pattern),
        }],
        Some((list, rest)) => {
            let Some(items) = resolve(root, list).and_then(Node::items) else {
                return Vec::new();
            };
            items
                .iter()
                .enumerate()
                .map(|(i, item)| Hit {
                    ptr: format!("{list}/{i}{rest}"),
                    index: Some(i),
                    element: Some(item),
                    node: resolve(item, rest),
                })
                .collect()
        }
    }
}

/// A scalar's text, if it holds a value (null and blank are absent).
pub(crate) fn value(node: Option<&Node>) -> Option<&str> {
    let node = node?;
    if node.is_null() {
        return None;
    }
    node.scalar()
        .map(|s| s.text.as_str())
        .filter(|t| !t.trim().is_empty())
}

fn scalar(text: impl Into<String>, span: Span) -> Node {
    Node::new(
        NodeKind::Scalar(Scalar {
            text: text.into(),
            plain: false,
        }),
        span,
    )
}

/// What a body value becomes in the application.
enum Conv {
    Value(String),
    /// Copied as it is (not a scalar: the application's reader reports the type).
    Node(Node),
    /// Not mapped, for this reason (the API rules report the value itself).
    Unknown(Text),
    Skip,
}

/// The name of an area code (a placeholder prefecture such as 市辖区 stands for its province's name).
pub(crate) fn division_name(data: &Data, code: &str) -> Option<String> {
    let d = data.divisions.by_code(code)?;
    let placeholder = matches!(
        d.name.as_ref(),
        "市辖区" | "县" | "省直辖县级行政区划" | "自治区直辖县级行政区划"
    );
    if placeholder {
        let parent = d.parent.as_deref().and_then(|p| data.divisions.by_code(p))?;
        return Some(parent.name.to_string());
    }
    Some(d.name.to_string())
}

/// Seconds since the epoch → the date in Asia/Shanghai (UTC+8, no daylight saving since 1991).
pub(crate) fn unix_date(text: &str) -> Option<Date> {
    let secs: i64 = text.trim().parse().ok()?;
    Some(Date::from_days((secs + 8 * 3600).div_euclid(86_400)))
}

fn convert(f: &FieldMap, node: &Node, data: &Data) -> Conv {
    if node.scalar().is_none() {
        return if node.is_null() {
            Conv::Skip
        } else {
            Conv::Node(node.clone())
        };
    }
    let Some(text) = value(Some(node)) else {
        return Conv::Skip;
    };
    let text = text.trim();
    match f.via {
        Via::Text => Conv::Value(text.to_string()),
        Via::Code => {
            let table = f.table.as_deref().and_then(|t| data.apis.tables.get(t));
            match table.and_then(|t| t.row(text)) {
                Some(row) => member(row, "beian")
                    .or_else(|| table.and_then(|t| member(row, &t.name)))
                    .map_or(Conv::Skip, Conv::Value),
                None => Conv::Unknown(Text::new(
                    format!("代码 {text} 不在本工具已知的代码表中，无法换算"),
                    format!("code {text} is not in the code table beian knows, so it cannot be converted"),
                )),
            }
        }
        Via::Division => match division_name(data, text) {
            Some(n) => Conv::Value(n),
            None => Conv::Unknown(Text::new(
                format!("区域代码 {text} 不在行政区划表中"),
                format!("area code {text} is not in the table of administrative divisions"),
            )),
        },
        Via::Province => match text.get(..2).filter(|_| text.len() == 6) {
            Some(p) if text.bytes().all(|b| b.is_ascii_digit()) => Conv::Value(p.to_string()),
            _ => Conv::Unknown(Text::new(
                format!("区域代码 {text} 不是 6 位数字"),
                format!("area code {text} is not 6 digits"),
            )),
        },
        Via::Date8 => match text {
            "长期" => Conv::Value("long_term".into()),
            t => match Date::parse_compact(t) {
                Some(d) => Conv::Value(d.to_string()),
                None => Conv::Unknown(Text::new(
                    format!("“{t}”不是 YYYYmmdd 日期"),
                    format!("`{t}` is not a YYYYmmdd date"),
                )),
            },
        },
        Via::UnixDate => match unix_date(text) {
            Some(d) => Conv::Value(d.to_string()),
            None => Conv::Unknown(Text::new(
                format!("“{text}”不是以秒计的时间戳"),
                format!("`{text}` is not a timestamp in seconds"),
            )),
        },
        Via::EndTimeFlag => match text {
            "false" => Conv::Value("long_term".into()),
            _ => Conv::Skip,
        },
    }
}

/// The application index of list element `i` once the elements without `skip_unless` are left out.
fn kept_index(hit: &Hit<'_>, all: &[Hit<'_>], skip_unless: Option<&str>) -> Option<usize> {
    let i = hit.index?;
    let Some(key) = skip_unless else {
        return Some(i);
    };
    let keeps = |h: &Hit<'_>| value(h.element.and_then(|e| e.get(key))).is_some();
    if !keeps(hit) {
        return None;
    }
    Some(
        all.iter()
            .filter(|h| h.index.is_some_and(|j| j < i) && keeps(h))
            .count(),
    )
}

/// Maps a body onto the application format: the document keeps the body's text and positions.
pub(crate) fn translate(
    doc: Document,
    api: &str,
    spec: &ApiSpec,
    data: &Data,
) -> (Document, Vec<Diagnostic>) {
    let payload = doc.root;
    let span = payload.span;
    let mut root = Node::new(NodeKind::Map(Vec::new()), span);
    let mut paths: Vec<(String, String)> = Vec::new();
    let mut exempt: Vec<(String, Text)> = Vec::new();
    for o in &spec.objects {
        paths.push((o.beian.clone(), o.api.clone()));
    }
    for c in &spec.constants {
        put(&mut root, &c.beian, scalar(c.value.clone(), span));
    }
    for f in &spec.fields {
        let hits = expand(&payload, &f.api);
        for hit in &hits {
            let beian = match hit.index {
                None => f.beian.clone(),
                Some(_) => match kept_index(hit, &hits, f.skip_unless.as_deref()) {
                    Some(j) => f.beian.replacen('*', &j.to_string(), 1),
                    None => continue,
                },
            };
            if !paths.iter().any(|(b, _)| *b == beian) {
                paths.push((beian.clone(), hit.ptr.clone()));
            }
            let Some(node) = hit.node else { continue };
            match convert(f, node, data) {
                Conv::Value(v) => {
                    put(&mut root, &beian, scalar(v, node.span));
                }
                Conv::Node(n) => {
                    put(&mut root, &beian, n);
                }
                Conv::Unknown(why) => exempt.push((beian, why)),
                Conv::Skip => {}
            }
        }
    }
    let mut documents = Vec::new();
    for d in &spec.documents {
        for hit in expand(&payload, &d.api) {
            let Some(node) = hit.node.filter(|n| value(Some(n)).is_some()) else {
                continue;
            };
            let i = documents.len();
            let mut entries = vec![
                entry("kind", scalar(d.kind.clone(), node.span)),
                entry("file", node.clone()),
            ];
            if let Some(f) = &d.for_ {
                entries.push(entry("for", scalar(f.clone(), node.span)));
            }
            documents.push(Node::new(NodeKind::Map(entries), node.span));
            paths.push((format!("/documents/{i}"), hit.ptr.clone()));
        }
    }
    if !documents.is_empty() {
        put(&mut root, "/documents", Node::new(NodeKind::Seq(documents), span));
    }
    for c in &spec.copies {
        let absent = resolve(&payload, &c.when_absent).is_none_or(|n| {
            n.is_null()
                || n.entries()
                    .is_some_and(|e| e.iter().all(|e| value(Some(&e.value)).is_none()))
        });
        let unless = c
            .unless
            .as_deref()
            .is_some_and(|u| value(resolve(&payload, u)).is_some());
        let nature = value(resolve(&root, "/entity/nature"));
        let unit = nature.is_some_and(|n| n != "individual");
        if !absent || unless || (c.unit_only && !unit) {
            continue;
        }
        let Some(from) = resolve(&root, &c.from).cloned() else {
            continue;
        };
        put(&mut root, &c.to, from);
        let copied: Vec<(String, String)> = paths
            .iter()
            .filter_map(|(b, a)| {
                let rest = b.strip_prefix(&c.from)?;
                rest.starts_with('/')
                    .then(|| (format!("{}{rest}", c.to), a.clone()))
            })
            .collect();
        paths.retain(|(b, _)| *b != c.to && !b.starts_with(&format!("{}/", c.to)));
        paths.push((c.to.clone(), c.api.clone()));
        paths.extend(copied);
    }
    for p in &spec.platform_fills {
        exempt.push((p.beian.clone(), p.why.text()));
    }
    let mut diags = Vec::new();
    unknown_keys(spec, &payload, "", &mut diags);
    let tops = known_patterns(spec)
        .filter_map(|p| pointer_tokens(p).into_iter().next())
        .collect();
    let api_doc = ApiDoc {
        api: api.to_string(),
        payload,
        paths,
        exempt,
        tops,
    };
    (
        Document {
            text: doc.text,
            root,
            api: Some(Box::new(api_doc)),
        },
        diags,
    )
}

/// Sets `ptr` in the application, creating the objects and lists on the way (a numeric token is a list index).
fn put(root: &mut Node, ptr: &str, value: Node) {
    let tokens = pointer_tokens(ptr);
    let mut node = &mut *root;
    for (i, t) in tokens.iter().enumerate() {
        let Some(next) = tokens.get(i + 1) else { break };
        let list = next.bytes().all(|b| b.is_ascii_digit());
        let empty = || {
            Node::new(
                if list {
                    NodeKind::Seq(Vec::new())
                } else {
                    NodeKind::Map(Vec::new())
                },
                value.span,
            )
        };
        let child = match &mut node.kind {
            NodeKind::Map(entries) => {
                if !entries.iter().any(|e| e.key == *t) {
                    entries.push(entry(t, empty()));
                }
                entries.iter_mut().find(|e| e.key == *t).map(|e| &mut e.value)
            }
            NodeKind::Seq(items) => {
                let Ok(i) = t.parse::<usize>() else { return };
                while items.len() <= i {
                    items.push(empty());
                }
                items.get_mut(i)
            }
            NodeKind::Scalar(_) => return,
        };
        let Some(child) = child else { return };
        node = child;
    }
    let _ = set(
        node,
        &tokens
            .last()
            .map(|t| format!("/{}", crate::input::node::escape_token(t)))
            .unwrap_or_default(),
        value,
    );
}

fn entry(key: &str, value: Node) -> Entry {
    Entry {
        key: key.to_string(),
        key_span: value.span,
        value,
    }
}

/// Every body pattern the map knows.
fn known_patterns(spec: &ApiSpec) -> impl Iterator<Item = &str> {
    spec.fields
        .iter()
        .map(|f| f.api.as_str())
        .chain(spec.documents.iter().map(|d| d.api.as_str()))
        .chain(spec.other.iter().map(String::as_str))
        .chain(spec.objects.iter().map(|o| o.api.as_str()))
        .chain(spec.detect.iter().map(String::as_str))
        .filter(|p| !p.is_empty())
}

/// `/a/3/b` → `/a/*/b`: a concrete pointer as the map's patterns write it.
fn pattern_of(ptr: &str) -> String {
    pointer_tokens(ptr)
        .iter()
        .map(|t| {
            if t.bytes().all(|b| b.is_ascii_digit()) {
                "/*".to_string()
            } else {
                format!("/{t}")
            }
        })
        .collect()
}

/// Whether the map reads `ptr` (a pattern): a field, an object on the way to one, or inside a part read whole.
pub(crate) fn known(spec: &ApiSpec, ptr: &str) -> bool {
    let p = ptr.trim_start_matches('/');
    let whole = spec
        .other
        .iter()
        .chain(spec.documents.iter().map(|d| &d.api))
        .any(|k| p.starts_with(&format!("{}/", k.trim_start_matches('/'))));
    whole
        || known_patterns(spec).any(|k| {
            let k = k.trim_start_matches('/');
            k == p || k.starts_with(&format!("{p}/"))
        })
}

/// Keys of the body the map does not know: `input.unknown-field`, with the closest known sibling.
fn unknown_keys(spec: &ApiSpec, node: &Node, ptr: &str, out: &mut Vec<Diagnostic>) {
    match &node.kind {
        NodeKind::Map(entries) => {
            for e in entries {
                let child = format!("{ptr}/{}", crate::input::node::escape_token(&e.key));
                let pattern = pattern_of(&child);
                if known(spec, &pattern) {
                    unknown_keys(spec, &e.value, &child, out);
                    continue;
                }
                let parent = pattern_of(ptr);
                let siblings: Vec<String> = known_patterns(spec)
                    .filter_map(|k| {
                        let rest = k.strip_prefix(&format!("{parent}/"))?;
                        let first = rest.split('/').next()?;
                        (first != "*").then(|| first.to_string())
                    })
                    .collect();
                let near = suggest(&e.key, siblings.iter().map(String::as_str));
                let list = near.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>();
                let suggestions = if list.is_empty() {
                    Text::default()
                } else {
                    Text::new(
                        format!("；是否应为 {}？", list.join("、")),
                        format!("; did you mean {}?", list.join(", ")),
                    )
                };
                out.push(Diagnostic {
                    rule: UNKNOWN_FIELD,
                    outcome: Outcome::new(Verdict::Violated, child)
                        .var("field", format!("`{}`", e.key))
                        .var("suggestions", suggestions),
                });
            }
        }
        NodeKind::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                unknown_keys(spec, item, &format!("{ptr}/{i}"), out);
            }
        }
        NodeKind::Scalar(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_dates_in_shanghai() {
        // 1733328000 = 2024-12-04T16:00:00Z = 2024-12-05 00:00 in Asia/Shanghai.
        assert_eq!(
            unix_date("1733328000").map(|d| d.to_string()).as_deref(),
            Some("2024-12-05")
        );
        assert_eq!(
            unix_date("1733327999").map(|d| d.to_string()).as_deref(),
            Some("2024-12-04")
        );
        assert_eq!(unix_date("x"), None);
    }

    #[test]
    fn patterns_replace_indices() {
        assert_eq!(pattern_of("/a/0/b/12"), "/a/*/b/*");
        assert_eq!(pattern_of(""), "");
    }
}
