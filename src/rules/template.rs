//! Message templates: `{name}` placeholders filled from a check's variables and the rule's parameters.

use crate::outcome::Vars;
use crate::text::Lang;

/// Placeholder names used in a template.
pub(crate) fn placeholders(template: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let after = rest.get(start + 1..).unwrap_or("");
        match after.find('}') {
            Some(end) => {
                let name = after.get(..end).unwrap_or("");
                if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    out.push(name);
                }
                rest = after.get(end + 1..).unwrap_or("");
            }
            None => break,
        }
    }
    out
}

/// Renders a parameter value for a message: lists joined, strings bare.
pub(crate) fn param_text(value: &serde_json::Value, lang: Lang) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(items) => {
            let sep = if lang == Lang::Zh { "、" } else { ", " };
            items
                .iter()
                .map(|v| param_text(v, lang))
                .collect::<Vec<_>>()
                .join(sep)
        }
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Fills `{name}` from `vars`, then from the variables every finding of a file shares (date, province …), then
/// from `params`; an unknown placeholder stays as written (the loader refuses them in rule files).
pub(crate) fn render_with(
    template: &str,
    lang: Lang,
    show_pii: bool,
    vars: &Vars,
    common: &[(&str, crate::text::Text)],
    params: &serde_json::Map<String, serde_json::Value>,
) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(rest.get(..start).unwrap_or(""));
        let after = rest.get(start + 1..).unwrap_or("");
        let Some(end) = after.find('}') else {
            out.push_str(rest.get(start..).unwrap_or(""));
            return out;
        };
        let name = after.get(..end).unwrap_or("");
        if let Some(v) = vars.get(name) {
            out.push_str(&v.render(lang, show_pii));
        } else if let Some((_, t)) = common.iter().find(|(k, _)| *k == name) {
            out.push_str(t.get(lang));
        } else if let Some(p) = params.get(name) {
            out.push_str(&param_text(p, lang));
        } else if crate::checks::predicate::VARS.contains(&name) {
            // A predicate variable this place has no value for (`{other}` where no relation decided) is empty.
        } else {
            out.push('{');
            out.push_str(name);
            out.push('}');
        }
        rest = after.get(end + 1..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::{Pii, Var};

    #[test]
    fn renders_vars_params_and_masks() {
        let mut vars = Vars::new();
        vars.insert("value", Var::Pii(Pii::Number, "13904112345".into()));
        vars.insert("path", "/m".into());
        let mut params = serde_json::Map::new();
        params.insert("days".into(), serde_json::json!(90));
        let t = "{path}: {value} ({days}) {unknown}";
        assert_eq!(
            render_with(t, Lang::En, false, &vars, &[], &params),
            "/m: 139****2345 (90) {unknown}"
        );
        assert_eq!(
            render_with(t, Lang::En, true, &vars, &[], &params),
            "/m: 13904112345 (90) {unknown}"
        );
        assert_eq!(placeholders("a {b} {c_d} {} {"), vec!["b", "c_d"]);
    }
}
