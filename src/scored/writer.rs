use crate::model::Model;
use csv::ByteRecord;
use std::io::{self, Write};

/// The scored CSV: every input row and column, in order, then the row's `score` (the shortest
/// text that reads back as the same `f32`) and its `verdict` (1 when the model flags it, else 0).
pub struct ScoredCsv<W: Write> {
    csv: csv::Writer<W>,
}

impl<W: Write> ScoredCsv<W> {
    /// Starts a scored CSV on `out`: the input's `header`, then `score` and `verdict`.
    pub fn new(out: W, header: &ByteRecord) -> csv::Result<ScoredCsv<W>> {
        let mut csv = csv::Writer::from_writer(out);
        let mut header = header.clone();
        header.push_field(b"score");
        header.push_field(b"verdict");
        csv.write_byte_record(&header)?;
        Ok(ScoredCsv { csv })
    }

    /// Appends each row's score and verdict to its record (`scores[i]` is that of
    /// `records[i]`) and writes it. Returns how many rows the model flags.
    pub fn write(
        &mut self,
        model: &Model,
        records: &mut [ByteRecord],
        scores: &[f32],
    ) -> csv::Result<usize> {
        let mut flagged = 0;
        for (record, &score) in records.iter_mut().zip(scores) {
            let suspicious = model.is_suspicious(score);
            record.push_field(score.to_string().as_bytes());
            record.push_field(if suspicious { b"1" } else { b"0" });
            self.csv.write_byte_record(record)?;
            flagged += usize::from(suspicious);
        }
        Ok(flagged)
    }

    /// Writes out what is buffered: a failure (a full disk) is the caller's to report.
    pub fn flush(&mut self) -> io::Result<()> {
        self.csv.flush()
    }
}

impl ScoredCsv<Vec<u8>> {
    /// The bytes written since the last call, for a scored CSV handed out in pieces.
    pub fn take(&mut self) -> Vec<u8> {
        let csv = std::mem::replace(&mut self.csv, csv::Writer::from_writer(Vec::new()));
        // Flushing into memory cannot fail.
        csv.into_inner().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_come_out_whole_with_score_and_verdict() {
        let model = Model::from_json(include_str!("../../data/model.json")).expect("loads");
        assert_eq!(model.threshold, 0.308);
        let header = ByteRecord::from(vec!["a", "b"]);
        let mut out = ScoredCsv::new(Vec::new(), &header).expect("in memory");
        let mut records = vec![
            ByteRecord::from(vec!["1", "x"]),
            ByteRecord::from(vec!["2", "y,z"]),
        ];
        let flagged = out
            .write(&model, &mut records, &[0.1, 0.308])
            .expect("in memory");
        assert_eq!(flagged, 1);
        assert_eq!(
            out.take(),
            b"a,b,score,verdict\n1,x,0.1,0\n2,\"y,z\",0.308,1\n"
        );
        let mut nan = vec![ByteRecord::from(vec!["3", ""])];
        assert_eq!(
            out.write(&model, &mut nan, &[f32::NAN]).expect("in memory"),
            1
        );
        assert_eq!(out.take(), b"3,,NaN,1\n");
        assert_eq!(out.take(), b"");
    }
}
