//! Bilingual text, normalisation and fuzzy suggestions shared by every layer.

use std::fmt;

use unicode_normalization::UnicodeNormalization;

/// The language of messages and hints (`--lang`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    Zh,
    #[default]
    En,
}

impl Lang {
    /// The language a locale string such as `zh_CN.UTF-8` asks for.
    pub fn from_locale(value: &str) -> Option<Lang> {
        let v = value.trim();
        if v.is_empty() {
            return None;
        }
        if v.to_ascii_lowercase().starts_with("zh") {
            Some(Lang::Zh)
        } else {
            Some(Lang::En)
        }
    }

    /// Default from `LC_ALL`, `LC_MESSAGES`, `LANG`, in that order: `zh*` → zh, otherwise en.
    pub fn from_env() -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|k| std::env::var(k).ok().and_then(|v| Lang::from_locale(&v)))
            .unwrap_or_default()
    }
}

/// A piece of user-facing text in both languages.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Text {
    pub zh: String,
    pub en: String,
}

impl Text {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Text {
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// Text that reads the same in both languages (a value, a path, a number).
    pub fn same(s: impl Into<String>) -> Text {
        let s = s.into();
        Text { zh: s.clone(), en: s }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }

    /// Joins texts with the separators each language uses.
    pub fn join(items: &[Text]) -> Text {
        Text {
            zh: items.iter().map(|t| t.zh.as_str()).collect::<Vec<_>>().join("、"),
            en: items.iter().map(|t| t.en.as_str()).collect::<Vec<_>>().join(", "),
        }
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en)
    }
}

/// Characters NFKC leaves alone (so most filing data skips the normaliser): printable ASCII and the CJK
/// unified ideographs (not the compatibility ideographs, which NFKC maps).
fn nfkc_stable(c: char) -> bool {
    matches!(c, ' '..='~' | '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

/// Invisible characters that copy-and-paste brings in and NFKC keeps: zero-width space, joiners, word joiner,
/// byte-order mark.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// Bidirectional controls: embeddings, overrides, isolates and marks. They reorder what a reader sees (U+202E
/// shows 示例 as 例示) and NFKC keeps them.
pub(crate) fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// NFKC (full-width → half-width, `（）` → `()`), trimmed, invisible characters removed. The parser reports
/// every value this changes (`input.normalised`), so nothing is changed silently.
pub(crate) fn nfkc(s: &str) -> String {
    let t = s.trim();
    if t.chars().all(nfkc_stable) {
        return t.to_string();
    }
    t.nfkc()
        .filter(|c| !is_invisible(*c))
        .collect::<String>()
        .trim()
        .to_string()
}

/// Key used to match enumeration values: trimmed, NFKC, ASCII lower-cased, `-` equals `_`.
pub(crate) fn enum_key(s: &str) -> String {
    nfkc(s)
        .chars()
        .map(|c| if c == '-' { '_' } else { c.to_ascii_lowercase() })
        .collect()
}

/// Whether `key` (an `enum_key`) is the key of `alias`, an NFKC-stable table entry: a fold without allocating.
pub(crate) fn is_enum_key_of(key: &str, alias: &str) -> bool {
    key.len() == alias.len()
        && alias
            .bytes()
            .zip(key.bytes())
            .all(|(a, k)| (if a == b'-' { b'_' } else { a.to_ascii_lowercase() }) == k)
}

/// Names compare after NFKC with all white space removed.
pub(crate) fn name_key(s: &str) -> String {
    nfkc(s).chars().filter(|c| !c.is_whitespace()).collect()
}

/// Identifiers (ID numbers, USCCs, filing numbers) compare upper-cased after `name_key`.
pub(crate) fn id_key(s: &str) -> String {
    name_key(s).to_uppercase()
}

/// Phone numbers compare as digits: spaces and hyphens removed, then a leading `+86` or `0086`, or `86`
/// when 13 digits remain.
pub(crate) fn phone_key(s: &str) -> String {
    let compact: String = nfkc(s)
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if let Some(rest) = compact
        .strip_prefix("+86")
        .or_else(|| compact.strip_prefix("0086"))
    {
        return rest.to_string();
    }
    if compact.len() == 13 && compact.chars().all(|c| c.is_ascii_digit()) {
        if let Some(rest) = compact.strip_prefix("86") {
            return rest.to_string();
        }
    }
    compact
}

/// Edit distance over Unicode scalar values.
pub(crate) fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        if let Some(first) = cur.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            let del = prev.get(j + 1).copied().unwrap_or(usize::MAX) + 1;
            let ins = cur.get(j).copied().unwrap_or(usize::MAX) + 1;
            let sub = prev.get(j).copied().unwrap_or(usize::MAX) + cost;
            if let Some(slot) = cur.get_mut(j + 1) {
                *slot = del.min(ins).min(sub);
            }
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.last().copied().unwrap_or(0)
}

/// Up to three candidates close to `input`, closest first: "did you mean".
pub(crate) fn suggest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let key = enum_key(input);
    let n = key.chars().count();
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter_map(|c| {
            let ck = enum_key(c);
            let d = levenshtein(&key, &ck);
            let limit = (n.max(ck.chars().count()) / 3).max(1);
            let near = d <= limit || (n >= 2 && (ck.contains(&key) || key.contains(&ck)));
            near.then_some((d, c))
        })
        .collect();
    scored.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

/// Text from an application as a terminal should show it: control characters, bidirectional controls and
/// zero-width characters written as escapes (`\n`, `\u{202e}`), so data can neither move the cursor, reorder a
/// line, hide characters nor start a new line (a `::error` workflow command in CI logs).
pub(crate) fn visible(s: &str) -> std::borrow::Cow<'_, str> {
    // Also the invisible operators U+2061–U+2065, which nothing in a filing needs.
    let hidden = |c: char| {
        c.is_control() || is_invisible(c) || is_bidi_control(c) || matches!(c, '\u{2061}'..='\u{2065}')
    };
    if !s.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if hidden(c) => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfkc_fast_path_agrees_with_the_normaliser() {
        for s in [
            "沈阳示例科技有限公司",
            "abc DEF 123",
            "（示例）",
            "１２３",
            "㈱",
            "豈",
        ] {
            assert_eq!(nfkc(s), s.trim().nfkc().collect::<String>(), "{s}");
        }
    }

    #[test]
    fn phone_key_strips_country_code_and_separators() {
        assert_eq!(phone_key("+86 139-0411-2345"), "13904112345");
        assert_eq!(phone_key("0086 13904112345"), "13904112345");
        assert_eq!(phone_key("8613904112345"), "13904112345");
        assert_eq!(phone_key("024-12345678"), "02412345678");
        assert_eq!(phone_key("１３９０４１１２３４５"), "13904112345");
    }

    #[test]
    fn enum_key_folds_width_case_and_dash() {
        assert_eq!(enum_key(" First-Filing "), "first_filing");
        assert_eq!(enum_key("ＥＮＴＥＲＰＲＩＳＥ"), "enterprise");
    }

    #[test]
    fn suggestions_rank_by_distance() {
        assert_eq!(suggest("mobil", ["mobile", "email", "name"]), vec!["mobile"]);
        assert!(suggest("zzzzzz", ["mobile", "email"]).is_empty());
    }

    #[test]
    fn locale_selects_language() {
        assert_eq!(Lang::from_locale("zh_CN.UTF-8"), Some(Lang::Zh));
        assert_eq!(Lang::from_locale("en_US.UTF-8"), Some(Lang::En));
        assert_eq!(Lang::from_locale("C"), Some(Lang::En));
        assert_eq!(Lang::from_locale(""), None);
    }

    #[test]
    fn visible_escapes_what_a_terminal_would_obey() {
        assert_eq!(visible("示例科技"), "示例科技");
        assert_eq!(visible("a\n::error file=x::y"), "a\\n::error file=x::y");
        assert_eq!(visible("\u{1b}[2J"), "\\u{1b}[2J");
        assert_eq!(visible("abc\u{202e}def"), "abc\\u{202e}def");
        assert_eq!(visible("x\u{0}y\u{85}z\u{200b}"), "x\\u{0}y\\u{85}z\\u{200b}");
    }
}
