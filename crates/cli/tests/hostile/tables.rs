//! README.md's and docs/HOSTILE.md's tables of malformed-input classes, written from the list in
//! `classes.rs` between the markers below (the prose around them is written by hand).

use crate::classes::{Class, Run};
use std::path::Path;

const START: &str = "<!-- hostile:table -->";
const END: &str = "<!-- /hostile:table -->";

/// Where the list is, for the line above each table and the messages of the check.
const LIST: &str = "crates/cli/tests/hostile/classes.rs";

/// The lines above each table: how every row's message is checked.
fn provenance() -> String {
    format!(
        "Written by `make hostile-table` from the list in `{LIST}`; its test\n\
         `every_malformed_input_class_gets_its_message` runs every row's command and checks the exit code\n\
         and the exact output. A row marked (page) is the page's alone: the test requires the file named\n\
         in docs/HOSTILE.md's row to assert its message word for word.\n\n"
    )
}

/// A table cell: every row's text stays on its row.
fn cell(text: &str) -> &str {
    assert!(!text.contains(['|', '\n']), "breaks the table: {text}");
    text
}

/// README's table: each class and its exact message, or what happens to a file accepted.
fn readme(classes: &[Class]) -> String {
    let mut table = provenance() + "| class | exact message |\n|---|---|\n";
    for class in classes {
        let message = if !class.refused() {
            format!("accepted: {}", class.note)
        } else if class.note.is_empty() {
            format!("`{}`", class.message())
        } else {
            format!("`{}` {}", class.message(), class.note)
        };
        table += &format!("| {} | {} |\n", cell(class.name), cell(&message));
    }
    table
}

/// docs/HOSTILE.md's table: each class's command, exit code and exact output.
fn hostile_md(classes: &[Class]) -> String {
    let mut table = provenance()
        + "| class | command | exit | exact output (last line of stderr) |\n|---|---|---|---|\n";
    for class in classes {
        let (command, exit) = match class.run {
            Run::Cli(args) => (
                format!("`cyber-attack-detector {args}`"),
                if class.refused() { "1" } else { "0" },
            ),
            Run::Page { how, test } => (format!("the page only: {how}; checked by `{test}`"), "—"),
        };
        table += &format!(
            "| {} | {} | {exit} | `{}` |\n",
            cell(class.name),
            cell(&command),
            cell(class.output)
        );
    }
    table
}

/// The text between the markers of `text`, if it has both in order.
fn block(text: &str) -> Option<(usize, usize)> {
    let start = text.find(START)? + START.len() + 1;
    let end = start + text.get(start..)?.find(END)?;
    Some((start, end))
}

/// Requires each file's marked block to be the table written from `classes`; with
/// `UPDATE_HOSTILE_TABLE=1` in the environment (`make hostile-table`) rewrites the blocks instead.
pub(crate) fn check_or_write(root: &Path, classes: &[Class]) {
    let update = std::env::var_os("UPDATE_HOSTILE_TABLE").is_some();
    for (file, table) in [
        ("README.md", readme(classes)),
        ("docs/HOSTILE.md", hostile_md(classes)),
    ] {
        let path = root.join(file);
        let text = std::fs::read_to_string(&path).expect(file);
        let (start, end) =
            block(&text).unwrap_or_else(|| panic!("{file} has no {START} … {END} block"));
        if update {
            let written = [&text[..start], &table, &text[end..]].concat();
            std::fs::write(&path, written).expect(file);
        } else {
            assert_eq!(
                text[start..end],
                table,
                "{file}'s table differs from the list in {LIST}: run `make hostile-table`"
            );
        }
    }
}
