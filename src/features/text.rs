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

/// Calls `f` with each token of `text`: its runs of ASCII letters, lower-cased and cut to
/// [`MAX_TOKEN_BYTES`] (`systemd-udevd` gives `systemd` and `udevd`, `terraform_90230` gives
/// `terraform`); anything else separates tokens. Linear in the text, no allocation.
pub fn tokens(text: &str, mut f: impl FnMut(&str)) {
    let mut buffer = [0u8; MAX_TOKEN_BYTES];
    let mut len = 0;
    let mut inside = false;
    for byte in text.bytes().chain(std::iter::once(b' ')) {
        if byte.is_ascii_alphabetic() {
            inside = true;
            if len < MAX_TOKEN_BYTES {
                buffer[len] = byte.to_ascii_lowercase();
                len += 1;
            }
        } else if inside {
            // Only ASCII letters were stored: always UTF-8.
            if let Ok(token) = std::str::from_utf8(&buffer[..len]) {
                f(token);
            }
            (inside, len) = (false, 0);
        }
    }
}

impl Vocabulary {
    /// The code of `text`: bit `k` set when it holds `tokens[k]`; 0 when it holds no known one.
    pub fn code(&self, text: &str) -> f64 {
        let mut code = 0u64;
        tokens(text, |token| {
            if let Some(k) = self.tokens.iter().position(|t| t == token) {
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
                    if !list.iter().any(|l| l == t) {
                        list.push(t.to_string());
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
        tokens(text, |t| out.push(t.to_string()));
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
