//! `beian init`: a commented template with exactly the fields a filing type and nature need.

use std::fmt::Write as _;

use crate::model::{FilingType, Nature};
use crate::rules::Catalog;
use crate::text::Lang;

struct W<'a> {
    out: String,
    lang: Lang,
    _catalog: &'a Catalog,
}

impl W<'_> {
    fn line(&mut self, indent: usize, key_value: &str, zh: &str, en: &str) {
        let comment = if self.lang == Lang::Zh { zh } else { en };
        let body = format!("{}{key_value}", "  ".repeat(indent));
        if comment.is_empty() {
            let _ = writeln!(self.out, "{body}");
        } else {
            let _ = writeln!(self.out, "{body:<44} # {comment}");
        }
    }

    fn person(&mut self, indent: usize, full: bool) {
        self.line(indent, "name: \"\"", "姓名", "name");
        self.line(
            indent,
            "cert_type: id_card",
            "证件类型：id_card 居民身份证、passport 护照……",
            "certificate type: id_card, passport, …",
        );
        self.line(
            indent,
            "cert_number: \"\"",
            "证件号码（加引号，保持原样）",
            "certificate number (quoted, kept as written)",
        );
        if full {
            self.line(
                indent,
                "cert_valid_until: \"\"",
                "证件有效期至 YYYY-MM-DD，或 长期",
                "valid until YYYY-MM-DD, or long_term",
            );
            self.line(
                indent,
                "mobile: \"\"",
                "手机号码，接收工信部短信验证码",
                "mobile: receives the MIIT SMS code",
            );
            self.line(
                indent,
                "emergency_phone: \"\"",
                "应急联系电话，不能与手机号码相同",
                "emergency number, not the mobile",
            );
            self.line(indent, "email: \"\"", "电子邮箱", "e-mail");
        }
    }
}

/// The template text.
pub(crate) fn template(
    catalog: &Catalog,
    province: Option<&str>,
    filing_type: FilingType,
    nature: Nature,
    lang: Lang,
) -> String {
    use FilingType::*;
    let mut w = W {
        out: String::new(),
        lang,
        _catalog: catalog,
    };
    let head = match lang {
        Lang::Zh => "# ICP备案申请（beian 格式第1版）。填写后运行：beian check <文件>\n",
        Lang::En => {
            "# ICP filing application (beian format version 1). Fill it in, then run: beian check <file>\n"
        }
    };
    w.out.push_str(head);
    w.out.push_str(match lang {
        Lang::Zh => "# 编辑器补全：beian schema application > beian.schema.json，然后保留下一行\n",
        Lang::En => {
            "# Editor completion: beian schema application > beian.schema.json, then keep the next line\n"
        }
    });
    w.out
        .push_str("# yaml-language-server: $schema=beian.schema.json\n");
    w.line(0, "version: 1", "", "");
    let p = province.unwrap_or("\"\"");
    w.line(
        0,
        &format!("province: {p}"),
        "审核的省通信管理局：省名、拼音或代码",
        "the reviewing 管局: name, pinyin id or code",
    );
    w.line(
        0,
        &format!("filing_type: {}", filing_type.id()),
        filing_type.zh(),
        "filing type",
    );
    w.line(
        0,
        "# date: 2026-12-01",
        "计划提交日期，日期类规则以此计算",
        "planned submission date; date rules use it",
    );
    let unit = nature.is_unit();
    let entity_details = matches!(filing_type, FirstFiling | ChangeEntity | ChangeFiling);
    let number = !matches!(filing_type, FirstFiling);
    let services = matches!(
        filing_type,
        FirstFiling | NewService | NewAccess | ChangeService | ChangeFiling | CancelService | CancelAccess
    );
    let service_number = matches!(
        filing_type,
        NewAccess | ChangeService | ChangeFiling | CancelService | CancelAccess
    );
    let service_details = matches!(
        filing_type,
        FirstFiling | NewService | NewAccess | ChangeService | ChangeFiling
    );
    w.line(0, "entity:", "主办者", "the organizer");
    w.line(1, &format!("nature: {}", nature.id()), nature.zh(), "nature");
    let cert = catalog
        .data
        .tables
        .nature_certificates
        .for_nature(nature)
        .and_then(|n| n.allowed.first().cloned())
        .unwrap_or_else(|| "other".into());
    w.line(
        1,
        "name: \"\"",
        "名称，与证件上的全称完全一致",
        "full name exactly as on the certificate",
    );
    w.line(1, &format!("cert_type: {cert}"), "证件类型", "certificate type");
    w.line(1, "cert_number: \"\"", "证件号码", "certificate number");
    if number {
        w.line(
            1,
            "icp_number: \"\"",
            "主体备案号，如 辽ICP备12345678号",
            "the entity's filing number, e.g. 辽ICP备12345678号",
        );
    }
    if entity_details || service_details {
        w.line(
            1,
            "cert_address: \"\"",
            "证件住所，以省或市开头",
            "certificate address, starting with province or city",
        );
        w.line(1, "address:", "通信地址", "mailing address");
        w.line(2, "province: \"\"", "省", "province");
        w.line(2, "city: \"\"", "市", "city");
        w.line(2, "county: \"\"", "区县", "county");
        w.line(
            2,
            "detail: \"\"",
            "详细地址，到门牌号",
            "detail, down to the house number",
        );
        w.line(
            1,
            "investor: \"\"",
            "投资者或上级主管单位",
            "investor or supervising body",
        );
        if unit {
            w.line(
                1,
                "registry_status: normal",
                "登记状态（自报）",
                "registry status (self-declared)",
            );
            w.line(1, "legal_rep:", "法定代表人", "legal representative");
            w.person(2, false);
        }
        w.line(1, "principal:", "主体负责人", "entity principal");
        w.person(2, true);
    }
    if services {
        w.line(
            0,
            "websites:",
            "网站（APP 写在 apps 下）",
            "websites (APPs go under apps)",
        );
        w.line(
            1,
            "- name: \"\"",
            "网站名称，至少3个汉字",
            "site name, at least 3 Chinese characters",
        );
        if service_number {
            w.line(
                2,
                "icp_number: \"\"",
                "网站备案号，如 辽ICP备12345678号-1",
                "the site's filing number, e.g. 辽ICP备12345678号-1",
            );
        }
        if service_details {
            w.line(2, "domains:", "域名：每个网站一个", "domains: one per website");
            w.line(
                3,
                "- name: \"\"",
                "可注册的主域名，如 example.cn",
                "the registrable domain, e.g. example.cn",
            );
            w.line(
                4,
                "registrant: \"\"",
                "域名持有者，应与主办者一致",
                "holder: the organizer",
            );
            w.line(4, "expires: \"\"", "到期日 YYYY-MM-DD", "expiry date YYYY-MM-DD");
            let portal = if unit { "[单位门户网站]" } else { "[其他]" };
            w.line(
                2,
                &format!("content_types: {portal}"),
                "服务内容",
                "content types",
            );
            w.line(2, "languages: [中文简体]", "网站语言", "languages");
            w.line(
                2,
                "remark: \"\"",
                "备注：非单位门户网站时说明网站内容",
                "remark: describe the content",
            );
            w.line(2, "principal:", "网站负责人", "website principal");
            w.person(3, true);
        }
    }
    if matches!(
        filing_type,
        NewAccess | ChangeEntity | ChangeService | ChangeFiling
    ) {
        // What is on record: rules compare the application with it (a rename, another holder, changed domains).
        w.line(
            0,
            "previous:",
            "工信部现有备案信息（变更、新增接入时填写）",
            "what MIIT has on record (change and access filings)",
        );
        w.line(1, "name: \"\"", "备案的主办者名称", "organizer name on record");
        w.line(
            1,
            "cert_number: \"\"",
            "备案的证件号码",
            "certificate number on record",
        );
        w.line(
            1,
            "icp_number: \"\"",
            "备案号（可选）",
            "filing number (optional)",
        );
        w.line(
            1,
            "domains: []",
            "备案的域名（可选，变更网站时用于比对）",
            "domains on record (optional; compared on change_service)",
        );
    }
    w.line(
        0,
        "documents: []",
        "已准备的材料，如 service_principal_authorization；可写成 {kind, signed, valid_until, issuer}",
        "prepared documents, e.g. service_principal_authorization; or {kind, signed, valid_until, issuer}",
    );
    w.out
}
