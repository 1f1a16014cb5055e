//! GB 32100-2015 unified social credit codes: MOD 31 check character, GB 11714 organisation-code check.

use crate::text::Text;

const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

fn value(c: char) -> Option<u32> {
    ALPHABET.find(c).map(|i| i as u32)
}

/// The MOD 31 check character over 17 characters.
pub(crate) fn check_char(body: &str) -> Option<char> {
    let mut sum = 0;
    let mut count = 0;
    for (c, w) in body.chars().zip(WEIGHTS) {
        sum += value(c)? * w;
        count += 1;
    }
    if count != 17 || body.chars().count() != 17 {
        return None;
    }
    ALPHABET.chars().nth(((31 - sum % 31) % 31) as usize)
}

/// The GB 11714 organisation-code check over 8 characters (letters A=10 … Z=35, not the USCC alphabet).
pub(crate) fn org_check_char(body: &str) -> Option<char> {
    let mut sum = 0;
    for (c, w) in body.chars().zip(ORG_WEIGHTS) {
        let v = match c {
            '0'..='9' => c as u32 - '0' as u32,
            'A'..='Z' => c as u32 - 55,
            _ => return None,
        };
        sum += v * w;
    }
    match 11 - sum % 11 {
        10 => Some('X'),
        11 => Some('0'),
        d => char::from_digit(d, 10),
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum UsccError {
    Length(usize),
    Alphabet(char),
    Division,
    Check(char),
}

impl UsccError {
    pub(crate) fn describe(&self) -> Text {
        match self {
            UsccError::Length(n) => Text::new(
                format!("应为18位，实际 {n} 位"),
                format!("it must have 18 characters, not {n}"),
            ),
            UsccError::Alphabet(c) => Text::new(
                format!("含有不允许的字符“{c}”（不使用 I、O、S、V、Z）"),
                format!("it contains the character '{c}', which is not used (I, O, S, V and Z never occur)"),
            ),
            UsccError::Division => Text::new(
                "第3–8位须为数字（行政区划码）",
                "characters 3–8 must be digits (the division code)",
            ),
            UsccError::Check(c) => Text::new(
                format!("校验位应为 {c}"),
                format!("the check character should be {c}"),
            ),
        }
    }
}

/// Validates a code after NFKC, trimming and upper-casing; returns the normalised code.
pub(crate) fn validate(raw: &str) -> Result<String, UsccError> {
    let u = crate::text::id_key(raw);
    let n = u.chars().count();
    if n != 18 {
        return Err(UsccError::Length(n));
    }
    if let Some(c) = u.chars().find(|c| !ALPHABET.contains(*c)) {
        return Err(UsccError::Alphabet(c));
    }
    if !u.chars().skip(2).take(6).all(|c| c.is_ascii_digit()) {
        return Err(UsccError::Division);
    }
    let body: String = u.chars().take(17).collect();
    let expected = check_char(&body).ok_or(UsccError::Length(n))?;
    if u.chars().nth(17) != Some(expected) {
        return Err(UsccError::Check(expected));
    }
    Ok(u)
}

/// For a valid code: the expected organisation-code check character when character 17 differs from it.
pub(crate) fn org_code_mismatch(code: &str) -> Option<char> {
    let body: String = code.chars().skip(8).take(8).collect();
    let expected = org_check_char(&body)?;
    (code.chars().nth(16) != Some(expected)).then_some(expected)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reference_vectors() {
        for ok in [
            "91440300MA0XY12B8B",
            "92110105MA0XY12B8M",
            "12330000MA0XY12B86",
            "52310000MA0XY12B8R",
            "31110000MA0XY12B8H",
            "11100000MA0XY12B8F",
            "91350100M000100Y43",
            "91210100LN0000015B",
        ] {
            assert_eq!(validate(ok).as_deref(), Ok(ok), "{ok}");
        }
        assert_eq!(validate("91440300AM0XY12B8B"), Err(UsccError::Check('5')));
        assert_eq!(validate("91440300MA0XY12BIO"), Err(UsccError::Alphabet('I')));
        assert_eq!(validate("9144030OMA0XY12B8B"), Err(UsccError::Alphabet('O')));
        assert_eq!(org_check_char("MA0XY12B"), Some('8'));
        let v = validate("91440300MA0XY12B78").unwrap();
        assert_eq!(org_code_mismatch(&v), Some('8'));
        assert_eq!(org_code_mismatch("91440300MA0XY12B8B"), None);
    }

    proptest! {
        #[test]
        fn computed_check_validates_and_single_changes_fail(body in "[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{9}", pos in 0usize..17) {
            let full = format!("{body}{}", check_char(&body).unwrap());
            prop_assert_eq!(validate(&full), Ok(full.clone()));
            let chars: Vec<char> = full.chars().collect();
            let idx = ALPHABET.find(chars[pos]).unwrap();
            let replacement = ALPHABET.chars().nth((idx + 1) % 31).unwrap();
            let mut changed = chars.clone();
            changed[pos] = replacement;
            let changed: String = changed.into_iter().collect();
            // Either the division digits became a letter or the check fails.
            prop_assert!(validate(&changed).is_err());
        }

        #[test]
        fn never_panics(s in "\\PC{0,30}") {
            let _ = validate(&s);
            let _ = org_code_mismatch(&s);
        }
    }
}
