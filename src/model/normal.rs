//! Values that were read differently from how they were written (full-width digits, invisible characters,
//! stray spaces) are reported (`input.normalised`, warn) with what was seen: normalisation is never silent.

use super::app::{Application, Person};
use super::read::{Diagnostic, NORMALISED};
use crate::outcome::Outcome;
use crate::text::{Text, is_invisible, nfkc};

/// How a field's text is meant to look.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// Numbers and codes: no spaces at all.
    Code,
    /// Names: no leading or trailing space, no invisible characters, no full-width Latin letters or digits
    /// (full-width punctuation such as （） is kept as written).
    Name,
}

fn describe(raw: &str, shape: Shape) -> Option<Text> {
    let mut zh = Vec::new();
    let mut en = Vec::new();
    // In names, full-width punctuation is how Chinese is written (北京示例（深圳）有限公司, as on the certificate):
    // only full-width Latin letters and digits are odd there.
    let odd = |c: char| match shape {
        Shape::Code => ('\u{FF01}'..='\u{FF5E}').contains(&c) || c == '\u{3000}',
        Shape::Name => {
            ('\u{FF10}'..='\u{FF19}').contains(&c)
                || ('\u{FF21}'..='\u{FF3A}').contains(&c)
                || ('\u{FF41}'..='\u{FF5A}').contains(&c)
                || c == '\u{3000}'
        }
    };
    if raw.chars().any(odd) {
        zh.push("全角字符");
        en.push("full-width characters");
    }
    if raw.chars().any(is_invisible) {
        zh.push("不可见的零宽字符");
        en.push("invisible zero-width characters");
    }
    // Bidirectional controls reorder what a reviewer sees (U+202E shows 示例 as 例示): never part of a name.
    if raw.chars().any(crate::text::is_bidi_control) {
        zh.push("双向文字控制字符");
        en.push("bidirectional control characters");
    }
    if raw.trim() != raw {
        zh.push("首尾空格");
        en.push("leading or trailing spaces");
    }
    if shape == Shape::Code
        && raw
            .trim()
            .chars()
            .any(|c| c == ' ' || c == '\u{3000}' || c == '\t')
    {
        zh.push("中间的空格");
        en.push("spaces inside");
    }
    if zh.is_empty() {
        return None;
    }
    Some(Text::new(zh.join("、"), en.join(", ")))
}

fn check(out: &mut Vec<Diagnostic>, path: String, raw: Option<&String>, shape: Shape, personal: bool) {
    let Some(raw) = raw else { return };
    let Some(found) = describe(raw, shape) else { return };
    // As the checks read it: codes without spaces.
    let read = if shape == Shape::Code {
        nfkc(raw).chars().filter(|c| !c.is_whitespace()).collect()
    } else {
        nfkc(raw)
    };
    let mut o = Outcome::doubt(path).var("found", found);
    o = if personal {
        o.pii("value", crate::outcome::Pii::Number, &read)
    } else {
        o.var("value", read)
    };
    out.push(Diagnostic {
        rule: NORMALISED,
        outcome: o,
    });
}

fn person(out: &mut Vec<Diagnostic>, p: &Person) {
    check(out, p.path("name"), p.name.as_ref(), Shape::Name, false);
    check(
        out,
        p.path("cert_number"),
        p.cert_number.as_ref(),
        Shape::Code,
        true,
    );
    for (f, v) in [("mobile", &p.mobile), ("emergency_phone", &p.emergency_phone)] {
        check(out, p.path(f), v.as_ref(), Shape::Code, true);
    }
    check(out, p.path("email"), p.email.as_ref(), Shape::Code, false);
}

/// Diagnostics for every identifier and name that normalisation changes.
pub(crate) fn check_all(app: &Application) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let e = &app.entity;
    check(
        &mut out,
        "/entity/name".into(),
        e.name.as_ref(),
        Shape::Name,
        false,
    );
    let personal = e.nature == Some(super::Nature::Individual);
    check(
        &mut out,
        "/entity/cert_number".into(),
        e.cert_number.as_ref(),
        Shape::Code,
        personal,
    );
    check(
        &mut out,
        "/entity/icp_number".into(),
        e.icp_number.as_ref(),
        Shape::Code,
        false,
    );
    for p in e.legal_rep.iter().chain(e.principal.iter()) {
        person(&mut out, p);
    }
    for s in app.services() {
        check(&mut out, s.path("name"), s.name.as_ref(), Shape::Name, false);
        check(
            &mut out,
            s.path("icp_number"),
            s.icp_number.as_ref(),
            Shape::Code,
            false,
        );
        for d in &s.domains {
            check(
                &mut out,
                format!("{}/name", d.ptr),
                d.name.as_ref(),
                Shape::Code,
                false,
            );
        }
        if let Some(p) = &s.principal {
            person(&mut out, p);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_what_changed() {
        assert!(describe("13904112345", Shape::Code).is_none());
        assert!(describe("沈阳示例科技有限公司", Shape::Name).is_none());
        assert_eq!(
            describe("１３９０４１１２３４５", Shape::Code).unwrap().en,
            "full-width characters"
        );
        assert_eq!(
            describe("139 0411 2345", Shape::Code).unwrap().en,
            "spaces inside"
        );
        assert_eq!(
            describe("张\u{200B}三", Shape::Name).unwrap().en,
            "invisible zero-width characters"
        );
        assert!(describe("示例 科技", Shape::Name).is_none());
        // Full-width brackets in a name are as the certificate writes them; full-width letters are not.
        assert!(describe("沈阳示例科技（深圳）有限公司", Shape::Name).is_none());
        assert_eq!(
            describe("示例ＡＢＣ科技", Shape::Name).unwrap().en,
            "full-width characters"
        );
        assert_eq!(nfkc("13904\u{200B}112345"), "13904112345");
    }
}
