//! Values as a person types them (the page's event form) or as an alert keeps its most
//! suspicious event's (`Alert::max_texts`): one text per field, numbers written out, a text
//! field's own text, read into the values [`FeatureSpec::row`] takes.

use super::FeatureSpec;
use crate::ingest::Field;

impl FeatureSpec {
    /// One value per field of this spec from `texts` (in [`FeatureSpec::fields`] order), a
    /// text field's through its vocabulary ([`FeatureSpec::code`]); errs naming the field and what
    /// was typed, or when there is not one text per field.
    pub fn values_of(&self, texts: &[String]) -> Result<Vec<f64>, String> {
        parse_values(&self.fields(), texts, |field, text| self.code(field, text))
    }
}

/// Parses one typed value per field, a text field's through `code` (its code in the model's
/// vocabulary); the error names the field and what was typed.
fn parse_values(
    fields: &[Field],
    texts: &[String],
    code: impl Fn(Field, &str) -> f64,
) -> Result<Vec<f64>, String> {
    if texts.len() != fields.len() {
        return Err(format!(
            "expected {} values, one per field, found {}",
            fields.len(),
            texts.len()
        ));
    }
    fields
        .iter()
        .zip(texts)
        .map(|(&field, text)| match text.trim().parse::<f64>() {
            _ if field.is_text() => Ok(code(field, text)),
            Ok(v) if v.is_finite() => Ok(v),
            _ => Err(format!(
                "{}: expected a number, found {:?}",
                field.column(),
                text.chars().take(40).collect::<String>()
            )),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parsing_names_the_bad_field() {
        let fields = [Field::ProcessId, Field::UserId];
        let code = |_: Field, text: &str| text.len() as f64;
        let ok = parse_values(&fields, &[" 7 ".into(), "-1e3".into()], code);
        assert_eq!(ok, Ok(vec![7.0, -1000.0]));
        let bad = parse_values(&fields, &["7".into(), "root".into()], code);
        assert_eq!(bad, Err("userId: expected a number, found \"root\"".into()));
        assert!(parse_values(&fields, &["inf".into(), "1".into()], code).is_err());
        assert!(parse_values(&fields, &["1".into()], code).is_err());
        // A text field takes any text, through the model's code: here its length.
        let text = parse_values(
            &[Field::EventName, Field::UserId],
            &["3".into(), "0".into()],
            code,
        );
        assert_eq!(text, Ok(vec![1.0, 0.0]));
    }
}
