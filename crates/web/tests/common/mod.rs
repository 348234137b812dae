//! What more than one test file of the web crate needs.

/// The shipped sample.
pub(crate) const SAMPLE: &str = include_str!("../../../../data/sample.csv");

/// The sample without its two label columns (`sus` and `evil`, the last two): a file that is
/// scored, not evaluated.
pub(crate) fn unlabelled_sample() -> Vec<u8> {
    let mut reader = csv::Reader::from_reader(SAMPLE.as_bytes());
    let mut unlabelled = csv::Writer::from_writer(Vec::new());
    let header = reader.byte_headers().expect("a header").clone();
    let keep = header.len() - 2;
    unlabelled
        .write_record(header.iter().take(keep))
        .expect("writes");
    for record in reader.byte_records() {
        unlabelled
            .write_record(record.expect("a row").iter().take(keep))
            .expect("writes");
    }
    unlabelled.into_inner().expect("in memory")
}
