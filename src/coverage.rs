//! Rule coverage per province: what `beian provinces` prints and what `docs/coverage.md` records (a test keeps the
//! document current).

use crate::rules::{Catalog, RuleSet};

/// One province's line in the coverage table.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Row {
    pub code: String,
    pub name: String,
    pub id: String,
    /// `None`: no provincial rule set yet (the national layer alone applies).
    pub set: Option<SetFigures>,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SetFigures {
    pub rules: usize,
    pub overrides: usize,
    pub version: String,
    pub reviewed: String,
    /// The newest date any cited source carries (`None` when every source is undated).
    pub newest_source: Option<String>,
}

pub fn rows(catalog: &Catalog) -> Vec<Row> {
    catalog
        .data
        .provinces
        .list
        .iter()
        .map(|p| Row {
            code: p.code.clone(),
            name: p.name.clone(),
            id: p.id.clone(),
            set: catalog.province_set(&p.id).map(figures),
        })
        .collect()
}

fn figures(s: &RuleSet) -> SetFigures {
    let dates = s
        .cited_sources()
        .filter_map(|src| src.published.as_deref().and_then(leading_date));
    SetFigures {
        rules: s.rules.len(),
        overrides: s.overrides.len(),
        version: s.version.clone(),
        reviewed: s.reviewed.clone(),
        newest_source: dates.max().map(str::to_string),
    }
}

/// The date a `published` text starts with (`2024-04-08`, `2024-04`, `2020`); `undated …` has none. Partial dates
/// compare correctly as text because they are prefixes of full ISO dates.
fn leading_date(published: &str) -> Option<&str> {
    let end = published
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '-'))
        .map_or(published.len(), |(i, _)| i);
    let d = published.get(..end)?.trim_end_matches('-');
    d.get(..4)
        .is_some_and(|y| y.bytes().all(|b| b.is_ascii_digit()))
        .then_some(d)
}

/// The Markdown document `docs/coverage.md`.
pub fn markdown(catalog: &Catalog) -> String {
    let rows = rows(catalog);
    let with = rows.iter().filter(|r| r.set.is_some()).count();
    let mut s = String::new();
    s.push_str("# Rule coverage by province\n\n");
    s.push_str("Generated from `provinces/` by `cargo test --test coverage` (set `BEIAN_UPDATE_DOCS=1` to rewrite it);\n");
    s.push_str("the test fails when this file is stale. `rules` counts a province's own rules, `overrides` the national\n");
    s.push_str("rules it changes or confirms; every province also applies the national layer.\n\n");
    s.push_str(&format!(
        "{with} of {} provinces have a provincial rule set.\n\n",
        rows.len()
    ));
    s.push_str("| code | province | id | rules | overrides | newest source | reviewed | version |\n");
    s.push_str("|---|---|---|---:|---:|---|---|---|\n");
    for r in &rows {
        match &r.set {
            Some(f) => s.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
                r.code,
                r.name,
                r.id,
                f.rules,
                f.overrides,
                f.newest_source.as_deref().unwrap_or("undated"),
                f.reviewed,
                f.version
            )),
            None => s.push_str(&format!(
                "| {} | {} | {} | – | – | – | – | national layer only |\n",
                r.code, r.name, r.id
            )),
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::leading_date;

    #[test]
    fn leading_dates() {
        assert_eq!(leading_date("2024-04-08"), Some("2024-04-08"));
        assert_eq!(leading_date("2020"), Some("2020"));
        assert_eq!(leading_date("2023-05 (month)"), Some("2023-05"));
        assert_eq!(leading_date("undated (after 2018-01-01)"), None);
        assert_eq!(leading_date("undated"), None);
        assert_eq!(leading_date("20"), None);
    }
}
