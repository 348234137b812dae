//! The one list of malformed-input classes: each class's file, what is done with it and the exact
//! message it gets. `every_malformed_input_class_gets_its_message` (in `hostile.rs`) checks every
//! entry, then requires README.md's and docs/HOSTILE.md's tables to be the ones written from it
//! (`tables.rs`). A new class is one more entry in `classes()`; `make hostile-table` then
//! rewrites both tables.

#[path = "../../../../tests/support/absurd_train.rs"]
mod absurd_train;

use absurd_train::absurd_train;
use serde_json::{json, Value};

/// The labelled header of most files: docs/HOSTILE.md's `$H`.
const H: &str = "processId,parentProcessId,userId,argsNum,returnValue,sus";

/// One malformed-input class: a row of both tables.
pub(crate) struct Class {
    /// The row's name in both tables.
    pub(crate) name: &'static str,
    /// The file this class adds to the scratch directory (other classes may use it too).
    pub(crate) file: Option<(&'static str, Bytes)>,
    /// How the message is produced and checked.
    pub(crate) run: Run,
    /// The exact output: the CLI's last line of stderr, or the page's message.
    pub(crate) output: &'static str,
    /// README's note after the message; for an accepted file, what happens to it.
    pub(crate) note: &'static str,
}

impl Class {
    /// Whether the input is refused: the CLI says `error: …` (and exits 1); a page-only class
    /// is always a refusal.
    pub(crate) fn refused(&self) -> bool {
        matches!(self.run, Run::Page { .. }) || self.output.starts_with("error: ")
    }

    /// The message as the page shows it: the output without the CLI's `error: `.
    pub(crate) fn message(&self) -> &str {
        self.output.strip_prefix("error: ").unwrap_or(self.output)
    }
}

pub(crate) enum Run {
    /// `cyber-attack-detector <these arguments>` in the scratch directory, which holds the shipped
    /// model as `model.json`. It exits 1 when the output starts with `error: `, else 0.
    Cli(&'static str),
    /// A class only the page has: `test` (a path from the repository's top) must assert
    /// `output` word for word; `how` says what the page is given.
    Page {
        how: &'static str,
        test: &'static str,
    },
}

/// How a file's bytes are made: the recipes of docs/HOSTILE.md.
pub(crate) enum Bytes {
    /// `$H`, a line break, then these rows.
    Labelled(&'static str),
    /// Exactly these bytes.
    Raw(&'static [u8]),
    /// The shipped model, edited as JSON and written compactly.
    Model(fn(&mut Value)),
    /// Made from the sample or the shipped model by a function of its own.
    Made(fn() -> Vec<u8>),
}

impl Bytes {
    pub(crate) fn make(&self) -> Vec<u8> {
        match self {
            Bytes::Labelled(rows) => format!("{H}\n{rows}").into_bytes(),
            Bytes::Raw(bytes) => bytes.to_vec(),
            Bytes::Model(edit) => {
                let mut model = shipped();
                edit(&mut model);
                model.to_string().into_bytes()
            }
            Bytes::Made(make) => make(),
        }
    }
}

const SHIPPED: &str = include_str!("../../../../data/model.json");

fn shipped() -> Value {
    serde_json::from_str(SHIPPED).expect("the shipped model is JSON")
}

/// The shipped model as docs/HOSTILE.md's Python writes it (`json.dumps`): one line, `, ` and
/// `: ` between items, floats in Python's notation and non-ASCII escaped, so that positions
/// in messages are the ones a reader following the recipe gets. (One difference, far past both
/// cuts: a float whose 17th digit is a tie rounds up here and to even in Python.)
fn python_dumps(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let mut chars = json.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            match c {
                '\\' => out.extend([c].into_iter().chain(chars.next())),
                '"' => {
                    in_string = false;
                    out.push(c);
                }
                c if c.is_ascii() => out.push(c),
                c => {
                    for unit in c.encode_utf16(&mut [0; 2]) {
                        out += &format!("\\u{unit:04x}");
                    }
                }
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            ',' | ':' => {
                out.push(c);
                out.push(' ');
            }
            '-' | '0'..='9' => {
                let mut number = String::from(c);
                while let Some(&d) = chars.peek().filter(|d| "0123456789.eE+-".contains(**d)) {
                    number.push(d);
                    chars.next();
                }
                out += &python_number(&number);
            }
            c if c.is_ascii_whitespace() => {}
            c => out.push(c),
        }
    }
    out
}

/// Python's `repr` of a JSON number: integers as they are; floats with the shortest digits,
/// in scientific notation (`1e-05`, `1e+16`) below 1e-4 and from 1e16 on, else with a point.
fn python_number(number: &str) -> String {
    if !number.contains(['.', 'e', 'E']) {
        return number.to_string();
    }
    let value: f64 = number.parse().expect("a JSON number");
    let scientific = format!("{value:e}");
    let (digits, exponent) = scientific.split_once('e').expect("an exponent");
    let exponent: i32 = exponent.parse().expect("an integer exponent");
    if (-4..16).contains(&exponent) {
        let plain = value.to_string();
        if plain.contains('.') {
            plain
        } else {
            plain + ".0"
        }
    } else {
        let sign = if exponent < 0 { '-' } else { '+' };
        format!("{digits}e{sign}{:02}", exponent.abs())
    }
}

/// The shipped model as Python writes it, cut after 5,000 characters.
fn cut_model() -> Vec<u8> {
    python_dumps(SHIPPED).as_bytes()[..5_000].to_vec()
}

/// The shipped model as Python writes it, with a null for the first layer's first weight.
fn null_weight() -> Vec<u8> {
    let text = python_dumps(SHIPPED);
    let first = text.find("\"weights\": [").expect("weights") + "\"weights\": [".len();
    let end = first + text[first..].find(',').expect("more weights");
    [&text[..first], "null", &text[end..]].concat().into_bytes()
}

/// One JSON event of more than a mebibyte: a process id of 2^20 digits.
fn long_json_line() -> Vec<u8> {
    format!("{{\"processId\":\"{}\"}}\n", "1".repeat(1 << 20)).into_bytes()
}

/// Every class, in the tables' order.
/// A header of 1,001 columns (all named `c`).
fn wide() -> Vec<u8> {
    format!("{}\n", vec!["c"; 1001].join(",")).into_bytes()
}

/// A gzip of `$H` and a row whose fifth field is 2 MiB of `9`s, with no line end.
fn endless() -> Vec<u8> {
    use std::io::Write;
    let text = [H.as_bytes(), b"\n1,0,0,1,", &[b'9'; 2 << 20]].concat();
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(&text).expect("in memory");
    encoder.finish().expect("in memory")
}

pub(crate) fn classes() -> Vec<Class> {
    use Bytes::{Labelled, Made, Model, Raw};
    use Run::{Cli, Page};
    vec![
        Class {
            name: "empty file",
            file: Some(("empty.csv", Raw(b""))),
            run: Cli("score --model model.json --input empty.csv --output out.csv"),
            output: "error: empty.csv: the file is empty; expected a CSV header line",
            note: "",
        },
        Class {
            name: "header only (score)",
            file: Some(("header-only.csv", Labelled(""))),
            run: Cli("score --model model.json --input header-only.csv --output out.csv"),
            output: "scored 0 rows of header-only.csv: 0 suspicious at threshold 0.308; wrote out.csv",
            note: "the CLI writes a header-only output; the page refuses it as below",
        },
        Class {
            name: "header only (alerts)",
            file: None,
            run: Cli("alerts --model model.json --input header-only.csv --output out.ndjson"),
            output: "grouped 0 rows of header-only.csv into 0 processes, 0 of them alerts at threshold 0.308; wrote 0 to out.ndjson",
            note: "the CLI writes an empty NDJSON file (no alerts)",
        },
        Class {
            name: "header only (evaluate, train)",
            file: None,
            run: Cli("evaluate --model model.json --input header-only.csv"),
            output: "error: header-only.csv: the file has a header but no data rows",
            note: "",
        },
        Class {
            name: "missing column",
            file: Some(("missing-column.csv", Raw(b"processId,userId,argsNum,returnValue,sus\n1,0,1,0,0\n"))),
            run: Cli("score --model model.json --input missing-column.csv --output out.csv"),
            output: "error: missing-column.csv, line 1: expected a column named \"parentProcessId\", but the header has only: processId, userId, argsNum, returnValue, sus",
            note: "",
        },
        Class {
            name: "extra columns",
            file: Some((
                "extra-columns.csv",
                Raw(b"processId,parentProcessId,userId,argsNum,returnValue,sus,host,note\n1,0,0,1,0,0,h1,x\n"),
            )),
            run: Cli("score --model model.json --input extra-columns.csv --output out.csv"),
            output: "scored 1 rows of extra-columns.csv: 0 suspicious at threshold 0.308; wrote out.csv",
            note: "ignored by the model, kept in the scored CSV",
        },
        Class {
            name: "wrong type",
            file: Some(("wrong-type.csv", Labelled("1,0,0,1,0,0\n7,1,zero,1,0,1\n"))),
            run: Cli("score --model model.json --input wrong-type.csv --output out.csv"),
            output: "error: wrong-type.csv, line 3, column 3 (userId): expected a number, found \"zero\"",
            note: "",
        },
        Class {
            name: "NaN",
            file: Some(("nan.csv", Labelled("1,0,NaN,1,0,0\n"))),
            run: Cli("score --model model.json --input nan.csv --output out.csv"),
            output: "error: nan.csv, line 2, column 3 (userId): expected a finite number, found \"NaN\"",
            note: "",
        },
        Class {
            name: "infinity",
            file: Some(("inf.csv", Labelled("1,0,0,1,-inf,0\n"))),
            run: Cli("score --model model.json --input inf.csv --output out.csv"),
            output: "error: inf.csv, line 2, column 5 (returnValue): expected a finite number, found \"-inf\"",
            note: "",
        },
        Class {
            name: "overflow (beyond f64)",
            file: Some(("overflow.csv", Labelled("1e400,0,0,1,0,0\n"))),
            run: Cli("score --model model.json --input overflow.csv --output out.csv"),
            output: "error: overflow.csv, line 2, column 1 (processId): expected a finite number, found \"1e400\"",
            note: "",
        },
        Class {
            name: "huge finite numbers",
            file: Some(("huge.csv", Labelled("1e308,-1e308,4e9,1e308,-1e308,0\n"))),
            run: Cli("score --model model.json --input huge.csv --output out.csv"),
            output: "scored 1 rows of huge.csv: 1 suspicious at threshold 0.308; wrote out.csv",
            note: "features stay finite; the shipped model flags the row",
        },
        Class {
            name: "ragged row (short)",
            file: Some(("ragged-short.csv", Labelled("1,0,0,1,0,0\n1,0,0,1\n"))),
            run: Cli("score --model model.json --input ragged-short.csv --output out.csv"),
            output: "error: ragged-short.csv, line 3: expected 6 fields like the header, found 4",
            note: "",
        },
        Class {
            name: "ragged row (long)",
            file: Some(("ragged-long.csv", Labelled("1,0,0,1,0,0,9\n"))),
            run: Cli("score --model model.json --input ragged-long.csv --output out.csv"),
            output: "error: ragged-long.csv, line 2: expected 6 fields like the header, found 7",
            note: "",
        },
        Class {
            name: "duplicate column",
            file: Some((
                "duplicate-column.csv",
                Raw(b"processId,parentProcessId,userId,userId,argsNum,returnValue\n1,0,0,0,1,0\n"),
            )),
            run: Cli("score --model model.json --input duplicate-column.csv --output out.csv"),
            output: "error: duplicate-column.csv, line 1, column 4 (userId): this column name appears twice",
            note: "",
        },
        Class {
            name: "too many columns",
            file: Some(("wide.csv", Made(wide))),
            run: Cli("score --model model.json --input wide.csv --output out.csv"),
            output: "error: wide.csv, line 1: expected at most 1000 columns, found 1001",
            note: "",
        },
        Class {
            name: "endless record",
            file: Some(("endless.csv.gz", Made(endless))),
            run: Cli("score --model model.json --input endless.csv.gz --output out.csv"),
            output: "error: endless.csv.gz, line 2: a record longer than 1048576 bytes, the most one row may hold",
            note: "(here a gzip of a few KB inflating to a 2 MiB field; the cap, 1 MiB, is some 2,000 times the longest BETH row and keeps a row's memory bounded, in wasm too)",
        },
        Class {
            name: "non-UTF-8 bytes in a number",
            file: Some((
                "not-utf8-number.csv",
                Raw(b"processId,parentProcessId,userId,argsNum,returnValue,sus\n1,0,\xff\xfe,1,0,0\n"),
            )),
            run: Cli("score --model model.json --input not-utf8-number.csv --output out.csv"),
            output: "error: not-utf8-number.csv, line 2, column 3 (userId): expected UTF-8 text, found invalid bytes",
            note: "",
        },
        Class {
            name: "non-UTF-8 bytes in a text column",
            file: Some((
                "not-utf8-text.csv",
                Raw(b"processId,parentProcessId,userId,argsNum,returnValue,args\n1,0,0,1,0,\xff\xfe\n"),
            )),
            run: Cli("score --model model.json --input not-utf8-text.csv --output out.csv"),
            output: "scored 1 rows of not-utf8-text.csv: 0 suspicious at threshold 0.308; wrote out.csv",
            note: "kept byte for byte",
        },
        Class {
            name: "BOM and CRLF",
            file: Some((
                "bom-crlf.csv",
                Raw(b"\xef\xbb\xbfprocessId,parentProcessId,userId,argsNum,returnValue\r\n1,0,0,1,0\r\n"),
            )),
            run: Cli("score --model model.json --input bom-crlf.csv --output out.csv"),
            output: "scored 1 rows of bom-crlf.csv: 0 suspicious at threshold 0.308; wrote out.csv",
            note: "line numbers count physical lines",
        },
        Class {
            name: "quoted fields, blank lines",
            file: Some((
                "quoted-blank.csv",
                Raw(b"processId,parentProcessId,userId,argsNum,returnValue,args\n1,0,0,1,0,\"a, \"\"b\"\"\nc\"\n\n\n2,1,1000,1,0,x\n"),
            )),
            run: Cli("score --model model.json --input quoted-blank.csv --output out.csv"),
            output: "scored 2 rows of quoted-blank.csv: 1 suspicious at threshold 0.308; wrote out.csv",
            note: "line numbers count physical lines, blank ones and those inside quotes too",
        },
        Class {
            name: "truncated gzip",
            file: Some((
                "truncated.csv.gz",
                Raw(include_bytes!("../../../../tests/fixtures/truncated.csv.gz")),
            )),
            run: Cli("score --model model.json --input truncated.csv.gz --output out.csv"),
            output: "error: truncated.csv.gz, line 132: the gzip data is corrupt or truncated (incomplete deflate stream)",
            note: "",
        },
        Class {
            name: "corrupt gzip",
            file: Some(("corrupt.csv.gz", Raw(b"\x1f\x8bnot gzip at all"))),
            run: Cli("score --model model.json --input corrupt.csv.gz --output out.csv"),
            output: "error: corrupt.csv.gz, line 1: the gzip data is corrupt or truncated (invalid gzip header)",
            note: "",
        },
        Class {
            name: "Tracee JSON lines",
            file: Some((
                "tracee.json",
                Raw(br#"{"processId":1,"parentProcessId":0,"userId":0,"argsNum":1,"returnValue":0}
{"processId":7,"parentProcessId":1,"userId":1000,"eventId":"59","argsNum":2,"returnValue":-2}
"#),
            )),
            run: Cli("score --model model.json --input tracee.json --output out.csv"),
            output: "scored 2 rows of tracee.json: 1 suspicious at threshold 0.308; wrote out.csv",
            note: "told by the first byte `{`; each event written back with `score` and `verdict` added",
        },
        Class {
            name: "Tracee JSON: malformed line",
            file: Some(("tracee-malformed.json", Raw(br#"{"processId":1,"parentProcessId":0,"userId":0,"argsNum":1,"returnValue":0}
{"processId":2,
"#))),
            run: Cli("score --model model.json --input tracee-malformed.json --output out.csv"),
            output: "error: tracee-malformed.json, line 2: expected one JSON object per line (EOF while parsing a value at column 15)",
            note: "",
        },
        Class {
            name: "Tracee JSON: missing field",
            file: Some(("tracee-missing-field.json", Raw(br#"{"processId":1,"parentProcessId":0,"userId":0,"argsNum":1,"returnValue":0}
{"processId":2,"parentProcessId":0,"argsNum":1,"returnValue":0}
"#))),
            run: Cli("score --model model.json --input tracee-missing-field.json --output out.csv"),
            output: "error: tracee-missing-field.json, line 2, field userId: expected this field, found none",
            note: "",
        },
        Class {
            name: "Tracee JSON: wrong type",
            file: Some(("tracee-wrong-type.json", Raw(br#"{"processId":1,"parentProcessId":0,"userId":0,"argsNum":1,"returnValue":0}
{"processId":2,"parentProcessId":0,"userId":"root","argsNum":1,"returnValue":0}
"#))),
            run: Cli("score --model model.json --input tracee-wrong-type.json --output out.csv"),
            output: "error: tracee-wrong-type.json, line 2, field userId: expected a number, found \"root\"",
            note: "",
        },
        Class {
            name: "Tracee JSON: line over 1 MiB",
            file: Some(("tracee-long-line.json", Made(long_json_line))),
            run: Cli("score --model model.json --input tracee-long-line.json --output out.csv"),
            output: "error: tracee-long-line.json, line 1: a record longer than 1048576 bytes, the most one row may hold",
            note: "refused before the line is held whole",
        },
        Class {
            name: "bad label",
            file: Some(("bad-label.csv", Labelled("1,0,0,1,0,2\n"))),
            run: Cli("evaluate --model model.json --input bad-label.csv"),
            output: "error: bad-label.csv, line 2, column 6 (sus): expected a label 0 or 1, found \"2\"",
            note: "",
        },
        Class {
            name: "no label column (evaluate, train)",
            file: Some((
                "unlabelled.csv",
                Raw(b"processId,parentProcessId,userId,argsNum,returnValue\n1,0,0,1,0\n"),
            )),
            run: Cli("evaluate --model model.json --input unlabelled.csv"),
            output: "error: unlabelled.csv, line 1: expected a column named \"sus\", but the header has only: processId, parentProcessId, userId, argsNum, returnValue",
            note: "",
        },
        Class {
            name: "single-class training data",
            file: Some(("single-class.csv", Labelled("1,0,0,1,0,0\n2,0,0,1,0,0\n"))),
            run: Cli("train --data single-class.csv --out m.json"),
            output: "error: single-class.csv: all 2 training rows have sus=0; training needs both benign (0) and suspicious (1) rows",
            note: "(the page names and counts the part left after its held-out share: `single-class.csv (training part): all 1 training rows …`)",
        },
        Class {
            name: "training on absurd values",
            file: Some(("absurd-train.csv", Made(absurd_train))),
            run: Cli("train --data absurd-train.csv --out m.json --preset reference"),
            output: "wrote m.json",
            note: "the model written loads (`train` checks that before writing it)",
        },
        Class {
            name: "oversized training data (page)",
            file: None,
            run: Page {
                how: "training on more than 2,000,000 rows",
                test: "crates/web/src/training.rs",
            },
            output: "big.csv: training in the browser holds at most 2,000,000 rows in memory, and the training data has more. Train on a sample of it (cyber-attack-detector sample --rows 1000000 ...) or with the command-line trainer (cyber-attack-detector train), which has no such limit",
            note: "(scoring streams with no limit)",
        },
        Class {
            name: "missing file",
            file: None,
            run: Cli("score --model model.json --input nowhere.csv --output out.csv"),
            output: "error: nowhere.csv: No such file or directory (os error 2)",
            note: "",
        },
        Class {
            name: "oversized model file (page)",
            file: None,
            run: Page {
                how: "a model file of 60 MB",
                test: "tests/e2e/run.mjs",
            },
            output: "big.json: 60.0 MB is too large for a model file",
            note: "(over 50 MB, refused before reading)",
        },
        Class {
            name: "model file that fails to show (page)",
            file: None,
            run: Page {
                how: "a valid model file whose showing fails half-way (the failure is injected)",
                test: "tests/e2e/run.mjs",
            },
            output: "swap.json: injected failure",
            note: "(the previous model, its report, charts and event form are shown again, and the next file is scored by it)",
        },
        Class {
            name: "a file opened while another is read (page)",
            file: None,
            run: Page {
                how: "a second file opened while a large one is read",
                test: "tests/e2e/run.mjs",
            },
            output: "second.csv was not opened: big-events.csv is still being read. Wait for it or cancel it, then open the file again.",
            note: "(nothing is ignored silently)",
        },
        Class {
            name: "model: not JSON",
            file: Some(("not-json.json", Raw(b"processId,userId\n1,2\n"))),
            run: Cli("score --model not-json.json --input huge.csv --output out.csv"),
            output: "error: not-json.json: model file, line 1, column 1: expected value",
            note: "",
        },
        Class {
            name: "model: cut short",
            file: Some(("cut.json", Made(cut_model))),
            run: Cli("score --model cut.json --input huge.csv --output out.csv"),
            output: "error: cut.json: model file, line 1, column 5000: EOF while parsing a list",
            note: "",
        },
        Class {
            name: "model: another format",
            file: Some(("foreign.json", Model(|v| v["format"] = json!("something-else")))),
            run: Cli("score --model foreign.json --input huge.csv --output out.csv"),
            output: "error: foreign.json: not a cyber-attack-detector model: expected a JSON object with \"format\": \"cyber-attack-detector/model\", found \"format\": \"something-else\"",
            note: "",
        },
        Class {
            name: "model: future version",
            file: Some(("future.json", Model(|v| v["version"] = json!(2)))),
            run: Cli("score --model future.json --input huge.csv --output out.csv"),
            output: "error: future.json: the model file is format version 2, newer than this build reads (version 1); update cyber-attack-detector",
            note: "",
        },
        Class {
            name: "model: 100000×100000 layer",
            file: Some((
                "gigantic.json",
                Model(|v| {
                    v["layers"][0]["inputs"] = json!(100_000);
                    v["layers"][0]["outputs"] = json!(100_000);
                }),
            )),
            run: Cli("score --model gigantic.json --input huge.csv --output out.csv"),
            output: "error: gigantic.json: invalid model file: layer 1 is 100000×100000; widths must be between 1 and 4096",
            note: "",
        },
        Class {
            name: "model: too many parameters",
            file: Some((
                "too-many-parameters.json",
                Model(|v| {
                    v["layers"] = json!([
                        {"inputs": 6, "outputs": 4096, "activation": "relu", "weights": vec![0; 6 * 4096], "bias": vec![0; 4096]},
                        {"inputs": 4096, "outputs": 4096, "activation": "relu", "weights": [], "bias": []},
                        {"inputs": 4096, "outputs": 1, "activation": "sigmoid", "weights": [], "bias": []},
                    ]);
                }),
            )),
            run: Cli("score --model too-many-parameters.json --input huge.csv --output out.csv"),
            output: "error: too-many-parameters.json: invalid model file: more than 4000000 parameters",
            note: "",
        },
        Class {
            name: "model: wrong weight count",
            file: Some((
                "short-weights.json",
                Model(|v| {
                    if let Some(weights) = v["layers"][1]["weights"].as_array_mut() {
                        weights.truncate(3);
                    }
                }),
            )),
            run: Cli("score --model short-weights.json --input huge.csv --output out.csv"),
            output: "error: short-weights.json: invalid model file: layer 2 should have 64×32 weights and 32 biases, found 3 and 32",
            note: "",
        },
        Class {
            name: "model: number beyond f32",
            file: Some(("out-of-range.json", Model(|v| v["layers"][0]["weights"][3] = json!(1e39)))),
            run: Cli("score --model out-of-range.json --input huge.csv --output out.csv"),
            output: "error: out-of-range.json: invalid model file: layers[0].weights[3] is 1e39; numbers here must lie within ±3.4028235e38",
            note: "",
        },
        Class {
            name: "model: null weight",
            file: Some(("null-weight.json", Made(null_weight))),
            run: Cli("score --model null-weight.json --input huge.csv --output out.csv"),
            output: "error: null-weight.json: model file, line 1, column 1490: invalid type: null, expected f32",
            note: "",
        },
        Class {
            name: "model: scaler lists a field twice",
            file: Some((
                "dup-scaler.json",
                Model(|v| {
                    let first = v["features"]["scaler"][0].clone();
                    if let Some(scaler) = v["features"]["scaler"].as_array_mut() {
                        scaler.push(first);
                    }
                }),
            )),
            run: Cli("score --model dup-scaler.json --input huge.csv --output out.csv"),
            output: "error: dup-scaler.json: invalid model file: the scaler lists processId twice",
            note: "",
        },
        Class {
            name: "model: stored counts overflow",
            file: Some((
                "huge-counts.json",
                Model(|v| {
                    v["evaluation"]["histogram"]["benign"][0] = json!(u64::MAX);
                    v["evaluation"]["histogram"]["benign"][1] = json!(u64::MAX);
                }),
            )),
            run: Cli("score --model huge-counts.json --input huge.csv --output out.csv"),
            output: "error: huge-counts.json: invalid model file: the score histogram counts more than 9007199254740992 rows",
            note: "",
        },
        Class {
            name: "model: histogram bins beyond the limit",
            file: Some((
                "many-bins.json",
                Model(|v| {
                    let h = &mut v["evaluation"]["histogram"];
                    h["bins"] = json!(100_000);
                    h["benign"] = json!(vec![0; 100_000]);
                    h["suspicious"] = json!(vec![0; 100_000]);
                }),
            )),
            run: Cli("score --model many-bins.json --input huge.csv --output out.csv"),
            output: "error: many-bins.json: invalid model file: the evaluation's score histogram has 100000 bins; expected 1 to 10000",
            note: "(the page's slider and cost panel walk the bins on every move)",
        },
        Class {
            name: "model: seeds beyond the limit",
            file: Some((
                "many-seeds.json",
                Model(|v| {
                    let study = &mut v["seed_study"];
                    for list in ["seeds", "ours", "reference"] {
                        let first = study[list][0].clone();
                        study[list] = json!(vec![first; 1001]);
                    }
                }),
            )),
            run: Cli("score --model many-seeds.json --input huge.csv --output out.csv"),
            output: "error: many-seeds.json: invalid model file: the seed study has 1001 seeds; at most 1000",
            note: "(the page draws a dot per seed and recipe; loss logs and curves of any allowed length are drawn from the points that show)",
        },
        Class {
            name: "model: stored counts disagree",
            file: Some((
                "disagreeing-counts.json",
                Model(|v| v["evaluation"]["histogram"]["benign"][999] = json!(7)),
            )),
            run: Cli("score --model disagreeing-counts.json --input huge.csv --output out.csv"),
            output: "error: disagreeing-counts.json: invalid model file: the evaluation's data has 4394 rows (59 benign, 4335 suspicious) but its score histogram counts 66 benign and 4335 suspicious",
            note: "(likewise confusion matrices and per-host counts)",
        },
        Class {
            name: "model: a precedent of the wrong width",
            file: Some((
                "narrow-precedent.json",
                Model(|v| v["training"]["precedents"]["inputs"][2]["features"] = json!([1.0, 0.0])),
            )),
            run: Cli("score --model narrow-precedent.json --input huge.csv --output out.csv"),
            output: "error: narrow-precedent.json: invalid model file: precedent 3 has 2 features; the model has 6",
            note: "(likewise more than 1,024 precedents, a feature that is not finite, or more suspicious rows than rows)",
        },
        Class {
            name: "model: UTF-8 byte order mark",
            file: Some((
                "bom-model.json",
                Made(|| [&b"\xef\xbb\xbf"[..], SHIPPED.as_bytes()].concat()),
            )),
            run: Cli("score --model bom-model.json --input huge.csv --output out.csv"),
            output: "scored 1 rows of huge.csv: 1 suspicious at threshold 0.308; wrote out.csv",
            note: "skipped, as the page's text decoding skips it",
        },
        Class {
            name: "model: network overflows on ordinary rows",
            file: Some((
                "overflowing.json",
                Model(|v| v["layers"][0]["weights"] = json!(vec![3e38; 6 * 64])),
            )),
            run: Cli("score --model overflowing.json --input bom-crlf.csv --output out.csv"),
            output: "error: bom-crlf.csv, line 2: the values are too large for this model to score (its network would overflow)",
            note: "(the page scores such a row NaN, which counts as suspicious)",
        },
    ]
}
