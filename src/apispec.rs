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
    pub fn capture(&mut self, rows: Vec<BTreeMap<String, serde_json::Value>>, seen: &str) {
        self.rows = rows;
        self.complete = true;
        self.seen = seen.to_string();
    }
}
