//! Domain names: UTS-46 normalisation and the registrable domain under the ICANN section of the Public Suffix
//! List.

use psl::Psl;

use crate::text::Text;

/// A normalised domain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct DomainName {
    /// ASCII (punycode) form.
    pub ascii: String,
    /// The registrable domain under the ICANN section, if any.
    pub registrable: Option<String>,
    /// The ICANN public suffix (`com.cn`, `cn`, `xn--fiqs8s`).
    pub suffix: Option<String>,
    /// Whether the suffix is a known ICANN suffix.
    pub known: bool,
}

impl DomainName {
    pub(crate) fn tld(&self) -> &str {
        self.ascii.rsplit('.').next().unwrap_or("")
    }

    pub(crate) fn is_registrable(&self) -> bool {
        self.registrable.as_deref() == Some(self.ascii.as_str())
    }

    /// Whether this domain is `other` or under it.
    pub(crate) fn is_within(&self, other: &str) -> bool {
        self.ascii == other || self.ascii.ends_with(&format!(".{other}"))
    }
}

/// Strips a pasted scheme, path, port and one trailing dot.
fn strip_url(raw: &str) -> &str {
    let s = raw.trim();
    let s = s.split_once("://").map_or(s, |(_, rest)| rest);
    let s = s.split(['/', '?', '#']).next().unwrap_or("");
    let s = s.rsplit_once('@').map_or(s, |(_, host)| host);
    let s = match s.rsplit_once(':') {
        Some((host, port)) if port.chars().all(|c| c.is_ascii_digit()) => host,
        _ => s,
    };
    s.strip_suffix('.').unwrap_or(s)
}

fn icann_suffix(ascii: &str) -> Option<(String, bool)> {
    // Walk labels from the left and return the longest suffix the ICANN section knows; an unknown TLD is its
    // own (unknown) suffix, as the list's default rule says. Private-section suffixes are skipped.
    let labels: Vec<&str> = ascii.split('.').collect();
    for i in 0..labels.len() {
        let tail = labels.get(i..).unwrap_or_default().join(".");
        let found = psl::List
            .suffix(tail.as_bytes())
            .map(|s| (s.as_bytes() == tail.as_bytes(), s.typ(), s.is_known()));
        match found {
            Some((true, Some(psl::Type::Icann), known)) => return Some((tail, known)),
            Some((true, None, false)) if i + 1 == labels.len() => return Some((tail, false)),
            _ => {}
        }
    }
    None
}

/// Normalises a domain (`idna` UTS-46 strict) and finds its registrable domain.
pub(crate) fn parse(raw: &str) -> Result<DomainName, Text> {
    let host = strip_url(raw);
    if host.is_empty() {
        return Err(Text::new("为空", "is empty"));
    }
    let ascii = idna::domain_to_ascii_strict(host).map_err(|_| {
        Text::new(
            "不是有效的域名（含非法字符或格式错误）",
            "is not a valid domain name (invalid characters or form)",
        )
    })?;
    if !ascii.contains('.') {
        return Err(Text::new("缺少顶级域名后缀", "has no top-level domain"));
    }
    let (suffix, known) = match icann_suffix(&ascii) {
        Some((s, k)) => (Some(s), k),
        None => (None, false),
    };
    let registrable = suffix.as_ref().and_then(|s| {
        if s == &ascii {
            return None;
        }
        let head = ascii.strip_suffix(&format!(".{s}"))?;
        let label = head.rsplit('.').next()?;
        Some(format!("{label}.{s}"))
    });
    Ok(DomainName {
        ascii,
        registrable,
        suffix,
        known,
    })
}

/// Converts an ASCII domain back to its display (Unicode) form.
pub(crate) fn to_unicode(ascii: &str) -> String {
    idna::domain_to_unicode(ascii).0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registrable_domains() {
        assert!(parse("example.cn").unwrap().is_registrable());
        assert!(parse("example.com.cn").unwrap().is_registrable());
        let d = parse("www.example.cn").unwrap();
        assert_eq!(d.registrable.as_deref(), Some("example.cn"));
        assert!(!d.is_registrable());
        let zh = parse("例子.中国").unwrap();
        assert!(zh.is_registrable());
        assert_eq!(zh.tld(), "xn--fiqs8s");
        assert_eq!(parse("ＥＸＡＭＰＬＥ．ＣＯＭ").unwrap().ascii, "example.com");
        assert_eq!(
            parse("https://www.example.cn:8443/path").unwrap().ascii,
            "www.example.cn"
        );
        assert_eq!(parse("example.cn.").unwrap().ascii, "example.cn");
    }

    #[test]
    fn private_suffixes_count_as_subdomains() {
        let d = parse("example.github.io").unwrap();
        assert_eq!(d.registrable.as_deref(), Some("github.io"));
        assert!(!d.is_registrable());
    }

    #[test]
    fn invalid_domains() {
        assert!(parse("bad_name.com").is_err());
        assert!(parse("-bad.com").is_err());
        assert!(parse("a..b.com").is_err());
        assert!(parse("localhost").is_err());
    }

    #[test]
    fn gov_cn_third_level() {
        let d = parse("example.gov.cn").unwrap();
        assert_eq!(d.suffix.as_deref(), Some("gov.cn"));
        assert!(d.is_registrable());
    }
}
