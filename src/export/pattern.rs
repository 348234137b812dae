//! Tokens as RE2 patterns for ONNX's `RegexFullMatch` (opset 20): a text holds a token when
//! the token is one whole run of ASCII letters in it, compared without case, as
//! [`crate::features::tokens`] splits it.

use crate::features::MAX_TOKEN_BYTES;

/// A pattern that fully matches a text holding any of `tokens` (lower-case ASCII letters) as a
/// whole run of letters; one that matches nothing when `tokens` is empty. A token of
/// [`MAX_TOKEN_BYTES`] letters also stands for the longer runs it was cut from. Case is spelt
/// out (`[sS]`) rather than `(?i)`, whose Unicode folding would also match `ſ` and the Kelvin
/// sign.
pub(super) fn any_token(tokens: &[String]) -> String {
    if tokens.is_empty() {
        return "[^\\x00-\\x{10FFFF}]".to_string();
    }
    let alternatives: Vec<String> = tokens
        .iter()
        .map(|token| {
            let mut out: String = token
                .chars()
                .map(|c| format!("[{}{}]", c, c.to_ascii_uppercase()))
                .collect();
            if token.len() >= MAX_TOKEN_BYTES {
                out.push_str("[A-Za-z]*");
            }
            out
        })
        .collect();
    format!(
        "(?s)(|.*[^A-Za-z])({})([^A-Za-z].*|)",
        alternatives.join("|")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_spell_out_case_and_word_edges() {
        assert_eq!(
            any_token(&["sh".into(), "w".into()]),
            "(?s)(|.*[^A-Za-z])([sS][hH]|[wW])([^A-Za-z].*|)"
        );
        assert_eq!(any_token(&[]), "[^\\x00-\\x{10FFFF}]");
        let long = "a".repeat(MAX_TOKEN_BYTES);
        assert!(any_token(&[long]).ends_with("[aA][A-Za-z]*)([^A-Za-z].*|)"));
    }
}
