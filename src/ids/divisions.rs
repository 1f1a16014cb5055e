//! Administrative divisions (GB/T 2260 names) and addresses: which province, city and county a text names.
//!
//! A name counts only as a whole division: its full form (北京市, 兴庆区), or a short form (北京, 兴庆) followed by
//! another division name. Streets named after places (北京东路 in 银川, 南京路 in 上海) are therefore not read as
//! divisions. A name that exists in more than one province does not resolve by itself.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::text::nfkc;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Province,
    Prefecture,
    County,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Division {
    pub code: Cow<'static, str>,
    pub level: Level,
    pub parent: Option<Cow<'static, str>>,
    pub name: Cow<'static, str>,
}

/// The embedded table, compiled by build.rs from `provinces/data/divisions.tsv`.
mod table {
    use super::{Division, Level};
    use std::borrow::Cow;
    include!(concat!(env!("OUT_DIR"), "/divisions_table.rs"));
}

impl Division {
    pub fn province_code(&self) -> &str {
        self.code.get(..2).unwrap_or("")
    }
}

// The short-form rules are shared with build.rs, which compiles the embedded table.
include!("division_names.rs");

fn short_form(name: &str, level: Level) -> Option<String> {
    let level = match level {
        Level::Province => 0,
        Level::Prefecture => 1,
        Level::County => 2,
    };
    short_name(name, level)
}

/// The division table with a name index.
#[derive(Clone, Debug, Default)]
pub struct Divisions {
    pub list: Cow<'static, [Division]>,
    /// name → (index, is full form)
    by_name: Index,
    max_name: usize,
}

/// The name index: built at run time for a table read from `--rules-dir`, or compiled in.
#[derive(Clone, Debug)]
enum Index {
    Owned(HashMap<String, Vec<(usize, bool)>>),
    /// Sorted by name: (name, index, full form).
    Static(&'static [(&'static str, u16, bool)]),
}

impl Default for Index {
    fn default() -> Index {
        Index::Owned(HashMap::new())
    }
}

impl Index {
    fn get(&self, name: &str) -> Vec<(usize, bool)> {
        match self {
            Index::Owned(m) => m.get(name).cloned().unwrap_or_default(),
            Index::Static(entries) => {
                let start = entries.partition_point(|e| e.0 < name);
                entries
                    .iter()
                    .skip(start)
                    .take_while(|e| e.0 == name)
                    .map(|e| (usize::from(e.1), e.2))
                    .collect()
            }
        }
    }

    fn contains(&self, name: &str) -> bool {
        match self {
            Index::Owned(m) => m.contains_key(name),
            Index::Static(entries) => entries.binary_search_by(|e| e.0.cmp(name)).is_ok(),
        }
    }
}

/// A division named in a text, where it was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention {
    /// Candidate divisions (more than one when the name is ambiguous).
    pub candidates: Vec<usize>,
    pub text: String,
    pub start: usize,
    pub end: usize,
}

impl Divisions {
    /// Parses `divisions.tsv` (code, level, parent, name).
    pub fn parse_tsv(text: &str) -> Result<Divisions, String> {
        let mut list = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            let (Some(code), Some(level), Some(parent), Some(name)) =
                (cols.first(), cols.get(1), cols.get(2), cols.get(3))
            else {
                return Err(format!(
                    "line {}: expected code<TAB>level<TAB>parent<TAB>name",
                    i + 1
                ));
            };
            let level = match *level {
                "province" => Level::Province,
                "prefecture" => Level::Prefecture,
                "county" => Level::County,
                other => return Err(format!("line {}: unknown level `{other}`", i + 1)),
            };
            let parent = (*parent != "-").then(|| Cow::Owned(parent.to_string()));
            list.push(Division {
                code: Cow::Owned(code.to_string()),
                level,
                parent,
                name: Cow::Owned(name.trim().to_string()),
            });
        }
        Ok(Divisions::new(list))
    }

    /// Whether a division's name is a placeholder of the code lists (市辖区, 县, …), never a name in an address.
    pub fn is_placeholder(d: &Division) -> bool {
        PLACEHOLDERS.contains(&d.name.as_ref())
    }

    pub fn new(list: Vec<Division>) -> Divisions {
        let mut by_name: HashMap<String, Vec<(usize, bool)>> = HashMap::new();
        for (i, d) in list.iter().enumerate() {
            if Divisions::is_placeholder(d) {
                continue;
            }
            by_name.entry(d.name.to_string()).or_default().push((i, true));
            if let Some(s) = short_form(&d.name, d.level) {
                by_name.entry(s).or_default().push((i, false));
            }
        }
        let max_name = by_name.keys().map(|k| k.chars().count()).max().unwrap_or(0);
        Divisions {
            list: Cow::Owned(list),
            by_name: Index::Owned(by_name),
            max_name,
        }
    }

    /// The table compiled into the binary (no parsing at start-up).
    pub fn embedded() -> Divisions {
        Divisions {
            list: Cow::Borrowed(table::ROWS),
            by_name: Index::Static(table::INDEX),
            max_name: table::MAX_NAME,
        }
    }

    pub fn get(&self, i: usize) -> Option<&Division> {
        self.list.get(i)
    }

    pub fn by_code(&self, code: &str) -> Option<&Division> {
        self.list.iter().find(|d| d.code == code)
    }

    /// Divisions with this exact full name.
    pub fn named(&self, name: &str) -> Vec<&Division> {
        self.by_name
            .get(&nfkc(name))
            .iter()
            .filter(|(_, full)| *full)
            .filter_map(|(i, _)| self.list.get(*i))
            .collect()
    }

    /// Divisions with this full or short name.
    pub fn named_loosely(&self, name: &str) -> Vec<&Division> {
        self.by_name
            .get(&nfkc(name))
            .iter()
            .filter_map(|(i, _)| self.list.get(*i))
            .collect()
    }

    /// The longest name at char position `at`: (length in chars, entries). `offsets` are the byte offsets of the
    /// chars of `text` plus its length.
    fn longest_at(&self, text: &str, offsets: &[usize], at: usize) -> Option<(usize, Vec<(usize, bool)>)> {
        let chars = offsets.len().saturating_sub(1);
        let max = self.max_name.min(chars.saturating_sub(at));
        let start = *offsets.get(at)?;
        (2..=max).rev().find_map(|n| {
            let end = *offsets.get(at + n)?;
            let name = text.get(start..end)?;
            self.by_name.contains(name).then(|| (n, self.by_name.get(name)))
        })
    }

    /// The chain of divisions an address starts with (province, city, county …), stopping at the first text that
    /// is not a division.
    pub fn leading(&self, text: &str) -> Vec<Mention> {
        let text = nfkc(text);
        let mut offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        offsets.push(text.len());
        let mut out = Vec::new();
        let mut at = 0;
        while let Some((n, entries)) = self.longest_at(&text, &offsets, at) {
            let full: Vec<usize> = entries.iter().filter(|(_, f)| *f).map(|(i, _)| *i).collect();
            let candidates = if full.is_empty() {
                // A short form counts only when another division name follows.
                if self.longest_at(&text, &offsets, at + n).is_none() {
                    break;
                }
                entries.iter().map(|(i, _)| *i).collect()
            } else {
                full
            };
            let piece = offsets
                .get(at)
                .zip(offsets.get(at + n))
                .and_then(|(a, b)| text.get(*a..*b))
                .unwrap_or("");
            out.push(Mention {
                candidates,
                text: piece.to_string(),
                start: at,
                end: at + n,
            });
            at += n;
        }
        out
    }

    /// The province (code) an address text resolves to, narrowing ambiguous names with the names after them.
    pub fn province_of(&self, text: &str) -> Option<String> {
        let mentions = self.leading(text);
        let mut possible: Option<Vec<String>> = None;
        for m in &mentions {
            let mut provinces: Vec<String> = m
                .candidates
                .iter()
                .filter_map(|i| self.list.get(*i))
                .map(|d| d.province_code().to_string())
                .collect();
            provinces.sort();
            provinces.dedup();
            let next = match &possible {
                None => provinces,
                Some(prev) => prev.iter().filter(|p| provinces.contains(p)).cloned().collect(),
            };
            if next.is_empty() {
                break;
            }
            possible = Some(next);
            if possible.as_ref().is_some_and(|p| p.len() == 1) {
                break;
            }
        }
        possible
            .filter(|p| p.len() == 1)
            .and_then(|p| p.into_iter().next())
    }

    /// Whether `child` lies within `ancestor`.
    pub fn within(&self, child: &Division, ancestor: &Division) -> bool {
        let mut cur = Some(child);
        while let Some(d) = cur {
            if d.code == ancestor.code {
                return true;
            }
            cur = d.parent.as_deref().and_then(|p| self.by_code(p));
        }
        false
    }

    /// Children of a division.
    pub fn children<'a>(&'a self, parent: &'a Division) -> impl Iterator<Item = &'a Division> + 'a {
        self.list
            .iter()
            .filter(move |d| d.parent.as_deref() == Some(parent.code.as_ref()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Divisions {
        Divisions::parse_tsv(
            "# t\n210000\tprovince\t-\t辽宁省\n210100\tprefecture\t210000\t沈阳市\n210102\tcounty\t210100\t和平区\n\
             210200\tprefecture\t210000\t大连市\n120000\tprovince\t-\t天津市\n120100\tprefecture\t120000\t市辖区\n\
             120101\tcounty\t120100\t和平区\n640000\tprovince\t-\t宁夏回族自治区\n640100\tprefecture\t640000\t银川市\n\
             640104\tcounty\t640100\t兴庆区\n110000\tprovince\t-\t北京市\n110100\tprefecture\t110000\t市辖区\n\
             110105\tcounty\t110100\t朝阳区\n",
        )
        .unwrap()
    }

    #[test]
    fn resolves_full_and_short_forms() {
        let t = table();
        assert_eq!(
            t.province_of("辽宁省沈阳市和平区南京北街123号").as_deref(),
            Some("21")
        );
        assert_eq!(t.province_of("辽宁沈阳市和平区").as_deref(), Some("21"));
        assert_eq!(t.province_of("沈阳市和平区").as_deref(), Some("21"));
        assert_eq!(t.province_of("宁夏银川市兴庆区").as_deref(), Some("64"));
    }

    #[test]
    fn ambiguous_and_street_names_do_not_resolve() {
        let t = table();
        assert_eq!(t.province_of("和平区南京北街123号"), None);
        assert_eq!(t.province_of("北京东路123号"), None);
        assert_eq!(t.province_of("南京北街123号"), None);
        assert_eq!(t.province_of("北京市朝阳区").as_deref(), Some("11"));
    }
}
