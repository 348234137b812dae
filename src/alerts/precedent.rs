//! What the training rows said of each alert: the precedents ([`Precedents`]) of its most
//! suspicious event's inputs, as the model that scored the file reads them.

use super::report::AlertReport;
use crate::model::{Detect, Precedents};

impl AlertReport {
    /// Sets each alert's [`precedent`](super::Alert::precedent) from `model`, the one that
    /// scored the file: how many of its training rows had exactly the inputs of the alert's
    /// most suspicious event, and how many of them were labelled suspicious. Nothing is set when
    /// `model` keeps no training inputs (an anomaly model) or for an alert whose values were not
    /// kept (the grouper fed without them). One look-up per alert.
    pub fn add_precedents(&mut self, model: &impl Detect) {
        let Some(mut known) = model.precedents().map(Precedents::known) else {
            return;
        };
        let spec = model.spec();
        let mut features = vec![0.0; spec.len()];
        for alert in &mut self.alerts {
            // Texts, not `max_values`: a text field's value while read is the file's own code.
            if let Ok(values) = spec.values_of(&alert.max_texts) {
                spec.row(&values, &mut features);
                alert.precedent = Some(known.said(&features));
            }
        }
    }
}
