//! What the fuzz targets check: every property a hostile input must not break. Each check
//! panics (which libFuzzer reports as a crash) when a property fails.

pub mod csv_checks;
pub mod model_checks;

pub use csv_checks::{check_csv, check_read, check_tracee, gzip, SOURCE};
pub use model_checks::check_model;
