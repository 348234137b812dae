use crate::model::Detect;
use csv::ByteRecord;
use std::io::{self, Write};

/// How the input's cells are written back.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Cells {
    /// Byte for byte as read: lossless, the default.
    #[default]
    AsRead,
    /// Safe to open in a spreadsheet (OWASP's advice on CSV injection): a cell starting with
    /// `=`, `+`, `-`, `@`, a tab or a carriage return, which a spreadsheet would run as a
    /// formula, gets a leading `'`, unless it is a plain number (`-2` stays `-2`).
    SpreadsheetSafe,
}

impl Cells {
    /// [`Cells::SpreadsheetSafe`] when asked for, else [`Cells::AsRead`].
    pub fn spreadsheet_safe(asked: bool) -> Cells {
        if asked {
            Cells::SpreadsheetSafe
        } else {
            Cells::AsRead
        }
    }

    /// Whether a cell must be guarded: a formula's first character, and not a finite number.
    fn guards(self, cell: &[u8]) -> bool {
        self == Cells::SpreadsheetSafe
            && matches!(
                cell.first(),
                Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
            )
            && !std::str::from_utf8(cell)
                .ok()
                .and_then(|text| text.parse::<f64>().ok())
                .is_some_and(f64::is_finite)
    }
}

/// The scored CSV: every input row and column, in order, then the row's `score` (the shortest
/// text that reads back as the same `f32`) and its `verdict` (1 when the model flags it, else 0).
pub struct ScoredCsv<W: Write> {
    csv: csv::Writer<W>,
    cells: Cells,
    /// A row with guarded cells, reused.
    guarded: ByteRecord,
}

impl<W: Write> ScoredCsv<W> {
    /// Starts a scored CSV on `out`: the input's `header`, then `score` and `verdict`; input
    /// cells (the header's too) are written as `cells` says.
    pub fn new(out: W, header: &ByteRecord, cells: Cells) -> csv::Result<ScoredCsv<W>> {
        let mut scored = ScoredCsv {
            csv: csv::Writer::from_writer(out),
            cells,
            guarded: ByteRecord::new(),
        };
        let mut header = header.clone();
        header.push_field(b"score");
        header.push_field(b"verdict");
        scored.write_record(&header)?;
        Ok(scored)
    }

    /// Writes `record`, its cells guarded when asked and needed.
    fn write_record(&mut self, record: &ByteRecord) -> csv::Result<()> {
        if !record.iter().any(|cell| self.cells.guards(cell)) {
            return self.csv.write_byte_record(record);
        }
        self.guarded.clear();
        for cell in record {
            if self.cells.guards(cell) {
                self.guarded.push_field(&[b"'", cell].concat());
            } else {
                self.guarded.push_field(cell);
            }
        }
        self.csv.write_byte_record(&self.guarded)
    }

    /// Appends each row's score and verdict to its record (`scores[i]` is that of
    /// `records[i]`) and writes it. Returns how many rows the model flags.
    pub fn write(
        &mut self,
        model: &impl Detect,
        records: &mut [ByteRecord],
        scores: &[f32],
    ) -> csv::Result<usize> {
        let mut flagged = 0;
        for (record, &score) in records.iter_mut().zip(scores) {
            let suspicious = model.is_suspicious(score);
            record.push_field(score.to_string().as_bytes());
            record.push_field(if suspicious { b"1" } else { b"0" });
            self.write_record(record)?;
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
    use crate::model::Model;

    #[test]
    fn spreadsheet_safe_cells_guard_formulas_but_not_numbers() {
        let model = Model::from_json(include_str!("../../data/model.json")).expect("loads");
        let header = ByteRecord::from(vec!["=HEADER()", "returnValue"]);
        let scored = |cells| {
            let mut out = ScoredCsv::new(Vec::new(), &header, cells).expect("in memory");
            let mut rows = vec![
                ByteRecord::from(vec!["=cmd|' /C calc'!A0", "-2"]),
                ByteRecord::from(vec!["@SUM(1)", "+1e3"]),
                ByteRecord::from(vec!["-inf", "\tx"]),
                ByteRecord::from(vec!["plain", "0"]),
            ];
            out.write(&model, &mut rows, &[0.1; 4]).expect("in memory");
            String::from_utf8(out.take()).expect("UTF-8")
        };
        assert_eq!(
            scored(Cells::SpreadsheetSafe),
            "'=HEADER(),returnValue,score,verdict\n\
             '=cmd|' /C calc'!A0,-2,0.1,0\n\
             '@SUM(1),+1e3,0.1,0\n\
             '-inf,'\tx,0.1,0\n\
             plain,0,0.1,0\n"
        );
        assert_eq!(
            scored(Cells::AsRead),
            "=HEADER(),returnValue,score,verdict\n\
             =cmd|' /C calc'!A0,-2,0.1,0\n\
             @SUM(1),+1e3,0.1,0\n\
             -inf,\tx,0.1,0\n\
             plain,0,0.1,0\n"
        );
    }

    #[test]
    fn rows_come_out_whole_with_score_and_verdict() {
        let model = Model::from_json(include_str!("../../data/model.json")).expect("loads");
        assert_eq!(model.threshold, 0.308);
        let header = ByteRecord::from(vec!["a", "b"]);
        let mut out = ScoredCsv::new(Vec::new(), &header, Cells::AsRead).expect("in memory");
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
