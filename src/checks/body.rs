//! Checks of an API request body's own fields (the API layers, `wechat.yaml` and `douyin.yaml`): presence,
//! counts, lengths, formats, codes from the API's code tables and area codes. They read the body, not the
//! application mapped from it, and report at the body's pointers. On an application that is not a body they
//! find nothing.

use serde::Deserialize;

use super::{Cx, Kind};
use crate::apispec::{CodeTable, member};
use crate::date::Date;
use crate::input::node::{Node, resolve};
use crate::outcome::{Outcome, Var};
use crate::payload::{places, value};
use crate::text::Text;

/// `check: body`: one constraint on body fields (`field`: one pointer or a list; `*` = every list element).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Body {
    pub field: Fields,
    /// The check runs only when this body field is filled in (`/auth_data`: the one-step certification API).
    #[serde(default)]
    pub only_if: Option<String>,
    /// Filled in (not null, not blank, not an empty list).
    #[serde(default)]
    pub required: bool,
    /// Required only when the sibling code's table row passes this test (WeChat: a pre-approval number unless
    /// the type is 以上都不涉及).
    #[serde(default)]
    pub when_sibling: Option<SiblingRow>,
    /// Left out (a field the API fills in itself).
    #[serde(default)]
    pub absent: bool,
    #[serde(default)]
    pub min_items: Option<usize>,
    #[serde(default)]
    pub max_items: Option<usize>,
    /// Length in characters.
    #[serde(default)]
    pub min_chars: Option<usize>,
    #[serde(default)]
    pub max_chars: Option<usize>,
    /// `date8` (YYYYmmdd), `date8_or_long_term` (also 长期), `unix_seconds`, `boolean`.
    #[serde(default)]
    pub format: Option<String>,
    /// The value is one of these (as text).
    #[serde(default)]
    pub one_of: Vec<String>,
    /// The JSON type the API declares: `number`, `string`, `boolean` or `list`.
    #[serde(default)]
    pub json_type: Option<String>,
    /// A code of this table (`data/apis.yaml`).
    #[serde(default)]
    pub table: Option<String>,
    /// The code's row must have `member` equal to the value of body field `field`.
    #[serde(default)]
    pub belongs_to: Option<BelongsTo>,
    /// The code's row must pass this test (e.g. not a first-level service type).
    #[serde(default)]
    pub row: Option<RowTest>,
    /// A list of objects: no two elements share this member.
    #[serde(default)]
    pub unique: Option<String>,
    /// A date (same format) this one must come after: a sibling member's name, or a body pointer.
    #[serde(default)]
    pub after: Option<String>,
}

/// One body pointer or several.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Fields {
    One(String),
    Many(Vec<String>),
}

impl Default for Fields {
    fn default() -> Fields {
        Fields::Many(Vec::new())
    }
}

impl Fields {
    pub fn list(&self) -> Vec<&str> {
        match self {
            Fields::One(f) => vec![f.as_str()],
            Fields::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BelongsTo {
    pub member: String,
    pub field: String,
    /// The code table of `field`: when it lacks that code and is incomplete, the relation cannot be judged.
    #[serde(default)]
    pub table: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RowTest {
    pub member: String,
    #[serde(default)]
    pub is_in: Vec<String>,
    #[serde(default)]
    pub is_not_in: Vec<String>,
}

impl RowTest {
    fn passes(&self, value: Option<&str>) -> bool {
        let v = value.unwrap_or_default();
        (self.is_in.is_empty() || self.is_in.iter().any(|x| x == v)) && !self.is_not_in.iter().any(|x| x == v)
    }
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiblingRow {
    /// The sibling member holding the code.
    pub field: String,
    pub table: String,
    #[serde(flatten)]
    pub test: RowTest,
}

fn filled(node: Option<&Node>) -> bool {
    match node {
        None => false,
        Some(n) if n.is_null() => false,
        Some(n) => match (n.scalar(), n.items(), n.entries()) {
            (Some(s), _, _) => !s.text.trim().is_empty(),
            (_, Some(items), _) => !items.is_empty(),
            (_, _, Some(entries)) => !entries.is_empty(),
            _ => false,
        },
    }
}

fn date_of(format: &str, text: &str) -> Option<Date> {
    match format {
        "unix_seconds" => crate::payload::unix_date(text),
        _ => Date::parse_compact(text),
    }
}

fn format_ok(format: &str, text: &str) -> bool {
    match format {
        "date8" => Date::parse_compact(text).is_some(),
        "date8_or_long_term" => text == "长期" || Date::parse_compact(text).is_some(),
        "unix_seconds" => text.len() == 10 && crate::payload::unix_date(text).is_some(),
        "boolean" => matches!(text, "true" | "false"),
        _ => false,
    }
}

fn format_words(format: &str) -> Text {
    match format {
        "date8" => Text::new(
            "YYYYmmdd 格式的日期（如 20330815）",
            "a YYYYmmdd date (e.g. 20330815)",
        ),
        "date8_or_long_term" => Text::new(
            "YYYYmmdd 格式的日期（如 20330815）或“长期”",
            "a YYYYmmdd date (e.g. 20330815) or 长期",
        ),
        "unix_seconds" => Text::new(
            "以秒计的 Unix 时间戳（10 位）",
            "a Unix timestamp in seconds (10 digits)",
        ),
        "boolean" => Text::new("true 或 false", "true or false"),
        other => Text::same(other),
    }
}

/// The JSON type of a node as the body wrote it: a quoted scalar is a string, a plain one a number or a boolean.
fn json_type_of(node: &Node) -> &'static str {
    match (node.scalar(), node.items()) {
        (Some(s), _) if !s.plain => "string",
        (Some(s), _) if matches!(s.text.as_str(), "true" | "false") => "boolean",
        (Some(s), _) if s.text.parse::<f64>().is_ok() => "number",
        (Some(_), _) => "string",
        (None, Some(_)) => "list",
        (None, None) => "object",
    }
}

fn type_words(t: &str) -> Text {
    match t {
        "number" => Text::new("数字", "a number"),
        "string" => Text::new("字符串（带引号）", "a string (quoted)"),
        "boolean" => Text::new("true 或 false", "true or false"),
        "list" => Text::new("列表", "a list"),
        "object" => Text::new("对象", "an object"),
        other => Text::same(other),
    }
}

/// A count (of items, of characters) against its bounds: `None` when the rule sets none; the limit broken is
/// `{limit}`, the count `{found}`.
fn within(ptr: &str, n: usize, min: Option<usize>, max: Option<usize>) -> Option<Outcome> {
    if min.is_none() && max.is_none() {
        return None;
    }
    let low = min.is_some_and(|m| n < m);
    let high = max.is_some_and(|m| n > m);
    let limit = if low { min } else { max };
    Some(if low || high {
        Outcome::violated(ptr)
            .var("found", n.to_string())
            .var("limit", limit.unwrap_or_default().to_string())
    } else {
        Outcome::pass(ptr)
    })
}

/// The parent pointer of a body pointer (`/a/0/b` → `/a/0`).
fn parent(ptr: &str) -> &str {
    ptr.rsplit_once('/').map_or("", |(p, _)| p)
}

impl Body {
    fn table<'a>(cx: &Cx<'a>, id: Option<&str>) -> Option<&'a CodeTable> {
        id.and_then(|t| cx.tables.get(t))
    }

    /// Whether the field is required here: `required`, and the sibling code's row (if asked) passes the test.
    /// `None` = cannot tell (the code is not in an incomplete table).
    fn required_here(&self, cx: &Cx<'_>, root: &Node, ptr: &str) -> Option<bool> {
        if !self.required {
            return Some(false);
        }
        let Some(w) = &self.when_sibling else {
            return Some(true);
        };
        let code = value(resolve(root, &format!("{}/{}", parent(ptr), w.field)))?;
        let table = Body::table(cx, Some(&w.table))?;
        let rows = table.rows_of(code.trim());
        if rows.is_empty() {
            return if table.complete { Some(true) } else { None };
        }
        Some(
            rows.iter()
                .any(|r| w.test.passes(member(r, &w.test.member).as_deref())),
        )
    }

    fn code(&self, cx: &Cx<'_>, root: &Node, ptr: &str, text: &str, out: &mut Vec<Outcome>) {
        let Some(table) = Body::table(cx, self.table.as_deref()) else {
            return;
        };
        let rows = table.rows_of(text);
        // A relation to a code the table lacks is not judged here: the table's own membership rule reports it.
        if rows.is_empty() && (self.belongs_to.is_some() || self.row.is_some()) {
            return;
        }
        if rows.is_empty() {
            let accepted = if table.rows.is_empty() {
                Text::new("（文档未列出任何代码）", "(the documentation lists no codes)")
            } else {
                Text::same(table.listing())
            };
            // Nothing documented to compare with: a note, not a doubt about every body.
            if table.rows.is_empty() && !table.complete {
                out.push(
                    Outcome::info(ptr)
                        .var("value", text.to_string())
                        .var("accepted", accepted)
                        .var("table", table.title.text())
                        .var(
                            "found",
                            Text::new(
                                "无法核对：文档未列出代码（可用 --api-table 提供接口返回的代码表）",
                                "cannot be checked: the documentation lists no codes (pass the API's response with --api-table)",
                            ),
                        ),
                );
                return;
            }
            let (o, found) = if table.complete {
                (
                    Outcome::violated(ptr),
                    Text::new("不在代码表中", "is not in the code table"),
                )
            } else {
                (
                    Outcome::doubt(ptr),
                    Text::new(
                        "不在文档列出的代码中（代码表是接口运行时的结果，可用 --api-table 提供）",
                        "is not among the codes the documentation shows (the table is a run-time API result: pass it with --api-table)",
                    ),
                )
            };
            out.push(
                o.var("value", text.to_string())
                    .var("accepted", accepted)
                    .var("table", table.title.text())
                    .var("found", found),
            );
            return;
        }
        let name = rows
            .first()
            .and_then(|r| member(r, &table.name))
            .unwrap_or_default();
        if let Some(b) = &self.belongs_to {
            let have = value(resolve(root, &b.field)).map(str::trim);
            let parent_unknown = have
                .zip(Body::table(cx, b.table.as_deref()))
                .is_some_and(|(h, t)| !t.complete && t.rows_of(h).is_empty());
            if parent_unknown {
                return;
            }
            if let Some(have) = have {
                if !rows.iter().any(|r| member(r, &b.member).as_deref() == Some(have)) {
                    let owners: Vec<String> = rows.iter().filter_map(|r| member(r, &b.member)).collect();
                    out.push(
                        Outcome::violated(ptr)
                            .var("value", format!("{text} {name}"))
                            .var("found", owners.join(", "))
                            .var("expected", have.to_string())
                            .related(b.field.clone()),
                    );
                    return;
                }
            }
        }
        if let Some(r) = &self.row {
            if !rows.iter().any(|row| r.passes(member(row, &r.member).as_deref())) {
                out.push(
                    Outcome::violated(ptr).var("value", format!("{text} {name}")).var(
                        "found",
                        rows.first()
                            .and_then(|row| member(row, &r.member))
                            .unwrap_or_default(),
                    ),
                );
                return;
            }
        }
        out.push(Outcome::pass(ptr).var("value", format!("{text} {name}")));
    }

    fn one(&self, cx: &Cx<'_>, root: &Node, ptr: String, node: Option<&Node>, out: &mut Vec<Outcome>) {
        let required = self.required_here(cx, root, &ptr);
        if !filled(node) {
            match required {
                Some(true) => out.push(Outcome::violated(ptr).var("found", Text::new("未填写", "missing"))),
                None => out.push(Outcome::doubt(ptr).var("found", Text::new("未填写", "missing"))),
                Some(false) if self.absent => out.push(Outcome::pass(ptr)),
                Some(false) => {}
            }
            return;
        }
        if self.absent {
            out.push(Outcome::violated(ptr).var("found", Text::new("已填写", "filled in")));
            return;
        }
        let Some(node) = node else { return };
        if let Some(t) = &self.json_type {
            out.push(match json_type_of(node) {
                found if found == t.as_str() => Outcome::pass(ptr.clone()),
                found => Outcome::violated(ptr.clone())
                    .var("expected", type_words(t))
                    .var("found", type_words(found)),
            });
            return;
        }
        if self.required {
            out.push(Outcome::pass(ptr.clone()));
        }
        if let Some(o) = within(
            &ptr,
            node.items().map_or(1, <[Node]>::len),
            self.min_items,
            self.max_items,
        ) {
            out.push(o);
        }
        if let Some(key) = &self.unique {
            let items = node.items().unwrap_or_default();
            let mut seen = std::collections::HashSet::new();
            let dup = items
                .iter()
                .enumerate()
                .find_map(|(i, item)| value(item.get(key)).filter(|v| !seen.insert(*v)).map(|v| (i, v)));
            out.push(match dup {
                Some((i, v)) => Outcome::violated(format!("{ptr}/{i}/{key}")).var("value", v.to_string()),
                None => Outcome::pass(ptr.clone()),
            });
        }
        let Some(text) = value(Some(node)).map(str::trim) else {
            return;
        };
        if let Some(o) = within(&ptr, text.chars().count(), self.min_chars, self.max_chars) {
            out.push(o);
        }
        if !self.one_of.is_empty() {
            out.push(if self.one_of.iter().any(|v| v == text) {
                Outcome::pass(ptr.clone())
            } else {
                Outcome::violated(ptr.clone())
                    .var("value", text.to_string())
                    .var("accepted", self.one_of.join(", "))
            });
        }
        if let Some(f) = &self.format {
            if !format_ok(f, text) {
                out.push(
                    Outcome::violated(ptr.clone())
                        .var("value", text.to_string())
                        .var("expected", format_words(f)),
                );
                return;
            }
            let before = self.after.as_ref().map(|a| {
                if a.starts_with('/') {
                    a.clone()
                } else {
                    format!("{}/{a}", parent(&ptr))
                }
            });
            let earlier = before
                .as_ref()
                .and_then(|b| value(resolve(root, b)))
                .and_then(|t| date_of(f, t.trim()));
            match (earlier, date_of(f, text), before) {
                (Some(b), Some(d), Some(at)) if d <= b => out.push(
                    Outcome::violated(ptr.clone())
                        .var("value", text.to_string())
                        .var(
                            "expected",
                            Text::new(format!("晚于 {at} 的日期"), format!("a date after {at}")),
                        )
                        .related(at),
                ),
                _ => out.push(Outcome::pass(ptr.clone())),
            }
        }
        if self.table.is_some() {
            self.code(cx, root, &ptr, text, out);
        }
    }
}

impl Kind for Body {
    fn vars(&self) -> &'static [&'static str] {
        &["accepted", "table", "limit", "expected"]
    }

    fn listed_when_empty(&self) -> bool {
        false
    }

    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        let Some(root) = cx.body.map(|b| &b.payload) else {
            return Vec::new();
        };
        if self.only_if.as_ref().is_some_and(|p| !filled(resolve(root, p))) {
            return Vec::new();
        }
        let mut out = Vec::new();
        for field in self.field.list() {
            for (ptr, node) in places(root, field) {
                self.one(cx, root, ptr, node, &mut out);
            }
        }
        out
    }
}

/// `check: regions`: the province, city and district codes of a body name one another (a district of the
/// city, a city of the province), each code exists in GB/T 2260, names given beside codes match them, and the
/// address does not repeat them at its start.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Regions {
    pub province: String,
    pub city: String,
    pub district: String,
    /// Name fields beside the codes (Douyin's `province_name`, …), in the same order.
    #[serde(default)]
    pub names: Vec<String>,
    /// The address that must not start with the division names.
    #[serde(default)]
    pub address: Option<String>,
    /// Whether the codes themselves are checked (`false`: only the address, in a rule of its own).
    #[serde(default = "yes")]
    pub codes: bool,
    /// Whether a level missing beside the others is this rule's failure (`false` where another rule requires
    /// the fields).
    #[serde(default)]
    pub all_levels: bool,
}

fn yes() -> bool {
    true
}

impl Kind for Regions {
    fn vars(&self) -> &'static [&'static str] {
        &["expected"]
    }

    fn listed_when_empty(&self) -> bool {
        false
    }

    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        let Some(root) = cx.body.map(|b| &b.payload) else {
            return Vec::new();
        };
        let divisions = &cx.data.divisions;
        let fields = [&self.province, &self.city, &self.district];
        let mut out = Vec::new();
        let mut found: Vec<Option<&crate::ids::divisions::Division>> = Vec::new();
        use crate::ids::divisions::Level;
        let any = self.all_levels && fields.iter().any(|f| value(resolve(root, f)).is_some());
        for (field, level) in fields
            .into_iter()
            .zip([Level::Province, Level::Prefecture, Level::County])
        {
            let Some(code) = value(resolve(root, field)).map(str::trim) else {
                // One level given and another not: the area cannot be told.
                if any {
                    out.push(
                        Outcome::violated(field.clone())
                            .var("value", Text::new("（空）", "(none)"))
                            .var(
                                "found",
                                Text::new(
                                    "未填写（省、市、县区代码都要填）",
                                    "is missing (province, city and district codes are all required)",
                                ),
                            ),
                    );
                }
                found.push(None);
                continue;
            };
            // A prefecture without counties (东莞, 中山, 儋州, 嘉峪关) is its own district.
            let own_district = |d: &crate::ids::divisions::Division| {
                level == Level::County
                    && d.level == Level::Prefecture
                    && found.get(1).copied().flatten().is_some_and(|c| c.code == d.code)
                    && divisions.children(d).next().is_none()
            };
            match divisions.by_code(code) {
                Some(d) if d.level != level && !own_district(d) => {
                    let (zh, en) = match level {
                        Level::Province => ("不是省级代码", "is not a province code"),
                        Level::Prefecture => ("不是市级代码", "is not a city code"),
                        Level::County => ("不是县区级代码", "is not a district code"),
                    };
                    out.push(
                        Outcome::violated(field.clone())
                            .var("value", format!("{} {}", d.code, d.name))
                            .var("found", Text::new(zh, en)),
                    );
                    found.push(None);
                }
                Some(d) => found.push(Some(d)),
                None => {
                    out.push(
                        Outcome::violated(field.clone())
                            .var("value", code.to_string())
                            .var(
                                "found",
                                Text::new("不是行政区划代码", "is not an administrative division code"),
                            ),
                    );
                    found.push(None);
                }
            }
        }
        // Each level inside the one above it.
        for (i, pair) in found.windows(2).enumerate() {
            let (Some(Some(outer)), Some(Some(inner))) = (pair.first(), pair.get(1)) else {
                continue;
            };
            let Some(field) = fields.get(i + 1) else { continue };
            if !divisions.within(inner, outer) {
                out.push(
                    Outcome::violated((*field).clone())
                        .var("value", format!("{} {}", inner.code, inner.name))
                        .var(
                            "found",
                            Text::new(
                                format!("不属于 {} {}", outer.code, outer.name),
                                format!("does not belong to {} {}", outer.code, outer.name),
                            ),
                        )
                        .related(fields.get(i).map_or_else(String::new, |f| (*f).clone())),
                );
            }
        }
        for (name_field, d) in self.names.iter().zip(&found) {
            let (Some(name), Some(d)) = (value(resolve(root, name_field)).map(str::trim), d) else {
                continue;
            };
            if name != d.name {
                out.push(
                    Outcome::violated(name_field.clone())
                        .var("value", name.to_string())
                        .var("expected", format!("{} {}", d.code, d.name))
                        .var(
                            "found",
                            Text::new(
                                format!("与代码 {} 的名称“{}”不符", d.code, d.name),
                                format!("does not match the name of code {}, {}", d.code, d.name),
                            ),
                        ),
                );
            }
        }
        if !self.codes {
            out.clear();
        }
        let mut anchor = self.district.clone();
        if let Some(address) = &self.address {
            anchor = address.clone();
            if let Some(text) = value(resolve(root, address)).map(str::trim) {
                let chosen: Vec<&str> = found.iter().flatten().map(|d| d.code.as_ref()).collect();
                let lead = divisions.leading(text).into_iter().find(|m| {
                    m.start == 0
                        && m.candidates
                            .iter()
                            .filter_map(|i| divisions.get(*i))
                            .any(|d| chosen.contains(&d.code.as_ref()))
                });
                if let Some(m) = lead {
                    out.push(
                        Outcome::violated(address.clone())
                            .var("value", text.to_string())
                            .var("found", Var::from(m.text.clone())),
                    );
                }
            }
        }
        if out.is_empty() && found.iter().any(Option::is_some) {
            out.push(Outcome::pass(anchor));
        }
        out
    }
}
