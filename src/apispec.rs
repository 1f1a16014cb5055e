//! The filing APIs' request bodies as data (`provinces/data/apis.yaml`): how a body is recognised, its field
//! map onto the application format and the APIs' code tables. `payload` reads bodies with it, `convert` writes
//! them.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::text::Text;

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Apis {
    pub apis: BTreeMap<String, ApiSpec>,
    pub tables: BTreeMap<String, CodeTable>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bilingual {
    pub zh: String,
    pub en: String,
}

impl Bilingual {
    pub fn text(&self) -> Text {
        Text::new(self.zh.clone(), self.en.clone())
    }
}

/// One API's request body.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiSpec {
    pub title: Bilingual,
    pub source: String,
    /// Top-level keys that together identify the body.
    pub detect: Vec<String>,
    #[serde(default)]
    pub constants: Vec<Constant>,
    #[serde(default)]
    pub objects: Vec<ObjectMap>,
    #[serde(default)]
    pub fields: Vec<FieldMap>,
    #[serde(default)]
    pub documents: Vec<DocumentMap>,
    /// Body fields read by the API rules that have no place in the application.
    #[serde(default)]
    pub other: Vec<String>,
    #[serde(default)]
    pub platform_fills: Vec<PlatformFill>,
    #[serde(default)]
    pub copies: Vec<Copy>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Constant {
    pub beian: String,
    pub value: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectMap {
    pub beian: String,
    pub api: String,
}

/// How a value is converted between the body and the application.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Via {
    #[default]
    Text,
    Code,
    Division,
    Province,
    Date8,
    UnixDate,
    EndTimeFlag,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldMap {
    pub api: String,
    pub beian: String,
    #[serde(default)]
    pub via: Via,
    #[serde(default)]
    pub table: Option<String>,
    /// A list element without this member is not mapped (WeChat's “以上都不涉及” entry has no number).
    #[serde(default)]
    pub skip_unless: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentMap {
    pub api: String,
    pub kind: String,
    #[serde(default, rename = "for")]
    pub for_: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlatformFill {
    pub beian: String,
    pub why: Bilingual,
}

/// Copies an object the body leaves out on purpose (WeChat: no `legal_person_info` = the principal is the
/// legal person).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Copy {
    pub from: String,
    pub to: String,
    /// Where findings about the copy point.
    pub api: String,
    pub when_absent: String,
    #[serde(default)]
    pub unless: Option<String>,
    #[serde(default)]
    pub unit_only: bool,
    /// The members copied (what the left-out object would hold).
    pub members: Vec<String>,
}

/// A code table of an API (a run-time API result; what its documentation shows).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeTable {
    pub title: Bilingual,
    pub source: String,
    pub seen: String,
    /// Whether every code is listed: a code outside an incomplete table is a doubt, not a failure.
    pub complete: bool,
    /// The member naming a row's code (as the API's response names it).
    pub key: String,
    /// The member naming a row's name.
    #[serde(default = "name_member")]
    pub name: String,
    pub rows: Vec<BTreeMap<String, serde_json::Value>>,
}

fn name_member() -> String {
    "name".to_string()
}

/// A row's member as text (codes are numbers in some tables and strings in others).
pub(crate) fn member(row: &BTreeMap<String, serde_json::Value>, key: &str) -> Option<String> {
    match row.get(key)? {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

impl CodeTable {
    /// The row of a code (the first, when one code appears under several parents).
    pub fn row(&self, code: &str) -> Option<&BTreeMap<String, serde_json::Value>> {
        self.rows
            .iter()
            .find(|r| member(r, &self.key).as_deref() == Some(code))
    }

    /// Every row of a code.
    pub fn rows_of(&self, code: &str) -> Vec<&BTreeMap<String, serde_json::Value>> {
        self.rows
            .iter()
            .filter(|r| member(r, &self.key).as_deref() == Some(code))
            .collect()
    }

    /// Every code, as text.
    pub fn codes(&self) -> Vec<String> {
        self.rows.iter().filter_map(|r| member(r, &self.key)).collect()
    }

    /// `code 名称` for each row: what a message lists as the accepted codes.
    pub fn listing(&self) -> String {
        self.rows
            .iter()
            .filter_map(|r| {
                let code = member(r, &self.key)?;
                Some(match member(r, &self.name) {
                    Some(n) => format!("{code} {n}"),
                    None => code,
                })
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Replaces the rows with a captured API response (`--api-tables`): the table is then complete.
    pub fn capture(&mut self, mut rows: Vec<BTreeMap<String, serde_json::Value>>, seen: &str) {
        // What the data adds to a documented row (its value in the application) stays with that code.
        for row in &mut rows {
            let Some(code) = member(row, &self.key) else {
                continue;
            };
            if let Some(known) = self.row(&code) {
                for (k, v) in known {
                    row.entry(k.clone()).or_insert_with(|| v.clone());
                }
            }
        }
        self.rows = rows;
        self.complete = true;
        self.seen = seen.to_string();
    }
}

/// The rows of a captured code-table response: every object, at any depth, that has the `key` member, with
/// the scalar members of the objects it is nested in (Douyin nests credentials types under their corp type).
/// A response reporting an error (`errcode` / `err_no` other than 0) is refused.
pub(crate) fn captured_rows(
    bytes: &[u8],
    key: &str,
) -> Result<Vec<BTreeMap<String, serde_json::Value>>, String> {
    let v: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| format!("not JSON: {e}"))?;
    for code in ["errcode", "err_no"] {
        if let Some(c) = v.get(code).filter(|c| c.as_i64() != Some(0)) {
            return Err(format!("the response reports an error ({code} {c})"));
        }
    }
    fn walk(
        v: &serde_json::Value,
        key: &str,
        inherited: &BTreeMap<String, serde_json::Value>,
        out: &mut Vec<BTreeMap<String, serde_json::Value>>,
    ) {
        match v {
            serde_json::Value::Object(map) => {
                let mut scalars = inherited.clone();
                for (k, x) in map {
                    if !x.is_object() && !x.is_array() {
                        scalars.insert(k.clone(), x.clone());
                    }
                }
                if map.contains_key(key) {
                    out.push(scalars.clone());
                }
                for x in map.values().filter(|x| x.is_object() || x.is_array()) {
                    walk(x, key, &scalars, out);
                }
            }
            serde_json::Value::Array(items) => {
                for x in items {
                    walk(x, key, inherited, out);
                }
            }
            _ => {}
        }
    }
    let mut rows = Vec::new();
    walk(&v, key, &BTreeMap::new(), &mut rows);
    if rows.is_empty() {
        return Err(format!("no object in it has the member `{key}`"));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_rows_take_their_parents_members() {
        let body = r#"{"data": {"corp_type_list": [{"corp_type_id": 4, "corp_type_name": "企业",
            "credentials_type_list": [{"credentials_type_id": 1, "credentials_type_name": "营业执照"}]}]},
            "err_no": 0}"#
            .as_bytes();
        let rows = captured_rows(body, "credentials_type_id").unwrap_or_default();
        assert_eq!(rows.len(), 1);
        let row = rows.first().cloned().unwrap_or_default();
        assert_eq!(member(&row, "corp_type_id").as_deref(), Some("4"));
        assert_eq!(member(&row, "credentials_type_name").as_deref(), Some("营业执照"));
        // The parent itself is a row of its own table.
        assert_eq!(captured_rows(body, "corp_type_id").map(|r| r.len()), Ok(1));
        assert!(captured_rows(br#"{"errcode": -1, "items": []}"#, "type").is_err());
        assert!(captured_rows(br#"{"errcode": 0, "items": [{"x": 1}]}"#, "type").is_err());
    }
}
