//! Arbitrary bytes as Tracee JSON lines: read with every schema and streamed in small chunks,
//! with every check the CSV target makes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = cyber_attack_detector_fuzz::check_tracee(data);
});
