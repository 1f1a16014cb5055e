//! Mainland mobile and landline numbers: format, and province from the mobile prefix or the area code.

use crate::text::{Text, phone_key};

/// Checks a normalised mobile number: `^1[3-9][0-9]{9}$`, not in the 140–144 IoT blocks.
pub(crate) fn mobile_problem(raw: &str) -> Option<Text> {
    // Hyphens may group digits (139-0411-2345), never lead: `-13904112345` is not a number one can dial.
    if raw.trim_start().starts_with('-') {
        return Some(Text::new("不能以“-”开头", "it must not start with `-`"));
    }
    let n = phone_key(raw);
    if !n.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Text::new("只能包含数字", "it may contain only digits"));
    }
    if n.len() != 11 {
        return Some(Text::new(
            format!("应为11位，实际 {} 位", n.len()),
            format!("it must have 11 digits, not {}", n.len()),
        ));
    }
    if !n.starts_with('1') || !matches!(n.as_bytes().get(1), Some(b'3'..=b'9')) {
        return Some(Text::new("应以13–19开头", "it must start with 13–19"));
    }
    if ["140", "141", "142", "143", "144"]
        .iter()
        .any(|p| n.starts_with(p))
    {
        return Some(Text::new(
            "140–144号段为物联网号码，不能接收短信验证码",
            "140–144 are IoT blocks, not personal numbers",
        ));
    }
    None
}

/// Where a mobile number is registered, as far as the data can tell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Locality {
    Province(String),
    Unknown,
}

/// Mobile 7-digit prefix ranges → province code, from the embedded table and an optional user `phone.dat`.
#[derive(Clone, Debug, Default)]
pub struct MobileRanges {
    /// (start, end, province code), sorted by start, non-overlapping.
    ranges: std::borrow::Cow<'static, [(u32, u32, u8)]>,
    /// From `--phone-db`: (prefix, province code), sorted; takes precedence where it has the prefix.
    user: Vec<(u32, String)>,
}

/// The embedded table, compiled by build.rs from `provinces/data/mobile_ranges.tsv`.
mod table {
    include!(concat!(env!("OUT_DIR"), "/mobile_table.rs"));
}

impl MobileRanges {
    /// The table compiled into the binary.
    pub fn embedded() -> MobileRanges {
        MobileRanges {
            ranges: std::borrow::Cow::Borrowed(table::RANGES),
            user: Vec::new(),
        }
    }

    /// Parses the `mobile_ranges.tsv` data file (comment lines start with `#`).
    pub fn parse_tsv(text: &str) -> Result<MobileRanges, String> {
        let mut ranges = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let mut cols = line.split('\t');
            let parsed = (|| {
                let start = cols.next()?.trim().parse::<u32>().ok()?;
                let end = cols.next()?.trim().parse::<u32>().ok()?;
                let province = cols.next()?.trim().parse::<u8>().ok()?;
                (start <= end).then_some((start, end, province))
            })();
            match parsed {
                Some(r) => ranges.push(r),
                None => return Err(format!("line {}: expected start<TAB>end<TAB>province", i + 1)),
            }
        }
        ranges.sort_by_key(|r| r.0);
        Ok(MobileRanges {
            ranges: std::borrow::Cow::Owned(ranges),
            user: Vec::new(),
        })
    }

    /// Adds a user-supplied `phone.dat` (the ls0f/xluohome format: 4-byte version, `u32` LE offset of the
    /// index, NUL-terminated `省|市|邮编|区号` records, 9-byte index entries: `u32` LE 7-digit prefix, `u32` LE
    /// record offset, `u8` card type). `names` maps its short province names to codes.
    pub fn add_phone_dat(
        &mut self,
        buf: &[u8],
        names: &dyn Fn(&str) -> Option<String>,
    ) -> Result<usize, String> {
        let u32_at = |o: usize| -> Option<u32> {
            buf.get(o..o + 4)
                .and_then(|b| b.try_into().ok())
                .map(u32::from_le_bytes)
        };
        let first = u32_at(4).ok_or("too short for a phone.dat header")? as usize;
        if first > buf.len() || first < 8 {
            return Err("the index offset lies outside the file".into());
        }
        let count = (buf.len() - first) / 9;
        let mut user = Vec::with_capacity(count);
        for i in 0..count {
            let at = first + 9 * i;
            let (Some(prefix), Some(offset)) = (u32_at(at), u32_at(at + 4)) else {
                break;
            };
            let offset = offset as usize;
            let record = buf.get(offset..).ok_or("a record offset lies outside the file")?;
            let end = record.iter().position(|&b| b == 0).unwrap_or(record.len());
            let text = std::str::from_utf8(record.get(..end).unwrap_or_default())
                .map_err(|_| "a record is not UTF-8")?;
            let province = text.split('|').next().unwrap_or("");
            if let Some(code) = names(province) {
                user.push((prefix, code));
            }
        }
        user.sort_by_key(|e| e.0);
        let n = user.len();
        self.user = user;
        Ok(n)
    }

    pub fn len(&self) -> usize {
        self.ranges.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// Looks up a valid mobile number by its first 7 digits.
    pub fn locate(&self, raw: &str) -> Locality {
        let n = phone_key(raw);
        let Some(prefix) = n.get(..7).and_then(|p| p.parse::<u32>().ok()) else {
            return Locality::Unknown;
        };
        if let Ok(i) = self.user.binary_search_by_key(&prefix, |e| e.0) {
            if let Some((_, code)) = self.user.get(i) {
                return Locality::Province(code.clone());
            }
        }
        let idx = self.ranges.partition_point(|r| r.0 <= prefix);
        match idx.checked_sub(1).and_then(|i| self.ranges.get(i)) {
            Some((_, end, code)) if prefix <= *end => Locality::Province(code.to_string()),
            _ => Locality::Unknown,
        }
    }
}

/// Area code → province code.
#[derive(Clone, Debug, Default)]
pub struct AreaCodes {
    codes: Vec<(String, String)>,
}

/// A parsed landline number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Landline {
    pub area: String,
    pub province: String,
}

impl AreaCodes {
    pub fn parse_tsv(text: &str) -> Result<AreaCodes, String> {
        let mut codes = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let mut cols = line.split('\t');
            match (cols.next(), cols.next()) {
                (Some(a), Some(p)) if a.starts_with('0') => {
                    codes.push((a.trim().to_string(), p.trim().to_string()))
                }
                _ => return Err(format!("line {}: expected area_code<TAB>province", i + 1)),
            }
        }
        codes.sort();
        Ok(AreaCodes { codes })
    }

    fn province(&self, area: &str) -> Option<&str> {
        self.codes
            .binary_search_by(|(a, _)| a.as_str().cmp(area))
            .ok()
            .and_then(|i| self.codes.get(i))
            .map(|(_, p)| p.as_str())
    }

    /// Parses `024-12345678`, `02412345678`, `0411-8765432转801`, with an optional `+86`/`0086`.
    pub fn parse(&self, raw: &str) -> Result<Landline, Text> {
        let s = crate::text::nfkc(raw);
        // Split off an extension after 转, ext or a second hyphen.
        let lower = s.to_ascii_lowercase();
        let (main, ext) = if let Some(i) = s.find('转') {
            (s.get(..i).unwrap_or(""), s.get(i + '转'.len_utf8()..))
        } else if let Some(i) = lower.find("ext") {
            (s.get(..i).unwrap_or(""), s.get(i + 3..))
        } else {
            (s.as_str(), None)
        };
        if let Some(e) = ext {
            let e = e.trim().trim_start_matches(['.', ':', '-']);
            if e.is_empty() || !e.chars().all(|c| c.is_ascii_digit()) {
                return Err(Text::new("分机号只能是数字", "the extension must be digits"));
            }
        }
        let mut compact: String = main.chars().filter(|c| !c.is_whitespace()).collect();
        if let Some(rest) = compact
            .strip_prefix("+86")
            .or_else(|| compact.strip_prefix("0086"))
        {
            compact = format!("0{}", rest.trim_start_matches('-'));
        }
        let parts: Vec<&str> = compact.split('-').collect();
        let (digits, ext_part) = match parts.as_slice() {
            [a, b] if a.starts_with('0') => (format!("{a}{b}"), None),
            [a, b, c] if a.starts_with('0') => (format!("{a}{b}"), Some(*c)),
            [a] => (a.to_string(), None),
            _ => return Err(Text::new("格式应为“区号-号码”", "write it as area code-number")),
        };
        if ext_part.is_some_and(|e| e.is_empty() || !e.chars().all(|c| c.is_ascii_digit())) {
            return Err(Text::new("分机号只能是数字", "the extension must be digits"));
        }
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(Text::new(
                "只能包含数字、连字符和分机号",
                "only digits, a hyphen and an extension are allowed",
            ));
        }
        if !digits.starts_with('0') {
            return Err(Text::new(
                "缺少以0开头的区号",
                "the area code with its leading 0 is missing",
            ));
        }
        let two = digits.starts_with("010") || digits.starts_with("02");
        let area_len = if two { 3 } else { 4 };
        let area = digits.get(..area_len).unwrap_or("");
        let local = digits.get(area_len..).unwrap_or("");
        let Some(province) = self.province(area) else {
            return Err(Text::new(
                format!("区号 {area} 不存在或已停用"),
                format!("the area code {area} is not in use"),
            ));
        };
        if !(7..=8).contains(&local.len()) {
            return Err(Text::new(
                format!("区号后的号码应为7或8位，实际 {} 位", local.len()),
                format!(
                    "the number after the area code must have 7 or 8 digits, not {}",
                    local.len()
                ),
            ));
        }
        Ok(Landline {
            area: area.to_string(),
            province: province.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes() -> AreaCodes {
        AreaCodes::parse_tsv("# test\n010\t11\n024\t21\n0411\t21\n0898\t46\n").unwrap()
    }

    #[test]
    fn mobile_formats() {
        assert!(mobile_problem("13904112345").is_none());
        assert!(mobile_problem("+86 139-0411-2345").is_none());
        assert!(mobile_problem("024-12345678").is_some());
        assert!(mobile_problem("1390411234").is_some());
        assert!(mobile_problem("14012345678").is_some());
        assert!(mobile_problem("12012345678").is_some());
    }

    #[test]
    fn landlines() {
        let c = codes();
        assert_eq!(c.parse("024-12345678").unwrap().province, "21");
        assert_eq!(c.parse("02412345678").unwrap().area, "024");
        assert_eq!(c.parse("0411-8765432转801").unwrap().area, "0411");
        assert!(c.parse("12345678").is_err());
        assert!(c.parse("026-12345678").is_err());
        assert!(c.parse("024-123").is_err());
        assert_eq!(c.parse("+86 10 12345678").unwrap().province, "11");
    }

    #[test]
    fn ranges_three_states() {
        let r = MobileRanges::parse_tsv("# t\n1390400\t1390499\t21\n1380000\t1380999\t11\n").unwrap();
        assert_eq!(r.locate("13904112345"), Locality::Province("21".into()));
        assert_eq!(r.locate("13800138000"), Locality::Province("11".into()));
        assert_eq!(r.locate("19912345678"), Locality::Unknown);
    }

    #[test]
    fn phone_dat_reader() {
        // header: version + first index offset; one record; one index entry.
        let mut buf = b"2312".to_vec();
        let record = "辽宁|沈阳|110000|024\0".as_bytes();
        let first = 8 + record.len() as u32;
        buf.extend_from_slice(&first.to_le_bytes());
        buf.extend_from_slice(record);
        buf.extend_from_slice(&1_990_000u32.to_le_bytes());
        buf.extend_from_slice(&8u32.to_le_bytes());
        buf.push(1);
        let mut r = MobileRanges::default();
        let n = r
            .add_phone_dat(&buf, &|name| (name == "辽宁").then(|| "21".to_string()))
            .unwrap();
        assert_eq!(n, 1);
        assert_eq!(r.locate("19900001234"), Locality::Province("21".into()));
        assert!(r.add_phone_dat(b"23", &|_| None).is_err());
    }

    #[test]
    fn a_leading_hyphen_is_not_a_grouping() {
        assert!(mobile_problem("-13904112345").is_some());
        assert!(mobile_problem("139-0411-2345").is_none());
    }
}
