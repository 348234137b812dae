//! The grouper on small CSVs whose alerts are worked out by hand.

use super::ecs::{write_ndjson, EcsAlert};
use super::*;
use crate::ingest::{EventReader, Labels, Schema};
use crate::model::Model;

/// The shipped model with its threshold set to `threshold` (only the verdict is used).
fn model(threshold: f32) -> Model {
    let mut model = Model::from_json(include_str!("../../data/model.json")).unwrap();
    model.threshold = threshold;
    model
}

/// Groups `csv`'s rows, scored `scores`, at threshold 0.5, fed `chunk` rows at a time.
fn group<C: AsRef<[u8]> + ?Sized>(
    csv: &C,
    scores: &[f32],
    limits: Limits,
    chunk: usize,
) -> AlertReport {
    let schema = Schema {
        fields: Vec::new(),
        labels: Labels::Optional,
        host_namespace: false,
    };
    let mut reader = EventReader::new(csv.as_ref(), "test.csv", &schema).unwrap();
    let mut grouper = AlertGrouper::new(reader.headers(), limits);
    let model = model(0.5);
    let (mut raw, mut at) = (Vec::new(), 0);
    loop {
        let mut events = reader.empty_events();
        raw.clear();
        let n = reader
            .read_chunk(chunk, &mut events, Some(&mut raw))
            .unwrap();
        if n == 0 {
            break;
        }
        grouper.add(&model, &raw, &scores[at..at + n]);
        at += n;
    }
    assert_eq!(at, scores.len());
    grouper.finish()
}

const HEADER: &str =
    "timestamp,processId,threadId,parentProcessId,userId,processName,hostName,eventName,returnValue,args\n";

/// bash (pid 10 on h1) opens a file twice (a repeat) and closes it, its child ls runs, and
/// another host's pid 10 does something benign.
fn story() -> String {
    format!(
        "{HEADER}\
         1.5,10,10,1,1001,bash,h1,openat,3,a\n\
         2.0,10,10,1,1001,bash,h1,openat,3,a\n\
         3.0,10,11,1,1001,bash,h1,close,0,\n\
         4.0,20,20,10,1001,ls,h1,execve,0,x\n\
         5.0,10,10,1,0,cron,h2,openat,3,a\n"
    )
}

const STORY_SCORES: [f32; 5] = [0.9, 0.8, 0.2, 0.6, 0.1];

#[test]
fn one_alert_per_process_on_a_host_with_its_counts() {
    let report = group(&story(), &STORY_SCORES, Limits::default(), 1000);
    assert_eq!((report.rows, report.omitted_rows), (5, 0));
    assert_eq!(report.clock, Clock::SinceBoot);
    assert_eq!(report.threshold, 0.5);
    // Three processes: h1/10, h1/20, h2/10; two have suspicious events.
    assert_eq!(report.processes.len(), 3);
    assert_eq!(report.alerts.len(), 2);

    let bash = &report.alerts[0];
    assert_eq!(bash.rank, 1);
    assert_eq!((bash.host.as_str(), bash.pid), ("h1", Some(10)));
    assert_eq!(bash.process_name, "bash");
    assert_eq!(
        (bash.parent_pid, bash.parent_name.as_deref()),
        (Some(1), None)
    );
    assert_eq!(bash.user_id, Some(1001));
    assert_eq!((bash.events, bash.suspicious), (3, 2));
    assert_eq!(bash.max_score, 0.9);
    assert_eq!(bash.max_line, 2);
    // The line of each process's first event names its alert: ls's first is line 5.
    assert_eq!((bash.first_line, report.alerts[1].first_line), (2, 5));
    assert_eq!(report.alerts[1].process_name, "ls");
    // (0.9 + 0.8 + 0.2) / 3 in f32 values.
    assert!((bash.mean_score - 0.633_333_330_353).abs() < 1e-9);
    // 0.9 × (1 + log10 2).
    assert!((bash.priority - 1.170_926_965).abs() < 1e-8);
    assert_eq!((bash.first_time, bash.last_time), (1.5, 3.0));
    let names = |counts: &[NameCount]| {
        counts
            .iter()
            .map(|c| (c.name.clone(), c.count))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(&bash.event_names),
        [("openat".to_string(), 2), ("close".to_string(), 1)]
    );
    assert_eq!(names(&bash.process_names), [("bash".to_string(), 3)]);
    assert_eq!(bash.collapsed, 1);
    assert_eq!(
        (bash.ancestry.as_slice(), bash.ancestry_end),
        (&[][..], AncestryEnd::Root)
    );

    let ls = &report.alerts[1];
    assert_eq!(
        (ls.rank, ls.pid, ls.process_name.as_str()),
        (2, Some(20), "ls")
    );
    assert_eq!(ls.parent_name.as_deref(), Some("bash"));
    assert!((ls.priority - 0.600_000_024).abs() < 1e-8);
    assert_eq!(ls.ancestry, [0]);
    assert_eq!(ls.ancestry_end, AncestryEnd::Root);

    // The tree: h1/10 is ls's parent; h2's pid 10 is another process, with no alert.
    let nodes = &report.processes;
    assert_eq!(
        (nodes[0].children.as_slice(), nodes[0].children_count),
        (&[1][..], 1)
    );
    assert_eq!((nodes[1].parent, nodes[1].alert), (Some(0), Some(1)));
    assert_eq!((nodes[0].alert, nodes[2].alert), (Some(0), None));
    assert_eq!(
        (nodes[2].host.as_str(), nodes[2].name.as_str()),
        ("h2", "cron")
    );
    assert_eq!((nodes[2].parent, nodes[2].suspicious), (None, 0));
}

#[test]
fn repeats_collapse_into_one_timeline_entry_with_a_count() {
    let report = group(&story(), &STORY_SCORES, Limits::default(), 1000);
    let bash = &report.processes[0];
    assert_eq!(bash.timeline_omitted, 0);
    let entries: Vec<_> = bash
        .timeline
        .iter()
        .map(|e| {
            (
                e.event_name.as_str(),
                e.repeats,
                e.suspicious,
                e.score,
                e.time,
                e.last_time,
            )
        })
        .collect();
    assert_eq!(
        entries,
        [
            ("openat", 2, 2, 0.9, 1.5, 2.0),
            ("close", 1, 0, 0.2, 3.0, 3.0)
        ]
    );
    let first = &bash.timeline[0];
    assert_eq!(
        (first.row, first.line, first.pid, first.thread_id),
        (0, 2, Some(10), Some(10))
    );
    assert_eq!((first.return_value, first.args.as_str()), (Some(3), "a"));
    // The alert's timeline holds its child's events too, in time order.
    let merged: Vec<_> = report
        .timeline(&report.alerts[0])
        .iter()
        .map(|e| (e.pid, e.event_name.as_str()))
        .collect();
    assert_eq!(
        merged,
        [
            (Some(10), "openat"),
            (Some(10), "close"),
            (Some(20), "execve")
        ]
    );
}

#[test]
fn the_report_is_the_same_whatever_the_chunks() {
    let whole = group(&story(), &STORY_SCORES, Limits::default(), 1000);
    for chunk in [1, 2, 3] {
        assert_eq!(
            group(&story(), &STORY_SCORES, Limits::default(), chunk),
            whole
        );
    }
}

#[test]
fn ancestry_stops_at_a_cycle_a_self_parent_and_the_depth_limit() {
    // 1 and 2 are each other's parent; 3 is its own; 7 → 6 → 5 → 4 is a chain.
    let csv = "hostName,processId,parentProcessId,eventName\n\
               h,1,2,a\nh,2,1,a\nh,3,3,a\nh,4,0,a\nh,5,4,a\nh,6,5,a\nh,7,6,a\n";
    let scores = [0.9, 0.8, 0.7, 0.1, 0.1, 0.1, 0.6];
    let limits = Limits {
        ancestry: 2,
        ..Limits::default()
    };
    let report = group(csv, &scores, limits, 1000);
    let by_pid = |pid| report.alerts.iter().find(|a| a.pid == Some(pid)).unwrap();
    assert_eq!(
        (by_pid(1).ancestry.as_slice(), by_pid(1).ancestry_end),
        (&[1][..], AncestryEnd::Cycle)
    );
    assert_eq!(
        (by_pid(2).ancestry.as_slice(), by_pid(2).ancestry_end),
        (&[0][..], AncestryEnd::Cycle)
    );
    assert_eq!(report.processes[2].parent, None);
    assert_eq!(
        (by_pid(3).ancestry.as_slice(), by_pid(3).ancestry_end),
        (&[][..], AncestryEnd::Root)
    );
    // 7's parents are 6 (index 5) and 5 (index 4); 4 would be the third.
    assert_eq!(
        (by_pid(7).ancestry.as_slice(), by_pid(7).ancestry_end),
        (&[5, 4][..], AncestryEnd::Depth)
    );
    // Ranked by priority: 0.9, 0.8, 0.7, 0.6, one suspicious event each.
    let pids: Vec<_> = report.alerts.iter().map(|a| a.pid).collect();
    assert_eq!(pids, [Some(1), Some(2), Some(3), Some(7)]);
}

#[test]
fn missing_columns_degrade_to_one_group_per_host_in_row_order() {
    // No timestamp, process id, host or process name.
    let csv = "eventName,userId\nopenat,5\nopenat,5\nclose,5\n";
    let report = group(csv, &[0.7, 0.2, 0.9], Limits::default(), 1000);
    assert_eq!(report.clock, Clock::RowOrder);
    assert_eq!(report.processes.len(), 1);
    let alert = &report.alerts[0];
    assert_eq!(
        (alert.host.as_str(), alert.pid, alert.parent_pid),
        ("(unknown)", None, None)
    );
    assert_eq!(
        (alert.process_name.as_str(), alert.user_id),
        ("(unknown)", Some(5))
    );
    assert_eq!((alert.first_time, alert.last_time), (0.0, 2.0));
    // Same name and (absent) arguments: the two openat collapse despite their scores.
    let timeline: Vec<_> = report.processes[0]
        .timeline
        .iter()
        .map(|e| (e.event_name.as_str(), e.repeats, e.time))
        .collect();
    assert_eq!(timeline, [("openat", 2, 0.0), ("close", 1, 2.0)]);
    // Not even an event name.
    let report = group("argsNum\n1\n", &[0.8], Limits::default(), 1000);
    assert_eq!(report.alerts[0].event_names[0].name, "(unknown)");
}

#[test]
fn processes_beyond_the_cap_are_counted_as_omitted() {
    let csv = "hostName,processId\nh,1\nh,2\nh,3\nh,1\nh,3\nh,3\n";
    let limits = Limits {
        processes: 2,
        ..Limits::default()
    };
    let report = group(csv, &[0.9, 0.1, 0.8, 0.9, 0.2, 0.7], limits, 2);
    assert_eq!(report.processes.len(), 2);
    assert_eq!(
        (report.rows, report.omitted_rows, report.omitted_suspicious),
        (6, 3, 2)
    );
    assert_eq!(report.processes[0].events, 2);
}

/// A process of a hostile file as CSV rows: its `row`th event with process and event names of
/// 255 bytes that are not UTF-8 (3 bytes each as text) and 170 emoji of arguments (`args_chars`
/// keeps 160 of them, 4 bytes each).
fn longest_row(pid: usize, row: usize) -> Vec<u8> {
    let invalid: Vec<u8> = (0..253u8).map(|i| 0x80 | i).collect();
    let mut line = format!("{pid},p").into_bytes();
    line.extend_from_slice(&invalid);
    // The event name starts with the row: no two events of a process fold or share a name.
    line.extend_from_slice(format!(",{row:02}").as_bytes());
    line.extend_from_slice(&invalid);
    line.push(b',');
    line.extend_from_slice("😀".repeat(170).as_bytes());
    line.push(b'\n');
    line
}

const LONGEST_HEADER: &[u8] = b"processId,processName,eventName,args\n";

/// What a report holds of names and arguments, in bytes: less than the grouper kept.
fn text_bytes(report: &AlertReport) -> usize {
    let names = |names: &[NameCount]| names.iter().map(|n| n.name.len()).sum::<usize>();
    let entries: usize = report
        .processes
        .iter()
        .flat_map(|p| &p.timeline)
        .map(|e| e.event_name.len() + e.args.len())
        .sum();
    let tallies: usize = report
        .alerts
        .iter()
        .map(|a| names(&a.process_names) + names(&a.event_names))
        .sum();
    entries + tallies
}

#[test]
fn the_byte_budget_stops_taking_processes_and_counts_their_rows_as_omitted() {
    // 20 processes of 49 events each, all suspicious, every event a timeline entry of its own:
    // a process keeps about 125 KB (49 entries of 1.8 KB and 33 names of 1 KB, their text with
    // the room it was built in), so a budget of 940 KB is spent during the 8th process. Its later
    // events are counted, and kept no more.
    let mut csv = LONGEST_HEADER.to_vec();
    for pid in 1..=20 {
        (0..49).for_each(|row| csv.extend(longest_row(pid, row)));
    }
    let limits = Limits {
        bytes: 940_000,
        ..Limits::default()
    };
    let report = group(&csv, &[0.9; 20 * 49], limits, 100);
    assert_eq!(report.processes.len(), 8);
    assert_eq!(
        (report.rows, report.omitted_rows, report.omitted_suspicious),
        (980, 12 * 49, 12 * 49)
    );
    for p in &report.processes[..7] {
        assert_eq!(
            (p.events, p.timeline.len(), p.timeline_omitted),
            (49, 48, 1)
        );
    }
    let last = &report.processes[7];
    assert_eq!(last.events, 49);
    assert!(last.timeline.len() < 48);
    assert_eq!(last.timeline.len() as u64 + last.timeline_omitted, 49);
    assert!(text_bytes(&report) < 940_000);
    assert_eq!(report.alerts[0].events, 49);

    // With the default budget the same file is grouped whole: of each process 48 entries with
    // an event name of 761 bytes and arguments of 643, 32 event names and its name, of 760.
    let whole = group(&csv, &[0.9; 20 * 49], Limits::default(), 100);
    assert_eq!((whole.processes.len(), whole.omitted_rows), (20, 0));
    assert_eq!(text_bytes(&whole), 20 * (48 * (761 + 643) + 32 * 761 + 760));
}

#[test]
fn a_name_that_is_not_utf8_is_counted_as_one_name() {
    let csv = b"processId,processName,eventName\n1,\xff\xfe,\xff\n1,\xff\xfe,\xff\n";
    let report = group(csv, &[0.9, 0.9], Limits::default(), 1000);
    let counts = |names: &[NameCount]| -> Vec<(String, u64)> {
        names.iter().map(|n| (n.name.clone(), n.count)).collect()
    };
    let alert = &report.alerts[0];
    assert_eq!(
        counts(&alert.process_names),
        [("\u{fffd}\u{fffd}".into(), 2)]
    );
    assert_eq!(counts(&alert.event_names), [("\u{fffd}".into(), 2)]);
}

#[test]
fn processes_that_grow_after_they_are_taken_keep_no_more_than_the_budget() {
    // 20 processes start with a short event each, well inside the budget; then each gets its
    // longest events in turn. Grown whole they would keep 2.5 MB: past 1 MB they keep nothing
    // new, but still count every event, and a 21st process is not taken.
    let mut csv = LONGEST_HEADER.to_vec();
    (1..=20).for_each(|pid| csv.extend(format!("{pid},p,start,\n").bytes()));
    for row in 0..49 {
        (1..=20).for_each(|pid| csv.extend(longest_row(pid, row)));
    }
    csv.extend(b"21,p,late,\n");
    let rows = 20 + 20 * 49 + 1;
    let limits = Limits {
        bytes: 1_000_000,
        ..Limits::default()
    };
    let report = group(&csv, &vec![0.9; rows], limits, 100);
    assert_eq!(report.processes.len(), 20);
    assert_eq!((report.omitted_rows, report.omitted_suspicious), (1, 1));
    assert!(report.processes.iter().all(|p| p.events == 50));
    let kept: u64 = report
        .processes
        .iter()
        .map(|p| p.timeline.len() as u64)
        .sum();
    let omitted: u64 = report.processes.iter().map(|p| p.timeline_omitted).sum();
    assert_eq!(kept + omitted, 20 * 50);
    assert!(kept < 20 * 48 / 2);
    assert!(text_bytes(&report) < 1_000_000);
}

#[test]
fn a_timeline_keeps_the_first_entries_and_the_most_suspicious_later_ones() {
    let csv = "processId,eventName\n1,a\n1,b\n1,c\n1,d\n1,e\n1,f\n";
    let limits = Limits {
        first_entries: 2,
        top_entries: 2,
        ..Limits::default()
    };
    let report = group(csv, &[0.1, 0.2, 0.9, 0.3, 0.8, 0.3], limits, 1000);
    let node = &report.processes[0];
    let kept: Vec<_> = node
        .timeline
        .iter()
        .map(|e| e.event_name.as_str())
        .collect();
    assert_eq!(kept, ["a", "b", "c", "e"]);
    assert_eq!(node.timeline_omitted, 2);
}

#[test]
fn an_alerts_timeline_extent_counts_the_entries_and_events_kept_and_seen() {
    // pid 1: a a | b | c c c | d | e | f: 6 entries for 9 events. The first 2 entries (a×2, b)
    // are kept, and of the later ones the most suspicious (c×3, highest 0.9, over e's 0.8):
    // 3 entries, 6 events; d, e and f (3 entries, 3 events) are dropped. Its child pid 2:
    // x x, one entry for 2 events, kept. Pid 3 (not a child) is left out.
    let csv = "processId,parentProcessId,eventName\n\
               1,0,a\n1,0,a\n1,0,b\n1,0,c\n1,0,c\n1,0,c\n1,0,d\n1,0,e\n1,0,f\n\
               2,1,x\n2,1,x\n3,0,y\n";
    let scores = [0.1, 0.1, 0.2, 0.3, 0.9, 0.3, 0.4, 0.8, 0.1, 0.6, 0.6, 0.7];
    let limits = Limits {
        first_entries: 2,
        top_entries: 1,
        ..Limits::default()
    };
    let report = group(csv, &scores, limits, 5);
    let one = report
        .alerts
        .iter()
        .find(|a| a.pid == Some(1))
        .expect("pid 1 is an alert");
    let extent = report.timeline_extent(one);
    assert_eq!(
        extent,
        TimelineExtent {
            seen: TimelineCounts {
                entries: 6 + 1,
                events: 9 + 2,
            },
            kept: TimelineCounts {
                entries: 3 + 1,
                events: 6 + 2,
            },
        }
    );
    // The kept counts are those of the merged timeline the page is given.
    assert_eq!(
        TimelineCounts::of(report.timeline(one).into_iter()),
        extent.kept
    );
    let kept: Vec<_> = report
        .timeline(one)
        .iter()
        .map(|e| (e.event_name.as_str(), e.repeats))
        .collect();
    assert_eq!(kept, [("a", 2), ("b", 1), ("c", 3), ("x", 2)]);
    // A process without children, nothing dropped: seen and kept alike.
    let two = report
        .alerts
        .iter()
        .find(|a| a.pid == Some(2))
        .expect("pid 2");
    let whole = TimelineCounts {
        entries: 1,
        events: 2,
    };
    assert_eq!(
        report.timeline_extent(two),
        TimelineExtent {
            seen: whole,
            kept: whole
        }
    );
}

#[test]
fn the_most_frequent_name_names_a_process_with_threads_and_execs() {
    // tsm's threads carry their own names; 8 exec'd from bash to nohup to tsm (a tie: the
    // later name wins).
    let csv =
        "processId,processName\n7,tsm\n7,thread-pool-1\n7,tsm\n7,tsm\n8,bash\n8,nohup\n8,tsm\n";
    let report = group(csv, &[0.9; 7], Limits::default(), 1000);
    assert_eq!(report.processes[0].name, "tsm");
    assert_eq!(report.processes[1].name, "tsm");
    assert_eq!(report.alerts[1].process_names.len(), 3);
}

#[test]
fn tracee_nanoseconds_are_wall_time() {
    let csv = "timestamp,processId,eventName\n1684688250477166817,1,a\n1684688251477166817,1,b\n";
    let report = group(csv, &[0.9, 0.1], Limits::default(), 1000);
    assert_eq!(report.clock, Clock::Wall);
    let alert = &report.alerts[0];
    assert!((alert.first_time - 1_684_688_250.477_167).abs() < 1e-6);
    assert!((alert.last_time - alert.first_time - 1.0).abs() < 1e-6);
    let ecs = EcsAlert::new(&report, alert);
    assert_eq!(ecs.timestamp, "2023-05-21T16:57:30.477167Z");
    assert_eq!(
        ecs.event.end.as_deref(),
        Some("2023-05-21T16:57:31.477167Z")
    );
}

#[test]
fn iso8601_writes_utc_with_microseconds() {
    assert_eq!(iso8601(0.0), "1970-01-01T00:00:00.000000Z");
    assert_eq!(iso8601(1809.495787), "1970-01-01T00:30:09.495787Z");
    // A leap day, and a time before the epoch.
    assert_eq!(iso8601(951_782_400.0), "2000-02-29T00:00:00.000000Z");
    assert_eq!(iso8601(-1.5), "1969-12-31T23:59:58.500000Z");
    assert_eq!(iso8601(f64::INFINITY), "9999-12-31T23:59:59.999999Z");
    assert_eq!(iso8601(f64::NEG_INFINITY), "0000-01-01T00:00:00.000000Z");
    assert_eq!(iso8601(f64::NAN), "1970-01-01T00:00:00.000000Z");
}

#[test]
fn utc_text_reads_only_nanoseconds_a_date_can_hold() {
    assert_eq!(
        utc_text(" 1684688250477166817 ").as_deref(),
        Some("2023-05-21 16:57:30.477167 UTC")
    );
    assert_eq!(
        utc_text("1e17").as_deref(),
        Some("1973-03-03 09:46:40.000000 UTC")
    );
    // Seconds since boot, no number, not finite, negative, or past the year 9999: as written.
    for written in [
        "1809.495787",
        "",
        "soon",
        "NaN",
        "inf",
        "1e400",
        "-1684688250477166817",
        "1e300",
        "253402300800000000000",
    ] {
        assert_eq!(utc_text(written), None, "{written}");
    }
    assert_eq!(
        utc_text("253402300799000000000").as_deref(),
        Some("9999-12-31 23:59:59.000000 UTC")
    );
}

#[test]
fn an_alert_as_ecs_ndjson() {
    let report = group(&story(), &STORY_SCORES, Limits::default(), 1000);
    let mut out = Vec::new();
    write_ndjson(&report, None, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(
        lines[0],
        concat!(
            r#"{"@timestamp":"1970-01-01T00:00:01.500000Z","ecs":{"version":"8.11.0"},"#,
            r#""event":{"kind":"alert","category":["process"],"type":["info"],"#,
            r#""action":["openat","close"],"risk_score":90.0,"count":3,"#,
            r#""start":"1970-01-01T00:00:01.500000Z","end":"1970-01-01T00:00:03.000000Z"},"#,
            r#""host":{"name":"h1"},"process":{"pid":10,"name":"bash","parent":{"pid":1}},"#,
            r#""user":{"id":"1001"},"cyber_attack_detector":{"rank":1,"priority":1.1709,"#,
            r#""suspicious_count":2,"max_score":0.9,"mean_score":0.6333,"threshold":0.5,"#,
            r#""collapsed_repeats":1,"clock":"since_boot","first_seconds":1.5,"last_seconds":3.0,"#,
            r#""max_score_line":2,"process_names":[{"name":"bash","count":3}],"#,
            r#""event_counts":[{"name":"openat","count":2},{"name":"close","count":1}],"#,
            r#""ancestry":[],"ancestry_end":"root","children_count":1}}"#
        )
    );
    // The child names its parent and its ancestry.
    let ls: serde_json::Value = serde_json::from_str(lines[1]).unwrap();
    assert_eq!(ls["process"]["parent"]["name"], "bash");
    assert_eq!(ls["cyber_attack_detector"]["ancestry"][0]["pid"], 10);
    // `top` keeps the first alerts.
    let mut out = Vec::new();
    write_ndjson(&report, Some(1), &mut out).unwrap();
    assert_eq!(String::from_utf8(out).unwrap(), format!("{}\n", lines[0]));
}

#[test]
fn priority_weighs_score_then_volume() {
    assert_eq!(priority(0.9, 0), 0.0);
    assert!((priority(0.5, 1) - 0.5).abs() < 1e-12);
    assert!((priority(0.5, 100) - 1.5).abs() < 1e-12);
    assert!((priority(0.25, 1000) - 1.0).abs() < 1e-12);
}

#[test]
fn arguments_repeat_but_for_their_numbers() {
    let csv = "processId,eventName,returnValue,args\n\
               1,connect,-114,\"[fd 803, '192.168.11.196:22', 0x7FFD519E4260]\"\n\
               1,connect,-114,\"[fd 95, '192.168.21.14:22', 0x7ffd5]\"\n\
               1,connect,-115,\"[fd 95, '192.168.21.14:22', 0x7ffd5]\"\n\
               1,openat,3,'/proc/cpuinfo'\n\
               1,openat,3,'/etc/passwd'\n\
               1,openat,3,'/etc/passwd'\n";
    let report = group(csv, &[0.9; 6], Limits::default(), 1000);
    let runs: Vec<_> = report.processes[0]
        .timeline
        .iter()
        .map(|e| (e.event_name.as_str(), e.return_value, e.repeats))
        .collect();
    assert_eq!(
        runs,
        [
            ("connect", Some(-114), 2),
            ("connect", Some(-115), 1),
            ("openat", Some(3), 1),
            ("openat", Some(3), 2)
        ]
    );
    // The entry shows its first event's arguments.
    assert_eq!(
        report.processes[0].timeline[0].args,
        "[fd 803, '192.168.11.196:22', 0x7FFD519E4260]"
    );
    assert_eq!(report.alerts[0].collapsed, 2);
}

#[test]
fn long_names_and_arguments_are_cut() {
    let host = "h".repeat(300);
    let event = "e".repeat(300);
    let args = "é".repeat(200);
    let csv = format!("hostName,processId,eventName,args\n{host},1,{event},{args}\n");
    let limits = Limits {
        args_chars: 3,
        ..Limits::default()
    };
    let report = group(&csv, &[0.9], limits, 1000);
    let alert = &report.alerts[0];
    assert_eq!(
        (alert.host.len(), alert.event_names[0].name.len()),
        (255, 255)
    );
    assert_eq!(report.processes[0].timeline[0].args, "ééé…");
}

/// Random records (cells missing, empty, huge, negative, not numbers, not UTF-8; parent ids
/// pointing anywhere, loops included) never panic, and every row is counted once.
#[test]
fn random_records_keep_the_counts_and_bounds() {
    let mut rng = crate::rng::Rng::new(12);
    let cells: [&[u8]; 12] = [
        b"",
        b"0",
        b"1",
        b"2",
        b"3",
        b"-1",
        b"1e400",
        b"nan",
        b"x",
        b"\xff\xfe",
        b"99999999999999999999",
        b"1684688250477166817",
    ];
    let model = model(0.5);
    for case in 0..200 {
        let mut names = vec![
            "timestamp",
            "hostName",
            "processId",
            "parentProcessId",
            "threadId",
            "userId",
            "processName",
            "eventName",
            "returnValue",
            "args",
        ];
        names.retain(|_| rng.below(5) > 0);
        let headers = csv::ByteRecord::from(names.clone());
        let limits = Limits {
            processes: 1 + rng.below(6),
            bytes: rng.below(6_000),
            first_entries: rng.below(3),
            top_entries: rng.below(3),
            event_names: 1 + rng.below(3),
            process_names: 1 + rng.below(2),
            ancestry: rng.below(4),
            children: rng.below(3),
            args_chars: rng.below(5),
        };
        let mut grouper = AlertGrouper::new(&headers, limits);
        let rows = rng.below(60);
        let mut raw = Vec::new();
        let mut scores = Vec::new();
        for _ in 0..rows {
            // Some records are short: a whole-line JSON record has one field.
            let width = if rng.below(10) == 0 { 1 } else { names.len() };
            let record: Vec<&[u8]> = (0..width).map(|_| cells[rng.below(cells.len())]).collect();
            raw.push(csv::ByteRecord::from(record));
            scores.push([0.0, 0.3, 0.5, 0.99, f32::NAN][rng.below(5)]);
        }
        for (r, s) in raw.chunks(7).zip(scores.chunks(7)) {
            grouper.add(&model, r, s);
        }
        let report = grouper.finish();
        let grouped: u64 = report.processes.iter().map(|p| p.events).sum();
        assert_eq!(grouped + report.omitted_rows, rows as u64, "case {case}");
        assert!(report.processes.len() <= limits.processes);
        let flagged = scores.iter().filter(|&&s| model.is_suspicious(s)).count() as u64;
        let suspicious: u64 = report.processes.iter().map(|p| p.suspicious).sum();
        assert_eq!(
            suspicious + report.omitted_suspicious,
            flagged,
            "case {case}"
        );
        for (i, alert) in report.alerts.iter().enumerate() {
            assert_eq!(alert.rank as usize, i + 1);
            assert!(alert.suspicious >= 1 && alert.suspicious <= alert.events);
            assert!(alert.ancestry.len() <= limits.ancestry);
            assert!((0.0..=1.0).contains(&alert.max_score));
            assert_eq!(
                report.processes[alert.process as usize].alert,
                Some(i as u32)
            );
            if i > 0 {
                assert!(report.alerts[i - 1].priority >= alert.priority);
            }
            // Its timeline's extent: every event of its family seen, at most those kept; an
            // entry for each event not folded into the one before.
            let extent = report.timeline_extent(alert);
            let node = &report.processes[alert.process as usize];
            let family = std::iter::once(node)
                .chain(node.children.iter().map(|&c| &report.processes[c as usize]));
            assert_eq!(
                extent.seen.events,
                family.map(|p| p.events).sum::<u64>(),
                "case {case}"
            );
            assert!(extent.kept.entries <= extent.seen.entries);
            assert!(extent.kept.events <= extent.seen.events);
            if node.children.is_empty() {
                assert_eq!(extent.seen.entries, alert.events - alert.collapsed);
                assert_eq!(extent.kept.entries, node.timeline.len() as u64);
            }
        }
        for node in &report.processes {
            assert!(node.timeline.len() <= limits.first_entries + limits.top_entries);
            assert!(node.children.len() <= limits.children);
            let entries: u64 = node.timeline.iter().map(|e| e.repeats).sum();
            assert!(entries <= node.events);
        }
        let mut out = Vec::new();
        write_ndjson(&report, None, &mut out).unwrap();
        for line in String::from_utf8(out).unwrap().lines() {
            serde_json::from_str::<serde_json::Value>(line).unwrap();
        }
    }
}

#[test]
fn two_models_alerts_compare_by_first_line_with_the_verdicts_checked() {
    // After: bash's scores fall below 0.5 (gone), ls rises to 0.7 (kept), cron's 0.55 (new).
    let before = group(&story(), &STORY_SCORES, Limits::default(), 1000);
    let after = group(
        &story(),
        &[0.3, 0.4, 0.2, 0.7, 0.55],
        Limits::default(),
        1000,
    );
    let mark = |line, attack| crate::verdicts::Mark {
        line,
        attack,
        note: String::new(),
    };
    let event = VerdictCheck::event(&mark(6, true), false, true);
    let changes = compare(
        &before.alerts,
        &after.alerts,
        &[mark(5, true), mark(2, false)],
        vec![event.clone()],
        10,
    );
    let change = |first_line, pid, name: &str, was: Option<Standing>, is: Option<Standing>| {
        let score_change = was
            .as_ref()
            .zip(is.as_ref())
            .map(|(b, a)| a.max_score - b.max_score);
        AlertChange {
            first_line,
            host: if first_line == 6 { "h2" } else { "h1" }.to_string(),
            pid: Some(pid),
            process_name: name.to_string(),
            before: was,
            after: is,
            score_change,
        }
    };
    let standing = |rank, max_score, suspicious| Standing {
        rank,
        max_score,
        suspicious,
    };
    let ls = change(
        5,
        20,
        "ls",
        Some(standing(2, 0.6, 1)),
        Some(standing(1, 0.7, 1)),
    );
    assert_eq!(ls.score_change, Some(0.7_f32 - 0.6_f32));
    let alert = |line, process: &str, attack, before, after| VerdictCheck {
        on: Judged::Alert,
        line,
        process: Some(process.to_string()),
        attack,
        before,
        after,
    };
    assert_eq!(
        changes,
        AlertChanges {
            before: 2,
            after: 2,
            gone: vec![change(2, 10, "bash", Some(standing(1, 0.9, 2)), None)],
            gone_total: 1,
            new: vec![change(6, 10, "cron", None, Some(standing(2, 0.55, 1)))],
            new_total: 1,
            kept: vec![ls],
            kept_total: 1,
            // bash benign: raised before, not after; ls attack: raised by both; the event on
            // line 6 attack: flagged only after.
            verdicts: vec![
                alert(2, "bash (10) on h1", false, true, false),
                alert(5, "ls (20) on h1", true, true, true),
                event
            ],
            agreed_before: 1,
            agrees_after: 3,
        }
    );
    // Listing none still counts them all.
    let counted = compare(&before.alerts, &after.alerts, &[], Vec::new(), 0);
    assert_eq!(
        (counted.gone.len(), counted.new.len(), counted.kept.len()),
        (0, 0, 0)
    );
    assert_eq!(
        (counted.gone_total, counted.new_total, counted.kept_total),
        (1, 1, 1)
    );
}
