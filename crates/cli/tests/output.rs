//! `score --output` never replaces what it should write into, and never touches a file of the
//! user's beside its target: a FIFO stays a FIFO, a symlink stays a link (its target gets the
//! output), `-` is standard output, and a failed run leaves no temporary file and the old output
//! as it was. `tests/fixtures/sample_scores.csv` is the expected output for the shipped sample.

use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_cyber-attack-detector");
const EXPECTED: &str = include_str!("../../../tests/fixtures/sample_scores.csv");

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A fresh directory for one test.
fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cad-output-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch directory");
    dir
}

fn score(input: &Path, output: &Path) -> Output {
    Command::new(BIN)
        .args(["score", "--model", "data/model.json", "--input"])
        .arg(input)
        .arg("--output")
        .arg(output)
        .current_dir(root())
        .output()
        .expect("the CLI runs")
}

fn sample() -> PathBuf {
    root().join("data/sample.csv")
}

/// The names in `dir`, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_fifo_is_written_into_and_stays_a_fifo() {
    let dir = scratch("fifo");
    let fifo = dir.join("scores.csv");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    // The reader must be open before the CLI opens the FIFO for writing.
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).expect("read the fifo"))
    };
    let o = score(&sample(), &fifo);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(reader.join().expect("reader"), EXPECTED);
    let kind = std::fs::symlink_metadata(&fifo)
        .expect("still there")
        .file_type();
    assert!(kind.is_fifo(), "the FIFO was replaced by {kind:?}");
    assert_eq!(listing(&dir), ["scores.csv"]);
}

#[test]
fn a_symlink_stays_a_link_and_its_target_gets_the_output() {
    let dir = scratch("symlink");
    let real = dir.join("real.csv");
    std::fs::write(&real, "old").expect("write");
    let link = dir.join("link.csv");
    std::os::unix::fs::symlink(&real, &link).expect("symlink");
    let o = score(&sample(), &link);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(std::fs::symlink_metadata(&link)
        .expect("link")
        .file_type()
        .is_symlink());
    assert_eq!(std::fs::read_to_string(&real).expect("target"), EXPECTED);
    assert_eq!(listing(&dir), ["link.csv", "real.csv"]);
}

#[test]
fn a_regular_file_is_replaced_and_neighbours_are_left_alone() {
    let dir = scratch("regular");
    let out = dir.join("notes.csv");
    std::fs::write(&out, "old").expect("write");
    // The old implementation wrote `notes.partial` and then deleted it.
    std::fs::write(dir.join("notes.partial"), "my notes").expect("write");
    let o = score(&sample(), &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(std::fs::read_to_string(&out).expect("output"), EXPECTED);
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.partial")).expect("neighbour"),
        "my notes"
    );
    assert_eq!(listing(&dir), ["notes.csv", "notes.partial"]);
}

#[test]
fn a_failed_run_keeps_the_old_output_and_leaves_no_temporary_file() {
    let dir = scratch("failed");
    let out = dir.join("scores.csv");
    std::fs::write(&out, "old").expect("write");
    let bad = dir.join("bad.csv");
    let mut rows = EXPECTED.lines().take(3).collect::<Vec<_>>().join("\n");
    rows.push_str("\n1,2,3\n");
    std::fs::write(&bad, &rows).expect("write");
    let o = score(&bad, &out);
    assert!(!o.status.success());
    assert_eq!(
        String::from_utf8_lossy(&o.stderr).trim(),
        "error: bad.csv, line 4: expected 18 fields like the header, found 3"
    );
    assert_eq!(std::fs::read_to_string(&out).expect("output"), "old");
    assert_eq!(listing(&dir), ["bad.csv", "scores.csv"]);
}

#[test]
fn a_dash_is_standard_output() {
    let o = score(&sample(), Path::new("-"));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(String::from_utf8_lossy(&o.stdout), EXPECTED);
}

#[test]
fn spreadsheet_safe_guards_formula_cells_and_keeps_numbers() {
    let dir = scratch("spreadsheet");
    let input = dir.join("formulas.csv");
    std::fs::write(
        &input,
        "processId,parentProcessId,userId,argsNum,returnValue,note\n\
         1,0,0,1,-2,=HYPERLINK(\"http://x\")\n",
    )
    .expect("write");
    let out = dir.join("scored.csv");
    let o = Command::new(BIN)
        .args([
            "score",
            "--model",
            "data/model.json",
            "--spreadsheet-safe",
            "--input",
        ])
        .arg(&input)
        .arg("--output")
        .arg(&out)
        .current_dir(root())
        .output()
        .expect("the CLI runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let scored = std::fs::read_to_string(&out).expect("output");
    let row = scored.lines().nth(1).expect("a row");
    assert!(
        row.starts_with("1,0,0,1,-2,\"'=HYPERLINK(\"\"http://x\"\")\","),
        "{row}"
    );
    // Without the flag the cell is kept as read.
    let o = score(&input, &out);
    assert!(o.status.success());
    let scored = std::fs::read_to_string(&out).expect("output");
    assert!(
        scored.contains(",\"=HYPERLINK(\"\"http://x\"\")\","),
        "{scored}"
    );
}
