//! Validation of a model file's text features: vocabularies and the transforms reading them.

use super::file::ModelError;
use crate::features::{FeatureSpec, Transform, MAX_TOKENS, MAX_TOKEN_BYTES};
use crate::ingest::Field;

/// Checks that each vocabulary is of a text field the scaler lists, once, with at most
/// [`MAX_TOKENS`] distinct tokens of 1 to [`MAX_TOKEN_BYTES`] lower-case ASCII letters (what
/// tokenising can give), and that text transforms read text fields, within their vocabulary,
/// and the others numbers.
pub(super) fn validate_vocabularies(spec: &FeatureSpec) -> Result<(), ModelError> {
    let invalid = |m: String| Err(ModelError::Invalid(m));
    let fields = spec.fields();
    for (k, vocabulary) in spec.vocabularies.iter().enumerate() {
        let field = vocabulary.field;
        let tokens = &vocabulary.tokens;
        let good = field.is_text()
            && fields.contains(&field)
            && !spec.vocabularies[..k].iter().any(|v| v.field == field)
            && tokens.len() <= MAX_TOKENS
            && tokens.iter().enumerate().all(|(t, token)| {
                (1..=MAX_TOKEN_BYTES).contains(&token.len())
                    && token.bytes().all(|b| b.is_ascii_lowercase())
                    && !tokens[..t].contains(token)
            });
        if !good {
            return invalid(format!(
                "vocabulary {k} ({}) is not of a text field the scaler lists, once, with at most \
                 {MAX_TOKENS} distinct tokens of 1 to {MAX_TOKEN_BYTES} lower-case ASCII letters",
                field.column()
            ));
        }
    }
    for feature in &spec.features {
        let text = matches!(
            feature.transform,
            Transform::HasToken { .. } | Transform::NoToken { .. }
        );
        let bit = match feature.transform {
            Transform::HasToken { field, bit } => Some((field, bit as usize)),
            _ => None,
        };
        let known = |(field, bit): (Field, usize)| {
            let vocabulary = spec.vocabularies.iter().find(|v| v.field == field);
            vocabulary.is_some_and(|v| bit < v.tokens.len())
        };
        let fields = feature.transform.fields();
        if fields.iter().any(|f| f.is_text() != text) || !bit.is_none_or(known) {
            return invalid(format!(
                "feature {:?} reads text fields as numbers, numbers as text, or a token its \
                 field's vocabulary lacks",
                feature.name.chars().take(80).collect::<String>()
            ));
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
                "\"processName has \\\"sshd\\\"\" reads text fields as numbers, numbers as text, or a token",
                Box::new(|s| {
                    let k = feature(s, "processName has \"sshd\"");
                    s["features"][k]["transform"]["bit"] = json!(99);
                }),
            ),
            (
                "vocabulary 0 (processName) is not of a text field the scaler lists, once",
                Box::new(|s| s["vocabularies"][0]["tokens"][0] = json!("SSHD")),
            ),
            (
                "with at most 48 distinct tokens of 1 to 32 lower-case ASCII letters",
                Box::new(|s| s["vocabularies"][0]["tokens"][1] = json!("systemd")),
            ),
            (
                "\"processName has no known token\" reads text fields as numbers",
                Box::new(|s| {
                    let k = feature(s, "processName has no known token");
                    s["features"][k]["transform"] = json!({"op": "no_token", "field": "userId"});
                }),
            ),
            (
                "vocabulary 0 (argsNum) is not of a text field",
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
