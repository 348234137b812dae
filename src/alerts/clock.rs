//! What an event's time means, and ISO 8601 text for it.
//!
//! BETH's `timestamp` is seconds since the host booted (`1809.495787`); Tracee's JSON output
//! writes nanoseconds since the Unix epoch (`1684688250477166817`). A value of at least 10^17 is
//! taken for nanoseconds since the epoch (10^17 ns is 1973; 10^17 s since boot is not a
//! recording), anything else for seconds since boot. The first row decides the file's clock.

use serde::Serialize;

/// Nanosecond timestamps since the epoch are at least this large.
const EPOCH_NANOS: f64 = 1e17;

/// What the times of an [`AlertReport`](super::AlertReport) count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Clock {
    /// Seconds since the Unix epoch: wall time (Tracee's nanoseconds, converted).
    Wall,
    /// Seconds since the host booted (BETH): no date is known.
    SinceBoot,
    /// No timestamps: times are row numbers (0 for the first row read).
    RowOrder,
}

impl Clock {
    /// The clock a first row's timestamp `value` implies.
    pub(super) fn of(value: Option<f64>) -> Clock {
        match value {
            Some(v) if v >= EPOCH_NANOS => Clock::Wall,
            Some(_) => Clock::SinceBoot,
            None => Clock::RowOrder,
        }
    }
}

/// Seconds for a timestamp as written: nanoseconds since the epoch become seconds.
pub(super) fn seconds(value: f64) -> f64 {
    if value >= EPOCH_NANOS {
        value / 1e9
    } else {
        value
    }
}

/// A timestamp as written, when it is nanoseconds since the epoch (Tracee's), as UTC text for
/// a table, e.g. `2023-05-21 16:57:30.477167 UTC`; none for other clocks, for what is no number
/// and for times after the year 9999 (which a date would only clamp).
pub fn utc_text(written: &str) -> Option<String> {
    /// 10000-01-01T00:00:00Z in nanoseconds since the epoch.
    const YEAR_10000: f64 = 253_402_300_800e9;
    let value: f64 = written.trim().parse().ok()?;
    (EPOCH_NANOS..YEAR_10000).contains(&value).then(|| {
        iso8601(seconds(value))
            .replacen('T', " ", 1)
            .replace('Z', " UTC")
    })
}

/// `seconds` after 1970-01-01T00:00:00Z as ISO 8601 in UTC with microseconds, e.g.
/// `2023-05-21T16:57:30.477167Z`. Seconds since boot are written the same way, as if the host had
/// booted at the epoch; values outside years 0–9999 are clamped to them.
pub fn iso8601(seconds: f64) -> String {
    // Years 0 to 9999, in microseconds; `as` saturates (NaN becomes 0).
    const MIN: i64 = -62_167_219_200_000_000;
    const MAX: i64 = 253_402_300_799_999_999;
    let micros = ((seconds * 1e6).round() as i64).clamp(MIN, MAX);
    let (days, micros_of_day) = (
        micros.div_euclid(86_400_000_000),
        micros.rem_euclid(86_400_000_000),
    );
    let (year, month, day) = civil(days);
    let second_of_day = micros_of_day / 1_000_000;
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:06}Z",
        second_of_day / 3600,
        second_of_day / 60 % 60,
        second_of_day % 60,
        micros_of_day % 1_000_000
    )
}

/// The proleptic Gregorian date of `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}
