//! Rule data (docs/rules.md): rule sets loaded from `provinces/` (embedded, or `--rules-dir`), validated into
//! typed rules, with province overrides applied on top of the national layer.

pub(crate) mod doc;
mod error;
mod examples;
pub(crate) mod files;
pub(crate) mod load;
mod parse;
mod raw;
pub(crate) mod tables;
pub(crate) mod template;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use crate::checks::Check;
pub(crate) use crate::data::{Data, ProvinceInfo};
use crate::date::Date;
use crate::input::Node;
use crate::model::{FilingType, Nature, Term};
use crate::text::Text;
pub(crate) use load::RuleError;

/// How serious a broken rule is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Fail,
    Warn,
    Info,
}

impl Severity {
    pub fn id(self) -> &'static str {
        match self {
            Severity::Fail => "fail",
            Severity::Warn => "warn",
            Severity::Info => "info",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    High,
    Medium,
    Low,
}

impl Confidence {
    pub fn id(self) -> &'static str {
        match self {
            Confidence::High => "high",
            Confidence::Medium => "medium",
            Confidence::Low => "low",
        }
    }
}

/// The rule set a rule belongs to: the parser's, the national layer, or a province's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Layer {
    Input,
    National,
    Province(String),
}

impl Layer {
    pub fn of(ruleset: &str) -> Layer {
        match ruleset {
            "input" => Layer::Input,
            "national" => Layer::National,
            p => Layer::Province(p.to_string()),
        }
    }

    /// The rule set's id (`input`, `national`, a province's pinyin id).
    pub fn id(&self) -> &str {
        match self {
            Layer::Input => "input",
            Layer::National => "national",
            Layer::Province(p) => p,
        }
    }
}

impl std::fmt::Display for Layer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

/// Which natures a rule applies to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Natures {
    All,
    Units,
    List(Vec<Nature>),
}

impl Natures {
    pub fn matches(&self, nature: Option<Nature>) -> Option<bool> {
        match self {
            Natures::All => Some(true),
            Natures::Units => nature.map(Nature::is_unit),
            Natures::List(list) => nature.map(|n| list.contains(&n)),
        }
    }
}

/// Filing types and natures a rule applies to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applies {
    /// `None` = every filing type.
    pub filing_types: Option<Vec<FilingType>>,
    pub natures: Natures,
}

impl Applies {
    /// Whether the rule applies; `None` when it cannot be decided because the filing type or nature is absent.
    pub fn matches(&self, filing_type: Option<FilingType>, nature: Option<Nature>) -> Option<bool> {
        let by_type = match &self.filing_types {
            None => Some(true),
            Some(list) => filing_type.map(|t| list.contains(&t)),
        };
        match (by_type, self.natures.matches(nature)) {
            (Some(false), _) | (_, Some(false)) => Some(false),
            (Some(true), Some(true)) => Some(true),
            _ => None,
        }
    }
}

/// A source of a rule (URL, title, date seen).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Source {
    pub key: String,
    pub url: String,
    pub title: String,
    /// The date the source itself carries, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    pub seen: String,
}

impl Source {
    /// `, 2025-06-18` after the title, or nothing when the source carries no date.
    pub fn published_suffix(&self) -> String {
        self.published
            .as_deref()
            .map(|p| format!(", {p}"))
            .unwrap_or_default()
    }
}

/// What a rule's example expects of that rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Expect {
    Pass,
    Fail,
    Warn,
    Info,
    /// The rule does not apply: no finding.
    Absent,
}

/// A rule's own example: a base application with changes, and the expected status of the rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Example {
    pub expect: Expect,
    pub base: String,
    pub set: Vec<(String, Node)>,
    pub remove: Vec<String>,
    pub date: Option<Date>,
    pub at: Option<String>,
    /// Run against this province's rule set instead of the rule's own layer.
    pub province: Option<String>,
    pub note: Option<String>,
    /// Parameters changed for this example only (to show a rule a province activates).
    pub params: serde_json::Map<String, serde_json::Value>,
    /// Severity for this example only (a province that activates a rule usually sets its severity too).
    pub severity: Option<Severity>,
    /// API code tables replaced for this example only, as `--api-table` replaces them.
    pub tables:
        std::collections::BTreeMap<String, Vec<std::collections::BTreeMap<String, serde_json::Value>>>,
}

/// A rule's examples as written: a YAML tree, or JSON text compiled at build time.
#[derive(Clone, Debug, Default)]
pub enum ExamplesSrc {
    #[default]
    None,
    Node(Node),
    Json(Box<serde_json::value::RawValue>),
}

impl PartialEq for ExamplesSrc {
    fn eq(&self, other: &ExamplesSrc) -> bool {
        match (self, other) {
            (ExamplesSrc::None, ExamplesSrc::None) => true,
            (ExamplesSrc::Node(a), ExamplesSrc::Node(b)) => a == b,
            (ExamplesSrc::Json(a), ExamplesSrc::Json(b)) => a.get() == b.get(),
            _ => false,
        }
    }
}

/// A province's change to a national rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Override {
    pub rule: String,
    pub params: serde_json::Map<String, serde_json::Value>,
    pub severity: Option<Severity>,
    pub missing: Option<Severity>,
    pub enabled: Option<bool>,
    /// Replaces the rule's `when` in this province.
    pub when: Option<Box<crate::checks::predicate::lang::Pred>>,
    pub message: Option<Text>,
    pub hint: Option<Text>,
    pub confidence: Option<Confidence>,
    pub note: Text,
    pub sources: Vec<Source>,
    /// The examples as written; `load::examples` parses them.
    pub examples_src: ExamplesSrc,
    pub line: usize,
}

/// Where a rule came from and what a province changed.
#[derive(Clone, Debug, PartialEq)]
pub struct Overridden {
    pub by: String,
    pub note: Text,
    pub sources: Vec<Source>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    pub id: String,
    /// The rule set that defines it.
    pub layer: Layer,
    pub reference: Option<String>,
    pub title: Text,
    pub severity: Severity,
    pub missing: Severity,
    pub mandatory: bool,
    pub applies: Applies,
    pub check: Check,
    pub params: serde_json::Map<String, serde_json::Value>,
    /// The rule applies only when this holds (any kind).
    pub when: Option<Box<crate::checks::predicate::lang::Pred>>,
    pub fields: Vec<String>,
    pub message: Text,
    pub hint: Option<Text>,
    pub pass: Option<Text>,
    /// The message when the check cannot decide (`warn`); `message` otherwise.
    pub doubt: Option<Text>,
    pub sources: Vec<Source>,
    pub confidence: Confidence,
    pub confidence_note: Option<Text>,
    /// National rules this one confirms (`covers`): one mistake found by both is one finding, the national
    /// rule's, carrying this rule's id and sources too.
    pub covers: Vec<String>,
    /// `None`: the sources give no start date.
    pub effective: Option<Date>,
    /// The examples as written: parsed on demand (`examples`), since checking applications never needs them.
    pub examples_src: ExamplesSrc,
    pub file: String,
    pub line: usize,
    pub overridden: Option<Overridden>,
    /// `urls()` once computed: every finding of the rule shares it.
    pub urls_cache: std::sync::OnceLock<std::sync::Arc<[String]>>,
}

impl Rule {
    /// The rule's examples (an override's, in a province that overrides it).
    pub fn examples(&self) -> Result<Vec<Example>, RuleError> {
        load::examples(&self.file, &self.id, &self.examples_src)
    }

    /// The source URLs, computed once per rule.
    pub fn shared_urls(&self) -> std::sync::Arc<[String]> {
        std::sync::Arc::clone(self.urls_cache.get_or_init(|| self.urls().into()))
    }

    pub fn urls(&self) -> Vec<String> {
        let mut urls: Vec<String> = self.sources.iter().map(|s| s.url.clone()).collect();
        if let Some(o) = &self.overridden {
            for s in &o.sources {
                if !urls.contains(&s.url) {
                    urls.push(s.url.clone());
                }
            }
        }
        urls
    }
}

/// One rule file.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleSet {
    pub id: String,
    /// GB/T 2260 code for a province file.
    pub province: Option<String>,
    pub version: String,
    pub reviewed: String,
    /// Shared: a province's effective list points at the national rules it does not change.
    pub rules: Vec<Arc<Rule>>,
    pub overrides: Vec<Override>,
    pub document_kinds: Vec<Term>,
    pub file: String,
    /// What the reference says about its coverage, shown by `beian provinces`.
    pub coverage: Option<Text>,
}

impl RuleSet {
    /// Every source its rules and overrides cite (repeated as often as cited).
    pub fn cited_sources(&self) -> impl Iterator<Item = &Source> {
        self.rules
            .iter()
            .flat_map(|r| r.sources.iter())
            .chain(self.overrides.iter().flat_map(|o| o.sources.iter()))
    }
}

/// Where the rules were loaded from (`ruleset.source` in the JSON report).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    Embedded,
    Dir(String),
}

impl Origin {
    pub fn label(&self) -> String {
        match self {
            Origin::Embedded => "embedded".into(),
            Origin::Dir(d) => d.clone(),
        }
    }
}

/// A province's rule set: parsed and validated when first needed, so that `check` reads only the provinces its
/// applications name. A catalog loaded eagerly (`load_catalog`) fills every slot at load time.
#[derive(Debug)]
pub struct Slot {
    cell: std::sync::OnceLock<Result<RuleSet, RuleError>>,
    /// Display name and text of the file, for a slot not parsed yet.
    pending: Option<(String, std::borrow::Cow<'static, str>, bool)>,
}

impl Slot {
    pub fn loaded(set: RuleSet) -> Slot {
        Slot {
            cell: std::sync::OnceLock::from(Ok(set)),
            pending: None,
        }
    }

    pub fn pending(name: String, text: std::borrow::Cow<'static, str>, compiled: bool) -> Slot {
        Slot {
            cell: std::sync::OnceLock::new(),
            pending: Some((name, text, compiled)),
        }
    }

    /// The rule set, parsed by `load` (display name, text, compiled) on first use.
    fn get(
        &self,
        id: &str,
        load: impl FnOnce(&str, &str, bool) -> Result<RuleSet, RuleError>,
    ) -> &Result<RuleSet, RuleError> {
        self.cell.get_or_init(|| match &self.pending {
            Some((name, text, compiled)) => load(name, text, *compiled),
            None => Err(RuleError::file(id, "rule set missing")),
        })
    }
}

/// A slot's rule set as the catalog hands it out: `None` when there is no slot.
fn checked(r: Option<&Result<RuleSet, RuleError>>) -> Result<Option<&RuleSet>, RuleError> {
    match r {
        None => Ok(None),
        Some(Ok(s)) => Ok(Some(s)),
        Some(Err(e)) => Err(e.clone()),
    }
}

/// Every rule set and data table.
#[derive(Debug)]
pub struct Catalog {
    pub input: RuleSet,
    pub national: RuleSet,
    provinces: BTreeMap<String, Slot>,
    retired: Vec<String>,
    pub data: Data,
    pub origin: Origin,
    /// The API layers: rules for an API's request body, by API id (parsed on first use).
    apis: BTreeMap<String, Slot>,
    cache: Mutex<BTreeMap<String, Arc<Vec<Arc<Rule>>>>>,
}

impl Catalog {
    pub fn new(
        input: RuleSet,
        national: RuleSet,
        provinces: BTreeMap<String, Slot>,
        retired: Vec<String>,
        data: Data,
        origin: Origin,
    ) -> Catalog {
        Catalog {
            input,
            national,
            provinces,
            retired,
            data,
            origin,
            apis: BTreeMap::new(),
            cache: Mutex::new(BTreeMap::new()),
        }
    }

    fn slot(&self, id: &str) -> Option<&Result<RuleSet, RuleError>> {
        Some(self.provinces.get(id)?.get(id, |name, text, compiled| {
            load::load_province(
                id,
                name,
                text,
                compiled,
                &self.national,
                &self.data,
                &self.retired,
            )
        }))
    }

    /// The rule set file of a province, if it has one and it is valid.
    pub fn province_set(&self, id: &str) -> Option<&RuleSet> {
        self.slot(id).and_then(|r| r.as_ref().ok())
    }

    /// The rule set of a province, with the error that makes it unusable.
    pub fn province_checked(&self, id: &str) -> Result<Option<&RuleSet>, RuleError> {
        checked(self.slot(id))
    }

    /// Parses and validates every province rule set: the first error, if any.
    pub fn load_all(&self) -> Result<(), RuleError> {
        for id in self.provinces.keys() {
            self.province_checked(id)?;
        }
        for id in self.apis.keys() {
            self.api_checked(id)?;
        }
        Ok(())
    }

    /// Sets the API layers (the loader's).
    pub(crate) fn set_apis(&mut self, apis: BTreeMap<String, Slot>) {
        self.apis = apis;
    }

    /// The rule set of an API layer, with the error that makes it unusable; `None`: the API has none.
    pub fn api_checked(&self, id: &str) -> Result<Option<&RuleSet>, RuleError> {
        checked(self.apis.get(id).map(|slot| {
            slot.get(id, |name, text, compiled| {
                load::load_api(
                    id,
                    name,
                    text,
                    compiled,
                    &self.national,
                    &self.data,
                    &self.retired,
                )
            })
        }))
    }

    /// The rule set of an API layer, if it has a valid one.
    pub fn api_set(&self, id: &str) -> Option<&RuleSet> {
        self.api_checked(id).ok().flatten()
    }

    /// Ids of the APIs that have a rule layer.
    pub fn api_ids(&self) -> impl Iterator<Item = &str> {
        self.apis.keys().map(String::as_str)
    }

    /// The valid API layers.
    pub fn api_sets(&self) -> impl Iterator<Item = &RuleSet> {
        self.apis.keys().filter_map(|id| self.api_set(id))
    }

    /// Ids of the provinces that have a rule set.
    pub fn province_ids(&self) -> impl Iterator<Item = &str> {
        self.provinces.keys().map(String::as_str)
    }

    /// The valid province rule sets.
    pub fn province_sets(&self) -> impl Iterator<Item = &RuleSet> {
        self.provinces.keys().filter_map(|id| self.province_set(id))
    }

    /// The rules in force for a province: the parser's rules, the national layer with the province's overrides,
    /// and the province's own rules. `None` = the national layer alone.
    /// The rules in force for an API request body: those of `effective`, then the API layer's; cached like them.
    pub fn effective_with_api(&self, province: Option<&str>, api: &RuleSet) -> Arc<Vec<Arc<Rule>>> {
        let key = format!("{}\u{0}{}", province.unwrap_or(""), api.id);
        if let Ok(cache) = self.cache.lock() {
            if let Some(hit) = cache.get(&key) {
                return Arc::clone(hit);
            }
        }
        let mut rules = self.effective(province).to_vec();
        rules.extend(api.rules.iter().cloned());
        let rules = Arc::new(rules);
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(key, Arc::clone(&rules));
        }
        rules
    }

    pub fn effective(&self, province: Option<&str>) -> Arc<Vec<Arc<Rule>>> {
        let key = province.unwrap_or("").to_string();
        if let Ok(cache) = self.cache.lock() {
            if let Some(hit) = cache.get(&key) {
                return Arc::clone(hit);
            }
        }
        let set = province.and_then(|p| self.province_set(p));
        let mut rules: Vec<Arc<Rule>> = self.input.rules.clone();
        for rule in &self.national.rules {
            match set.and_then(|s| s.overrides.iter().find(|o| o.rule == rule.id)) {
                Some(o) if o.enabled == Some(false) => {}
                Some(o) => {
                    let mut changed = Rule::clone(rule);
                    load::apply_override(&mut changed, o, set.map_or("", |s| s.id.as_str()));
                    rules.push(Arc::new(changed));
                }
                None => rules.push(Arc::clone(rule)),
            }
        }
        if let Some(s) = set {
            rules.extend(s.rules.iter().cloned());
        }
        let rules = Arc::new(rules);
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(key, Arc::clone(&rules));
        }
        rules
    }

    /// Finds a rule by id in any layer (the national version, without overrides). Ids start with their rule set.
    pub fn find(&self, id: &str) -> Option<&Rule> {
        let set = match id.split('.').next() {
            Some("input") => &self.input,
            Some("national") => &self.national,
            Some(a) if self.apis.contains_key(a) => self.api_set(a)?,
            Some(p) => self.province_set(p)?,
            None => return None,
        };
        set.rules.iter().find(|r| r.id == id).map(|r| &**r)
    }

    /// The base application (or body) an example starts from: an API layer's examples change that API's body
    /// (`fixtures/wechat.yaml`) unless they name another base.
    pub fn example_base<'a>(&'a self, rule: &Rule, ex: &'a Example) -> &'a str {
        match &rule.layer {
            Layer::Province(l) if ex.base == "enterprise" => self
                .apis
                .get_key_value(l.as_str())
                .map_or(ex.base.as_str(), |(id, _)| id.as_str()),
            _ => ex.base.as_str(),
        }
    }

    /// Whether an API's field map reads the body pointer pattern `ptr` (`*` = any list element).
    pub fn api_field_known(&self, api: &str, ptr: &str) -> bool {
        self.data
            .apis
            .apis
            .get(api)
            .is_some_and(|spec| crate::payload::known(spec, ptr))
    }

    /// Rule ids close to `id` (an unknown one), closest first: "did you mean".
    pub fn similar_rule_ids(&self, id: &str) -> Vec<&str> {
        let ids: Vec<&str> = self
            .sets()
            .flat_map(|s| s.rules.iter().map(|r| r.id.as_str()))
            .collect();
        crate::text::suggest(id, ids)
    }

    /// Every rule set, national first.
    pub fn sets(&self) -> impl Iterator<Item = &RuleSet> {
        std::iter::once(&self.input)
            .chain(std::iter::once(&self.national))
            .chain(self.province_sets())
            .chain(self.api_sets())
    }
}
