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

    /// Counts the flagged events of one chunk: `events` and their `scores` by `model`, the model
    /// this count was made for. Features are worked out only for chunks with a flag. Errs with
    /// the first field the events lack.
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
                self.unprecedented += u64::from(known.said(&self.row).rows == 0);
            }
        }
        Ok(())
    }

    /// The count, when something was flagged and the model keeps its training inputs.
    pub fn finish(&self) -> Option<Extrapolated> {
        let known = self.known.as_ref().filter(|_| self.flagged > 0);
        known.map(|known| Extrapolated {
            flagged: self.flagged,
            unprecedented: self.unprecedented,
            rows_not_kept: known.rows_not_kept,
        })
    }
}

impl fmt::Display for Extrapolated {
    /// E.g. "of the 5 flagged events, 4 had inputs no training event had exactly: their scores
    /// are the model extrapolating".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Extrapolated {
            flagged,
            unprecedented,
            rows_not_kept,
        } = *self;
        let which = match (flagged, unprecedented) {
            (1, _) => "the one flagged event".to_string(),
            (_, 0) => format!("all {flagged} flagged events"),
            _ => format!("of the {flagged} flagged events, {unprecedented}"),
        };
        if unprecedented == 0 {
            return write!(f, "{which} had inputs some training events had");
        }
        write!(f, "{which} had inputs no training event had exactly")?;
        if rows_not_kept > 0 {
            write!(
                f,
                " among those the model file keeps (it leaves out the rarer inputs of \
                 {rows_not_kept} training events)"
            )?;
        }
        let scores = if flagged == 1 {
            "its score is"
        } else {
            "their scores are"
        };
        write!(f, ": {scores} the model extrapolating")
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

    /// The shipped sample, as `model` reads it.
    fn sample(model: &Model) -> Events {
        read_events(
            &include_bytes!("../../data/sample.csv")[..],
            "sample.csv",
            &model.schema(Labels::Optional),
        )
        .expect("the sample")
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
            "of the 2 flagged events, 1 had inputs no training event had exactly: their scores \
             are the model extrapolating"
        );
    }

    #[test]
    fn the_note_reads_for_one_flag_for_none_and_for_inputs_left_out() {
        let said = |flagged, unprecedented, rows_not_kept| {
            Extrapolated {
                flagged,
                unprecedented,
                rows_not_kept,
            }
            .to_string()
        };
        assert_eq!(
            said(1, 1, 0),
            "the one flagged event had inputs no training event had exactly: its score is the \
             model extrapolating"
        );
        assert_eq!(
            said(1, 0, 0),
            "the one flagged event had inputs some training events had"
        );
        assert_eq!(
            said(7, 0, 3),
            "all 7 flagged events had inputs some training events had"
        );
        assert_eq!(
            said(7, 2, 3),
            "of the 7 flagged events, 2 had inputs no training event had exactly among those the \
             model file keeps (it leaves out the rarer inputs of 3 training events): their scores \
             are the model extrapolating"
        );
    }

    #[test]
    fn chunks_count_as_one_and_agree_with_the_explanations() {
        let model = shipped();
        let sample = sample(&model);
        let whole = count(&model, &sample, sample.len());
        assert_eq!(whole, count(&model, &sample, 7));
        // The same count by `Precedents::said`, as an explanation asks, row by row.
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
    fn nothing_is_said_without_precedents_or_flags() {
        let mut model = shipped();
        model.training.precedents = None;
        let sample = sample(&model);
        assert_eq!(count(&model, &sample, 100), None);
        // Nor does the shipped model on rows it does not flag (init).
        let model = shipped();
        let init = read_events(
            "processId,parentProcessId,userId,argsNum,returnValue\n1,0,0,1,0\n".as_bytes(),
            "init.csv",
            &model.schema(Labels::Optional),
        )
        .expect("reads");
        assert_eq!(count(&model, &init, 1), None);
    }
}
