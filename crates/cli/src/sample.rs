//! `sample`: a small stratified sample of a BETH directory's labelled 16-column files, for `data/`.
//!
//! Two streaming passes keep memory bounded on the full splits: the first counts rows per
//! (file, class) stratum, the second copies the rows chosen in advance.

use super::args::Args;
use super::data::{display_name, Splits};
use cyber_attack_detector::ingest::{EventReader, Field, Labels, Schema};
use cyber_attack_detector::rng::Rng;
use std::fs::File;
use std::path::{Path, PathBuf};

fn reader(path: &Path) -> Result<EventReader<'static>, String> {
    let file = File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let schema = Schema {
        fields: Field::ALL.to_vec(),
        labels: Labels::Required,
        host_namespace: false,
    };
    EventReader::new(file, &display_name(path), &schema).map_err(|e| e.to_string())
}

/// Counts of (benign, suspicious) rows of a file.
fn count(path: &Path) -> Result<[usize; 2], String> {
    let mut r = reader(path)?;
    let mut counts = [0usize; 2];
    loop {
        let mut events = r.empty_events();
        if r.read_chunk(1 << 16, &mut events, None)
            .map_err(|e| e.to_string())?
            == 0
        {
            return Ok(counts);
        }
        for &s in events.sus.iter().flatten() {
            counts[usize::from(s == 1)] += 1;
        }
    }
}

/// Rows per stratum: proportional to its size, but every non-empty stratum gets at least
/// `floor` rows (or all it has), so rare classes are represented.
fn quotas(sizes: &[usize], rows: usize) -> Vec<usize> {
    let total: usize = sizes.iter().sum();
    let floor = (rows / (2 * sizes.len().max(1))).max(1);
    let mut q: Vec<usize> = sizes
        .iter()
        .map(|&s| (s * rows / total.max(1)).max(floor.min(s)).min(s))
        .collect();
    // Trim the largest strata until the total fits.
    while q.iter().sum::<usize>() > rows {
        if let Some(k) = (0..q.len()).max_by_key(|&k| q[k]) {
            q[k] -= 1;
        }
    }
    q
}

pub(crate) fn run(args: &Args) -> Result<(), String> {
    let splits = Splits::locate(Path::new(args.required("data")?))?;
    let out = PathBuf::from(args.required("out")?);
    let rows: usize = args.number("rows", 0)?;
    if rows == 0 {
        return Err("--rows must be at least 1".into());
    }
    let mut rng = Rng::new(args.number("seed", 7)?);
    let files: Vec<PathBuf> = [&splits.train, &splits.validation, &splits.test]
        .into_iter()
        .flatten()
        .cloned()
        .collect();

    let counts = files
        .iter()
        .map(|f| count(f))
        .collect::<Result<Vec<_>, _>>()?;
    let sizes: Vec<usize> = counts.iter().flat_map(|c| c.iter().copied()).collect();
    let quota = quotas(&sizes, rows);

    let mut writer = csv::Writer::from_path(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let mut header_written: Option<csv::ByteRecord> = None;
    let mut written = 0;
    for (f, path) in files.iter().enumerate() {
        // Pick the row numbers of each class in advance, then copy them in file order.
        let mut chosen: [Vec<bool>; 2] = [0, 1].map(|c| {
            let (size, take) = (counts[f][c], quota[2 * f + c]);
            let mut order: Vec<usize> = (0..size).collect();
            rng.shuffle(&mut order);
            let mut keep = vec![false; size];
            order.iter().take(take).for_each(|&i| keep[i] = true);
            keep
        });
        let mut r = reader(path)?;
        match &header_written {
            None => {
                writer
                    .write_byte_record(r.headers())
                    .map_err(|e| e.to_string())?;
                header_written = Some(r.headers().clone());
            }
            Some(h) if h != r.headers() => {
                return Err(format!(
                    "{}: its columns differ from the other files'",
                    display_name(path)
                ));
            }
            Some(_) => {}
        }
        let mut seen = [0usize; 2];
        let mut raw = Vec::new();
        loop {
            let mut events = r.empty_events();
            raw.clear();
            if r.read_chunk(1 << 14, &mut events, Some(&mut raw))
                .map_err(|e| e.to_string())?
                == 0
            {
                break;
            }
            for (record, &s) in raw.iter().zip(events.sus.iter().flatten()) {
                let c = usize::from(s == 1);
                if std::mem::take(&mut chosen[c][seen[c]]) {
                    writer
                        .write_byte_record(record)
                        .map_err(|e| e.to_string())?;
                    written += 1;
                }
                seen[c] += 1;
            }
        }
    }
    writer.flush().map_err(|e| e.to_string())?;
    eprintln!("wrote {written} rows to {}", out.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::quotas;

    #[test]
    fn quotas_are_proportional_with_a_floor() {
        // 1000 benign and 10 suspicious, 100 rows: the rare class keeps a floor of 10 (all it has)…
        assert_eq!(quotas(&[1000, 10], 100), vec![90, 10]);
        // …and proportional shares otherwise.
        assert_eq!(quotas(&[300, 100], 40), vec![30, 10]);
        assert_eq!(quotas(&[0, 50], 10), vec![0, 10]);
    }
}
