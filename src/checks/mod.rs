//! The closed vocabulary of check kinds. Each kind is code, parameterised by the rule data; no kind knows a
//! province. A check returns outcomes (pass, violated, doubt, info, missing) at pointers; the engine turns them
//! into findings with the rule's severity and messages.

mod addresses;
pub(crate) mod body;
mod content;
mod de;
mod domains;
mod entity;
mod identity;
mod names;
pub(crate) mod people;
mod phones;
mod preapproval;
pub(crate) mod predicate;
mod principals;
mod process;
mod services;

use serde::Deserialize;

use crate::data::{Data, ProvinceInfo};
use crate::date::Date;
use crate::model::Application;
use crate::outcome::Outcome;

/// Everything a check may read.
pub struct Cx<'a> {
    pub app: &'a Application,
    /// The reference date (`--date`, the file's `date`, or today in Asia/Shanghai).
    pub date: Date,
    /// The province whose 管局 reviews the application.
    pub province: &'a ProvinceInfo,
    pub data: &'a Data,
    /// The rule's first field, where reminders point.
    pub anchor: &'a str,
    /// What the checks of this application have derived so far (shared by all its rules).
    pub memo: &'a Memo,
    /// The API request body the application was mapped from, if it was one (the `body` and `regions` kinds
    /// read it).
    pub body: Option<&'a crate::input::ApiDoc>,
    /// The API code tables in force (the data's, or those `--api-table` replaced).
    pub tables: &'a std::collections::BTreeMap<String, crate::apispec::CodeTable>,
}

/// Answers that many rules of one application ask for again (the province an address names): computed once per
/// application.
#[derive(Default)]
pub struct Memo {
    provinces: std::cell::RefCell<Vec<(String, Option<String>)>>,
}

impl Cx<'_> {
    /// The province code an address text names, looked up once per application.
    pub(crate) fn province_of_address(&self, text: &str) -> Option<String> {
        if let Some((_, p)) = self.memo.provinces.borrow().iter().find(|(t, _)| t == text) {
            return p.clone();
        }
        let found = self.data.province_of_address(text);
        self.memo
            .provinces
            .borrow_mut()
            .push((text.to_string(), found.clone()));
        found
    }
}

/// Variables every message may use: the engine provides them for every outcome.
pub(crate) const COMMON_VARS: &[&str] = &[
    "path",
    "value",
    "found",
    "date",
    "province",
    "filing_type",
    "nature",
    "field",
];

/// A check kind's behaviour.
pub(crate) trait Kind {
    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome>;

    /// Variables the kind adds to its outcomes, beyond `COMMON_VARS`.
    fn vars(&self) -> &'static [&'static str] {
        &[]
    }

    /// A kind switched off by its parameters (a national rule that only a province activates) is not listed.
    fn active(&self) -> bool {
        true
    }

    /// Whether the rule is listed (as a pass) when the check found nothing to look at. Reminders and rules that
    /// concern only some applications (sole traders, say) are not listed then.
    fn listed_when_empty(&self) -> bool {
        true
    }
}

/// A kind with large parameters is boxed in `Check` (keeps every check small).
impl<K: Kind> Kind for Box<K> {
    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        (**self).run(cx)
    }

    fn vars(&self) -> &'static [&'static str] {
        (**self).vars()
    }

    fn active(&self) -> bool {
        (**self).active()
    }

    fn listed_when_empty(&self) -> bool {
        (**self).listed_when_empty()
    }
}

/// Parameters of kinds that take none.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoParams {}

macro_rules! checks {
    ($($variant:ident($ty:ty) = $name:literal,)*) => {
        /// A validated check: its kind and typed parameters.
        #[derive(Clone, Debug, PartialEq, Deserialize)]
        #[serde(tag = "kind", content = "params")]
        pub enum Check {
            $(#[serde(rename = $name)] $variant($ty),)*
        }

        impl Check {
            /// Every kind id, as rule files name them.
            pub const KINDS: &'static [&'static str] = &[$($name),*];

            fn kind(&self) -> &dyn Kind {
                match self { $(Check::$variant(c) => c,)* }
            }

            /// The kind's id, as rule files name it.
            pub fn id(&self) -> &'static str {
                match self { $(Check::$variant(_) => $name,)* }
            }
        }
    };
}

checks! {
    Parser(NoParams) = "parser",
    CrossFile(NoParams) = "cross_file",
    Reminder(process::Reminder) = "reminder",
    Assert(Box<predicate::lang::Assert>) = "assert",
    FilingNumberFormat(process::FilingNumberFormat) = "filing_number_format",
    NatureChange(process::NatureChange) = "nature_change",
    IdCardNumber(identity::IdCardNumber) = "id_card_number",
    UsccChecksum(identity::UsccChecksum) = "uscc_checksum",
    UsccOrgCode(identity::UsccOrgCode) = "uscc_org_code",
    ResidencePermitNumber(identity::ResidencePermitNumber) = "residence_permit_number",
    CertTypeFlag(identity::CertTypeFlag) = "cert_type_flag",
    NatureCertType(entity::NatureCertType) = "nature_cert_type",
    MinAge(principals::MinAge) = "min_age",
    CertValidity(principals::CertValidity) = "cert_validity",
    PrincipalIsLegalRep(principals::PrincipalIsLegalRep) = "principal_is_legal_rep",
    IndividualIsPrincipal(principals::IndividualIsPrincipal) = "individual_is_principal",
    ForeignLegalRep(principals::ForeignLegalRep) = "foreign_legal_rep",
    MobileFormat(phones::MobileFormat) = "mobile_format",
    LandlineFormat(phones::LandlineFormat) = "landline_format",
    LandlineAreaMatches(phones::LandlineAreaMatches) = "landline_area_matches",
    EmailFormat(phones::EmailFormat) = "email_format",
    MobileLocal(phones::MobileLocal) = "mobile_local",
    DomainRegistrable(domains::DomainRegistrable) = "domain_registrable",
    TldAllowed(domains::TldAllowed) = "tld_allowed",
    RegistrantIsOrganizer(domains::RegistrantIsOrganizer) = "registrant_is_organizer",
    DomainExpiry(domains::DomainExpiry) = "domain_expiry",
    SiteNameHan(names::SiteNameHan) = "site_name_han",
    SiteNameNotCode(names::SiteNameNotCode) = "site_name_not_code",
    EntityNameNotCode(names::EntityNameNotCode) = "entity_name_not_code",
    CertAddressPresent(addresses::CertAddressPresent) = "cert_address_present",
    HouseNumber(addresses::HouseNumber) = "house_number",
    NoSpecialChars(addresses::NoSpecialChars) = "no_special_chars",
    RegionConsistent(addresses::RegionConsistent) = "region_consistent",
    SameProvince(addresses::SameProvince) = "same_province",
    HomeProvince(addresses::HomeProvince) = "home_province",
    IdProvince(addresses::IdProvince) = "id_province",
    UsccMatchesNature(entity::UsccMatchesNature) = "uscc_matches_nature",
    RegistryStatusNormal(entity::RegistryStatusNormal) = "registry_status_normal",
    InvestorMatchesNature(entity::InvestorMatchesNature) = "investor_matches_nature",
    NewAccessMatchesRecord(entity::NewAccessMatchesRecord) = "new_access_matches_record",
    ChangeEntitySameEntity(entity::ChangeEntitySameEntity) = "change_entity_same_entity",
    SoleTraderPattern(entity::SoleTraderPattern) = "sole_trader_pattern",
    WordsAbsent(content::WordsAbsent) = "words_absent",
    RelatedToOrganizer(content::RelatedToOrganizer) = "related_to_organizer",
    PreapprovalNameKeyword(preapproval::PreapprovalNameKeyword) = "preapproval_name_keyword",
    PreapprovalRequired(preapproval::PreapprovalRequired) = "preapproval_required",
    PreapprovalValid(preapproval::PreapprovalValid) = "preapproval_valid",
    PreapprovalPledge(preapproval::PreapprovalPledge) = "preapproval_pledge",
    PreapprovalKeywords(preapproval::PreapprovalKeywords) = "preapproval_keywords",
    ContentTypeRemark(content::ContentTypeRemark) = "content_type_remark",
    PersonalRemark(content::PersonalRemark) = "personal_remark",
    HomepageUnderDomain(services::HomepageUnderDomain) = "homepage_under_domain",
    IpPublic(services::IpPublic) = "ip_public",
    FeatureInfo(services::FeatureInfo) = "feature_info",
    DomainCertificate(services::DomainCertificate) = "domain_certificate",
    LandlineLocal(phones::LandlineLocal) = "landline_local",
    Body(Box<body::Body>) = "body",
    Regions(body::Regions) = "regions",
}

impl Check {
    /// Builds a check from a rule's `check` and `params`; the error names the unknown kind or bad parameter.
    pub fn from_params(
        kind: &str,
        params: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<Check, String> {
        if !Check::KINDS.contains(&kind) {
            let near = crate::text::suggest(kind, Check::KINDS.iter().copied());
            return Err(format!(
                "unknown check kind `{kind}`{}",
                if near.is_empty() {
                    String::new()
                } else {
                    format!("; did you mean `{}`?", near.join("`, `"))
                }
            ));
        }
        let value = serde_json::json!({"kind": kind, "params": params});
        serde_json::from_value(value).map_err(|e| format!("parameters of `{kind}`: {e}"))
    }

    pub fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        self.kind().run(cx)
    }

    pub fn vars(&self) -> &'static [&'static str] {
        self.kind().vars()
    }

    pub fn active(&self) -> bool {
        self.kind().active()
    }

    pub fn listed_when_empty(&self) -> bool {
        self.kind().listed_when_empty()
    }
}

impl Kind for NoParams {
    /// The parser's own rules (`input.*`) are reported while the application is read, not run as checks.
    fn run(&self, _cx: &Cx<'_>) -> Vec<Outcome> {
        Vec::new()
    }

    fn active(&self) -> bool {
        false
    }

    fn vars(&self) -> &'static [&'static str] {
        &["suggestions", "expected", "accepted"]
    }
}

/// Declares parameterless kinds: an empty parameter struct that refuses unknown parameters.
macro_rules! unit_kinds {
    ($($name:ident),* $(,)?) => {
        $(
            #[derive(Clone, Debug, Default, PartialEq, serde::Deserialize)]
            #[serde(deny_unknown_fields)]
            pub struct $name {}
        )*
    };
}
pub(crate) use unit_kinds;
