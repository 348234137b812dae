//! Text fields as features: a name is split into tokens, and each token the spec's vocabulary
//! knows sets one bit of the name's code. The code is what a text field's value is to
//! [`FeatureSpec::row`](super::FeatureSpec::row), so scoring, explanations and the event form
//! treat text fields as numbers once encoded.
//!
//! The vocabulary is chosen on the training rows by a rule that keeps host-specific names out:
//! a token counts only when rows of at least [`MIN_HOSTS`] distinct hosts hold it, so that a
//! daemon only one machine runs (or a name with a pid in it) is never learnt, and the
//! "no known token" feature stands for every name the model has not seen across machines.

use crate::ingest::{Events, Field};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// A token enters the vocabulary only when rows of this many distinct training hosts hold it.
pub const MIN_HOSTS: usize = 2;

/// The most tokens a vocabulary holds: a code is exact in an f64 up to 2^53.
pub const MAX_TOKENS: usize = 48;

/// The longest token kept, in bytes; longer runs of letters are cut.
pub const MAX_TOKEN_BYTES: usize = 32;

/// The tokens of one text field the model knows: bit `k` of a text's code is set when the text
/// holds `tokens[k]`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Vocabulary {
    /// The text field.
    pub field: Field,
    /// The tokens, lower-case ASCII letters, in bit order.
    pub tokens: Vec<String>,
}

/// Calls `f` with each token of `text` (as bytes, all ASCII letters): its runs of ASCII
/// letters, lower-cased and cut to [`MAX_TOKEN_BYTES`] (`systemd-udevd` gives `systemd` and
/// `udevd`, `terraform_90230` gives `terraform`); anything else separates tokens. Linear in the
/// text, no allocation.
pub fn tokens(text: &str, mut f: impl FnMut(&[u8])) {
    let mut buffer = [0u8; MAX_TOKEN_BYTES];
    let mut len = 0;
    for byte in text.bytes().chain(std::iter::once(b' ')) {
        if byte.is_ascii_alphabetic() {
            if len < MAX_TOKEN_BYTES {
                buffer[len] = byte.to_ascii_lowercase();
            }
            len += 1;
        } else if len > 0 {
            f(&buffer[..len.min(MAX_TOKEN_BYTES)]);
            len = 0;
        }
    }
}

impl Vocabulary {
    /// The code of `text`: bit `k` set when it holds `tokens[k]`; 0 when it holds no known one.
    pub fn code(&self, text: &str) -> f64 {
        let mut code = 0u64;
        tokens(text, |token| {
            if let Some(k) = self.tokens.iter().position(|t| t.as_bytes() == token) {
                code |= 1 << k;
            }
        });
        code as f64
    }

    /// The vocabulary of `field` on `events` by the rule of [`MIN_HOSTS`]: the tokens held on
    /// the most hosts first (then on the most rows, then alphabetically), at most
    /// [`MAX_TOKENS`]. Empty when the events lack the field or hold no host names.
    pub fn fit(field: Field, events: &Events) -> Vocabulary {
        let mut found: HashMap<String, (HashSet<u32>, usize)> = HashMap::new();
        if let (Some(ids), Some(names)) = (events.column(field), events.text_names(field)) {
            // Tokens of each distinct name once; then, per row, its name's tokens.
            let mut name_tokens: Vec<Vec<String>> = Vec::with_capacity(names.len());
            for name in names {
                let mut list: Vec<String> = Vec::new();
                tokens(name, |t| {
                    // Only ASCII letters: each byte is a char.
                    let t: String = t.iter().map(|&b| char::from(b)).collect();
                    if !list.contains(&t) {
                        list.push(t);
                    }
                });
                name_tokens.push(list);
            }
            for (i, &id) in ids.iter().enumerate() {
                let Some(&host) = events.host.get(i) else {
                    break;
                };
                for token in name_tokens.get(id as usize).into_iter().flatten() {
                    let entry = found.entry(token.clone()).or_default();
                    entry.0.insert(host);
                    entry.1 += 1;
                }
            }
        }
        let mut ranked: Vec<(usize, usize, String)> = found
            .into_iter()
            .filter(|(_, (hosts, _))| hosts.len() >= MIN_HOSTS)
            .map(|(token, (hosts, rows))| (hosts.len(), rows, token))
            .collect();
        ranked.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        Vocabulary {
            field,
            tokens: ranked
                .into_iter()
                .take(MAX_TOKENS)
                .map(|(_, _, token)| token)
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        tokens(text, |t| out.push(String::from_utf8_lossy(t).into_owned()));
        out
    }

    #[test]
    fn names_split_on_everything_but_letters() {
        assert_eq!(all("systemd-udevd"), ["systemd", "udevd"]);
        assert_eq!(all("terraform_90230"), ["terraform"]);
        assert_eq!(all("(sd-executor)"), ["sd", "executor"]);
        assert_eq!(all("30-systemd-envi"), ["systemd", "envi"]);
        assert_eq!(all("sched_process_exit"), ["sched", "process", "exit"]);
        assert_eq!(all("Thread-Pool-10"), ["thread", "pool"]);
        assert_eq!(all("écrire2x"), ["crire", "x"]);
        assert!(all("12-34 _").is_empty());
        assert_eq!(all(&"a".repeat(40)), ["a".repeat(MAX_TOKEN_BYTES)]);
    }

    #[test]
    fn codes_set_one_bit_per_known_token() {
        let v = Vocabulary {
            field: Field::ProcessName,
            tokens: vec!["sshd".into(), "systemd".into(), "sh".into()],
        };
        assert_eq!(v.code("systemd-resolve"), 2.0);
        assert_eq!(v.code("sshd"), 1.0);
        assert_eq!(v.code("sh-sshd"), 5.0);
        assert_eq!(v.code("tsm"), 0.0);
        assert_eq!(v.code(""), 0.0);
    }
}

#[cfg(test)]
mod fit_tests {
    use super::*;
    use crate::features::{FeatureSet, FeatureSpec, Transform};
    use crate::ingest::{read_events, Events, Labels, Schema};

    const CSV: &str =
        "processId,parentProcessId,userId,argsNum,returnValue,processName,eventName,hostName,sus
1,0,0,1,0,systemd-resolve,close,a,0
400,1,0,1,0,systemd-udevd,close,b,0
500,1,0,1,0,sshd,openat,a,0
501,1,0,1,0,sshd,close,b,0
7000,6000,1001,1,0,tsm,connect,b,1
7001,6000,0,1,0,run-parts,openat,b,1
";

    fn events() -> Events {
        let schema = Schema {
            fields: FeatureSpec::fields_of(FeatureSet::Names),
            labels: Labels::Required,
            host_namespace: false,
        };
        read_events(CSV.as_bytes(), "t.csv", &schema).expect("reads")
    }

    /// Tokens on two hosts are learnt (systemd: a and b; sshd; close: 3 rows; openat: 2), those of one
    /// host not (udevd, resolve, tsm, run, parts, connect); ties by rows, then alphabetically.
    #[test]
    fn the_vocabulary_keeps_tokens_of_two_hosts() {
        let events = events();
        let names = Vocabulary::fit(Field::ProcessName, &events);
        assert_eq!(names.tokens, ["sshd", "systemd"]);
        let calls = Vocabulary::fit(Field::EventName, &events);
        assert_eq!(calls.tokens, ["close", "openat"]);
        let mut one_host = events.clone();
        one_host.host.iter_mut().for_each(|h| *h = 0);
        assert!(Vocabulary::fit(Field::ProcessName, &one_host)
            .tokens
            .is_empty());
    }

    #[test]
    fn names_features_flag_tokens_and_the_unseen() {
        let events = events();
        let spec = FeatureSpec::fit(FeatureSet::Names, &events);
        let names: Vec<&str> = spec.features[6..].iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "processName has \"sshd\"",
                "processName has \"systemd\"",
                "processName has no known token",
                "eventName has \"close\"",
                "eventName has \"openat\"",
                "eventName has no known token",
            ]
        );
        assert_eq!(
            spec.features[7].transform,
            Transform::HasToken {
                field: Field::ProcessName,
                bit: 1
            }
        );
        assert!(spec.features[8].monotone && !spec.features[7].monotone);
        let m = spec.matrix(&events).expect("fields");
        let text = |r: usize| m.row(r).iter().skip(6).copied().collect::<Vec<f32>>();
        assert_eq!(text(0), [0.0, 1.0, 0.0, 1.0, 0.0, 0.0]);
        assert_eq!(text(2), [1.0, 0.0, 0.0, 0.0, 1.0, 0.0]);
        assert_eq!(text(4), [0.0, 0.0, 1.0, 0.0, 0.0, 1.0]);
        assert_eq!(text(5), [0.0, 0.0, 1.0, 0.0, 1.0, 0.0]);
        // Baselines are the training means: "systemd" on 2 of 6 rows.
        assert!((spec.features[7].baseline - 1.0 / 3.0).abs() < 1e-6);
        // The same features from typed text, through the codes.
        let fields = spec.fields();
        let mut values: Vec<f64> = vec![1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0];
        let text_at = |f: Field| fields.iter().position(|&g| g == f).expect("read");
        values[text_at(Field::ProcessName)] = spec.code(Field::ProcessName, "systemd-resolve");
        values[text_at(Field::EventName)] = spec.code(Field::EventName, "close");
        let mut row = vec![0.0; spec.len()];
        spec.row(&values, &mut row);
        assert_eq!(row[6..], text(0)[..]);
        // The spec round-trips through JSON, vocabularies included.
        let json = serde_json::to_string(&spec).expect("json");
        assert_eq!(
            serde_json::from_str::<FeatureSpec>(&json).expect("parses"),
            spec
        );
    }

    /// Merging files maps each file's indices into one list of texts.
    #[test]
    fn extend_merges_the_texts() {
        let events = events();
        let mut merged = events.select(&[4, 0]);
        merged.extend(&events.select(&[2, 4]));
        let names: Vec<&str> = (0..4)
            .map(|i| merged.text(Field::ProcessName, i).expect("a name"))
            .collect();
        assert_eq!(names, ["tsm", "systemd-resolve", "sshd", "tsm"]);
        assert_eq!(merged.text(Field::EventName, 3), Some("connect"));
    }
}
