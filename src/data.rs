//! Data tables the checks read (`provinces/data/`: each with its origin, licence and date).

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::ids::phone::{AreaCodes, MobileRanges};
use crate::model::{CertType, Nature, Term, Vocabulary};
use crate::text::enum_key;

/// One of the 31 provinces (`data/provinces.yaml`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProvinceInfo {
    pub code: String,
    pub id: String,
    pub name: String,
    pub full_name: String,
    pub icp: String,
    pub pinyin: String,
    pub alpha: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProvincesFile {
    pub(crate) provinces: Vec<ProvinceInfo>,
}

#[derive(Clone, Debug, Default)]
pub struct Provinces {
    pub list: Vec<ProvinceInfo>,
}

impl Provinces {
    /// Matches a province by its Chinese short or full name with or without 省/市/自治区, pinyin id, or
    /// code (`21`, `210000`).
    pub fn resolve(&self, value: &str) -> Option<&ProvinceInfo> {
        let key = enum_key(value);
        let code = key.strip_suffix("0000").filter(|c| c.len() == 2).unwrap_or(&key);
        self.list.iter().find(|p| {
            p.code == code
                || p.id == key
                || p.alpha.to_ascii_lowercase() == key && key.len() > 2
                || p.full_name == key
                || p.name == key
                // The one-character abbreviation of filing numbers (粤ICP备…).
                || p.icp == key
                || ["省", "市", "自治区"]
                    .iter()
                    .any(|s| format!("{}{s}", p.name) == key)
        })
    }

    pub fn by_code(&self, code: &str) -> Option<&ProvinceInfo> {
        self.list.iter().find(|p| p.code == code)
    }

    pub fn by_id(&self, id: &str) -> Option<&ProvinceInfo> {
        self.list.iter().find(|p| p.id == id)
    }

    /// Every accepted spelling, for suggestions.
    pub fn spellings(&self) -> Vec<&str> {
        self.list
            .iter()
            .flat_map(|p| [p.name.as_str(), p.full_name.as_str(), p.id.as_str()])
            .collect()
    }

    pub fn codes(&self) -> Vec<&str> {
        self.list.iter().map(|p| p.code.as_str()).collect()
    }
}

/// Metadata every table carries.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableMeta {
    pub origin: String,
    #[serde(default)]
    pub sources: Vec<String>,
    pub licence: String,
    pub as_of: String,
}

/// `nature_certificates`: the certificate types each nature may use.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NatureCertificates {
    /// Allowed certificate types.
    #[serde(default)]
    pub allowed: Vec<String>,
    /// For `cert_type: other`: the certificate names that may be given in `cert_type_name`.
    #[serde(default)]
    pub other_names: Vec<String>,
    /// No sourced list: any unit certificate is only a warning.
    #[serde(default)]
    pub unsourced: bool,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NatureCertificatesTable {
    #[serde(flatten)]
    pub meta: TableMeta,
    pub values: BTreeMap<String, NatureCertificates>,
}

impl NatureCertificatesTable {
    pub fn for_nature(&self, nature: Nature) -> Option<&NatureCertificates> {
        self.values.get(nature.id())
    }

    pub fn allows(&self, nature: Nature, cert: CertType) -> Option<bool> {
        self.for_nature(nature).map(|n| {
            n.allowed.iter().any(|a| a == cert.id()) || (cert == CertType::Other && !n.other_names.is_empty())
        })
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TldSource {
    pub url: String,
    pub title: String,
    pub as_of: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TldEntry {
    /// ASCII (punycode) suffix without the leading dot: `cn`, `com.cn`, `xn--fiqs8s`.
    pub suffix: String,
    pub sources: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// `allowed_tlds`: suffixes MIIT approved for filing, each with its sources.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllowedTlds {
    #[serde(flatten)]
    pub meta: TableMeta,
    pub source_list: BTreeMap<String, TldSource>,
    pub suffixes: Vec<TldEntry>,
}

impl AllowedTlds {
    pub fn contains(&self, suffix: &str) -> bool {
        self.suffixes.iter().any(|e| e.suffix == suffix)
    }
}

/// Word lists and keyword tables (`data/tables.yaml`).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WordTable {
    #[serde(flatten)]
    pub meta: TableMeta,
    pub values: Vec<String>,
}

/// `uscc_categories`: GB 32100 category codes and the natures they fit.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UsccCategories {
    #[serde(flatten)]
    pub meta: TableMeta,
    pub confirmed: BTreeMap<String, Vec<String>>,
    pub likely: BTreeMap<String, Vec<String>>,
    pub names: BTreeMap<String, String>,
}

/// One pre-approval type and the keywords that point to it.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreapprovalType {
    #[serde(rename = "type")]
    pub kind: String,
    pub active: bool,
    pub name_keywords: Vec<String>,
    pub content_keywords: Vec<String>,
    pub scan_keywords: Vec<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreapprovalTable {
    #[serde(flatten)]
    pub meta: TableMeta,
    pub types: Vec<PreapprovalType>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tables {
    pub preapproval: PreapprovalTable,
    pub nature_certificates: NatureCertificatesTable,
    pub uscc_categories: UsccCategories,
    #[serde(default)]
    pub words: BTreeMap<String, WordTable>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct VocabList {
    #[allow(dead_code)]
    #[serde(flatten)]
    meta: TableMeta,
    values: Vec<VocabTerm>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct VocabTerm {
    id: String,
    #[serde(default)]
    aliases: Vec<String>,
    #[allow(dead_code)]
    #[serde(default)]
    code: Option<serde_json::Value>,
    #[allow(dead_code)]
    #[serde(default)]
    note: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct VocabFile {
    pub(crate) content_types: VocabList,
    pub(crate) languages: VocabList,
    pub(crate) preapproval_types: VocabList,
    pub(crate) platforms: VocabList,
}

pub(crate) fn terms(list: VocabList) -> Vec<Term> {
    list.values
        .into_iter()
        .map(|v| Term {
            id: v.id,
            aliases: v.aliases,
        })
        .collect()
}

/// The SMS verification facts (`data/sms.yaml`).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmsFacts {
    pub origin: String,
    pub licence: String,
    pub as_of: String,
    pub sources: Vec<String>,
    pub deadline_hours: u32,
    pub max_resends: u32,
    pub max_wrong_attempts: u32,
    pub recipients: BTreeMap<String, Vec<crate::model::Role>>,
    pub notes: BTreeMap<String, SmsNote>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmsNote {
    pub zh: String,
    pub en: String,
}

/// Everything the checks read besides the application.
#[derive(Clone, Debug, Default)]
pub struct Data {
    pub provinces: Provinces,
    pub mobile: MobileRanges,
    pub area_codes: AreaCodes,
    pub vocab: Vocabulary,
    pub tables: Tables,
    pub tlds: AllowedTlds,
    pub sms: SmsFacts,
    pub divisions: crate::ids::divisions::Divisions,
    /// The filing APIs' request bodies and code tables (`data/apis.yaml`).
    pub apis: crate::apispec::Apis,
}

impl Data {
    /// The province code an address text names (by the division names it starts with: province names
    /// first, then prefecture and county names through the divisions table).
    pub fn province_of_address(&self, text: &str) -> Option<String> {
        self.divisions.province_of(text)
    }

    pub fn province_label(&self, code: &str) -> crate::text::Text {
        self.provinces.by_code(code).map_or_else(
            || crate::text::Text::same(code),
            |p| crate::text::Text::new(p.name.clone(), p.pinyin.clone()),
        )
    }
}
