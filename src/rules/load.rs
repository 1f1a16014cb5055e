//! Loads the catalog: every rule set and data table, embedded or from `--rules-dir`, each province's set parsed
//! when first needed and validated against the national layer (overrides, retired ids).

use std::collections::BTreeMap;

use serde::Deserialize;

pub(crate) use super::error::RuleError;
pub(crate) use super::examples::examples;
use super::files::Files;
pub(crate) use super::parse::{apply_override, data_tree, parse_rule_json, parse_rule_tree};
use super::raw::*;
use super::{Catalog, Data, Origin, RuleSet, Slot};
use crate::checks::Check;
use crate::model::Term;

/// Loads and validates every rule set (what `rules`, `explain`, `--verify` and a `--rules-dir` need).
pub fn load_catalog(files: &Files, origin: Origin) -> Result<Catalog, RuleError> {
    load(files, origin, false)
}

/// Loads the parser and national layers now and each province's rule set when an application first names it
/// (what `check` needs: start-up then costs one province, not 31). Falls back to an eager load when the
/// build-time index of document kinds is absent (a `--rules-dir`). The embedded files are validated eagerly by
/// the test suite, so a lazy load meets no error there in practice; any error still reaches the user.
pub fn load_catalog_lazy(files: &Files, origin: Origin) -> Result<Catalog, RuleError> {
    load(files, origin, true)
}

pub(super) fn parse_set(files: &Files, path: &str, text: &str) -> Result<RuleSet, RuleError> {
    parse_named(
        &files.name(path),
        path.trim_end_matches(".yaml"),
        text,
        files.is_compiled(path),
    )
}

/// Parses a rule file (build-time JSON or YAML) whose rule set must be called `stem`.
pub(super) fn parse_named(name: &str, stem: &str, text: &str, compiled: bool) -> Result<RuleSet, RuleError> {
    let set = if compiled {
        parse_rule_json(name, text)?
    } else {
        parse_rule_tree(name, &data_tree(name, text, false)?, true)?
    };
    if set.id != stem {
        return Err(RuleError::file(
            name,
            &format!("`ruleset: {}` must match the file name `{stem}`", set.id),
        ));
    }
    Ok(set)
}

pub(super) fn load(files: &Files, origin: Origin, lazy: bool) -> Result<Catalog, RuleError> {
    let index: Option<BTreeMap<String, Vec<RawTerm>>> = match files.get(super::files::DOCUMENT_KINDS_INDEX) {
        Some(text) if lazy => Some(
            serde_json::from_str(text)
                .map_err(|e| RuleError::file(super::files::DOCUMENT_KINDS_INDEX, &e.to_string()))?,
        ),
        _ => None,
    };
    let mut input = None;
    let mut national = None;
    let mut parsed = BTreeMap::new();
    let mut pending = BTreeMap::new();
    for (path, text) in files.rule_files() {
        let stem = path.trim_end_matches(".yaml");
        match stem {
            "input" => input = Some(parse_set(files, path, text)?),
            "national" => national = Some(parse_set(files, path, text)?),
            _ if index.is_some() => {
                pending.insert(
                    stem.to_string(),
                    (
                        files.name(path),
                        files.files.get(path).cloned().unwrap_or_default(),
                        files.is_compiled(path),
                    ),
                );
            }
            _ => {
                parsed.insert(stem.to_string(), parse_set(files, path, text)?);
            }
        }
    }
    let input =
        input.ok_or_else(|| RuleError::file("provinces/input.yaml", "the parser's rule file is missing"))?;
    let national = national
        .ok_or_else(|| RuleError::file("provinces/national.yaml", "the national rule file is missing"))?;
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Retired {
        retired: Vec<String>,
    }
    let retired: Vec<String> = match files.get("retired.yaml") {
        None => Vec::new(),
        Some(text) => {
            let name = files.name("retired.yaml");
            let tree = data_tree(&name, text, files.is_compiled("retired.yaml"))?;
            serde_json::from_value::<Retired>(tree.to_json_typed())
                .map_err(|e| RuleError::file(&name, &e.to_string()))?
                .retired
        }
    };
    for set in [&input, &national] {
        not_retired(set, &retired)?;
    }
    let extra: Vec<Term> = match &index {
        Some(index) => index
            .values()
            .flatten()
            .map(|t| Term {
                id: t.id.clone(),
                aliases: t.aliases.clone(),
            })
            .collect(),
        None => parsed
            .values()
            .flat_map(|s: &RuleSet| s.document_kinds.iter().cloned())
            .collect(),
    };
    let data = Data::load(files, &extra)?;
    // The API layers (a rule file named after an API of data/apis.yaml): parsed when a body is first read, like
    // a province (start-up reads neither).
    let mut apis = BTreeMap::new();
    for id in data.apis.apis.keys() {
        let slot = match (parsed.remove(id), pending.remove(id)) {
            (Some(set), _) => {
                validate_api(&set, &national, &retired)?;
                body_fields_known(&set, id, &data)?;
                Slot::loaded(set)
            }
            (None, Some((name, text, compiled))) => Slot::pending(name, text, compiled),
            (None, None) => continue,
        };
        apis.insert(id.clone(), slot);
    }
    // Ids are unique within a file and start with the file's rule set, so they are unique across files.
    let mut slots = BTreeMap::new();
    for (id, set) in parsed {
        validate_province(&set, &national, &data, &retired)?;
        slots.insert(id, Slot::loaded(set));
    }
    for (id, (name, text, compiled)) in pending {
        slots.insert(id, Slot::pending(name, text, compiled));
    }
    let mut catalog = Catalog::new(input, national, slots, retired, data, origin);
    catalog.set_apis(apis);
    Ok(catalog)
}

/// Parses API layer `id`'s file and validates it (what a lazy API slot runs).
pub(crate) fn load_api(
    id: &str,
    name: &str,
    text: &str,
    compiled: bool,
    national: &RuleSet,
    data: &Data,
    retired: &[String],
) -> Result<RuleSet, RuleError> {
    let set = parse_named(name, id, text, compiled)?;
    validate_api(&set, national, retired)?;
    body_fields_known(&set, id, data)?;
    Ok(set)
}

/// Parses province `id`'s file and validates it against the national layer (what a lazy slot runs).
pub(crate) fn load_province(
    id: &str,
    name: &str,
    text: &str,
    compiled: bool,
    national: &RuleSet,
    data: &Data,
    retired: &[String],
) -> Result<RuleSet, RuleError> {
    let set = parse_named(name, id, text, compiled)?;
    validate_province(&set, national, data, retired)?;
    Ok(set)
}

pub(super) fn not_retired(set: &RuleSet, retired: &[String]) -> Result<(), RuleError> {
    match set.rules.iter().find(|r| retired.contains(&r.id)) {
        Some(r) => Err(RuleError {
            file: set.file.clone(),
            line: r.line,
            column: 1,
            rule: Some(r.id.clone()),
            message: "this id is retired (provinces/retired.yaml) and cannot be reused".into(),
        }),
        None => Ok(()),
    }
}

/// A province file names its own province and overrides only national rules, with parameters they accept.
pub(super) fn validate_province(
    set: &RuleSet,
    national: &RuleSet,
    data: &Data,
    retired: &[String],
) -> Result<(), RuleError> {
    not_retired(set, retired)?;
    let info = set.province.as_deref().and_then(|c| data.provinces.by_code(c));
    if info.is_none_or(|p| p.id != set.id) {
        return Err(RuleError::file(
            &set.file,
            &format!("`province` must be the GB/T 2260 code of `{}`", set.id),
        ));
    }
    for o in &set.overrides {
        let Some(base) = national.rules.iter().find(|r| r.id == o.rule) else {
            return Err(RuleError {
                file: set.file.clone(),
                line: o.line,
                column: 1,
                rule: Some(o.rule.clone()),
                message: "override of a rule the national layer does not have".into(),
            });
        };
        let mut merged = base.params.clone();
        merged.extend(o.params.clone());
        Check::from_params(base.check.id(), &merged).map_err(|m| RuleError {
            file: set.file.clone(),
            line: o.line,
            column: 1,
            rule: Some(o.rule.clone()),
            message: m,
        })?;
    }
    covers_national(set, national)
}

/// An API layer (`wechat.yaml`) adds rules for the API's body; it names no province and overrides nothing.
pub(super) fn validate_api(set: &RuleSet, national: &RuleSet, retired: &[String]) -> Result<(), RuleError> {
    not_retired(set, retired)?;
    if set.province.is_some() || !set.overrides.is_empty() {
        return Err(RuleError::file(
            &set.file,
            "an API rule set names no `province` and has no `overrides`",
        ));
    }
    covers_national(set, national)
}

/// The body pointers and code tables an API layer's checks name are in the API's field map and tables: a typo
/// would otherwise check nothing, silently.
fn body_fields_known(set: &RuleSet, api: &str, data: &Data) -> Result<(), RuleError> {
    let Some(spec) = data.apis.apis.get(api) else {
        return Ok(());
    };
    for r in &set.rules {
        let mut pointers: Vec<String> = Vec::new();
        let mut tables: Vec<String> = Vec::new();
        match &r.check {
            Check::Body(b) => {
                pointers.extend(b.field.list().into_iter().map(str::to_string));
                pointers.extend(b.only_if.clone());
                pointers.extend(b.belongs_to.as_ref().map(|x| x.field.clone()));
                tables.extend(b.table.clone());
                tables.extend(b.when_sibling.as_ref().map(|w| w.table.clone()));
            }
            Check::Regions(g) => {
                pointers.extend([g.province.clone(), g.city.clone(), g.district.clone()]);
                pointers.extend(g.names.iter().cloned());
                pointers.extend(g.address.clone());
            }
            _ => {}
        }
        let bad = pointers
            .iter()
            .find(|p| !crate::payload::known(spec, p))
            .map(|p| format!("`{p}` is not a field of the {api} request body (data/apis.yaml)"))
            .or_else(|| {
                tables
                    .iter()
                    .find(|t| !data.apis.tables.contains_key(*t))
                    .map(|t| format!("no code table `{t}` in data/apis.yaml"))
            });
        if let Some(message) = bad {
            return Err(RuleError {
                file: set.file.clone(),
                line: r.line,
                column: 1,
                rule: Some(r.id.clone()),
                message,
            });
        }
    }
    Ok(())
}

/// Every `covers` id is a national rule.
fn covers_national(set: &RuleSet, national: &RuleSet) -> Result<(), RuleError> {
    for r in &set.rules {
        if let Some(c) = r
            .covers
            .iter()
            .find(|c| !national.rules.iter().any(|n| n.id == **c))
        {
            return Err(RuleError {
                file: set.file.clone(),
                line: r.line,
                column: 1,
                rule: Some(r.id.clone()),
                message: format!("`covers` names `{c}`, which the national layer does not have"),
            });
        }
    }
    Ok(())
}
