//! Required fields by filing type: each missing one is a single `input.required` fail.

use super::app::{Application, ServiceKind};
use super::enums::FilingType;
use super::read::Reader;
use crate::text::Text;

fn blank(v: &Option<String>) -> bool {
    v.as_deref().is_none_or(|s| s.trim().is_empty())
}

/// What a filing type asks of the entity and of each service.
struct Needs {
    icp_number: bool,
    entity_details: bool,
    service_basics: bool,
    service_number: bool,
    /// At least one service, where no national rule reports its absence itself.
    some_service: bool,
}

fn needs(t: FilingType) -> Needs {
    use FilingType::*;
    let none = Needs {
        icp_number: false,
        entity_details: false,
        service_basics: false,
        service_number: false,
        some_service: false,
    };
    match t {
        // "At least one website or APP" for these is reported by national.type.*-has-service.
        FirstFiling => Needs {
            entity_details: true,
            service_basics: true,
            ..none
        },
        NewService => Needs {
            icp_number: true,
            service_basics: true,
            ..none
        },
        NewAccess => Needs {
            icp_number: true,
            service_number: true,
            some_service: true,
            ..none
        },
        ChangeEntity => Needs {
            icp_number: true,
            entity_details: true,
            ..none
        },
        ChangeService => Needs {
            icp_number: true,
            service_number: true,
            some_service: true,
            ..none
        },
        ChangeFiling => Needs {
            icp_number: true,
            entity_details: true,
            service_number: true,
            ..none
        },
        CancelEntity => Needs {
            icp_number: true,
            ..none
        },
        CancelService | CancelAccess => Needs {
            icp_number: true,
            service_number: true,
            some_service: true,
            ..none
        },
    }
}

pub(crate) fn check(app: &Application, r: &mut Reader) {
    let e = &app.entity;
    let field = |zh: &str, en: &str| Text::new(zh, en);
    if app.filing_type.is_none() {
        r.required("/filing_type", field("备案类型", "the filing type"));
    }
    if e.nature.is_none() {
        r.required("/entity/nature", field("主办单位性质", "the entity's nature"));
    }
    if blank(&e.name) {
        r.required("/entity/name", field("主办单位名称", "the entity's name"));
    }
    if e.cert_type.is_none() {
        r.required("/entity/cert_type", field("证件类型", "the certificate type"));
    }
    if blank(&e.cert_number) {
        r.required("/entity/cert_number", field("证件号码", "the certificate number"));
    }
    let Some(t) = app.filing_type else { return };
    let n = needs(t);
    if n.icp_number && blank(&e.icp_number) {
        r.required(
            "/entity/icp_number",
            field("主体备案号", "the entity's filing number"),
        );
    }
    if n.entity_details {
        if blank(&e.cert_address) {
            r.required(
                "/entity/cert_address",
                field("证件住所", "the certificate address"),
            );
        }
        if e.address.is_none() {
            r.required("/entity/address", field("通信地址", "the mailing address"));
        }
        if e.principal.is_none() {
            r.required("/entity/principal", field("主体负责人", "the entity principal"));
        }
        if app.is_unit() == Some(true) && e.legal_rep.is_none() {
            r.required(
                "/entity/legal_rep",
                field("法定代表人", "the legal representative"),
            );
        }
    }
    if n.some_service && app.websites.is_empty() && app.apps.is_empty() {
        r.required(
            "/websites",
            field("至少一个网站或APP", "at least one website or APP"),
        );
    }
    // A principal given must be someone: the identity the verification compares and the mobile the codes go to.
    let principals = e.principal.iter().filter(|_| n.entity_details).chain(
        app.services()
            .filter(|_| n.service_basics || t == FilingType::NewAccess)
            .filter_map(|s| s.principal.as_ref()),
    );
    for p in principals {
        if blank(&p.name) {
            r.required(&p.path("name"), field("姓名", "the name"));
        }
        if blank(&p.cert_number) {
            r.required(
                &p.path("cert_number"),
                field("证件号码", "the certificate number"),
            );
        }
        if blank(&p.mobile) {
            r.required(&p.path("mobile"), field("手机号码", "the mobile number"));
        }
    }
    for s in app.services() {
        if n.service_basics || t == FilingType::NewAccess {
            if n.service_basics && blank(&s.name) {
                r.required(&s.path("name"), field("名称", "the name"));
            }
            if s.principal.is_none() {
                r.required(&s.path("principal"), field("负责人", "the principal"));
            }
            if s.kind == ServiceKind::Website && s.domains.is_empty() {
                r.required(&s.path("domains"), field("域名", "the domain"));
            }
        }
        if n.service_number && blank(&s.icp_number) {
            r.required(
                &s.path("icp_number"),
                field("网站/APP备案号", "the service's filing number"),
            );
        }
    }
}
