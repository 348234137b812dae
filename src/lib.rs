//! cyber-attack-detector: a threat detector for Linux kernel process events (the BETH dataset).
//!
//! Data flows one way through plain modules that know nothing of the browser:
//! bytes → [`ingest`] (records) → [`features`] (matrix) → [`model`] (scores) → [`alerts`]
//! (grouped per process) → [`metrics`] → [`charts`]. Nothing here knows of the browser: the thin faces live in their own crates,
//! `crates/web` (the wasm-bindgen face the page loads) and `crates/cli` (the native CLI).
//!
//! # Scoring events
//!
//! A model file carries everything scoring needs: the feature spec (which columns to read and
//! how to turn them into inputs), the network's weights and the decision threshold. Here the
//! shipped model scores two events given as CSV bytes; columns are found by name, in any order,
//! and columns the model does not read are skipped.
//!
//! ```
//! use cyber_attack_detector::ingest::{read_events, Labels};
//! use cyber_attack_detector::model::Model;
//!
//! let model = Model::from_json(include_str!("../data/model.json"))?;
//!
//! // A system process (pid 1, parent 0, root) and a user's process (uid 1001) whose call
//! // failed: the shipped model's binarised features see "inside" and "outside the OS".
//! let csv = "hostName,processId,parentProcessId,userId,argsNum,returnValue\n\
//!            host-a,1,0,0,1,0\n\
//!            host-a,7337,4221,1001,3,-2\n";
//! let events = read_events(csv.as_bytes(), "example.csv", &model.schema(Labels::Optional))?;
//! assert_eq!(events.len(), 2);
//!
//! let scores = model.score(&events).expect("the events have every column the model reads");
//! for score in &scores {
//!     assert!((0.0..=1.0).contains(score));
//!     let verdict = if model.is_suspicious(*score) { "suspicious" } else { "benign" };
//!     println!("{score:.3} against {}: {verdict}", model.threshold);
//! }
//! assert!(!model.is_suspicious(scores[0]));
//! assert!(model.is_suspicious(scores[1]));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Reading a large file in chunks
//!
//! [`ingest::read_events`] holds the whole file in memory. [`ingest::EventReader`] resolves the
//! header once and then reads rows in chunks, so a file of any size is scored in bounded memory
//! (gzip input is detected by its magic bytes either way):
//!
//! ```
//! use cyber_attack_detector::ingest::{EventReader, Labels};
//! use cyber_attack_detector::model::{Model, Scorer};
//!
//! let model = Model::from_json(include_str!("../data/model.json"))?;
//! let file = include_bytes!("../data/sample.csv");
//! let mut reader = EventReader::new(&file[..], "sample.csv", &model.schema(Labels::Required))?;
//! let (mut scorer, mut scores) = (Scorer::default(), Vec::new());
//! let (mut rows, mut flagged, mut attacks) = (0, 0, 0);
//! loop {
//!     let mut events = reader.empty_events();
//!     if reader.read_chunk(100, &mut events, None)? == 0 {
//!         break;
//!     }
//!     scores.clear();
//!     model.score_into(&events, &mut scorer, &mut scores).expect("every column is there");
//!     rows += events.len();
//!     flagged += scores.iter().filter(|&&s| model.is_suspicious(s)).count();
//!     attacks += events.class_counts().1;
//! }
//! // data/sample.csv holds 400 rows, 331 of them labelled suspicious.
//! assert_eq!((rows, attacks), (400, 331));
//! println!("{flagged} of {rows} rows flagged");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

// Every public item has a doc comment: `make clippy` (-D warnings) turns this into a gate.
#![warn(missing_docs)]

pub mod alerts;
pub mod charts;
pub mod evaluation;
pub mod export;
pub mod features;
pub mod ingest;
pub mod metrics;
pub mod model;
pub mod rng;
pub mod scored;
pub mod verdicts;
