//! Arbitrary bytes as a CSV file: read with every schema and streamed in small chunks.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = cyber_attack_detector_fuzz::check_csv(data);
});
