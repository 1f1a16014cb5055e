//! The enumerations of the application format: English ids and the Chinese console terms accepted for them.

use serde::{Serialize, Serializer};

use crate::text::{Text, enum_key};

/// Defines an enumeration with its id, Chinese label and extra aliases.
macro_rules! vocab {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $id:literal, $zh:literal $(, $alias:literal)*;)* }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),* }

        // Every enumeration gets the same methods; some use fewer of them.
        #[allow(dead_code)]
        impl $name {
            pub(crate) const ALL: &'static [$name] = &[$($name::$variant),*];

            pub(crate) fn id(self) -> &'static str {
                match self { $($name::$variant => $id),* }
            }

            /// The Chinese console term.
            pub(crate) fn zh(self) -> &'static str {
                match self { $($name::$variant => $zh),* }
            }

            /// The id, the Chinese term and other accepted spellings, all NFKC-stable (a test checks it), so
            /// matching needs no allocation per entry.
            pub(crate) fn aliases(self) -> &'static [&'static str] {
                match self { $($name::$variant => &[$id, $zh $(, $alias)*]),* }
            }

            /// Matches an id or Chinese term after `enum_key` normalisation (trim, NFKC, lower case).
            pub(crate) fn parse(value: &str) -> Option<$name> {
                let key = enum_key(value);
                Self::ALL.iter().copied().find(|v| v.aliases().iter().any(|a| crate::text::is_enum_key_of(&key, a)))
            }

            /// Every accepted spelling, for "did you mean".
            pub(crate) fn spellings() -> Vec<&'static str> {
                Self::ALL.iter().flat_map(|v| v.aliases().iter().copied()).collect()
            }

            pub(crate) fn label(self) -> Text {
                Text::new(self.zh(), self.id())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.id())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.id())
            }
        }
    };
}

vocab! {
    /// Filing types (备案类型).
    FilingType {
        FirstFiling => "first_filing", "首次备案", "新增备案";
        NewService => "new_service", "新增网站", "新增APP", "新增互联网信息服务";
        NewAccess => "new_access", "新增接入", "接入备案";
        ChangeEntity => "change_entity", "变更主体";
        ChangeService => "change_service", "变更网站", "变更APP", "变更互联网信息服务";
        ChangeFiling => "change_filing", "变更备案";
        CancelEntity => "cancel_entity", "注销主体";
        CancelService => "cancel_service", "注销网站", "注销APP", "注销互联网信息服务";
        CancelAccess => "cancel_access", "取消接入";
    }
}

vocab! {
    /// Entity natures: 主办单位性质.
    Nature {
        Enterprise => "enterprise", "企业";
        Individual => "individual", "个人";
        Government => "government", "政府机关";
        PublicInstitution => "public_institution", "事业单位";
        SocialOrganization => "social_organization", "社会团体";
        PrivateNonEnterprise => "private_non_enterprise", "民办非企业单位";
        Foundation => "foundation", "基金会";
        LawFirm => "law_firm", "律师执业机构";
        Military => "military", "国防机构";
        ForeignCulturalCenter => "foreign_cultural_center", "外国在华文化中心";
        MassOrganization => "mass_organization", "群众性团体组织";
        JudicialAppraisal => "judicial_appraisal", "司法鉴定机构";
        Religious => "religious", "宗教团体";
        ForeignInstitution => "foreign_institution", "境外机构";
        Medical => "medical", "医疗机构";
        Notary => "notary", "公证机构";
        CollectiveEconomy => "collective_economy", "集体经济";
        Arbitration => "arbitration", "仲裁机构";
    }
}

impl Nature {
    /// Every nature except `individual` is a unit (单位).
    pub fn is_unit(self) -> bool {
        self != Nature::Individual
    }
}

vocab! {
    /// Certificate types: 证件类型.
    CertType {
        IdCard => "id_card", "居民身份证", "身份证";
        Passport => "passport", "护照";
        HkMacaoPermit => "hk_macao_permit", "港澳居民来往内地通行证";
        TaiwanPermit => "taiwan_permit", "台湾居民来往大陆通行证";
        ForeignPermanentResidence => "foreign_permanent_residence", "外国人永久居留身份证";
        HkMacaoResidence => "hk_macao_residence", "港澳居民居住证";
        TaiwanResidence => "taiwan_residence", "台湾居民居住证";
        TemporaryId => "temporary_id", "临时身份证";
        BusinessLicence => "business_licence", "营业执照", "business_license";
        UsccCertificate => "uscc_certificate", "统一社会信用代码证书";
        PublicInstitutionCertificate => "public_institution_certificate", "事业单位法人证书";
        SocialOrganizationCertificate => "social_organization_certificate", "社会团体法人登记证书";
        PrivateNonEnterpriseCertificate => "private_non_enterprise_certificate", "民办非企业单位登记证书";
        FoundationCertificate => "foundation_certificate", "基金会法人登记证书";
        LawFirmLicence => "law_firm_licence", "律师事务所执业许可证", "law_firm_license";
        MedicalLicence => "medical_licence", "医疗机构执业许可证", "medical_license";
        Other => "other", "其他";
    }
}

impl CertType {
    /// Certificates issued to persons.
    pub fn is_personal(self) -> bool {
        matches!(
            self,
            CertType::IdCard
                | CertType::Passport
                | CertType::HkMacaoPermit
                | CertType::TaiwanPermit
                | CertType::ForeignPermanentResidence
                | CertType::HkMacaoResidence
                | CertType::TaiwanResidence
                | CertType::TemporaryId
        )
    }
}

vocab! {
    /// `entity.registry_status` (self-declared).
    RegistryStatus {
        Normal => "normal", "正常", "存续", "在业";
        Abnormal => "abnormal", "经营异常", "异常";
        Suspended => "suspended", "歇业";
        Revoked => "revoked", "吊销";
        Cancelled => "cancelled", "注销", "canceled";
    }
}

vocab! {
    /// `apps[].kind`: decides the filing-number suffix (-nA, -nX, -nK).
    AppKind {
        App => "app", "APP", "应用";
        MiniProgram => "mini_program", "小程序";
        QuickApp => "quick_app", "快应用";
    }
}

vocab! {
    /// `access.provider` (接入商).
    Provider {
        Huawei => "huawei", "华为云";
        Aliyun => "aliyun", "阿里云";
        Tencent => "tencent", "腾讯云";
        Volcengine => "volcengine", "火山引擎";
        Baidu => "baidu", "百度智能云", "百度云";
        Jdcloud => "jdcloud", "京东云";
        Other => "other", "其他";
    }
}

vocab! {
    /// Document kinds of `documents` (a province may add kinds in its data).
    DocumentKind {
        EntityPrincipalAuthorization => "entity_principal_authorization", "主体负责人授权书";
        ServicePrincipalAuthorization => "service_principal_authorization", "网站负责人授权书", "互联网信息服务负责人授权书";
        DomainCertificate => "domain_certificate", "域名证书";
        WebsiteStatement => "website_statement", "网站情况说明书";
        CommitmentLetter => "commitment_letter", "承诺书", "真实性承诺书";
        NoPreapprovalPledge => "no_preapproval_pledge", "不涉及前置审批承诺书";
        ResidenceProof => "residence_proof", "居住证", "在当地工作居住证明";
        RenameLetter => "rename_letter", "更名函";
        TrademarkCertificate => "trademark_certificate", "商标证书";
        ConstructionPlan => "construction_plan", "网站建设方案书";
        EmploymentProof => "employment_proof", "在职证明";
        StudentId => "student_id", "学生证";
        SocialInsuranceProof => "social_insurance_proof", "社保证明";
        EcommerceStatement => "ecommerce_statement", "电子商务情况说明书";
        StaffingApproval => "staffing_approval", "机构编制批文";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `parse` folds the table only by case and `-`, so the table must be NFKC-stable.
    #[test]
    fn alias_tables_are_nfkc_stable() {
        let tables: Vec<Vec<&str>> = vec![
            FilingType::spellings(),
            Nature::spellings(),
            CertType::spellings(),
            RegistryStatus::spellings(),
            AppKind::spellings(),
            Provider::spellings(),
            DocumentKind::spellings(),
        ];
        for a in tables.into_iter().flatten() {
            assert_eq!(crate::text::nfkc(a), a, "alias {a:?} changes under NFKC");
            assert!(crate::text::is_enum_key_of(&enum_key(a), a), "{a:?}");
        }
    }

    #[test]
    fn ids_and_chinese_terms_match() {
        assert_eq!(FilingType::parse("首次备案"), Some(FilingType::FirstFiling));
        assert_eq!(FilingType::parse("First-Filing"), Some(FilingType::FirstFiling));
        assert_eq!(Nature::parse("企业"), Some(Nature::Enterprise));
        assert_eq!(CertType::parse(" 居民身份证 "), Some(CertType::IdCard));
        assert_eq!(
            DocumentKind::parse("互联网信息服务负责人授权书"),
            Some(DocumentKind::ServicePrincipalAuthorization)
        );
        assert_eq!(Nature::parse("company"), None);
    }

    #[test]
    fn every_alias_parses_back_to_its_own_value() {
        // An alias shared by two values would parse to the first one.
        macro_rules! check {
            ($($t:ident),*) => {$(
                for v in $t::ALL {
                    for a in v.aliases() {
                        assert_eq!($t::parse(a), Some(*v), "`{a}` of {v}");
                    }
                }
            )*};
        }
        check!(
            FilingType,
            Nature,
            CertType,
            RegistryStatus,
            DocumentKind,
            Provider,
            AppKind
        );
    }
}
