//! Arbitrary bytes (read as UTF-8, invalid sequences replaced) as a model file.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    cyber_attack_detector_fuzz::check_model(&String::from_utf8_lossy(data));
});
