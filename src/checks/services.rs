//! What a website or APP declares besides its names: homepage, IPs, APP feature information, the domain
//! certificate.

use serde::Deserialize;

use super::{Cx, Kind, unit_kinds};
use crate::outcome::Outcome;
use crate::text::{Text, name_key, nfkc};

unit_kinds!(FeatureInfo, HomepageUnderDomain, IpPublic);

impl Kind for HomepageUnderDomain {
    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        cx.app
            .websites
            .iter()
            .filter_map(|s| {
                let url = s.homepage.as_deref()?;
                let path = s.path("homepage");
                let lower = nfkc(url).to_lowercase();
                let problem = if !(lower.starts_with("http://") || lower.starts_with("https://")) {
                    Some(Text::new(
                        "须以 http:// 或 https:// 开头",
                        "it must start with http:// or https://",
                    ))
                } else {
                    match crate::ids::domain::parse(url) {
                        Err(why) => Some(why),
                        Ok(host) => {
                            let under = s
                                .domains
                                .iter()
                                .filter_map(|d| crate::ids::domain::parse(d.name.as_deref()?).ok())
                                .any(|d| host.is_within(&d.ascii));
                            (!under).then(|| {
                                Text::new(
                                    "主机名不属于本网站的域名",
                                    "its host is not one of the website's domains",
                                )
                            })
                        }
                    }
                };
                Some(
                    match problem {
                        None => Outcome::pass(path),
                        Some(why) => Outcome::violated(path).var("found", why),
                    }
                    .var("value", url),
                )
            })
            .collect()
    }
}

fn is_internal(ip: std::net::IpAddr) -> bool {
    match ip {
        std::net::IpAddr::V4(v) => {
            let o = v.octets();
            v.is_private()
                || v.is_loopback()
                || v.is_link_local()
                || o[0] == 0
                || (o[0] == 100 && (64..128).contains(&o[1]))
        }
        std::net::IpAddr::V6(v) => {
            let s = v.segments();
            v.is_loopback() || (s[0] & 0xfe00) == 0xfc00 || (s[0] & 0xffc0) == 0xfe80 || v.is_unspecified()
        }
    }
}

impl Kind for IpPublic {
    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        let mut out = Vec::new();
        for s in cx.app.services().filter(|s| !s.ips.is_empty()) {
            let mut public = false;
            for ip in &s.ips {
                match nfkc(&ip.value).parse::<std::net::IpAddr>() {
                    Err(_) => out.push(
                        Outcome::violated(ip.ptr.clone())
                            .var("value", ip.value.clone())
                            .var(
                                "found",
                                Text::new("不是有效的IP地址", "is not a valid IP address"),
                            ),
                    ),
                    Ok(a) => public |= !is_internal(a),
                }
            }
            let path = s.path("ips");
            out.push(if public {
                Outcome::pass(path)
            } else {
                Outcome::violated(path).var(
                    "found",
                    Text::new("只有内网地址", "holds internal addresses only"),
                )
            });
        }
        out
    }
}

impl Kind for FeatureInfo {
    fn vars(&self) -> &'static [&'static str] {
        &["name"]
    }

    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        let mut out = Vec::new();
        for a in &cx.app.apps {
            let name = a.name.clone().unwrap_or_default();
            let mut problems: Vec<(String, Text)> = Vec::new();
            if name.trim().is_empty() {
                problems.push((a.path("name"), Text::new("缺少APP名称", "the name is missing")));
            }
            // A mini-program runs inside its platform's app: it has no package or signature of its own (the
            // platform files it under its appid).
            let native = a.app_kind != Some(crate::model::AppKind::MiniProgram);
            if native && a.platforms.is_empty() {
                problems.push((
                    a.path("platforms"),
                    Text::new(
                        "至少填写一个平台的特征信息",
                        "at least one platform's feature information is needed",
                    ),
                ));
            }
            for p in &a.platforms {
                let package_ok = p.package.as_deref().is_some_and(|pk| {
                    let parts: Vec<&str> = pk.split('.').collect();
                    parts.len() >= 2
                        && parts.iter().all(|s| {
                            !s.is_empty()
                                && s.chars()
                                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                        })
                        && parts
                            .first()
                            .and_then(|s| s.chars().next())
                            .is_some_and(|c| c.is_ascii_alphabetic())
                });
                if !package_ok {
                    problems.push((
                        format!("{}/package", p.ptr),
                        Text::new(
                            "包名/Bundle ID 格式不正确",
                            "the package name / bundle ID is malformed",
                        ),
                    ));
                }
                let mobile = matches!(p.platform.as_deref(), Some("android" | "ios"));
                if mobile {
                    let md5: String = p
                        .sig_md5
                        .as_deref()
                        .unwrap_or("")
                        .chars()
                        .filter(|c| *c != ':')
                        .collect();
                    if md5.len() != 32 || !md5.chars().all(|c| c.is_ascii_hexdigit()) {
                        problems.push((
                            format!("{}/sig_md5", p.ptr),
                            Text::new(
                                "签名MD5应为32位十六进制",
                                "the signature MD5 must be 32 hexadecimal digits",
                            ),
                        ));
                    }
                }
                if p.platform.as_deref() == Some("android")
                    && p.public_key.as_deref().is_none_or(|k| k.trim().is_empty())
                {
                    problems.push((
                        format!("{}/public_key", p.ptr),
                        Text::new("缺少签名公钥", "the signing public key is missing"),
                    ));
                }
            }
            if problems.is_empty() {
                out.push(Outcome::pass(a.ptr.clone()).var("name", name));
            } else {
                for (path, why) in problems {
                    out.push(
                        Outcome::violated(path)
                            .var("found", why)
                            .var("name", name.clone()),
                    );
                }
            }
        }
        out
    }
}

/// `domain_certificate_required`: `never` (a reminder), `always`, or a number of domains from which it is needed.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DomainCertificate {
    #[serde(default = "never")]
    pub domain_certificate_required: Requirement,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Requirement {
    Word(String),
    From(usize),
}

fn never() -> Requirement {
    Requirement::Word("never".into())
}

impl Kind for DomainCertificate {
    fn vars(&self) -> &'static [&'static str] {
        &["limit"]
    }

    fn run(&self, cx: &Cx<'_>) -> Vec<Outcome> {
        if cx.app.has_document("domain_certificate") {
            return vec![Outcome::pass("/documents")];
        }
        let mut names: Vec<String> = cx
            .app
            .services()
            .flat_map(|s| s.domains.iter().filter_map(|d| d.name.as_deref().map(name_key)))
            .chain(
                cx.app
                    .entity
                    .existing_services
                    .iter()
                    .flat_map(|s| s.domains.iter().map(|d| name_key(&d.value))),
            )
            .collect();
        names.sort();
        names.dedup();
        // Without a domain (an APP or mini-program filing) there is no domain to certify.
        if names.is_empty() {
            return vec![Outcome::pass("/documents")];
        }
        match &self.domain_certificate_required {
            Requirement::Word(w) if w == "always" => vec![Outcome::violated("/documents")],
            Requirement::From(n) if names.len() >= *n => vec![
                Outcome::violated("/documents")
                    .var("limit", n.to_string())
                    .var("found", names.len().to_string()),
            ],
            Requirement::From(_) => vec![Outcome::pass("/documents")],
            _ => vec![Outcome::info("/documents")],
        }
    }
}
