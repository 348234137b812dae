//! Native tests of an alert's charts, the process tree and the timeline: laid out by hand
//! and rendered to SVG at 480×320, where marks are found by shape, colour and position.

use super::process_tree::{self, layout, node_colour, ProcessTree, Row, TreeNode};
use super::tests::{attribute, hex, render_at, text_x, text_y};
use super::timeline::{self, drawable, runs, time_unit, Lane, Timeline, TimelineEvent};
use super::{blend, Theme};
use plotters::prelude::RGBColor;

fn node(parent: Option<usize>, name: &str, pid: i64, score: Option<f32>) -> TreeNode {
    TreeNode {
        parent,
        name: name.to_string(),
        pid: Some(pid),
        score,
    }
}

/// An `<circle>`, `<polygon>` or `<rect>` of the SVG with its attributes.
fn shapes<'a>(svg: &'a str, tag: &str) -> Vec<&'a str> {
    svg.split(&format!("<{tag} "))
        .skip(1)
        .filter_map(|s| s.split("/>").next())
        .collect()
}

/// The centres (cx, cy) of the circles filled with `c`, or ringed in it (`ring`).
fn circles(svg: &str, c: RGBColor, ring: bool) -> Vec<(i32, i32)> {
    let colour = if ring {
        format!("fill=\"none\" stroke=\"{}\"", hex(c))
    } else {
        format!("fill=\"{}\"", hex(c))
    };
    shapes(svg, "circle")
        .into_iter()
        .filter(|s| s.contains(&colour))
        .filter_map(|s| Some((attribute(s, "cx")?, attribute(s, "cy")?)))
        .collect()
}

/// The centres of the triangles filled with `c` (the mean of their corners).
fn triangles(svg: &str, c: RGBColor) -> Vec<(i32, i32)> {
    shapes(svg, "polygon")
        .into_iter()
        .filter(|s| s.contains(&format!("fill=\"{}\"", hex(c))))
        .filter_map(|s| {
            let points: Vec<(i32, i32)> = s
                .split("points=\"")
                .nth(1)?
                .split('"')
                .next()?
                .split_whitespace()
                .filter_map(|p| {
                    let (x, y) = p.split_once(',')?;
                    Some((x.parse().ok()?, y.parse().ok()?))
                })
                .collect();
            let n = points.len() as f64;
            let mean = |v: i32| (f64::from(v) / n).round() as i32;
            let x: i32 = points.iter().map(|p| p.0).sum();
            let y: i32 = points.iter().map(|p| p.1).sum();
            Some((mean(x), mean(y)))
        })
        .collect()
}

/// Every text the SVG writes, in order.
fn texts(svg: &str) -> Vec<&str> {
    svg.split("<text ")
        .skip(1)
        .filter_map(|t| t.split('>').nth(1)?.split("</text").next())
        .map(str::trim)
        .collect()
}

fn light() -> Theme {
    Theme::light()
}

/// The BETH attack's shape: systemd → sshd → sshd (the login) → bash and sftp-server.
fn login() -> ProcessTree {
    ProcessTree {
        nodes: vec![
            node(None, "systemd", 1, None),
            node(Some(0), "sshd", 380, Some(0.01)),
            node(Some(1), "sshd", 7337, Some(0.9)),
            node(Some(2), "bash", 7338, Some(0.99)),
            node(Some(2), "sftp-server", 7339, Some(0.2)),
        ],
        focus: 2,
        threshold: 0.308,
        unlisted: 0,
    }
}

fn row(node: usize, depth: usize, parent: Option<usize>) -> Row {
    Row {
        node,
        depth,
        parent,
    }
}

#[test]
fn a_tree_is_laid_out_depth_first_from_its_roots() {
    let (rows, hidden) = layout(&login(), 10);
    assert_eq!(hidden, 0);
    assert_eq!(
        rows,
        [
            row(0, 0, None),
            row(1, 1, Some(0)),
            row(2, 2, Some(1)),
            row(3, 3, Some(2)),
            row(4, 3, Some(2)),
        ]
    );
    // The same family given children first: the same tree.
    let mut shuffled = login();
    shuffled.nodes = vec![
        node(Some(2), "bash", 7338, None),
        node(Some(2), "sftp-server", 7339, None),
        node(Some(3), "sshd", 7337, None),
        node(Some(4), "sshd", 380, None),
        node(None, "systemd", 1, None),
    ];
    let (rows, _) = layout(&shuffled, 10);
    let order: Vec<(usize, usize)> = rows.iter().map(|r| (r.node, r.depth)).collect();
    assert_eq!(order, [(4, 0), (3, 1), (2, 2), (0, 3), (1, 3)]);
}

#[test]
fn parents_out_of_range_on_themselves_or_in_a_cycle_are_roots() {
    let tree = ProcessTree {
        nodes: vec![
            node(Some(1), "a", 1, None),
            node(Some(0), "b", 2, None),
            node(Some(0), "c", 3, None),
            node(Some(99), "d", 4, None),
            node(Some(4), "e", 5, None),
        ],
        focus: 0,
        threshold: 0.5,
        unlisted: 0,
    };
    // d and e are roots (e on itself); a and b name each other: a, first unvisited, starts.
    let (rows, hidden) = layout(&tree, 10);
    assert_eq!(hidden, 0);
    assert_eq!(
        rows,
        [
            row(3, 0, None),
            row(4, 0, None),
            row(0, 0, None),
            row(1, 1, Some(2)),
            row(2, 1, Some(2)),
        ]
    );
}

#[test]
fn a_bounded_tree_keeps_the_alerts_process_and_its_ancestors() {
    // A root with ten children; the alert is about the last child.
    let mut nodes = vec![node(None, "init", 1, None)];
    nodes.extend((0..10).map(|i| node(Some(0), "worker", 100 + i, Some(0.1))));
    let tree = ProcessTree {
        nodes,
        focus: 10,
        threshold: 0.5,
        unlisted: 0,
    };
    // Four rows: three processes and "+8 more".
    let (rows, hidden) = layout(&tree, 4);
    assert_eq!(
        rows,
        [row(0, 0, None), row(1, 1, Some(0)), row(10, 1, Some(0))]
    );
    assert_eq!(hidden, 8);
    // A chain deeper than the height keeps the nearest ancestors, from the left edge.
    let chain = ProcessTree {
        nodes: (0..10usize)
            .map(|i| node(i.checked_sub(1), "sh", i as i64, None))
            .collect(),
        focus: 9,
        threshold: 0.5,
        unlisted: 0,
    };
    let (rows, hidden) = layout(&chain, 4);
    assert_eq!(
        rows,
        [row(7, 0, None), row(8, 1, Some(0)), row(9, 2, Some(1))]
    );
    assert_eq!(hidden, 7);
}

#[test]
fn tree_nodes_are_painted_by_row_and_depth_with_their_verdict_and_score() {
    let theme = light();
    let tree = login();
    let svg = render_at((480, 320), |a| process_tree::draw(a, &tree, &theme));
    // Filled circles: the three unflagged-but-scored nodes… two (0.01 and 0.2), plus the
    // legend's benign swatch; triangles: the flagged 0.9 and 0.99, plus the legend's.
    let low = circles(&svg, node_colour(&theme, Some(0.01)), false);
    let sftp = circles(&svg, node_colour(&theme, Some(0.2)), false);
    let (focus, bash) = (
        triangles(&svg, node_colour(&theme, Some(0.9))),
        triangles(&svg, node_colour(&theme, Some(0.99))),
    );
    assert_eq!(
        (low.len(), sftp.len(), focus.len(), bash.len()),
        (1, 1, 1, 1)
    );
    // systemd has no events: a ring in the baseline colour (and the legend's).
    let unknown = circles(&svg, theme.baseline, true);
    assert_eq!(unknown.len(), 2);
    let systemd = unknown[1];
    // One row each, top to bottom, at equal steps; each level one indent further right,
    // both children at the same depth.
    let ys = [systemd.1, low[0].1, focus[0].1, bash[0].1, sftp[0].1];
    let step = ys[1] - ys[0];
    assert!(step > 15, "{ys:?}");
    for (r, y) in ys.iter().enumerate() {
        assert!((y - ys[0] - step * r as i32).abs() <= 1, "{ys:?}");
    }
    let xs = [systemd.0, low[0].0, focus[0].0, bash[0].0, sftp[0].0];
    let indent = xs[1] - xs[0];
    assert!(indent > 10, "{xs:?}");
    for (depth, x) in [0, 1, 2, 3, 3].into_iter().zip(xs) {
        assert!((x - xs[0] - indent * depth).abs() <= 1, "{xs:?}");
    }
    // The alert's process: a band across its row, a ring around it, its label in bold.
    let band = hex(blend(theme.background, theme.accent, 0.18));
    let bands: Vec<&str> = shapes(&svg, "rect")
        .into_iter()
        .filter(|r| r.contains(&format!("fill=\"{band}\"")))
        .collect();
    assert_eq!(bands.len(), 1);
    let (top, height) = (attribute(bands[0], "y"), attribute(bands[0], "height"));
    let (Some(top), Some(height)) = (top, height) else {
        panic!("a band with a place: {}", bands[0]);
    };
    assert!((top + height / 2 - focus[0].1).abs() <= 1);
    assert_eq!(circles(&svg, theme.text, true), [focus[0]]);
    assert_eq!(text_y(&svg, "sshd (7337)"), Some(focus[0].1));
    let bold = svg
        .split("<text ")
        .find(|t| t.contains(">\nsshd (7337)\n"))
        .is_some_and(|t| t.contains("font-weight=\"bold\""));
    assert!(bold);
    // Labels right of their nodes; scores with three decimals, "–" for none.
    assert!(text_x(&svg, "bash (7338)").is_some_and(|x| x > bash[0].0));
    for score in ["–", "0.010", "0.900", "0.990", "0.200"] {
        assert!(texts(&svg).contains(&score), "{score}");
    }
    assert!(texts(&svg).contains(&"flagged (≥ 0.308)"));
}

#[test]
fn one_process_long_names_and_huge_trees_stay_in_bounds() {
    let theme = light();
    let one = ProcessTree {
        nodes: vec![node(None, "cat", 42, Some(0.0))],
        focus: 0,
        threshold: 0.5,
        unlisted: 0,
    };
    let svg = render_at((480, 320), |a| process_tree::draw(a, &one, &theme));
    assert_eq!(
        circles(&svg, theme.benign, false).len(),
        2,
        "node and legend"
    );
    assert!(texts(&svg).contains(&"cat (42)"));

    // A 10,000-character name loses its end; the pid stays.
    let long = ProcessTree {
        nodes: vec![node(None, &"x".repeat(10_000), 42, Some(0.0))],
        focus: 0,
        threshold: 0.5,
        unlisted: 0,
    };
    let svg = render_at((480, 320), |a| process_tree::draw(a, &long, &theme));
    let label = texts(&svg)
        .into_iter()
        .find(|t| t.starts_with("xxx"))
        .unwrap_or_default();
    assert!(label.ends_with("x… (42)"), "{label}");
    assert!(label.len() < 100, "{}", label.len());

    // 100,000 children of one root: as many rows as fit, then "+N more" for the rest.
    let mut nodes = vec![node(None, "init", 1, Some(0.0))];
    nodes.extend((0..99_999).map(|i| node(Some(0), "w", i, Some(0.0))));
    let huge = ProcessTree {
        nodes,
        focus: 0,
        threshold: 0.5,
        unlisted: 0,
    };
    let svg = render_at((480, 320), |a| process_tree::draw(a, &huge, &theme));
    let drawn = circles(&svg, theme.benign, false).len() - 1;
    assert!((5..20).contains(&drawn), "{drawn}");
    let more = format!("+{} more", super::thousands(100_000 - drawn as u64));
    assert!(texts(&svg).contains(&more.as_str()), "{more}");
    // The "+N more" line is the last row, one step below the last node.
    let ys: Vec<i32> = circles(&svg, theme.benign, false)[1..]
        .iter()
        .map(|c| c.1)
        .collect();
    let step = ys[1] - ys[0];
    assert!(text_y(&svg, &more).is_some_and(|y| (y - ys[drawn - 1] - step).abs() <= 1));
}

#[test]
fn an_empty_tree_says_no_data() {
    let empty = ProcessTree::default();
    let svg = render_at((480, 320), |a| process_tree::draw(a, &empty, &light()));
    assert!(texts(&svg).contains(&"no data"));
}

fn event(lane: usize, time: f64, name: &str, count: u64, suspicious: bool) -> TimelineEvent {
    TimelineEvent {
        lane,
        time,
        name: name.to_string(),
        count,
        suspicious,
    }
}

fn lane(name: &str, pid: i64) -> Lane {
    Lane {
        name: name.to_string(),
        pid: Some(pid),
    }
}

#[test]
fn consecutive_events_alike_form_one_run_with_their_count() {
    let timeline = Timeline {
        lanes: vec![lane("sshd", 7337), lane("bash", 7338)],
        events: vec![
            event(1, 5.0, "execve", 1, true),
            event(0, 3.0, "read", 2, false),
            event(0, 1.0, "read", 1, false),
            event(0, 2.0, "read", 0, false),
            event(0, 4.0, "read", 1, true),
            event(0, 6.0, "read", u64::MAX, false),
            event(0, 7.0, "read", 5, false),
            event(2, 8.0, "lost", 1, false),
            event(0, f64::NAN, "lost", 1, false),
        ],
        rows: false,
    };
    let found: Vec<(usize, f64, &str, u64, bool)> = runs(&drawable(&timeline, 2))
        .iter()
        .map(|r| (r.lane, r.time, r.name, r.count, r.suspicious))
        .collect();
    assert_eq!(
        found,
        [
            (0, 1.0, "read", 4, false),
            (0, 4.0, "read", 1, true),
            (0, 6.0, "read", u64::MAX, false),
            (1, 5.0, "execve", 1, true),
        ]
    );
}

#[test]
fn time_axes_pick_a_unit_for_their_span() {
    assert_eq!(time_unit(0.0), (1e-3, "milliseconds"));
    assert_eq!(time_unit(1.5), (1e-3, "milliseconds"));
    assert_eq!(time_unit(2.0), (1.0, "seconds"));
    assert_eq!(time_unit(299.0), (1.0, "seconds"));
    assert_eq!(time_unit(600.0), (60.0, "minutes"));
    assert_eq!(time_unit(86_400.0), (3600.0, "hours"));
}

#[test]
fn timeline_marks_sit_at_their_time_in_their_lane_with_their_verdict() {
    let theme = light();
    let timeline = Timeline {
        lanes: vec![lane("sshd", 7337), lane("bash", 7338)],
        events: vec![
            event(0, 100.0, "openat", 1, false),
            event(0, 101.0, "openat", 3, false),
            event(0, 104.0, "connect", 1, true),
            event(1, 102.0, "execve", 1, true),
            event(1, 103.0, "close", 1, false),
        ],
        rows: false,
    };
    let svg = render_at((480, 320), |a| timeline::draw(a, &timeline, &theme));
    // Rings for the three unflagged events, triangles for the two flagged (legend first).
    let rings = circles(&svg, theme.benign, true);
    let flagged = triangles(&svg, theme.suspicious);
    assert_eq!((rings.len(), flagged.len()), (4, 3));
    let (open0, open1, close) = (rings[1], rings[2], rings[3]);
    // Drawn lane by lane: connect (lane 0) before execve.
    let (connect, execve) = (flagged[1], flagged[2]);
    // Lane 0 (sshd) above lane 1 (bash); the marks of a lane on one line.
    assert_eq!(open0.1, open1.1);
    assert!((connect.1 - open0.1).abs() <= 2, "{connect:?} {open0:?}");
    assert!(close.1 > open0.1 + 30 && (execve.1 - close.1).abs() <= 2);
    // x from time: 4 s span; one second is a quarter of it.
    let second = f64::from(connect.0 - open0.0) / 4.0;
    assert!(second > 50.0, "{second}");
    for (mark, t) in [(open1, 1.0), (execve, 2.0), (close, 3.0)] {
        let expected = f64::from(open0.0) + second * t;
        assert!(
            (f64::from(mark.0) - expected).abs() <= 1.5,
            "{mark:?} at {t}"
        );
    }
    // Lane names left of the plot, level with their lanes; labels once per run, with counts.
    assert_eq!(text_y(&svg, "sshd (7337)"), Some(open0.1));
    assert_eq!(text_y(&svg, "bash (7338)"), Some(close.1));
    assert!(text_x(&svg, "sshd (7337)").is_some_and(|x| x < open0.0));
    let all = texts(&svg);
    for label in ["openat ×4", "connect", "execve", "close"] {
        assert_eq!(all.iter().filter(|t| **t == label).count(), 1, "{label}");
    }
    assert!(!all.contains(&"openat"));
    assert!(all.contains(&"seconds after the first event"));
}

#[test]
fn labels_that_would_overlap_go_below_or_are_left_out() {
    let theme = light();
    // Three events a millisecond apart in a 10 s span: the same pixel.
    let timeline = Timeline {
        lanes: vec![lane("sh", 1)],
        events: vec![
            event(0, 0.0, "first", 1, false),
            event(0, 0.001, "second", 1, false),
            event(0, 0.002, "third", 1, false),
            event(0, 10.0, "last", 1, false),
        ],
        rows: false,
    };
    let svg = render_at((480, 320), |a| timeline::draw(a, &timeline, &theme));
    let y = text_y(&svg, "sh (1)").unwrap_or_default();
    assert!(text_y(&svg, "first").is_some_and(|t| t < y));
    assert!(text_y(&svg, "second").is_some_and(|t| t > y));
    assert_eq!(text_y(&svg, "third"), None);
    // The last mark is at the right edge: its label ends there instead of starting.
    let last = svg
        .split("<text ")
        .find(|t| t.contains(">\nlast\n"))
        .unwrap_or_default();
    assert!(last.contains("text-anchor=\"end\""), "{last}");
    // A flagged run wins the slot over an earlier unflagged one.
    let flagged = Timeline {
        lanes: vec![lane("sh", 1)],
        events: vec![
            event(0, 0.0, "a", 1, false),
            event(0, 0.001, "b", 1, false),
            event(0, 0.002, "attack", 1, true),
            event(0, 10.0, "z", 1, false),
        ],
        rows: false,
    };
    let svg = render_at((480, 320), |a| timeline::draw(a, &flagged, &theme));
    assert!(text_y(&svg, "attack").is_some_and(|t| t < y));
    assert!(text_y(&svg, "a").is_some_and(|t| t > y));
    assert_eq!(text_y(&svg, "b"), None);
}

#[test]
fn timelines_stay_in_bounds() {
    let theme = light();
    // One event: a mark at the start of a nominal span.
    let one = Timeline {
        lanes: vec![lane("cat", 9)],
        events: vec![event(0, 1809.5, "openat", 1, true)],
        rows: false,
    };
    let svg = render_at((480, 320), |a| timeline::draw(a, &one, &theme));
    assert_eq!(triangles(&svg, theme.suspicious).len(), 2);
    assert!(texts(&svg).contains(&"openat"));
    // Without timestamps the times are row numbers.
    let rows = Timeline {
        rows: true,
        ..one.clone()
    };
    let svg = render_at((480, 320), |a| timeline::draw(a, &rows, &theme));
    assert!(texts(&svg).contains(&"rows after the first event"));

    // A huge count, a 5,000-character lane name and a 5,000-character event name.
    let long = Timeline {
        lanes: vec![lane(&"p".repeat(5_000), 7)],
        events: vec![
            event(0, 0.0, "read", u64::MAX, false),
            event(0, 1.0, &"e".repeat(5_000), 1, false),
        ],
        rows: false,
    };
    let svg = render_at((480, 320), |a| timeline::draw(a, &long, &theme));
    let all = texts(&svg);
    assert!(all.contains(&"read ×18,446,744,073,709,551,615"));
    let lane_label = all.iter().find(|t| t.starts_with("ppp")).copied();
    assert!(lane_label.is_some_and(|t| t.ends_with("p… (7)") && t.len() < 120));
    let event_label = all.iter().find(|t| t.starts_with("eee")).copied();
    assert!(event_label.is_some_and(|t| t.ends_with("e…") && t.len() < 120));

    // 10,000 processes: as many lanes as fit, and the title says so.
    let many = Timeline {
        lanes: (0..10_000).map(|i| lane("w", i)).collect(),
        events: (0..10_000)
            .map(|i| event(i, i as f64, "x", 1, false))
            .collect(),
        rows: false,
    };
    let svg = render_at((480, 320), |a| timeline::draw(a, &many, &theme));
    let shown = circles(&svg, theme.benign, true).len() - 1;
    assert!((2..10).contains(&shown), "{shown}");
    let title = format!("Timeline (first {shown} of 10,000 processes)");
    assert!(texts(&svg).contains(&title.as_str()), "{title}");
}

#[test]
fn timelines_without_drawable_events_say_no_data() {
    let theme = light();
    let cases = [
        Timeline::default(),
        Timeline {
            lanes: vec![lane("a", 1)],
            events: Vec::new(),
            rows: false,
        },
        Timeline {
            lanes: vec![lane("a", 1)],
            events: vec![
                event(0, f64::NAN, "x", 1, false),
                event(3, 1.0, "y", 1, false),
            ],
            rows: false,
        },
    ];
    for timeline in cases {
        let svg = render_at((480, 320), |a| timeline::draw(a, &timeline, &theme));
        assert!(texts(&svg).contains(&"no data"), "{timeline:?}");
    }
}
