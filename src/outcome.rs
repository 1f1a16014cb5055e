//! What a check (or the parser) says about one place in the application, before it becomes a finding.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::text::{Lang, Text};

/// A finding's status: pass, fail, warn, info or suppressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Fail,
    Warn,
    Info,
    Pass,
    Suppressed,
}

impl Status {
    pub fn id(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Warn => "warn",
            Status::Info => "info",
            Status::Suppressed => "suppressed",
        }
    }
}

/// The verdict of a check at one place; the rule's data turns it into a status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The rule holds here.
    Pass,
    /// The rule is broken here: reported at the rule's severity.
    Violated,
    /// Cannot be decided offline, or the sources disagree: at most `warn`.
    Doubt,
    /// A reminder: `info`.
    Info,
    /// Data the rule needs is absent at `path`: reported at the rule's missing-data severity.
    Missing,
    /// The value at `path` is filled in but what the rule derives from it cannot be told (a mobile range the table
    /// lacks): reported like missing data, saying the value does not tell instead of asking for it.
    Undecided,
}

/// Personal data that is masked in every output unless `--show-pii` (README: "Personal data").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pii {
    /// ID, passport and permit numbers, mobiles and other phone numbers.
    Number,
    Email,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Var {
    Text(Text),
    Pii(Pii, String),
}

impl Var {
    pub fn render(&self, lang: Lang, show_pii: bool) -> String {
        match self {
            Var::Text(t) => t.get(lang).to_string(),
            Var::Pii(_, v) if show_pii => v.clone(),
            Var::Pii(kind, v) => mask(*kind, v),
        }
    }
}

impl From<Text> for Var {
    fn from(t: Text) -> Var {
        Var::Text(t)
    }
}

impl From<&str> for Var {
    fn from(s: &str) -> Var {
        Var::Text(Text::same(s))
    }
}

impl From<String> for Var {
    fn from(s: String) -> Var {
        Var::Text(Text::same(s))
    }
}

pub(crate) type Vars = BTreeMap<&'static str, Var>;

#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub verdict: Verdict,
    pub path: String,
    pub vars: Vars,
    /// Other places in the same application this outcome is about.
    pub related: Vec<String>,
    /// An explicit position (line, column) for outcomes about something a pointer cannot name (a comment).
    pub at: Option<(usize, usize)>,
}

impl Outcome {
    pub fn new(verdict: Verdict, path: impl Into<String>) -> Outcome {
        Outcome {
            verdict,
            path: path.into(),
            vars: Vars::new(),
            related: Vec::new(),
            at: None,
        }
    }

    pub fn pass(path: impl Into<String>) -> Outcome {
        Outcome::new(Verdict::Pass, path)
    }

    pub fn violated(path: impl Into<String>) -> Outcome {
        Outcome::new(Verdict::Violated, path)
    }

    pub fn doubt(path: impl Into<String>) -> Outcome {
        Outcome::new(Verdict::Doubt, path)
    }

    pub fn info(path: impl Into<String>) -> Outcome {
        Outcome::new(Verdict::Info, path)
    }

    pub fn missing(path: impl Into<String>) -> Outcome {
        Outcome::new(Verdict::Missing, path)
    }

    pub fn var(mut self, name: &'static str, value: impl Into<Var>) -> Outcome {
        self.vars.insert(name, value.into());
        self
    }

    pub fn pii(mut self, name: &'static str, kind: Pii, value: &str) -> Outcome {
        self.vars.insert(name, Var::Pii(kind, value.to_string()));
        self
    }

    pub fn related(mut self, path: impl Into<String>) -> Outcome {
        self.related.push(path.into());
        self
    }
}

/// Masks personal data: numbers keep their first 3 and last 4 characters with one `*` per
/// hidden character (8 characters or fewer keep only the last 2); e-mail keeps the first character and the domain.
pub(crate) fn mask(kind: Pii, value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    match kind {
        Pii::Email => match value.rsplit_once('@') {
            Some((local, domain)) => {
                let first: String = local.chars().take(1).collect();
                format!("{first}***@{domain}")
            }
            None => mask(Pii::Number, value),
        },
        Pii::Number if chars.len() <= 8 => {
            let keep = chars.len().min(2);
            let hidden = chars.len() - keep;
            "*".repeat(hidden) + &chars.iter().skip(hidden).collect::<String>()
        }
        Pii::Number => {
            let hidden = chars.len() - 7;
            chars.iter().take(3).collect::<String>()
                + &"*".repeat(hidden)
                + &chars.iter().skip(3 + hidden).collect::<String>()
        }
    }
}

/// Masks what looks like personal data in free text that leaves the program (messages, hints, source lines,
/// errors): mobile numbers (11 digits starting with 1), ID numbers (17 digits and a digit or X) and e-mail
/// addresses. Values the application model knows are masked where they are rendered; this catches the rest — a
/// value under a misspelt key, of the wrong type, or written into an enumeration field.
pub(crate) fn mask_free_text(s: &str) -> std::borrow::Cow<'_, str> {
    // One pass: an `@`, or a run of 11 digits.
    let mut run = 0;
    let looks_personal = s.bytes().any(|b| {
        run = if b.is_ascii_digit() { run + 1 } else { 0 };
        b == b'@' || run >= 11
    });
    if !looks_personal {
        return std::borrow::Cow::Borrowed(s);
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c.is_ascii_digit() && (i == 0 || !chars.get(i - 1).is_some_and(char::is_ascii_alphanumeric)) {
            let mut j = i;
            while chars.get(j).is_some_and(char::is_ascii_digit) {
                j += 1;
            }
            let mut run: String = chars.get(i..j).unwrap_or_default().iter().collect();
            if run.len() == 17 && chars.get(j).is_some_and(|x| *x == 'X' || *x == 'x') {
                run.push(chars.get(j).copied().unwrap_or('X'));
                j += 1;
            }
            let boundary = !chars.get(j).is_some_and(char::is_ascii_alphanumeric);
            let personal = boundary && ((run.len() == 11 && run.starts_with('1')) || run.len() == 18);
            out.push_str(&if personal { mask(Pii::Number, &run) } else { run });
            i = j;
            continue;
        }
        if c == '@' {
            // The local part is what precedes in `out`; the domain follows.
            let local_len = out
                .chars()
                .rev()
                .take_while(|x| x.is_ascii_alphanumeric() || matches!(x, '.' | '_' | '%' | '+' | '-'))
                .count();
            let mut j = i + 1;
            while chars
                .get(j)
                .is_some_and(|x| x.is_ascii_alphanumeric() || matches!(x, '.' | '-'))
            {
                j += 1;
            }
            let domain: String = chars.get(i + 1..j).unwrap_or_default().iter().collect();
            if local_len > 0 && domain.contains('.') {
                let keep = out.chars().count() - local_len;
                let local: String = out.chars().skip(keep).collect();
                out = out.chars().take(keep).collect();
                out.push_str(&mask(Pii::Email, &format!("{local}@{domain}")));
                i = j;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn masks_as_the_documented_examples() {
        assert_eq!(mask(Pii::Number, "13904112345"), "139****2345");
        assert_eq!(mask(Pii::Number, "210102197806153313"), "210***********3313");
        assert_eq!(mask(Pii::Email, "zhangsan@example.cn"), "z***@example.cn");
        assert_eq!(mask(Pii::Number, "12345678"), "******78");
        assert_eq!(mask(Pii::Number, "1"), "1");
    }

    proptest! {
        #[test]
        fn masked_numbers_keep_length_and_hide_the_middle(s in "[0-9X]{9,20}") {
            let m = mask(Pii::Number, &s);
            prop_assert_eq!(m.chars().count(), s.chars().count());
            prop_assert!(m.chars().skip(3).take(s.len() - 7).all(|c| c == '*'));
        }
    }

    #[test]
    fn free_text_masks_what_looks_personal() {
        assert_eq!(mask_free_text("mobil: \"13904112345\""), "mobil: \"139****2345\"");
        assert_eq!(
            mask_free_text("id 21010219900705182X here"),
            "id 210***********182X here"
        );
        assert_eq!(
            mask_free_text("write to zhangsan@example.cn."),
            "write to z***@example.cn."
        );
        // Not personal: filing numbers, credit codes, dates, longer digit runs.
        for s in [
            "辽ICP备12345678号-1",
            "91210100LN0000015B",
            "2026-12-01",
            "123456789012345678901",
            "x13904112345",
        ] {
            assert_eq!(mask_free_text(s), s);
        }
    }
}
