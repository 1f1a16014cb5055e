//! API request bodies (WeChat `applyIcpFiling`, Douyin `submit_record_info`, …) read as applications: the body
//! is recognised by its top-level keys, mapped onto the application format by the field map in
//! `provinces/data/apis.yaml`, and every mapped place remembers the body pointer it came from, so that findings
//! point at the body the user fixes. `convert` writes bodies from applications with the same map.

pub(crate) mod convert;

use std::collections::HashMap;

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

/// The places a pattern names in a body: (pointer, node if present). A pattern without `*` names one place.
pub(crate) fn places<'n>(root: &'n Node, pattern: &str) -> Vec<(String, Option<&'n Node>)> {
    match pattern.split_once("/*") {
        None => vec![(pattern.to_string(), resolve(root, pattern))],
        Some((list, rest)) => resolve(root, list)
            .and_then(Node::items)
            .map(|items| {
                items
                    .iter()
                    .enumerate()
                    .flat_map(|(i, item)| {
                        places(item, rest)
                            .into_iter()
                            .map(move |(p, n)| (format!("{list}/{i}{p}"), n))
                    })
                    .collect()
            })
            .unwrap_or_default(),
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
    if crate::ids::divisions::Divisions::is_placeholder(d) {
        let parent = d.parent.as_deref().and_then(|p| data.divisions.by_code(p))?;
        return Some(parent.name.to_string());
    }
    Some(d.name.to_string())
}

/// Seconds since the epoch → the date in Asia/Shanghai (UTC+8, no daylight saving since 1991).
pub(crate) fn unix_date(text: &str) -> Option<Date> {
    let secs: i64 = text.trim().parse().ok()?;
    // Milliseconds (13 digits) are not seconds: year 50,000 is no validity date.
    if secs.abs() >= 10_000_000_000 {
        return None;
    }
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
            Some(p) if text.bytes().all(|b| b.is_ascii_digit()) && data.provinces.by_code(p).is_some() => {
                Conv::Value(p.to_string())
            }
            Some("71" | "81" | "82") => Conv::Unknown(Text::new(
                format!("区域代码 {text} 属于台湾、香港或澳门，不能作为备案地区"),
                format!("area code {text} is in Taiwan, Hong Kong or Macao, which are not filing areas"),
            )),
            Some(_) if text.bytes().all(|b| b.is_ascii_digit()) => Conv::Unknown(Text::new(
                format!("区域代码 {text} 不属于任何省份"),
                format!("area code {text} belongs to no province"),
            )),
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

/// The application index of each list element once the elements without `skip_unless` are left out (`None`:
/// left out); one pass over the list.
fn kept_indices(hits: &[Hit<'_>], skip_unless: Option<&str>) -> Vec<Option<usize>> {
    let mut next = 0;
    hits.iter()
        .map(|h| {
            h.index?;
            let keeps = skip_unless.is_none_or(|key| value(h.element.and_then(|e| e.get(key))).is_some());
            keeps.then(|| {
                next += 1;
                next - 1
            })
        })
        .collect()
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
    let mut paths: HashMap<String, String> = HashMap::new();
    let mut exempt: HashMap<String, Text> = HashMap::new();
    let mut coded = std::collections::HashSet::new();
    for o in &spec.objects {
        paths.entry(o.beian.clone()).or_insert_with(|| o.api.clone());
    }
    for c in &spec.constants {
        put(&mut root, &c.beian, scalar(c.value.clone(), span));
    }
    for f in &spec.fields {
        let hits = expand(&payload, &f.api);
        let ranks = kept_indices(&hits, f.skip_unless.as_deref());
        for (hit, rank) in hits.iter().zip(ranks) {
            let beian = match hit.index {
                None => f.beian.clone(),
                Some(_) => match rank {
                    Some(j) => f.beian.replacen('*', &j.to_string(), 1),
                    None => continue,
                },
            };
            paths.entry(beian.clone()).or_insert_with(|| hit.ptr.clone());
            let Some(node) = hit.node else { continue };
            if f.via == Via::Code {
                coded.insert(beian.clone());
            }
            match convert(f, node, data) {
                Conv::Value(v) => {
                    put(&mut root, &beian, scalar(v, node.span));
                }
                Conv::Node(n) => {
                    put(&mut root, &beian, n);
                }
                Conv::Unknown(why) => {
                    exempt.insert(beian, why);
                }
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
            paths.insert(format!("/documents/{i}"), hit.ptr.clone());
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
        let nature = value(resolve(&root, "/entity/nature")).and_then(crate::model::Nature::parse);
        let unit = nature.is_some_and(crate::model::Nature::is_unit);
        if !absent || unless || (c.unit_only && !unit) {
            continue;
        }
        let Some(from) = resolve(&root, &c.from) else {
            continue;
        };
        // Only what the left-out object would hold (WeChat's legal_person_info: a name and a number).
        let entries: Vec<Entry> = from
            .entries()
            .unwrap_or_default()
            .iter()
            .filter(|e| c.members.contains(&e.key))
            .cloned()
            .collect();
        let copy = Node::new(NodeKind::Map(entries), from.span);
        put(&mut root, &c.to, copy);
        let copied: Vec<(String, String)> = paths
            .iter()
            .filter_map(|(b, a)| {
                let member = b.strip_prefix(&c.from)?.strip_prefix('/')?;
                c.members
                    .iter()
                    .any(|m| m == member)
                    .then(|| (format!("{}/{member}", c.to), a.clone()))
            })
            .collect();
        paths.retain(|b, _| *b != c.to && !b.starts_with(&format!("{}/", c.to)));
        paths.insert(c.to.clone(), c.api.clone());
        paths.extend(copied);
    }
    for p in &spec.platform_fills {
        exempt.insert(p.beian.clone(), p.why.text());
    }
    let mut diags = Vec::new();
    wrong_shapes(spec, &payload, &mut diags);
    unknown_keys(spec, &payload, "", "", &mut HashMap::new(), &mut diags);
    // The keys the map knows and those the body has (an unknown top-level key is reported at itself).
    let mut tops: Vec<String> = known_patterns(spec)
        .filter_map(|p| pointer_tokens(p).into_iter().next())
        .chain(
            payload
                .entries()
                .unwrap_or_default()
                .iter()
                .map(|e| e.key.clone()),
        )
        .collect();
    tops.sort();
    tops.dedup();
    let api_doc = ApiDoc {
        api: api.to_string(),
        payload,
        paths,
        exempt,
        tops,
        coded,
        kinds: spec
            .documents
            .iter()
            .map(|d| {
                let field = d.api.split_once("/*").map_or(d.api.as_str(), |(list, _)| list);
                (d.kind.clone(), field.to_string())
            })
            .collect(),
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

/// Objects of the body that are not mappings and lists that are not lists: `input.wrong-type` at the body's
/// pointer. Every ancestor of a field the map knows is an object, or a list where the next step is `*`.
fn wrong_shapes(spec: &ApiSpec, payload: &Node, out: &mut Vec<Diagnostic>) {
    let mut shapes: Vec<(String, bool)> = Vec::new();
    for pattern in known_patterns(spec) {
        let tokens: Vec<&str> = pattern.split('/').skip(1).collect();
        for n in 1..tokens.len() {
            let prefix = format!("/{}", tokens.get(..n).unwrap_or_default().join("/"));
            let list = tokens.get(n) == Some(&"*");
            if !shapes.iter().any(|(p, _)| *p == prefix) {
                shapes.push((prefix, list));
            }
        }
    }
    for (prefix, list) in shapes {
        for hit in expand(payload, &prefix) {
            let Some(node) = hit.node.filter(|n| !n.is_null()) else {
                continue;
            };
            let fits = if list {
                node.items().is_some()
            } else {
                node.entries().is_some()
            };
            if fits {
                continue;
            }
            let expected = if list {
                Text::new("列表", "a list")
            } else {
                Text::new("对象（映射）", "an object (mapping)")
            };
            out.push(Diagnostic {
                rule: crate::model::read::WRONG_TYPE,
                outcome: Outcome::violated(hit.ptr.clone())
                    .var("field", hit.ptr.clone())
                    .var("expected", expected)
                    .var("found", node.type_name()),
            });
        }
    }
}

/// Whether `ptr` (a pattern, `/a/*/b`) lies inside a part of the body read whole (an `other` field, a
/// document list): everything in it is accepted.
fn inside_whole(spec: &ApiSpec, ptr: &str) -> bool {
    spec.other
        .iter()
        .chain(spec.documents.iter().map(|d| &d.api))
        .any(|k| {
            ptr.strip_prefix(k.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
        })
}

/// Whether the map reads `ptr` (a pattern): a field, an object on the way to one, or inside a part read whole.
pub(crate) fn known(spec: &ApiSpec, ptr: &str) -> bool {
    inside_whole(spec, ptr)
        || known_patterns(spec).any(|k| {
            k.strip_prefix(ptr)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
}

/// Keys of the body the map does not know: `input.unknown-field`, with the closest known sibling. `pattern` is
/// `ptr` with list indices as `*`; what was decided for a pattern is remembered (a list repeats its keys).
fn unknown_keys(
    spec: &ApiSpec,
    node: &Node,
    ptr: &str,
    pattern: &str,
    seen: &mut HashMap<String, bool>,
    out: &mut Vec<Diagnostic>,
) {
    // A list where an object belongs, or the other way round, is `input.wrong-type` already; its keys are
    // not unknown.
    let list_here = !pattern.is_empty() && known(spec, &format!("{pattern}/*"));
    match &node.kind {
        NodeKind::Map(_) if list_here => {}
        NodeKind::Seq(_) if !list_here => {}
        NodeKind::Map(entries) => {
            for e in entries {
                let token = crate::input::node::escape_token(&e.key);
                let child = format!("{pattern}/{token}");
                let known_here = *seen.entry(child.clone()).or_insert_with(|| known(spec, &child));
                if known_here {
                    if !inside_whole(spec, &child) {
                        unknown_keys(spec, &e.value, &format!("{ptr}/{token}"), &child, seen, out);
                    }
                    continue;
                }
                let siblings: Vec<String> = known_patterns(spec)
                    .filter_map(|k| {
                        let rest = k.strip_prefix(pattern)?.strip_prefix('/')?;
                        let first = rest.split('/').next()?;
                        (first != "*").then(|| first.to_string())
                    })
                    .collect();
                let near = suggest(&e.key, siblings.iter().map(String::as_str));
                let suggestions = crate::model::read::suggestions(&near);
                out.push(Diagnostic {
                    rule: UNKNOWN_FIELD,
                    outcome: Outcome::new(Verdict::Violated, format!("{ptr}/{token}"))
                        .var("field", format!("`{}`", e.key))
                        .var("suggestions", suggestions),
                });
            }
        }
        NodeKind::Seq(items) => {
            let child = format!("{pattern}/*");
            for (i, item) in items.iter().enumerate() {
                unknown_keys(spec, item, &format!("{ptr}/{i}"), &child, seen, out);
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
}

#[cfg(test)]
mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// A date written as seconds at any moment of its day in Asia/Shanghai reads back as that date, and
        /// `convert` writes the day's first second.
        #[test]
        fn seconds_within_a_day_are_that_day(days in -30_000i64..60_000, second in 0i64..86_400) {
            let day = Date::from_days(days);
            let start = day.days() * 86_400 - 8 * 3600;
            prop_assert_eq!(unix_date(&(start + second).to_string()), Some(day));
        }

        /// YYYYmmdd and the application's YYYY-MM-DD are the same date both ways.
        #[test]
        fn compact_dates_round_trip(days in -30_000i64..60_000) {
            let day = Date::from_days(days);
            let compact = day.to_string().replace('-', "");
            prop_assert_eq!(Date::parse_compact(&compact), Some(day));
        }
    }
}
