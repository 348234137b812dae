//! Browser smoke tests: the crate's core, compiled to wasm32, run in headless Chromium.
//!
//! Run with `make test-browser` (`wasm-pack test --headless --chrome`). Natively this file is
//! compiled out, so `cargo test` runs 0 tests from it.
#![cfg(target_arch = "wasm32")]

use cyber_attack_detector::ingest::{read_events, Field, Labels, Schema};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const HEADER: &str =
    "processId,threadId,parentProcessId,userId,mountNamespace,argsNum,returnValue,sus";

fn schema() -> Schema {
    Schema {
        fields: vec![Field::UserId, Field::ArgsNum],
        labels: Labels::Required,
        host_namespace: false,
    }
}

#[wasm_bindgen_test]
fn reads_events_in_the_browser() {
    let csv = format!(
        "{HEADER}\n\
         7347,7347,7341,0,4026531840,5,0,0\n\
         7348,7348,1,1000,4026531840,3,-2,1\n\
         7349,7350,7347,101,4026532231,0,17,0\n"
    );
    let events = read_events(csv.as_bytes(), "smoke.csv", &schema()).expect("valid CSV");

    assert_eq!(events.len(), 3);
    assert_eq!(events.fields, vec![Field::UserId, Field::ArgsNum]);
    assert_eq!(
        events.column(Field::UserId),
        Some(&[0.0, 1000.0, 101.0][..])
    );
    assert_eq!(events.column(Field::ArgsNum), Some(&[5.0, 3.0, 0.0][..]));
    assert_eq!(events.sus, Some(vec![0, 1, 0]));
    assert_eq!(events.class_counts(), (2, 1));
}

#[wasm_bindgen_test]
fn names_line_and_column_of_a_bad_value() {
    let csv = format!(
        "{HEADER}\n\
         7347,7347,7341,0,4026531840,5,0,0\n\
         7348,7348,1,abc,4026531840,3,-2,1\n"
    );
    let error =
        read_events(csv.as_bytes(), "smoke.csv", &schema()).expect_err("userId is not a number");
    let message = error.to_string();

    assert!(message.contains("line 3"), "message: {message}");
    assert!(message.contains("userId"), "message: {message}");
}

/// Trains our recipe on a small CSV string in the browser and checks its metrics on held-out
/// rows: system processes benign, processes of a non-system user or parent suspicious.
#[wasm_bindgen_test]
fn trains_a_tiny_model_and_scores_held_out_rows() {
    use cyber_attack_detector::evaluation::DataSummary;
    use cyber_attack_detector::model::{evaluate, fit, Origin, Recipe};

    // 4 hosts × 20 rows: pid/ppid/uid decide the label, as in BETH.
    let mut csv =
        String::from("processId,parentProcessId,userId,argsNum,returnValue,hostName,sus\n");
    for host in 0..4 {
        for i in 0..20u32 {
            let suspicious = i % 2 == 1;
            let (pid, ppid, uid) = if suspicious {
                (7000 + i, 6900 + i, 1001)
            } else {
                (1 + i % 2, 0, 0)
            };
            csv.push_str(&format!(
                "{pid},{ppid},{uid},{},{},host-{host},{}\n",
                i % 5,
                i as i32 % 3 - 1,
                u8::from(suspicious)
            ));
        }
    }
    let mut recipe = Recipe::preset("default").expect("preset");
    recipe.config.max_steps = 60;
    let schema = Schema {
        fields: recipe.fields(),
        labels: Labels::Required,
        host_namespace: false,
    };
    let events = read_events(csv.as_bytes(), "tiny.csv", &schema).expect("valid CSV");
    let origin = Origin {
        command: "wasm test".into(),
        training_data: vec![],
        in_browser: true,
    };
    let model = fit(&recipe, &events, None, origin, &mut |_| {}).expect("trains");
    assert_eq!(model.training.log.loss.len(), 60);
    assert!(
        model.training.cross_validation.is_some(),
        "threshold chosen by cross-validation"
    );

    let held_out = "processId,parentProcessId,userId,argsNum,returnValue,sus\n1,0,0,2,0,0\n2,0,0,1,-1,0\n7548,7534,1001,3,-115,1\n8001,7999,1000,1,0,1\n";
    let test = read_events(held_out.as_bytes(), "held.csv", &schema).expect("valid CSV");
    let labels = test.sus.clone().expect("labelled");
    let evaluation =
        evaluate(&model, &test, &labels, DataSummary::default()).expect("fields present");
    assert_eq!(evaluation.summary.roc_auc, 1.0);
    assert_eq!(evaluation.summary.rates.accuracy, 1.0);
    assert_eq!(
        evaluation.summary.confusion.tp + evaluation.summary.confusion.tn,
        4
    );
}
