//! Validation of a model file's text features: vocabularies and the transforms reading them.

use super::file::ModelError;
use crate::features::{FeatureSpec, Transform, MAX_TOKENS, MAX_TOKEN_BYTES};

/// Checks that each vocabulary is of a text field the scaler lists, once, with at most
/// [`MAX_TOKENS`] distinct tokens of 1 to [`MAX_TOKEN_BYTES`] lower-case ASCII letters (what
/// tokenising can give), and that text transforms read text fields, within their vocabulary,
/// and the others numbers.
pub(super) fn validate_vocabularies(spec: &FeatureSpec) -> Result<(), ModelError> {
    let invalid = |m: String| Err(ModelError::Invalid(m));
    let fields = spec.fields();
    for (k, vocabulary) in spec.vocabularies.iter().enumerate() {
        let name = vocabulary.field.column();
        if !vocabulary.field.is_text() || !fields.contains(&vocabulary.field) {
            return invalid(format!(
                "the vocabulary of {name} is not of a text field the scaler lists"
            ));
        }
        if spec.vocabularies[..k]
            .iter()
            .any(|v| v.field == vocabulary.field)
        {
            return invalid(format!("{name} has two vocabularies"));
        }
        if vocabulary.tokens.len() > MAX_TOKENS {
            return invalid(format!(
                "the vocabulary of {name} has {} tokens; at most {MAX_TOKENS}",
                vocabulary.tokens.len()
            ));
        }
        for (t, token) in vocabulary.tokens.iter().enumerate() {
            let letters = token.bytes().all(|b| b.is_ascii_lowercase());
            if token.is_empty() || token.len() > MAX_TOKEN_BYTES || !letters {
                return invalid(format!(
                    "token {t} of {name}'s vocabulary is not 1 to {MAX_TOKEN_BYTES} lower-case ASCII letters"
                ));
            }
            if vocabulary.tokens[..t].contains(token) {
                return invalid(format!("{name}'s vocabulary lists {token:?} twice"));
            }
        }
    }
    for feature in &spec.features {
        let name: String = feature.name.chars().take(80).collect();
        let text = matches!(
            feature.transform,
            Transform::HasToken { .. } | Transform::NoToken { .. }
        );
        let read = feature.transform.fields();
        if let Some(field) = read.iter().find(|f| f.is_text() != text) {
            let expected = if text { "a text field" } else { "a number" };
            return invalid(format!(
                "feature {name:?} reads {} as {expected}",
                field.column()
            ));
        }
        if let Transform::HasToken { field, bit } = feature.transform {
            let tokens = spec
                .vocabularies
                .iter()
                .find(|v| v.field == field)
                .map_or(0, |v| v.tokens.len());
            if bit as usize >= tokens {
                return invalid(format!(
                    "feature {name:?} reads token {bit} of {}'s vocabulary, which has {tokens}",
                    field.column()
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::model::Model;
    use serde_json::{json, Value};

    /// The names-preset fixture, changed by `edit`, loaded: the error's text.
    fn refused(edit: impl FnOnce(&mut Value)) -> String {
        let mut file: Value =
            serde_json::from_str(include_str!("../../tests/fixtures/names_model.json"))
                .expect("json");
        edit(&mut file["features"]);
        match Model::from_json(&file.to_string()) {
            Ok(_) => "loaded".to_string(),
            Err(e) => e.to_string(),
        }
    }

    fn feature(spec: &mut Value, name: &str) -> usize {
        let features = spec["features"].as_array().expect("features");
        features
            .iter()
            .position(|f| f["name"] == name)
            .expect("the feature")
    }

    #[test]
    fn the_fixture_loads() {
        assert_eq!(refused(|_| {}), "loaded");
    }

    #[test]
    fn bad_vocabularies_and_text_transforms_are_refused() {
        type Edit = Box<dyn FnOnce(&mut Value)>;
        let cases: [(&str, Edit); 7] = [
            (
                "reads token 99 of processName's vocabulary, which has",
                Box::new(|s| {
                    let k = feature(s, "processName has \"sshd\"");
                    s["features"][k]["transform"]["bit"] = json!(99);
                }),
            ),
            (
                "is not 1 to 32 lower-case ASCII letters",
                Box::new(|s| s["vocabularies"][0]["tokens"][0] = json!("SSHD")),
            ),
            (
                "lists \"systemd\" twice",
                Box::new(|s| s["vocabularies"][0]["tokens"][1] = json!("systemd")),
            ),
            (
                "reads userId as a text field",
                Box::new(|s| {
                    let k = feature(s, "processName has no known token");
                    s["features"][k]["transform"] = json!({"op": "no_token", "field": "userId"});
                }),
            ),
            (
                "is not of a text field the scaler lists",
                Box::new(|s| s["vocabularies"][0]["field"] = json!("argsNum")),
            ),
            (
                "reads the raw value of processId, a shortcut",
                Box::new(|s| {
                    s["features"][5]["transform"] = json!({"op": "z", "field": "processId"});
                }),
            ),
            (
                "hostName is a shortcut, refused as a feature",
                Box::new(|s| s["vocabularies"][0]["field"] = json!("hostName")),
            ),
        ];
        for (expected, edit) in cases {
            let error = refused(edit);
            assert!(error.contains(expected), "{expected}: {error}");
        }
    }
}
