//! Deserialisers for parameter values that name model enumerations.

use serde::{Deserialize, Deserializer, de::Error};

use crate::model::{CertType, Nature};

pub(super) fn cert_types<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<CertType>, D::Error> {
    let raw = Vec::<String>::deserialize(d)?;
    raw.iter()
        .map(|s| {
            CertType::ALL
                .iter()
                .copied()
                .find(|t| t.id() == s)
                .ok_or_else(|| D::Error::custom(format!("unknown certificate type `{s}`")))
        })
        .collect()
}

/// `all`, `units`, or a list of nature ids.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum NatureSet {
    #[default]
    All,
    Units,
    List(Vec<Nature>),
}

impl NatureSet {
    pub fn contains(&self, n: Nature) -> bool {
        match self {
            NatureSet::All => true,
            NatureSet::Units => n.is_unit(),
            NatureSet::List(l) => l.contains(&n),
        }
    }
}

impl<'de> Deserialize<'de> for NatureSet {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<NatureSet, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Word(String),
            List(Vec<String>),
        }
        match Raw::deserialize(d)? {
            Raw::Word(w) if w == "all" => Ok(NatureSet::All),
            Raw::Word(w) if w == "units" => Ok(NatureSet::Units),
            Raw::Word(w) => Err(D::Error::custom(format!(
                "`{w}` is not `all`, `units` or a list of natures"
            ))),
            Raw::List(l) => l
                .iter()
                .map(|s| {
                    Nature::ALL
                        .iter()
                        .copied()
                        .find(|n| n.id() == s)
                        .ok_or_else(|| D::Error::custom(format!("unknown nature `{s}`")))
                })
                .collect::<Result<_, _>>()
                .map(NatureSet::List),
        }
    }
}
