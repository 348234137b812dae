//! `resample`: a full-size stand-in for a BETH split, made by drawing real rows with
//! replacement, for scale tests and benchmarks. The output is a copy of real rows, never
//! synthetic values; name it as resampled wherever it is used.

use super::args::Args;
use super::data::display_name;
use cyber_attack_detector::ingest::{EventReader, Labels, Schema};
use cyber_attack_detector::rng::Rng;
use std::fs::File;
use std::path::Path;

pub(crate) fn run(args: &Args) -> Result<(), String> {
    let input = Path::new(args.required("input")?);
    let out = Path::new(args.required("out")?);
    let rows: usize = args.number("rows", 0)?;
    let mut rng = Rng::new(args.number("seed", 7)?);
    let file = File::open(input).map_err(|e| format!("{}: {e}", input.display()))?;
    let schema = Schema {
        fields: Vec::new(),
        labels: Labels::Optional,
        host_namespace: false,
    };
    let mut reader =
        EventReader::new(file, &display_name(input), &schema).map_err(|e| e.to_string())?;
    let mut raw = Vec::new();
    let mut events = reader.empty_events();
    while reader
        .read_chunk(1 << 16, &mut events, Some(&mut raw))
        .map_err(|e| e.to_string())?
        > 0
    {}
    if raw.is_empty() {
        return Err(format!("{}: no rows to resample", display_name(input)));
    }
    let mut writer = csv::Writer::from_path(out).map_err(|e| format!("{}: {e}", out.display()))?;
    writer
        .write_byte_record(reader.headers())
        .map_err(|e| e.to_string())?;
    for _ in 0..rows {
        writer
            .write_byte_record(&raw[rng.below(raw.len())])
            .map_err(|e| e.to_string())?;
    }
    writer.flush().map_err(|e| e.to_string())?;
    eprintln!(
        "wrote {rows} rows resampled from the {} real rows of {} to {}",
        raw.len(),
        display_name(input),
        out.display()
    );
    Ok(())
}
