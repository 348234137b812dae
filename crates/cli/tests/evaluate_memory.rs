//! `evaluate` streams: a labelled file of 3,000,000 rows (a 360 KB gzip) is evaluated within
//! 200 MB of address space, where holding its rows took over 250 MB (and 10,000,000 plain rows
//! took 1.08 GB). Memory is capped with `ulimit -v`, not timed; one malloc arena keeps glibc's
//! per-thread reservations out of the count. Checked on the CLI before the fix (c470893^, which
//! held every row): this test fails there with "memory allocation of 72000000 bytes failed".

use flate2::write::GzEncoder;
use flate2::Compression;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_cyber-attack-detector");
const ROWS: usize = 3_000_000;

fn big_labelled_gzip() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cad-evaluate-memory-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch directory");
    let path = dir.join("big.csv.gz");
    let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
    gz.write_all(b"processId,parentProcessId,userId,argsNum,returnValue,sus\n")
        .expect("header");
    let pair = "381,1,100,5,0,0\n7337,4321,1000,2,-2,1\n".repeat(10_000);
    for _ in 0..ROWS / 20_000 {
        gz.write_all(pair.as_bytes()).expect("rows");
    }
    std::fs::write(&path, gz.finish().expect("gzip")).expect("write");
    path
}

#[test]
fn evaluate_holds_scores_not_rows() {
    let input = big_labelled_gzip();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let o = Command::new("sh")
        .arg("-c")
        .arg(r#"ulimit -v 200000 && exec "$0" "$@""#)
        .arg(BIN)
        .args([
            "evaluate",
            "--model",
            "data/model.json",
            "--json",
            "--input",
        ])
        .arg(&input)
        .env("MALLOC_ARENA_MAX", "1")
        .current_dir(root)
        .output()
        .expect("the CLI runs");
    assert!(
        o.status.success(),
        "evaluate ran out of 200 MB: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let evaluation: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(evaluation["data"]["rows"], ROWS);
    assert_eq!(evaluation["data"]["suspicious"], ROWS / 2);
    let c = &evaluation["summary"]["confusion"];
    let counted: u64 = ["tn", "fp", "fn", "tp"]
        .iter()
        .map(|k| c[k].as_u64().expect("count"))
        .sum();
    assert_eq!(counted, ROWS as u64);
    let _ = std::fs::remove_file(input);
}
