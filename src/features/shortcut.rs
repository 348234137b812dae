//! Shortcuts: inputs that tell training rows apart without saying anything about what a process
//! does, and so do not transfer to a host the model has not seen (the BETH paper's warning).
//! hostName, timestamp and stack addresses cannot even be named as a [`Field`] (reading a
//! model file that names one fails with the reason, see [`Field`]'s `TryFrom<String>`); the
//! raw ids that differ from boot to boot are refused here, except in the reference recipe,
//! kept as it was published as the baseline.

use super::{FeatureSet, FeatureSpec, Transform};
use crate::ingest::Field;

/// Why `spec` uses a shortcut, or `None`: a set other than `reference` may not z-score (or
/// square, or multiply) processId, threadId, parentProcessId or mountNamespace, whose values
/// differ from boot to boot; testing them against fixed values (pid 0–2 are the OS's on every
/// boot) is fine.
pub fn shortcut(spec: &FeatureSpec) -> Option<String> {
    if spec.set == FeatureSet::Reference {
        return None;
    }
    spec.features.iter().find_map(|feature| {
        let raw = match feature.transform {
            Transform::Z { field } | Transform::ZSquare { field } => vec![field],
            Transform::ZProduct { a, b } => vec![a, b],
            _ => return None,
        };
        let id = raw.into_iter().find(|&f| per_boot(f))?;
        Some(format!(
            "feature {:?} reads the raw value of {}, a shortcut: it differs from boot to boot \
             and host to host, so what it learns does not transfer to a new host",
            feature.name.chars().take(80).collect::<String>(),
            id.column()
        ))
    })
}

/// Whether `field` is an id the kernel hands out afresh on every boot.
fn per_boot(field: Field) -> bool {
    matches!(
        field,
        Field::ProcessId | Field::ThreadId | Field::ParentProcessId | Field::MountNamespace
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::Feature;

    fn spec(set: FeatureSet, transform: Transform) -> FeatureSpec {
        FeatureSpec {
            set,
            scaler: Vec::new(),
            features: vec![Feature {
                name: "x".into(),
                transform,
                monotone: false,
                baseline: 0.0,
            }],
            vocabularies: Vec::new(),
        }
    }

    #[test]
    fn raw_ids_are_refused_outside_the_reference_recipe() {
        let z = Transform::Z {
            field: Field::MountNamespace,
        };
        let reason = shortcut(&spec(FeatureSet::Names, z.clone())).expect("refused");
        assert!(reason.contains("mountNamespace, a shortcut"), "{reason}");
        assert_eq!(shortcut(&spec(FeatureSet::Reference, z)), None);
        let product = Transform::ZProduct {
            a: Field::UserId,
            b: Field::ProcessId,
        };
        assert!(shortcut(&spec(FeatureSet::Binarised, product)).is_some());
        let flag = Transform::OutsideSet {
            field: Field::ProcessId,
            values: vec![0.0, 1.0, 2.0],
        };
        assert_eq!(shortcut(&spec(FeatureSet::Names, flag)), None);
        let args = Transform::Z {
            field: Field::ArgsNum,
        };
        assert_eq!(shortcut(&spec(FeatureSet::Names, args)), None);
    }

    #[test]
    fn host_name_and_timestamp_cannot_be_named() {
        for (json, reason) in [
            ("\"hostName\"", "names the machine"),
            ("\"timestamp\"", "how long the host had run"),
            ("\"stackAddresses\"", "differ from boot to boot"),
            ("\"pid\"", "unknown field \"pid\""),
        ] {
            let error = serde_json::from_str::<Field>(json)
                .expect_err(json)
                .to_string();
            assert!(error.contains(reason), "{json}: {error}");
        }
        let field: Field = serde_json::from_str("\"processName\"").expect("a field");
        assert_eq!(field, Field::ProcessName);
    }
}
