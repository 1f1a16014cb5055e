// Division names and their short forms (shared by src/ids/divisions.rs and build.rs through `include!`).

/// Placeholder prefectures in the code lists, never a name in an address.
const PLACEHOLDERS: &[&str] = &["市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"];

const PROVINCE_SUFFIXES: &[&str] = &["壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "省", "市"];
const PREFECTURE_SUFFIXES: &[&str] = &["自治州", "地区", "市", "盟", "州"];
const COUNTY_SUFFIXES: &[&str] = &["自治县", "自治旗", "林区", "特区", "区", "县", "市", "旗"];

/// The short form of a division name (北京市 → 北京), at level 0 province, 1 prefecture, 2 county.
fn short_name(name: &str, level: u8) -> Option<String> {
    let suffixes = match level {
        0 => PROVINCE_SUFFIXES,
        1 => PREFECTURE_SUFFIXES,
        _ => COUNTY_SUFFIXES,
    };
    let short = suffixes.iter().find_map(|s| name.strip_suffix(s))?;
    (short.chars().count() >= 2).then(|| short.to_string())
}
