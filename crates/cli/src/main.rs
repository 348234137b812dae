//! The native command line: train, evaluate, score, alerts and sample, on the same core as the page.
//! Each subcommand's module returns a one-line error message for the user on failure.

// A command line talks on stdout and stderr; the workspace lints keep printing out of libraries.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod alerts;
mod anomaly_report;
mod args;
mod data;
mod evaluate;
mod export;
mod held_out;
mod input;
mod output;
mod progress;
mod report;
mod resample;
mod sample;
mod score;
mod scored_json;
mod train;
mod train_anomaly;

use args::Args;
use std::process::ExitCode;

const USAGE: &str = "\
usage: cyber-attack-detector <command> [options]

commands:
  train     --data <DIR or train CSV> [--validation <CSV>] --out <model.json>
            [--preset reference|default|names] [--seed N] [--report <metrics.md>]
            [--seeds N: also retrain both recipes with seeds 1..N, for the report]
  train --preset anomaly|paper --data <DIR or CSV, labels optional> --out <anomaly.json>
            [--method histogram|forest: anomaly's default is histogram, paper's forest]
            [--budget N: at most N alerts per 10,000 benign-looking events, default 100]
            [--seed N] [--seeds N: also refit with seeds 1..N and compare the methods host by host]
            [--compare <supervised model.json>]
            [--report <metrics.md>: appends the anomaly model's section]
            (fitted without labels: on the benign rows of labelled files)
  holdout   --data <DIR> --host <HOST> [--presets default,names] [--seed N]
            [--report <metrics.md>: appends] (each preset retrained without HOST's rows, then
            HOST's rows scored: its false alarms on a machine never trained on)
  holdout   --data <DIR> --every-host [--presets …] [--seed N] [--report <metrics.md>]
            (the same for each host of the training rows in turn: leave one host out)
  evaluate  --model <model.json or anomaly.json> --input <labelled CSV or JSON lines, or - for stdin> [--json]
  score     --model <model.json> --input <CSV or JSON lines, or - for stdin> --output <file or ->
            [--spreadsheet-safe: prefix ' to CSV cells a spreadsheet would run as formulas]
  alerts    --model <model.json> --input <CSV or JSON lines, or - for stdin> --output <file or ->
            [--top N] (one alert per process, ranked, as Elastic Common Schema NDJSON)
  export    --model <model.json> --onnx <OUT.onnx>
            (the feature transforms and the network as a standard ONNX graph: raw columns in,
            score and verdict out, threshold and feature spec in its metadata)
  sample    --data <DIR> --out <CSV> --rows N [--seed N]
  resample  --input <CSV> --out <CSV> --rows N [--seed N]
            (draws real rows with replacement: full-size stand-ins for scale tests)

Inputs are BETH CSV or Tracee JSON lines (`tracee --output json`), told apart by their first
byte, and may be gzip-compressed. A DIR holds BETH's train, validation and test
files (train.csv[.gz] or labelled_training_data.csv, and so on).";

fn run(argv: &[String]) -> Result<(), String> {
    let Some((command, rest)) = argv.split_first() else {
        return Err(format!("no command given\n{USAGE}"));
    };
    match command.as_str() {
        "train" => train::run(&Args::parse(
            rest,
            &[
                "data",
                "validation",
                "out",
                "preset",
                "seed",
                "seeds",
                "report",
                "budget",
                "compare",
                "method",
            ],
            &[],
        )?),
        "holdout" => held_out::run(&Args::parse(
            rest,
            &["data", "host", "presets", "seed", "report"],
            &["every-host"],
        )?),
        "evaluate" => evaluate::run(&Args::parse(rest, &["model", "input"], &["json"])?),
        "score" => score::run(&Args::parse(
            rest,
            &["model", "input", "output"],
            &["spreadsheet-safe"],
        )?),
        "alerts" => alerts::run(&Args::parse(
            rest,
            &["model", "input", "output", "top"],
            &[],
        )?),
        "export" => export::run(&Args::parse(rest, &["model", "onnx"], &[])?),
        "sample" => sample::run(&Args::parse(rest, &["data", "out", "rows", "seed"], &[])?),
        "resample" => resample::run(&Args::parse(rest, &["input", "out", "rows", "seed"], &[])?),
        "help" | "--help" | "-h" => {
            println!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command {other:?}\n{USAGE}")),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
