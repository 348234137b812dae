//! A process's family as a tree, one row per process, indented by depth like `pstree`: its
//! ancestors (from the file's parent ids) down to it, and its children below. Each node is
//! coloured by the highest score of its events on the benign → suspicious scale and shaped by
//! its verdict (a triangle when flagged, a circle otherwise, a ring when the file has none of
//! its events), and the alert's own process is highlighted. Rows that do not fit are counted
//! in a last "+N more" row; the alert's process and its nearest ancestors always get theirs.

use super::style::{fit_end, fmt_threshold, triangle, Key, Style, Swatch, Triangle};
use super::{blend, ChartError, Theme};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::{Deserialize, Serialize};

/// One process of a [`ProcessTree`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TreeNode {
    /// Its parent's index in [`ProcessTree::nodes`], or `None` for a root. An index out of
    /// range, or one that closes a cycle, counts as none.
    pub parent: Option<usize>,
    /// The process's name as the file spells it.
    pub name: String,
    /// The process id, when the file has one.
    pub pid: Option<i64>,
    /// The highest score of its events, or `None` when the file has none of its events (an
    /// ancestor known only as a parent id).
    pub score: Option<f32>,
}

/// What [`draw`] draws: the processes and which of them the alert is about.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProcessTree {
    /// The processes, in any order; each names its parent by index.
    pub nodes: Vec<TreeNode>,
    /// The index of the alert's own process in `nodes` (out of range: none is highlighted).
    pub focus: usize,
    /// Scores at or above it are flagged suspicious.
    pub threshold: f32,
    /// Processes of the family known but not in `nodes` (children beyond a list's bound),
    /// counted in the "+N more" row.
    pub unlisted: u64,
}

/// A node's place in the drawing: a row in depth-first order under its parent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Row {
    /// The index in [`ProcessTree::nodes`].
    pub node: usize,
    /// Its depth below its root.
    pub depth: usize,
    /// The row of its parent, when that row is drawn.
    pub parent: Option<usize>,
}

/// The rows to draw, at most `fits` of them, and how many processes are left out. With
/// fewer rows than processes, the last row is left for the "+N more" line: the alert's
/// process and its nearest ancestors come first, then the others in depth-first order.
/// Linear in the number of nodes.
pub(super) fn layout(tree: &ProcessTree, fits: usize) -> (Vec<Row>, usize) {
    let n = tree.nodes.len();
    let parent_of = |i: usize| tree.nodes[i].parent.filter(|&p| p < n && p != i);
    let mut children = vec![Vec::new(); n];
    for i in 0..n {
        if let Some(p) = parent_of(i) {
            children[p].push(i);
        }
    }
    // Depth-first from each root, then from each node still unvisited (one on a cycle), so
    // every node is visited once. `found[i]` is the node i was reached from.
    let mut order = Vec::with_capacity(n);
    let (mut visited, mut depth, mut found) = (vec![false; n], vec![0; n], vec![None; n]);
    let roots = (0..n).filter(|&i| parent_of(i).is_none());
    let mut stack = Vec::new();
    for start in roots.chain(0..n) {
        if visited[start] {
            continue;
        }
        visited[start] = true;
        stack.push(start);
        while let Some(i) = stack.pop() {
            order.push(i);
            // Reversed, so that children come out in index order.
            for &c in children[i].iter().rev() {
                if !visited[c] {
                    visited[c] = true;
                    (depth[c], found[c]) = (depth[i] + 1, Some(i));
                    stack.push(c);
                }
            }
        }
    }

    let (keep, hidden) = if n <= fits {
        (vec![true; n], 0)
    } else {
        let budget = fits.saturating_sub(1).max(1);
        let mut keep = vec![false; n];
        // The focus and its nearest ancestors, as many as the budget holds.
        let mut chain = (tree.focus < n).then_some(tree.focus);
        let mut kept = 0;
        while let Some(i) = chain {
            if kept == budget {
                break;
            }
            keep[i] = true;
            kept += 1;
            chain = found[i];
        }
        // Then the others in depth-first order: a prefix, so with its own ancestors.
        for &i in &order {
            if kept == budget {
                break;
            }
            if !keep[i] {
                keep[i] = true;
                kept += 1;
            }
        }
        (keep, n - kept)
    };

    let mut row_of = vec![None; n];
    let mut rows = Vec::new();
    for &i in order.iter().filter(|&&i| keep[i]) {
        row_of[i] = Some(rows.len());
        rows.push(Row {
            node: i,
            depth: depth[i],
            parent: found[i].and_then(|p| row_of[p]),
        });
    }
    // A chain cut at the top starts at the left edge.
    let shallowest = rows.iter().map(|r| r.depth).min().unwrap_or(0);
    for row in &mut rows {
        row.depth -= shallowest;
    }
    (rows, hidden)
}

/// The fill of a node whose highest score is `score`: from the benign colour to the
/// suspicious one; the grid's colour when there is no score.
pub fn node_colour(theme: &Theme, score: Option<f32>) -> RGBColor {
    match score {
        Some(s) => blend(theme.benign, theme.suspicious, f64::from(s)),
        None => theme.baseline,
    }
}

/// Draws `tree`: one row per process, as many as fit, the alert's process highlighted.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    tree: &ProcessTree,
    theme: &Theme,
) -> Result<(), ChartError> {
    const TITLE: &str = "Process tree";
    let style = Style::new(area, theme);
    if tree.nodes.is_empty() {
        return style.no_data(area, TITLE);
    }
    let radius = style.marker_radius();
    let keys = [
        Key {
            swatch: Swatch::Marker(theme.benign.filled()),
            label: "not flagged".to_string(),
        },
        Key {
            swatch: Swatch::Triangle(theme.suspicious.filled()),
            label: format!("flagged (≥ {})", fmt_threshold(tree.threshold)),
        },
        Key {
            swatch: Swatch::Marker(theme.baseline.stroke_width(style.line)),
            label: "no events in the file".to_string(),
        },
    ];
    let plot = style.header(area, TITLE, &keys)?;
    let (w, h) = plot.dim_in_pixel();
    let (w, h) = (f64::from(w), f64::from(h));
    let pad = style.text * 0.8;
    let row_h = style.text * 1.9;
    let fits = (((h - pad) / row_h).floor() as usize).max(1);
    let (rows, hidden) = layout(tree, fits);

    let font = style.font(style.text, theme.text);
    let measure = |text: &str| -> Result<f64, ChartError> {
        Ok(f64::from(plot.estimate_text_size(text, &font)?.0))
    };
    // Indentation for at most 40% of the width; deeper rows stay at that depth.
    let indent = style.text * 1.3;
    let max_depth = ((w * 0.4) / indent).floor().max(1.0) as usize;
    let score_w = measure("0.000")? + pad;
    let gap = style.text * 0.5;
    let centre = |r: usize| (pad * 0.5 + row_h * (r as f64 + 0.5)) as i32;
    let node_x = |row: &Row| (pad + indent * row.depth.min(max_depth) as f64) as i32;

    // Connectors first, under the nodes: down from the parent, then across to the child.
    let line = theme.grid.stroke_width(style.line);
    for (r, row) in rows.iter().enumerate() {
        if let Some(p) = row.parent {
            let (px, py) = (node_x(&rows[p]), centre(p));
            let (x, y) = (node_x(row), centre(r));
            plot.draw(&PathElement::new(vec![(px, py), (px, y), (x, y)], line))?;
        }
    }
    let left = font.clone().pos(Pos::new(HPos::Left, VPos::Center));
    let right = font.clone().pos(Pos::new(HPos::Right, VPos::Center));
    let bold = style
        .bold(style.text, theme.text)
        .pos(Pos::new(HPos::Left, VPos::Center));
    for (r, row) in rows.iter().enumerate() {
        let node = &tree.nodes[row.node];
        let (x, y) = (node_x(row), centre(r));
        let focus = row.node == tree.focus;
        if focus {
            let half = (row_h / 2.0) as i32;
            let band = blend(theme.background, theme.accent, 0.18);
            plot.draw(&Rectangle::new(
                [(0, y - half), (w as i32, y + half)],
                band.filled(),
            ))?;
            plot.draw(&Circle::new((x, y), radius + 3, theme.text.stroke_width(2)))?;
        }
        let fill = node_colour(theme, node.score);
        match node.score {
            Some(s) if s >= tree.threshold => {
                plot.draw(&Triangle::new((x, y), triangle(radius), fill.filled()))?;
            }
            Some(_) => plot.draw(&Circle::new((x, y), radius, fill.filled()))?,
            None => plot.draw(&Circle::new((x, y), radius, fill.stroke_width(style.line)))?,
        }
        let label_x = f64::from(x) + f64::from(radius) + gap;
        let room = w - label_x - score_w;
        let pid = super::timeline::pid_suffix(node.pid);
        let name = fit_end(&node.name, room - measure(&pid)?, &measure)?;
        let label = format!("{name}{pid}");
        let text = if focus { bold.clone() } else { left.clone() };
        plot.draw(&Text::new(label, (label_x as i32, y), text))?;
        let score = node.score.map_or("–".to_string(), |s| format!("{s:.3}"));
        plot.draw(&Text::new(score, ((w - pad) as i32, y), right.clone()))?;
    }
    let hidden = (hidden as u64).saturating_add(tree.unlisted);
    if hidden > 0 {
        let y = centre(rows.len());
        let muted = style
            .font(style.text, theme.baseline)
            .pos(Pos::new(HPos::Left, VPos::Center));
        let more = format!("+{} more", super::thousands(hidden));
        plot.draw(&Text::new(more, (pad as i32, y), muted))?;
    }
    Ok(())
}
