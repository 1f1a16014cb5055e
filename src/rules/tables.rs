//! Loads the data tables (`provinces/data/`) from the rule files, embedded or from `--rules-dir`.

use super::files::Files;
use super::load::RuleError;
use crate::data::{AllowedTlds, Data, Provinces, ProvincesFile, SmsFacts, Tables, VocabFile, terms};
use crate::ids::phone::{AreaCodes, MobileRanges};
use crate::model::{Term, Vocabulary};

fn yaml_file<T: serde::de::DeserializeOwned>(files: &Files, path: &str) -> Result<T, RuleError> {
    let name = files.name(path);
    let text = files
        .get(path)
        .ok_or_else(|| RuleError::file(&name, "the data file is missing"))?;
    if files.is_compiled(path) {
        return serde_json::from_str(text).map_err(|e| RuleError::file(&name, &e.to_string()));
    }
    let root = super::load::data_tree(&name, text, false)?;
    serde_json::from_value(root.to_json_typed()).map_err(|e| RuleError::file(&name, &e.to_string()))
}

impl Data {
    pub fn load(files: &Files, extra_documents: &[Term]) -> Result<Data, RuleError> {
        let provinces: ProvincesFile = yaml_file(files, "data/provinces.yaml")?;
        let tables: Tables = yaml_file(files, "data/tables.yaml")?;
        let tlds: AllowedTlds = yaml_file(files, "data/allowed_tlds.yaml")?;
        let vocab: VocabFile = yaml_file(files, "data/vocabularies.yaml")?;
        let sms: SmsFacts = yaml_file(files, "data/sms.yaml")?;
        let apis: crate::apispec::Apis = yaml_file(files, "data/apis.yaml")?;
        let mobile = match files.get("data/mobile_ranges.tsv") {
            Some(_) if files.is_compiled("data/mobile_ranges.tsv") => MobileRanges::embedded(),
            Some(t) => MobileRanges::parse_tsv(t)
                .map_err(|e| RuleError::file(&files.name("data/mobile_ranges.tsv"), &e))?,
            None => MobileRanges::default(),
        };
        let area_codes = match files.get("data/landline_area_codes.tsv") {
            Some(t) => AreaCodes::parse_tsv(t)
                .map_err(|e| RuleError::file(&files.name("data/landline_area_codes.tsv"), &e))?,
            None => AreaCodes::default(),
        };
        let divisions = match files.get("data/divisions.tsv") {
            Some(_) if files.is_compiled("data/divisions.tsv") => {
                crate::ids::divisions::Divisions::embedded()
            }
            Some(t) => crate::ids::divisions::Divisions::parse_tsv(t)
                .map_err(|e| RuleError::file(&files.name("data/divisions.tsv"), &e))?,
            None => crate::ids::divisions::Divisions::default(),
        };
        Ok(Data {
            apis,
            divisions,
            provinces: Provinces {
                list: provinces.provinces,
            },
            mobile,
            area_codes,
            vocab: Vocabulary {
                document_kinds: Vocabulary::with_documents(extra_documents),
                content_types: terms(vocab.content_types),
                languages: terms(vocab.languages),
                preapproval_types: terms(vocab.preapproval_types),
                platforms: terms(vocab.platforms),
            },
            tables,
            tlds,
            sms,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compiled_tables_equal_the_data_files() {
        let files = Files::embedded();
        let tsv = files.get("data/divisions.tsv").unwrap_or("");
        let parsed = crate::ids::divisions::Divisions::parse_tsv(tsv).unwrap();
        let compiled = crate::ids::divisions::Divisions::embedded();
        assert_eq!(parsed.list.len(), compiled.list.len());
        assert!(parsed.list.len() > 3000);
        assert_eq!(parsed.list.as_ref(), compiled.list.as_ref());
        for name in ["沈阳市", "和平区", "辽宁", "宁夏", "兴庆区", "银川"] {
            let a: Vec<String> = parsed
                .named_loosely(name)
                .iter()
                .map(|d| d.code.to_string())
                .collect();
            let b: Vec<String> = compiled
                .named_loosely(name)
                .iter()
                .map(|d| d.code.to_string())
                .collect();
            assert_eq!(a, b, "{name}");
            assert!(!a.is_empty(), "{name}");
        }
        for text in [
            "辽宁省沈阳市和平区南京北街123号",
            "宁夏银川市兴庆区北京东路1号",
            "和平区南京北街",
        ] {
            assert_eq!(parsed.province_of(text), compiled.province_of(text), "{text}");
        }
        let mobile = MobileRanges::parse_tsv(files.get("data/mobile_ranges.tsv").unwrap_or("")).unwrap();
        let embedded = MobileRanges::embedded();
        assert_eq!(mobile.len(), embedded.len());
        for n in [
            "13904112345",
            "13800138000",
            "13000001234",
            "19912345678",
            "15912345678",
        ] {
            assert_eq!(mobile.locate(n), embedded.locate(n), "{n}");
        }
    }
}
