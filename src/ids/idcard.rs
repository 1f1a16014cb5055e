//! GB 11643-1999 resident ID numbers: ISO 7064 MOD 11-2 check character, birth date.

use crate::date::Date;
use crate::text::Text;

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: &[u8; 11] = b"10X98765432";

/// The ISO 7064 MOD 11-2 check character of 17 digits.
pub(crate) fn check_char(body: &str) -> Option<char> {
    if body.len() != 17 || !body.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = body
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    CHECK.get((sum % 11) as usize).map(|&c| char::from(c))
}

/// A structurally valid 18-character number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct IdNumber {
    pub number: String,
    pub region: String,
    pub birth: Date,
    pub male: bool,
}

/// Why a number is not a valid resident ID number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum IdError {
    Format,
    /// A 15-digit first-generation number, with its 18-digit form.
    Legacy(String),
    Province(String),
    /// `81`, `82`, `83`: a Hong Kong/Macao/Taiwan residence-permit number.
    ResidencePermit(String),
    BirthDate,
    BirthAfter(Date),
    BirthBefore1900,
    Check(char),
}

impl IdError {
    pub(crate) fn describe(&self) -> Text {
        match self {
            IdError::Format => Text::new(
                "应为17位数字加1位数字或X",
                "it must be 17 digits followed by a digit or X",
            ),
            IdError::Legacy(n) => Text::new(
                format!("这是15位的第一代身份证号码，已于2013-01-01停止使用，其18位号码为 {n}"),
                format!(
                    "this is a 15-digit first-generation number, invalid since 2013-01-01; its 18-digit form is {n}"
                ),
            ),
            IdError::Province(p) => Text::new(
                format!("前两位 {p} 不是省级行政区划代码"),
                format!("the first two digits {p} are not a province code"),
            ),
            IdError::ResidencePermit(p) => Text::new(
                format!("以 {p} 开头的是港澳台居民居住证号码，请选择对应的证件类型"),
                format!(
                    "a number starting {p} is a Hong Kong/Macao/Taiwan residence permit: choose that certificate type"
                ),
            ),
            IdError::BirthDate => Text::new(
                "第7–14位不是有效的出生日期",
                "digits 7–14 are not a valid birth date",
            ),
            IdError::BirthAfter(d) => Text::new(
                format!("出生日期晚于 {d}"),
                format!("the birth date is after {d}"),
            ),
            IdError::BirthBefore1900 => Text::new("出生日期早于1900年", "the birth date is before 1900"),
            IdError::Check(c) => Text::new(
                format!("校验位应为 {c}"),
                format!("the check character should be {c}"),
            ),
        }
    }
}

/// Normalises (NFKC, trim, `x` → `X`) and validates an 18-digit number against `provinces` (two-digit codes)
/// and the reference date. `permit_regions` are the address codes allowed in place of a province (81/82/83 for
/// residence permits).
pub(crate) fn validate(
    raw: &str,
    on: Date,
    provinces: &[&str],
    permit_regions: &[&str],
) -> Result<IdNumber, IdError> {
    let n = crate::text::id_key(raw);
    if n.len() == 15 && n.bytes().all(|b| b.is_ascii_digit()) {
        let body = format!("{}19{}", n.get(..6).unwrap_or(""), n.get(6..).unwrap_or(""));
        let check = check_char(&body).map(String::from).unwrap_or_default();
        return Err(IdError::Legacy(body + &check));
    }
    let bytes = n.as_bytes();
    let well_formed = bytes.len() == 18
        && bytes.iter().take(17).all(u8::is_ascii_digit)
        && bytes.get(17).is_some_and(|b| b.is_ascii_digit() || *b == b'X');
    if !well_formed {
        return Err(IdError::Format);
    }
    let (Some(region), Some(birth), Some(body), Some(last)) =
        (n.get(..6), n.get(6..14), n.get(..17), n.chars().nth(17))
    else {
        return Err(IdError::Format);
    };
    let province = region.get(..2).unwrap_or("");
    if permit_regions.is_empty() {
        if ["81", "82", "83"].contains(&province) {
            return Err(IdError::ResidencePermit(province.to_string()));
        }
        if !provinces.contains(&province) {
            return Err(IdError::Province(province.to_string()));
        }
    } else if !permit_regions.contains(&region) {
        return Err(IdError::Province(region.to_string()));
    }
    let birth = Date::parse_compact(birth).ok_or(IdError::BirthDate)?;
    if birth > on {
        return Err(IdError::BirthAfter(on));
    }
    if birth.year() < 1900 {
        return Err(IdError::BirthBefore1900);
    }
    let expected = check_char(body).ok_or(IdError::Format)?;
    if expected != last {
        return Err(IdError::Check(expected));
    }
    let male = is_male(&n).unwrap_or(false);
    Ok(IdNumber {
        number: n.clone(),
        region: region.to_string(),
        birth,
        male,
    })
}

/// Whether the number's 17th character (the sequence digit) is odd: a man's number.
pub(crate) fn is_male(raw: &str) -> Option<bool> {
    let d = crate::text::id_key(raw).chars().nth(16)?.to_digit(10)?;
    Some(d % 2 == 1)
}

/// The GB/T 2260 province code a number starts with (the issuing province).
pub(crate) fn province_code(raw: &str) -> Option<String> {
    crate::text::id_key(raw).get(..2).map(str::to_string)
}

/// The birth date carried by an 18-digit number, if digits 7–14 form one (no other validation).
pub(crate) fn birth_date(raw: &str) -> Option<Date> {
    let n = crate::text::id_key(raw);
    if n.len() != 18 {
        return None;
    }
    Date::parse_compact(n.get(6..14)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const P: &[&str] = &["11", "21", "32", "44", "46", "51"];

    fn on() -> Date {
        Date::new(2026, 12, 1).unwrap()
    }

    #[test]
    fn reference_vectors() {
        assert_eq!(check_char("11010119900307123"), Some('3'));
        assert!(validate("110101199003071233", on(), P, &[]).is_ok());
        assert!(validate("44030519950615106x", on(), P, &[]).is_ok());
        assert!(validate("440305200802291011", on(), P, &[]).is_ok());
        assert_eq!(
            validate("110101199003071232", on(), P, &[]),
            Err(IdError::Check('3'))
        );
        assert_eq!(
            validate("110101199003071323", on(), P, &[]),
            Err(IdError::Check('1'))
        );
        assert_eq!(
            validate("11010119900230123X", on(), P, &[]),
            Err(IdError::BirthDate)
        );
        assert_eq!(
            validate("110101900307123", on(), P, &[]),
            Err(IdError::Legacy("110101199003071233".into()))
        );
        assert_eq!(
            validate("810000199007051823", on(), P, &[]),
            Err(IdError::ResidencePermit("81".into()))
        );
        assert!(validate("810000199007051823", on(), P, &["810000", "820000"]).is_ok());
    }

    #[test]
    fn synthetic_example_people_are_valid() {
        for n in [
            "210102198503122311",
            "21010219900705182X",
            "210102199201010044",
            "210102197806153313",
            "210103199004204428",
        ] {
            assert!(validate(n, on(), &["21"], &[]).is_ok(), "{n}");
        }
    }

    proptest! {
        #[test]
        fn any_body_with_its_check_validates(region in prop::sample::select(vec!["110101", "210102", "440305"]),
                                              days in 0i64..40_000, seq in 0u32..1000) {
            let birth = Date::from_days(days - 25_000);
            prop_assume!(birth.year() >= 1900 && birth <= on());
            let body = format!("{region}{:04}{:02}{:02}{seq:03}", birth.year(), birth.month(), birth.day());
            let full = format!("{body}{}", check_char(&body).unwrap());
            prop_assert!(validate(&full, on(), P, &[]).is_ok());
            // Any single-digit change in the body breaks the check (MOD 11-2 detects single errors).
            let i = (seq as usize) % 17;
            let mut bytes = full.clone().into_bytes();
            bytes[i] = b'0' + (bytes[i] - b'0' + 1) % 10;
            let changed = String::from_utf8(bytes).unwrap();
            prop_assert!(validate(&changed, on(), P, &[]).is_err());
        }

        #[test]
        fn never_panics(s in "\\PC{0,30}") {
            let _ = validate(&s, on(), P, &[]);
            let _ = birth_date(&s);
        }
    }
}
