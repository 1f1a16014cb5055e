//! JSON Schemas (draft-07, what yaml-language-server reads) of the application file and of the JSON report,
//! built from the same definitions the parser and the report use. `schemas/` holds committed copies that a test
//! keeps identical.

use serde_json::{Value, json};

use crate::model::{AppKind, CertType, FilingType, Nature, Provider, RegistryStatus, Vocabulary};
use crate::rules::Catalog;

const DRAFT: &str = "http://json-schema.org/draft-07/schema#";

fn text(description: &str) -> Value {
    // Phone and ID numbers may be written unquoted in YAML: editors see a number, beian reads the text.
    json!({"type": ["string", "number"], "description": description})
}

fn date(description: &str) -> Value {
    json!({"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "format": "date", "description": description})
}

fn boolean(description: &str) -> Value {
    json!({"type": "boolean", "description": description})
}

fn one_of(values: Vec<String>, description: &str) -> Value {
    let mut v = values;
    v.dedup();
    json!({"type": "string", "enum": v, "description": description})
}

fn spellings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_string()).collect()
}

fn list(items: Value, description: &str) -> Value {
    json!({"type": "array", "items": items, "description": description})
}

fn object(description: &str, properties: Value, required: &[&str]) -> Value {
    json!({"type": "object", "description": description, "properties": properties, "required": required, "additionalProperties": false})
}

/// The application schema; enumerations from the model and the vocabulary data.
pub fn application(catalog: &Catalog) -> Value {
    let vocab = &catalog.data.vocab;
    let provinces: Vec<String> = catalog
        .data
        .provinces
        .list
        .iter()
        .flat_map(|p| [p.name.clone(), p.full_name.clone(), p.id.clone(), p.code.clone()])
        .collect();
    let person = object(
        "A person: every principal (负责人) and the legal representative (法定代表人)",
        json!({
            "name": text("姓名"),
            "cert_type": one_of(spellings(&CertType::spellings()), "证件类型"),
            "cert_number": text("证件号码"),
            "cert_valid_until": {"type": "string", "pattern": "^([0-9]{4}-[0-9]{2}-[0-9]{2}|long_term|长期)$", "description": "证件有效期: YYYY-MM-DD, or long_term / 长期"},
            "cert_address": text("证件住址"),
            "mobile": text("手机号码 (receives the MIIT SMS code)"),
            "emergency_phone": text("应急联系电话"),
            "email": text("电子邮箱"),
            "office_phone": text("办公电话, e.g. 024-12345678"),
            "student": boolean("在校学生 (optional)"),
        }),
        &[],
    );
    let domain = json!({"anyOf": [
        {"type": "string"},
        object("A domain", json!({
            "name": text("域名"),
            "registrant": text("域名持有者"),
            "expires": date("域名到期日"),
            "registrar": text("注册商"),
        }), &["name"]),
    ]});
    let pre_approval = object(
        "前置审批",
        json!({
            "type": one_of(Vocabulary::spellings(&vocab.preapproval_types).iter().map(|s| (*s).to_string()).collect(), "前置审批类型"),
            "number": text("批准文号"),
            "issuer": text("审批部门"),
            "valid_until": date("有效期至"),
        }),
        &[],
    );
    let content_types = list(
        one_of(
            Vocabulary::spellings(&vocab.content_types)
                .iter()
                .map(|s| (*s).to_string())
                .collect(),
            "服务内容",
        ),
        "网站内容 / 服务内容",
    );
    let languages = list(
        one_of(
            Vocabulary::spellings(&vocab.languages)
                .iter()
                .map(|s| (*s).to_string())
                .collect(),
            "语言",
        ),
        "网站语言",
    );
    let service_common = json!({
        "name": text("网站名称 / APP名称"),
        "domains": list(domain, "域名"),
        "homepage": text("首页地址"),
        "content_types": content_types,
        "languages": languages,
        "ips": list(text("IP"), "服务器IP"),
        "pre_approvals": list(pre_approval, "前置审批"),
        "principal": person.clone(),
        "icp_number": text("备案号"),
        "remark": text("备注"),
    });
    let mut app_props = service_common.clone();
    if let Some(o) = app_props.as_object_mut() {
        o.insert(
            "kind".into(),
            one_of(spellings(&AppKind::spellings()), "app | mini_program | quick_app"),
        );
        o.insert(
            "platforms".into(),
            list(
                object("特征信息", json!({
                    "platform": one_of(Vocabulary::spellings(&vocab.platforms).iter().map(|s| (*s).to_string()).collect(), "平台"),
                    "package": text("包名 / Bundle ID"),
                    "public_key": text("签名公钥"),
                    "sig_md5": text("签名MD5"),
                }), &[]),
                "特征信息 per platform",
            ),
        );
    }
    let documents = list(
        json!({"anyOf": [
            one_of(Vocabulary::spellings(&vocab.document_kinds).iter().map(|s| (*s).to_string()).collect(), "document kind"),
            object("A document", json!({
                "kind": one_of(Vocabulary::spellings(&vocab.document_kinds).iter().map(|s| (*s).to_string()).collect(), "document kind"),
                "signed": date("签署日期"),
                "valid_until": date("有效期至"),
                "file": text("file, relative to the application"),
                "for": text("JSON pointer of what it belongs to"),
                "issuer": text("出具单位 (optional)"),
            }), &["kind"]),
        ]}),
        "备案材料",
    );
    json!({
        "$schema": DRAFT,
        "$id": "urn:beian:schema:application:1",
        "title": "ICP filing application (beian format version 1)",
        "type": "object",
        "additionalProperties": false,
        "required": ["filing_type", "entity"],
        "properties": {
            "version": {"type": ["integer", "string"], "enum": [1, "1"]},
            "province": {"type": ["string", "integer"], "description": "the 管局 that reviews it", "examples": provinces},
            "filing_type": one_of(spellings(&FilingType::spellings()), "备案类型"),
            "date": date("planned submission date; date rules use it"),
            "entity": object("主办者", json!({
                "nature": one_of(spellings(&Nature::spellings()), "主办单位性质"),
                "name": text("主办单位名称 (full name as on the certificate)"),
                "cert_type": one_of(spellings(&CertType::spellings()), "证件类型"),
                "cert_type_name": text("证件名称 (for cert_type: other)"),
                "cert_number": text("证件号码"),
                "cert_address": text("证件住所"),
                "address": object("通信地址", json!({
                    "province": text("省"), "city": text("市"), "county": text("区县"), "detail": text("详细地址"),
                }), &[]),
                "investor": text("投资者或上级主管单位"),
                "legal_rep": person.clone(),
                "principal": person.clone(),
                "business_scope": text("经营范围"),
                "registration_authority": text("登记机关"),
                "sole_trader": boolean("个体工商户"),
                "trade_name": boolean("a sole trader has a 字号"),
                "has_seal": boolean("the unit has an official seal"),
                "registry_status": one_of(spellings(&RegistryStatus::spellings()), "self-declared registry status"),
                "icp_number": text("主体备案号"),
                "remark": text("备注"),
                "existing_services": list(object("an already filed service", json!({
                    "name": text("名称"), "domains": list(text("域名"), "域名"), "icp_number": text("备案号"),
                }), &[]), "services already filed and untouched"),
            }), &[]),
            "websites": list(object("网站", service_common, &[]), "网站"),
            "apps": list(object("APP", app_props, &[]), "APP"),
            "access": object("接入信息", json!({
                "provider": one_of(spellings(&Provider::spellings()), "接入商"),
                "authorization_code": text("备案授权码"),
            }), &[]),
            "documents": documents,
            "previous": object("what MIIT has on record now", json!({
                "nature": one_of(spellings(&Nature::spellings()), "主办单位性质"),
                "name": text("名称"),
                "cert_number": text("证件号码"),
                "legal_rep": person.clone(),
                "principal": person,
                "domains": list(text("域名"), "domains on record"),
                "icp_number": text("备案号 on record"),
            }), &[]),
            "suppressions": list(object("a waived rule", json!({
                "rule": text("rule id"), "path": text("JSON pointer"), "reason": text("why"),
            }), &["rule", "reason"]), "suppressions: rules waived with a reason"),
        },
    })
}

/// The JSON report schema (`--format json`, format_version 2).
pub(crate) fn report() -> Value {
    let status = json!({"enum": ["pass", "fail", "warn", "info", "suppressed"]});
    let position = json!({"type": "integer", "minimum": 1});
    let related = json!({"type": "object", "required": ["file", "path", "line", "column"], "properties": {
        "file": {"type": "string"}, "path": {"type": "string"}, "line": position, "column": position,
    }});
    let finding = json!({
        "type": "object",
        "required": ["rule", "status", "path", "line", "column", "end_line", "end_column", "message"],
        "properties": {
            "rule": {"type": "string", "pattern": "^[a-z0-9_-]+(\\.[a-z0-9_-]+)+$"},
            "status": status,
            "path": {"type": "string"},
            "line": position,
            "column": position,
            "end_line": position,
            "end_column": position,
            "message": {"type": "string", "minLength": 1},
            "hint": {"type": "string", "minLength": 1},
            "related": {"type": "array", "minItems": 1, "items": related},
            "also": {"type": "array", "minItems": 1, "items": {"type": "string"}},
            "original_status": {"enum": ["fail", "warn", "info"]},
            "suppression": {"type": "object", "required": ["reason", "origin"], "properties": {
                "reason": {"type": "string", "minLength": 1}, "origin": {"enum": ["comment", "file", "flag", "config"]},
            }},
        },
    });
    let counts = json!({"type": "object", "required": ["pass", "fail", "warn", "info", "suppressed"], "properties": {
        "pass": {"type": "integer"}, "fail": {"type": "integer"}, "warn": {"type": "integer"}, "info": {"type": "integer"}, "suppressed": {"type": "integer"},
    }});
    let province = json!({"type": "object", "required": ["code", "id", "name", "source"], "properties": {
        "code": {"type": "string", "pattern": "^[0-9]{2}$"}, "id": {"type": "string"}, "name": {"type": "string"}, "source": {"enum": ["file", "flag"]},
    }});
    let sms = json!({"type": "object", "required": ["recipients", "deadline_hours", "max_resends", "max_wrong_attempts"], "properties": {
        "recipients": {"type": "array", "items": {"type": "object", "required": ["mobile", "roles"], "properties": {
            "mobile": {"type": "string"},
            "roles": {"type": "array", "items": {"type": "object", "required": ["role", "path"], "properties": {
                "role": {"enum": ["entity_principal", "service_principal"]}, "path": {"type": "string"},
            }}},
        }}},
        "without_mobile": {"type": "array", "items": {"type": "object", "required": ["role", "path"], "properties": {
            "role": {"enum": ["entity_principal", "service_principal"]}, "path": {"type": "string"},
        }}},
        "deadline_hours": {"type": "integer"}, "max_resends": {"type": "integer"}, "max_wrong_attempts": {"type": "integer"},
        "notes": {"type": "array", "items": {"type": "string"}},
    }});
    let checked = json!({
        "type": "object",
        "required": ["file", "verdict", "date", "province", "ruleset", "counts", "findings"],
        "properties": {
            "file": {"type": "string"},
            "verdict": {"enum": ["pass", "fail"]},
            "date": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
            "province": province,
            "ruleset": {"type": "object", "required": ["version", "updated", "source"], "properties": {
                "version": {"type": "string"}, "updated": {"type": "string"}, "source": {"type": "string"},
            }},
            "filing_type": {"type": "string"},
            "input": {"type": "string", "description": "the filing API whose request body the file is (wechat, douyin); absent for an application"},
            "counts": counts,
            "findings": {"type": "array", "items": finding},
            "sms": sms,
        },
    });
    let error = json!({
        "type": "object",
        "required": ["file", "verdict", "error"],
        "not": {"anyOf": [{"required": ["findings"]}, {"required": ["counts"]}, {"required": ["sms"]}, {"required": ["ruleset"]}]},
        "properties": {
            "file": {"type": "string"},
            "verdict": {"const": "error"},
            "error": {"type": "object", "required": ["kind", "message", "line", "column"], "properties": {
                "kind": {"enum": ["io", "syntax", "limit", "province", "version"]},
                "message": {"type": "string", "minLength": 1},
                "line": position, "column": position,
            }},
            "province": province,
        },
    });
    json!({
        "$schema": DRAFT,
        "$id": "urn:beian:schema:report:2",
        "title": "beian JSON report (format_version 2)",
        "type": "object",
        "required": ["format_version", "tool", "strict", "results", "rules", "summary"],
        "properties": {
            "format_version": {"const": 2},
            "rules": {"type": "object", "additionalProperties": {"type": "object", "required": ["title", "severity", "confidence", "sources"], "properties": {
                "title": {"type": "string"},
                "severity": {"enum": ["fail", "warn", "info"]},
                "confidence": {"enum": ["high", "medium", "low"]},
                "sources": {"type": "array", "items": {"type": "string"}},
            }}},
            "tool": {"type": "object", "required": ["name", "version"], "properties": {"name": {"const": "beian"}, "version": {"type": "string"}}},
            "strict": {"type": "boolean"},
            "results": {"type": "array", "items": {"anyOf": [checked, error]}},
            "summary": {"type": "object", "required": ["files", "passed", "failed", "errors", "warnings", "suppressed"], "properties": {
                "files": {"type": "integer"}, "passed": {"type": "integer"}, "failed": {"type": "integer"},
                "errors": {"type": "integer"}, "warnings": {"type": "integer"}, "suppressed": {"type": "integer"},
            }},
        },
    })
}
