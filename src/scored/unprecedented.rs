//! How many flagged events had inputs no training event had: the flags on a file that are the
//! network extrapolating rather than repeating its training labels. On a host the model never
//! saw, that share says how far its flags can be trusted before any event is opened.

use crate::ingest::{Events, Field};
use crate::model::{Detect, Known, Precedents};
use serde::Serialize;
use std::fmt;

/// Counts, chunk by chunk, the flagged events whose inputs the model's precedents lack.
#[derive(Debug)]
pub struct Unprecedented {
    /// The model's training inputs; none when its file keeps none (then nothing is counted).
    known: Option<Known>,
    /// One row's features (reused).
    row: Vec<f32>,
    flagged: u64,
    unprecedented: u64,
}

/// What [`Unprecedented`] counted over a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Extrapolated {
    /// Events flagged.
    pub flagged: u64,
    /// Of which, events whose inputs no training event kept in the model file had.
    pub unprecedented: u64,
    /// Training events whose inputs the model file left out (see [`crate::model::Precedents`]):
    /// when not 0, some of those flags may have had training events after all.
    pub rows_not_kept: u64,
}

impl Unprecedented {
    /// A count for the flags of `model`.
    pub fn new(model: &impl Detect) -> Unprecedented {
        Unprecedented {
            known: model.precedents().map(Precedents::known),
            row: vec![0.0; model.spec().len()],
            flagged: 0,
            unprecedented: 0,
        }
    }

    /// Counts the flagged events of one chunk: `events` and their `scores`. Features are worked
    /// out only for chunks with a flag. Errs with the first field the events lack.
    pub fn add(
        &mut self,
        model: &impl Detect,
        events: &Events,
        scores: &[f32],
    ) -> Result<(), Field> {
        let Some(known) = &mut self.known else {
            return Ok(());
        };
        if !scores.iter().any(|&s| model.is_suspicious(s)) {
            return Ok(());
        }
        let batch = model.spec().batch(events)?;
        for (i, &score) in scores.iter().enumerate() {
            if model.is_suspicious(score) {
                batch.row(i, &mut self.row);
                self.flagged += 1;
                self.unprecedented += u64::from(!known.has(&self.row));
            }
        }
        Ok(())
    }

    /// The count, when the model keeps its training inputs.
    pub fn finish(&self) -> Option<Extrapolated> {
        self.known.as_ref().map(|known| Extrapolated {
            flagged: self.flagged,
            unprecedented: self.unprecedented,
            rows_not_kept: known.rows_not_kept,
        })
    }
}

impl fmt::Display for Extrapolated {
    /// E.g. "of the 5 flagged events, 4 had inputs no training event had: there the model
    /// extrapolates".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Extrapolated {
            flagged,
            unprecedented,
            rows_not_kept,
        } = *self;
        let events = if flagged == 1 { "event" } else { "events" };
        write!(
            f,
            "of the {flagged} flagged {events}, {unprecedented} had inputs no training event had"
        )?;
        if rows_not_kept > 0 {
            write!(
                f,
                " among those the model file keeps (it leaves out the rarer inputs of \
                 {rows_not_kept} training events)"
            )?;
        }
        if unprecedented > 0 {
            f.write_str(": there the model extrapolates")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{read_events, Labels};
    use crate::model::Model;

    fn shipped() -> Model {
        Model::from_json(include_str!("../../data/model.json")).expect("the shipped model")
    }

    /// Counted in chunks of `chunk` rows.
    fn count(model: &Model, events: &Events, chunk: usize) -> Option<Extrapolated> {
        let scores = model.score(events).expect("fields");
        let mut counter = Unprecedented::new(model);
        for start in (0..events.len()).step_by(chunk) {
            let rows: Vec<usize> = (start..events.len().min(start + chunk)).collect();
            let part = events.select(&rows);
            let end = start + rows.len();
            counter
                .add(model, &part, &scores[start..end])
                .expect("fields");
        }
        counter.finish()
    }

    #[test]
    fn counts_the_flags_no_training_input_had() {
        let model = shipped();
        // Flagged: a user's process under a user's parent, as the shipped training had 69
        // times (all suspicious); an OS pid under a non-OS parent, which it never had.
        // Not flagged, so not counted: init.
        let csv = "processId,parentProcessId,userId,argsNum,returnValue\n\
            7548,7534,1001,3,0\n\
            2,4321,1000,4,0\n\
            1,0,0,1,0\n";
        let events =
            read_events(csv.as_bytes(), "t.csv", &model.schema(Labels::Optional)).expect("reads");
        let scores = model.score(&events).expect("fields");
        let flagged: Vec<bool> = scores.iter().map(|&s| model.is_suspicious(s)).collect();
        assert_eq!(flagged, [true, true, false]);
        let said = |i: usize| {
            let mut row = vec![0.0; model.spec.len()];
            model.spec.batch(&events).expect("fields").row(i, &mut row);
            model
                .training
                .precedents
                .as_ref()
                .expect("kept")
                .said(&row)
                .rows
        };
        assert_eq!((said(0) > 0, said(1)), (true, 0));
        let counted = count(&model, &events, 3).expect("the shipped model keeps its inputs");
        assert_eq!(
            counted,
            Extrapolated {
                flagged: 2,
                unprecedented: 1,
                rows_not_kept: 0
            }
        );
        assert_eq!(
            counted.to_string(),
            "of the 2 flagged events, 1 had inputs no training event had: there the model \
             extrapolates"
        );
        let rarer = Extrapolated {
            flagged: 1,
            unprecedented: 0,
            rows_not_kept: 3,
        };
        assert_eq!(
            rarer.to_string(),
            "of the 1 flagged event, 0 had inputs no training event had among those the model \
             file keeps (it leaves out the rarer inputs of 3 training events)"
        );
    }

    #[test]
    fn chunks_count_as_one_and_agree_with_the_explanations() {
        let model = shipped();
        let sample = read_events(
            &include_bytes!("../../data/sample.csv")[..],
            "sample.csv",
            &model.schema(Labels::Optional),
        )
        .expect("the sample");
        let whole = count(&model, &sample, sample.len());
        assert_eq!(whole, count(&model, &sample, 7));
        // The same count by `said`, the explanation's linear scan, row by row.
        let scores = model.score(&sample).expect("fields");
        let batch = model.spec.batch(&sample).expect("fields");
        let precedents = model.training.precedents.as_ref().expect("kept");
        let mut row = vec![0.0; model.spec.len()];
        let (mut flagged, mut unprecedented) = (0, 0);
        for (i, &score) in scores.iter().enumerate() {
            if model.is_suspicious(score) {
                batch.row(i, &mut row);
                flagged += 1;
                unprecedented += u64::from(precedents.said(&row).rows == 0);
            }
        }
        let whole = whole.expect("kept");
        assert_eq!(
            (whole.flagged, whole.unprecedented),
            (flagged, unprecedented)
        );
        // The sample's attacks mostly pair the flags with an argsNum or outcome training lacked.
        assert_eq!((flagged, unprecedented), (332, 287));
    }

    #[test]
    fn a_model_without_precedents_counts_nothing() {
        let mut model = shipped();
        model.training.precedents = None;
        let sample = read_events(
            &include_bytes!("../../data/sample.csv")[..],
            "sample.csv",
            &model.schema(Labels::Optional),
        )
        .expect("the sample");
        assert_eq!(count(&model, &sample, 100), None);
    }
}
