//! docs/HOSTILE.md's `absurd-train.csv`, shared by the tests that train on it: the CLI's
//! (`crates/cli/tests/hostile/classes.rs`) and the page's (`crates/web/tests/wasm_hostile.rs`).

const SAMPLE: &str = include_str!("../../data/sample.csv");

/// `data/sample.csv` with argsNum 1e308 in its first two rows.
pub(crate) fn absurd_train() -> Vec<u8> {
    let mut reader = csv::Reader::from_reader(SAMPLE.as_bytes());
    let header = reader.headers().expect("a header").clone();
    let args = header.iter().position(|h| h == "argsNum").expect("argsNum");
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&header).expect("in memory");
    for (i, record) in reader.records().enumerate() {
        let mut row: Vec<String> = record.expect("a row").iter().map(str::to_string).collect();
        if i < 2 {
            row[args] = "1e308".into();
        }
        writer.write_record(&row).expect("in memory");
    }
    writer.into_inner().expect("in memory")
}
