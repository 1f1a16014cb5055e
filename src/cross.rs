//! Checking many files at once: cross-file checks (national.batch.*) from an index built in one pass (no
//! pairwise loops), parallel checking on all cores with results in input order.

use std::collections::HashMap;

use crate::input::{self, Limits, Node, node::locate};
use crate::outcome::Outcome;
use crate::text::{Text, id_key, phone_key};

pub(crate) const PRINCIPAL: &str = "national.batch.principal-shared";
pub(crate) const MOBILE: &str = "national.batch.mobile-shared";
pub(crate) const DOMAIN: &str = "national.batch.domain-shared";
pub(crate) const ENTITY: &str = "national.batch.entity-repeated";

/// Places listed in `related`, and files named in the message, for one shared key.
const MAX_RELATED: usize = 25;
const MAX_NAMED: usize = 3;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum KeyKind {
    Principal,
    Mobile,
    Domain,
    Entity,
}

impl KeyKind {
    fn rule(self) -> &'static str {
        match self {
            KeyKind::Principal => PRINCIPAL,
            KeyKind::Mobile => MOBILE,
            KeyKind::Domain => DOMAIN,
            KeyKind::Entity => ENTITY,
        }
    }
}

/// A place in some file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Place {
    pub file: usize,
    pub path: String,
    pub line: usize,
    pub column: usize,
}

#[derive(Clone, Debug)]
struct Entry {
    kind: KeyKind,
    key: String,
    place: Place,
}

/// What one file contributes to the index: its entity and the keys other files are compared on.
#[derive(Clone, Debug, Default)]
pub(crate) struct Keys {
    entity: Option<String>,
    entries: Vec<Entry>,
}

/// Extracts the cross-file keys of one file (`None` when it does not parse; its error is reported by the check).
/// Reads the positioned tree directly: building the whole typed model here would double the parse cost of a batch.
pub(crate) fn keys(file: usize, bytes: &[u8], limits: &Limits) -> Option<Keys> {
    let doc = input::load(bytes, limits).ok()?;
    if !crate::model::is_application(&doc) {
        return None;
    }
    let root = &doc.root;
    fn text(n: Option<&Node>) -> Option<&str> {
        n.and_then(Node::scalar).map(|s| s.text.as_str())
    }
    if text(root.get("version")).is_some_and(|v| v.trim() != "1") {
        return None;
    }
    let place = |path: String| {
        let s = locate(root, &path);
        Place {
            file,
            path,
            line: s.line,
            column: s.column,
        }
    };
    let entity_node = root.get("entity");
    let entity = text(entity_node.and_then(|e| e.get("cert_number")))
        .map(id_key)
        .filter(|k| !k.is_empty());
    let mut entries = Vec::new();
    if let Some(e) = &entity {
        entries.push(Entry {
            kind: KeyKind::Entity,
            key: e.clone(),
            place: place("/entity/cert_number".into()),
        });
    }
    // Principals in the order the model lists them: the entity's, then each website's and APP's.
    let mut persons: Vec<(String, &Node)> = Vec::new();
    if let Some(p) = entity_node.and_then(|e| e.get("principal")) {
        persons.push(("/entity/principal".into(), p));
    }
    let services = |key: &'static str| {
        root.get(key)
            .and_then(Node::items)
            .unwrap_or_default()
            .iter()
            .enumerate()
            .map(move |(i, s)| (format!("/{key}/{i}"), s))
    };
    for (ptr, s) in services("websites").chain(services("apps")) {
        if let Some(p) = s.get("principal") {
            persons.push((format!("{ptr}/principal"), p));
        }
    }
    for (ptr, p) in &persons {
        if let Some(n) = text(p.get("cert_number")).map(id_key).filter(|k| !k.is_empty()) {
            entries.push(Entry {
                kind: KeyKind::Principal,
                key: n,
                place: place(format!("{ptr}/cert_number")),
            });
        }
        if let Some(m) = text(p.get("mobile")).map(phone_key).filter(|k| !k.is_empty()) {
            entries.push(Entry {
                kind: KeyKind::Mobile,
                key: m,
                place: place(format!("{ptr}/mobile")),
            });
        }
    }
    for (ptr, s) in services("websites").chain(services("apps")) {
        for (j, d) in s
            .get("domains")
            .and_then(Node::items)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            // A domain is written as a mapping with `name`, or as a bare string.
            let name = text(d.get("name")).or_else(|| text(Some(d)));
            if let Some(parsed) = name.and_then(|n| crate::ids::domain::parse(n).ok()) {
                let key = parsed.registrable.unwrap_or(parsed.ascii);
                let at = if d.get("name").is_some() {
                    format!("{ptr}/domains/{j}/name")
                } else {
                    format!("{ptr}/domains/{j}")
                };
                entries.push(Entry {
                    kind: KeyKind::Domain,
                    key,
                    place: place(at),
                });
            }
        }
    }
    Some(Keys { entity, entries })
}

/// Where a key occurs: (file, entry index in that file's keys); the entity and place are read from there, so the
/// index holds each string once.
type Occurrences = Vec<(u32, u32)>;

/// The index over every file of a run.
#[derive(Debug, Default)]
pub(crate) struct CrossIndex {
    map: HashMap<(KeyKind, String), Occurrences>,
    names: Vec<String>,
    keys: Vec<Option<Keys>>,
}

impl CrossIndex {
    pub(crate) fn build(names: Vec<String>, keys: Vec<Option<Keys>>) -> CrossIndex {
        let mut map: HashMap<(KeyKind, String), Occurrences> = HashMap::new();
        for (f, k) in keys.iter().enumerate() {
            let Some(k) = k else { continue };
            for (i, e) in k.entries.iter().enumerate() {
                let (Ok(f), Ok(i)) = (u32::try_from(f), u32::try_from(i)) else {
                    continue;
                };
                map.entry((e.kind, e.key.clone())).or_default().push((f, i));
            }
        }
        CrossIndex { map, names, keys }
    }

    pub(crate) fn name(&self, file: usize) -> &str {
        self.names.get(file).map_or("", String::as_str)
    }

    /// The cross-file outcomes of one file: a `warn` (violated) for each key another entity shares, and a pass per
    /// rule otherwise. Linear in the number of shared keys.
    pub(crate) fn outcomes(&self, file: usize) -> Vec<(&'static str, Outcome, Vec<Place>)> {
        let Some(Some(mine)) = self.keys.get(file) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut hit = [false; 4];
        for e in &mine.entries {
            let Some(all) = self.map.get(&(e.kind, e.key.clone())) else {
                continue;
            };
            let resolve = |&(f, i): &(u32, u32)| {
                let k = self.keys.get(f as usize)?.as_ref()?;
                Some((&k.entity, &k.entries.get(i as usize)?.place))
            };
            let conflicting = |(entity, place): &(&Option<String>, &Place)| {
                place.file != file
                    && match e.kind {
                        // The same entity twice is the conflict; for the other keys, a different entity is.
                        KeyKind::Entity => true,
                        _ => entity.is_none() || **entity != mine.entity,
                    }
            };
            // A key shared by hundreds of files would make the report quadratic: list the first places only.
            let total = all.iter().filter_map(resolve).filter(conflicting).count();
            if total == 0 {
                continue;
            }
            let others: Vec<Place> = all
                .iter()
                .filter_map(resolve)
                .filter(conflicting)
                .take(MAX_RELATED)
                .map(|(_, p)| p.clone())
                .collect();
            let mut files: Vec<&str> = others.iter().map(|p| self.name(p.file)).collect();
            files.dedup();
            files.truncate(MAX_NAMED);
            let more = total.saturating_sub(files.len());
            let found = if more == 0 {
                Text::same(files.join(", "))
            } else {
                Text::new(
                    format!("{} 等另外 {more} 处", files.join(", ")),
                    format!("{} and {more} more", files.join(", ")),
                )
            };
            let mut o = Outcome::violated(e.place.path.clone()).var("found", found);
            o = match e.kind {
                KeyKind::Principal => o.pii("value", crate::outcome::Pii::Number, &e.key),
                KeyKind::Mobile => o.pii("value", crate::outcome::Pii::Number, &e.key),
                KeyKind::Domain | KeyKind::Entity => o.var("value", e.key.clone()),
            };
            let idx = e.kind as usize;
            if let Some(h) = hit.get_mut(idx) {
                *h = true;
            }
            out.push((e.kind.rule(), o, others));
        }
        for (kind, path) in [
            (KeyKind::Principal, "/entity/principal"),
            (KeyKind::Mobile, "/entity/principal"),
            (KeyKind::Domain, "/websites"),
            (KeyKind::Entity, "/entity/cert_number"),
        ] {
            if !hit.get(kind as usize).copied().unwrap_or(false) {
                out.push((kind.rule(), Outcome::pass(path), Vec::new()));
            }
        }
        out
    }
}
