//! Gzip input: arbitrary bytes compressed here (valid framing, split into two members at a
//! point the input chooses) must read exactly like the plain bytes; every strict prefix of a
//! gzip file must fail; and arbitrary bytes after the gzip magic (a corrupt stream) must fail
//! or read without panicking.
#![no_main]

use cyber_attack_detector::ingest::{read_events, Field, Labels, Schema};
use cyber_attack_detector_fuzz::{check_read, gzip, SOURCE};
use libfuzzer_sys::fuzz_target;

const MAGIC: [u8; 2] = [0x1f, 0x8b];

fuzz_target!(|data: &[u8]| {
    let schema = Schema {
        fields: Field::ALL.to_vec(),
        labels: Labels::Optional,
        host_namespace: false,
    };
    let plain = read_events(data, SOURCE, &schema);

    let pick = |salt: usize, n: usize| {
        let b = usize::from(data.get(salt % data.len().max(1)).copied().unwrap_or(0));
        (b * (n + 1)) / 256
    };
    let split = pick(0, data.len());
    let mut members = gzip(&data[..split]);
    members.extend_from_slice(&gzip(&data[split..]));
    let via_gzip = check_read(&members, &schema);
    if !data.starts_with(&MAGIC) {
        assert_eq!(via_gzip, plain, "gzip changed the result");
    }

    let whole = gzip(data);
    let cut = pick(1, whole.len() - 1);
    let truncated = check_read(&whole[..cut], &schema);
    assert!(
        truncated.is_err(),
        "a gzip file cut at {cut} of {} read",
        whole.len()
    );

    let mut corrupt = MAGIC.to_vec();
    corrupt.extend_from_slice(data);
    let _ = check_read(&corrupt, &schema);
});
