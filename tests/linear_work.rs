//! Work that a file controls grows linearly, checked at sizes where the quadratic code this
//! project had before (issue 17) needs 10^11 to 10^12 steps: hours, where these take a second.
//! Nothing is timed; a return to quadratic work makes a test run past any CI time limit, or
//! (the header) give another answer.

use cyber_attack_detector::ingest::{read_events, Events, Field, IngestErrorKind, Labels, Schema};
use cyber_attack_detector::metrics::{cheapest, Costs, Histogram};

/// The cheapest threshold of a 1,000,000-bin histogram. The page's rule before 5d90c20 priced
/// every edge from scratch (`confusion_at` sums all bins: 10^12 additions); running totals make
/// it 10^6.
///
/// Benign rows: one in each bin 0..600,000; suspicious: one in each bin 400,000..1,000,000;
/// a missed attack costs 3, a false alarm 1. At edge b < 400,000 nothing is missed and
/// 600,000 − b benign rows are flagged (cost > 200,000); from b = 400,000 to 600,000 the cost
/// is 3(b − 400,000) + (600,000 − b) = 2b − 600,000, rising; beyond, 3(b − 400,000) > 600,000.
/// So edge 400,000 alone is cheapest: 0 missed, 200,000 false alarms, cost 200,000.
#[test]
fn cheapest_threshold_of_a_million_bins() {
    let bins = 1_000_000;
    let benign = (0..bins).map(|b| u64::from(b < 600_000)).collect();
    let suspicious = (0..bins).map(|b| u64::from(b >= 400_000)).collect();
    let histogram = Histogram {
        bins,
        benign,
        suspicious,
    };
    let costs = Costs::new(3.0, 1.0).expect("valid prices");
    let best = cheapest(&histogram, costs);
    let edge = 400_000f32 / 1_000_000f32;
    assert_eq!(best.point.threshold, edge);
    assert_eq!((best.point.missed, best.point.false_alarms), (0, 200_000));
    assert_eq!(best.point.cost, 200_000.0);
    assert_eq!((best.from, best.to), (edge, edge));
    assert!(!best.flags_everything);
}

/// Merging events whose 1,000,000 rows each have a host of their own. `Events::extend` found
/// each row's host by a search of the names before it until 5240120 (5 * 10^11 string
/// comparisons per merge here); through `HostIndex` it is one hash lookup a row.
#[test]
fn merging_a_million_distinct_hosts() {
    let n = 1_000_000u32;
    let chunk = Events {
        fields: vec![Field::ProcessId],
        values: vec![(0..n).map(f64::from).collect()],
        sus: None,
        evil: None,
        host: (0..n).collect(),
        host_names: (0..n).map(|i| format!("h{i}")).collect(),
        texts: Vec::new(),
    };
    let mut all = Events::default();
    // The first merge adds every name; the second finds every one already there.
    all.extend(&chunk);
    all.extend(&chunk);
    assert_eq!(all.len(), 2_000_000);
    assert_eq!(all.host_names.len(), 1_000_000);
    assert_eq!(all.host[1_765_432], 765_432);
    assert_eq!(all.host_name(1_999_999), Some("h999999"));
    assert_eq!(
        all.column(Field::ProcessId).map(|c| c[1_000_007]),
        Some(7.0)
    );
}

/// The header of 100,000 distinct columns (700 KB, under the 1 MiB record cap) is
/// refused at once for its width. Before ede2b3b every name was searched for among those before
/// it (5 * 10^9 comparisons: 8.5 s in the release CLI) and the header then accepted.
#[test]
fn a_header_of_100000_columns_is_refused_for_its_width() {
    let mut csv: String = (0..100_000).map(|i| format!("c{i:05},")).collect();
    csv.pop();
    csv.push('\n');
    let schema = Schema {
        fields: vec![Field::ProcessId],
        labels: Labels::Optional,
        host_namespace: false,
    };
    let err = read_events(csv.as_bytes(), "wide.csv", &schema).expect_err("too wide");
    assert_eq!(
        err.kind,
        IngestErrorKind::TooManyColumns {
            found: 100_000,
            max: 1_000
        }
    );
    assert_eq!(err.at.line, Some(1));
    assert_eq!(
        err.to_string(),
        "wide.csv, line 1: expected at most 1000 columns, found 100000"
    );
}
