// The values that cross between the page, its Web Worker and the wasm face, each matching the
// Rust type named beside it field for field. Every data field is snake_case, as in the Rust
// types and the model file (crates/web/src/lib.rs states the rule). The wasm exports name these
// types in the .d.ts that wasm-bindgen generates (www/pkg, www/pkg-worker), and `make typecheck`
// checks www/*.js against both. Counts that Rust holds as usize or u64 are numbers here.
//
// crates/web/tests/types.rs compares each interface's fields with those of the value the face
// makes, so keep one `name: Type;` or `name?: Type;` per line. A number without a value: a NaN
// from serde-wasm-bindgen stays a NaN `number`; fields the core writes through its NaN-as-null
// rule (`Summary`'s) are `null` instead.

// --- the core's evaluation (cyber_attack_detector::evaluation, ::metrics), also in the model file

/** `metrics::Confusion` */
export interface Confusion {
  tn: number;
  fp: number;
  fn: number;
  tp: number;
}

/** `metrics::Rates`: a rate whose denominator is zero is 0. */
export interface Rates {
  accuracy: number;
  precision: number;
  recall: number;
  specificity: number;
  f1: number;
}

/** `evaluation::Summary`: the headline numbers at one threshold. */
export interface Summary {
  threshold: number;
  confusion: Confusion;
  rates: Rates;
  /** `null` when the rows hold one class only. */
  roc_auc: number | null;
  /** `null` when the rows hold one class only. */
  average_precision: number | null;
  /** 95% intervals; absent where the core keeps none (per host, older model files). */
  intervals?: Intervals;
}

/** `metrics::Interval`: a 95% interval. */
export interface Interval {
  lo: number;
  hi: number;
}

/**
 * `metrics::Intervals`: Wilson intervals of the rates, bootstrap intervals of the areas; `null`
 * when there is nothing to count (or, for the areas, one class or an older model file).
 */
export interface Intervals {
  accuracy: Interval | null;
  precision: Interval | null;
  recall: Interval | null;
  specificity: Interval | null;
  roc_auc: Interval | null;
  average_precision: Interval | null;
}

/** `evaluation::DataSummary`: what a set of labelled rows was. */
export interface DataSummary {
  source: string;
  rows: number;
  benign: number;
  suspicious: number;
  /** SHA-256 (hex) of the input bytes, when all of them came from files. */
  sha256?: string;
}

/** `evaluation::HostEvaluation` */
export interface HostEvaluation {
  host: string;
  rows: number;
  benign: number;
  suspicious: number;
  summary: Summary;
}

/** `evaluation::FeatureImportance` */
export interface FeatureImportance {
  feature: string;
  /** NaN from the face, `null` in the model file, when the sampled rows hold one class. */
  auc_drop: number | null;
}

/** `metrics::Curve`: ROC (x = false positive rate, y = recall) or PR (x = recall, y = precision). */
export interface Curve {
  x: number[];
  y: number[];
  thresholds: number[];
}

/** `metrics::Histogram`: scores per class in `bins` equal bins over [0, 1]. */
export interface Histogram {
  bins: number;
  benign: number[];
  suspicious: number[];
}

/** `evaluation::Evaluation`: a model on labelled rows. */
export interface Evaluation {
  data: DataSummary;
  summary: Summary;
  roc: Curve;
  pr: Curve;
  histogram: Histogram;
  hosts: HostEvaluation[];
  /** Hosts left out of `hosts` (absent when none are). */
  hosts_omitted?: number;
  importance: FeatureImportance[];
  /** Detection of `evil` at the same threshold (absent when the rows have no `evil`). */
  evil?: EvilSummary;
  /** The `evil` label's curves, beside `evil` (absent without it, and in older files). */
  evil_curves?: EvilCurves;
}

/** `metrics::EvilCurves`: ROC and PR of evil rows against every other row. */
export interface EvilCurves {
  roc: Curve;
  pr: Curve;
}

/** `metrics::EvilSummary`: evil rows against every other row (suspicious-but-not-evil included). */
export interface EvilSummary {
  rows: number;
  evil: number;
  detected: number;
  recall: number | null;
  roc_auc: number | null;
  average_precision: number | null;
}

/** `features::FeatureSet` */
export type FeatureSet = 'reference' | 'binarised' | 'lineage' | 'paper' | 'names';

/** `model::TrainConfig`: everything that decides a training run. */
export interface TrainConfig {
  hidden: number[];
  optimizer: 'sgd' | 'adam';
  learning_rate: number;
  batch_size: number;
  max_steps: number;
  balanced: boolean;
  weight_decay: number;
  patience: number;
  check_every: number;
  min_improvement: number;
  monotone: boolean;
  seed: number;
}

/** `report::ProvenanceInfo`: where the model came from, its training files listed up to 50. */
export interface ProvenanceInfo {
  tool: string;
  /** The command's first 10,000 characters. */
  command: string;
  /** The whole command's length (in UTF-16 units, as `String.length` counts). */
  command_length: number;
  protocol: string;
  /** The first 50 training files. */
  training_data: DataSummary[];
  /** How many training files there are. */
  training_files: number;
  /** The rows of all of them. */
  trained: Rows;
  /** The first 50 files of rows not fitted on that only calibrated the threshold. */
  calibration_data: DataSummary[];
  calibration_files: number;
  /** The rows of all of them. */
  calibrated: Rows;
}

/** `report::Rows`: rows counted by class. */
export interface Rows {
  rows: number;
  benign: number;
  suspicious: number;
}

/** `model::FeatureValue`: one feature of the event beside its training mean. */
export interface FeatureValue {
  name: string;
  /** Transformed: a z-score, a flag. */
  value: number;
  baseline: number;
}

/** `model::Contribution`: one field's Shapley value. */
export interface Contribution {
  field: string;
  /** As given, before any transform (a text field's code; the event form shows its text). */
  value: number | string;
  /** The features computed from it. */
  features: FeatureValue[];
  /** The contributions add up to `score - base_score`. */
  contribution: number;
}

/** `model::Explanation`: `Report.explain`. */
export interface Explanation {
  score: number;
  suspicious: boolean;
  /** The score with every feature at its training mean. */
  base_score: number;
  /** `"sampled"` for a network too large to score every coalition of fields. */
  method: 'exact' | 'sampled' | 'additive';
  /** Rows run through the network. */
  evaluations: number;
  contributions: Contribution[];
  /** The event's columns no feature reads. */
  ignored: string[];
  /** What the training rows with exactly these inputs were labelled; absent for a model file that does not keep them. */
  precedent?: Said;
}

/** `model::Said`: the training rows with exactly one event's inputs. */
export interface Said {
  rows: number;
  suspicious: number;
  /** Training rows whose inputs the file did not keep (then 0 rows does not mean none). */
  rows_not_kept: number;
}

// --- the report (crates/web/src/report.rs, event.rs) ----------------------------------------

/** `report::Info`: `Report.info`, everything the page writes about the model. */
export interface Info {
  /** The anomaly model's facts are in `anomaly`; a network's in `layers`, `config`… */
  kind: 'supervised' | 'anomaly';
  anomaly: AnomalyAbout | null;
  threshold: number;
  feature_set: string;
  features: string[];
  /** Layer sizes, inputs first. */
  layers: number[];
  preset: string;
  /** For people: "SGD" or "Adam". */
  optimizer: string;
  config: TrainConfig | null;
  steps_run: number;
  stopped: string;
  threshold_rule: string;
  cross_validation: Summary | null;
  provenance: ProvenanceInfo;
  /** The rows the cards and charts describe. */
  shown: DataSummary | null;
  shows_own_evaluation: boolean;
  /** The training file with the shown rows' SHA-256 (not for the model's own test rows). */
  shown_trained_on: string | null;
  /** With the Wilson intervals of their rates (`summary.intervals`). */
  hosts: HostEvaluation[];
  /** Hosts of the shown rows left out of `hosts` (the ones with the fewest rows). */
  hosts_omitted: number;
  /** Detection of `evil` on the shown rows at the model's threshold, when they have it. */
  evil: EvilSummary | null;
  /** Why the shown rows have no feature importance (`Evaluation::importance_missing`), when they have none. */
  importance_missing: string | null;
  /** This model, then its baseline when it was evaluated on the shown rows. */
  comparison: Column[];
  baseline_elsewhere: string | null;
  seed_study: SeedSpread | null;
  /** A warning for each class with too few rows to trust (training rows, then shown rows). */
  few_rows: string[];
  /** Texts the page holds only the start of (10,000 characters; 500 of a feature's name), with the whole length (UTF-16 units). */
  whole_lengths: [string, number][];
}

/** `report::Column`: one model's column of the comparison table. */
export interface Column {
  name: string;
  feature_set: string;
  /** null: not trained by gradient steps (an anomaly model); undefined: not recorded (a model an anomaly file compares with). */
  optimizer?: string | null;
  steps_run: number;
  /** null: the model file does not record them. */
  training_rows: number | null;
  summary: Summary;
}

/** An anomaly model file's `training`, `compared` and `seed_study`, as the file has them (`anomaly::About`). */
export interface AnomalyAbout {
  training: AnomalyTraining;
  /** The settings its method reads, in words (`AnomalyConfig::settings`). */
  settings: string;
  /** Other models on the same test rows (`Info.comparison` lists them beside this one). */
  compared: { name: string; features: string; summary: Summary; evil?: EvilSummary }[];
  seed_study: SeedRow[];
}

/** `model::AnomalyTraining`: how an anomaly model was fitted and its threshold chosen. */
export interface AnomalyTraining {
  preset: string;
  /** The method's settings (`AnomalyConfig`), shown as they are: a method may add its own. */
  config: Record<string, string | number>;
  threshold_rule: string;
  held_out: number;
  held_out_flagged: number;
  /** How the method was chosen: each recipe's host-grouped ROC-AUC on the training rows. */
  method_study?: MethodScore[];
}

/** `model::MethodScore` (the page passes it on unread). */
export interface MethodScore {
  recipe: string;
  seed: number;
  roc_auc: number | null;
}

/** `model::SeedRow`: ROC-AUC of the recipe and of the paper's forest refitted with one seed. */
export interface SeedRow {
  seed: number;
  sus: number | null;
  evil: number | null;
  paper_sus: number | null;
  paper_evil: number | null;
}

/** `anomaly_training::AnomalyRequest`: what the page sets of the anomaly preset. */
export interface AnomalyRequest {
  /** At most this many alerts per 10,000 training rows. */
  alerts_per_10k: number;
  seed: number;
  holdout: number;
}

/** `anomaly_training::AnomalyTrained`: a fitted anomaly model and its training rows' scores. */
export interface AnomalyTrained {
  /** The model file (JSON text). */
  model: string;
  fitted: DataSummary;
  /** Every fitted row in `benign`. */
  histogram: Histogram;
  flagged: number;
  threshold: number;
}

/** `report::SeedSpread`: both recipes retrained with other seeds. */
export interface SeedSpread {
  seeds: number;
  rows: SpreadRow[];
}

/** `report::SpreadRow` */
export interface SpreadRow {
  metric: string;
  ours: Spread;
  reference: Spread;
  /** The widest of the seeds' 95% intervals (null for counts). */
  ours_interval: Interval | null;
  reference_interval: Interval | null;
}

/** The core's `evaluation::Spread`: smallest, median and largest over the seeds (NaN without any). */
export interface Spread {
  min: number;
  median: number;
  max: number;
}

/** The core's `metrics::CostPoint`: the errors at one threshold and what they cost. */
export interface CostPoint {
  threshold: number;
  missed: number;
  false_alarms: number;
  cost: number;
}

/** `report::CostReport`: `Report.costs`. */
export interface CostReport {
  current: CostPoint;
  cheapest: Cheapest;
  rows: number;
}

/** The core's `metrics::Cheapest`: the cheapest threshold, and its run of equally cheap ones. */
export interface Cheapest {
  threshold: number;
  missed: number;
  false_alarms: number;
  cost: number;
  from: number;
  to: number;
  flags_everything: boolean;
}

/** The core's `metrics::AtPrevalence`: `Report.atPrevalence`. */
export interface AtPrevalence {
  prevalence: number;
  precision: number;
  precision_interval: Interval | null;
  false_alarms_per_10k_benign: number;
  false_alarms_interval: Interval | null;
  alerts_per_10k: number;
}

/** `event::FormField` */
export interface FormField {
  column: string;
  hint: string;
  /** A text field (processName, eventName) rather than a number. */
  text: boolean;
}

/** `event::FormPreset`: one value per form field, text for a text field. */
export interface FormPreset {
  name: string;
  description: string;
  values: (number | string)[];
}

/** `event::EventForm`: `Report.eventForm`. */
export interface EventForm {
  fields: FormField[];
  presets: FormPreset[];
}

// --- the worker's sessions (crates/web/src/session.rs, training.rs) ---------------------------

/** `progress::Phase` */
export type Phase = 'reading' | 'training' | 'validating' | 'evaluating';

/** `progress::Progress`: `advance` of either session; `done` of `total` bytes or steps. */
export interface Progress {
  phase: Phase;
  done: number;
  total: number;
  rows: number;
  finished: boolean;
  /** Training losses of the steps since the last report, when there are any. */
  loss?: number[];
}

/** `cyber_attack_detector::scored::TopRow`: a row of the most-suspicious table. */
export interface TopRow {
  /** Line in the file (the header is line 1). */
  line: number;
  score: number;
  suspicious: boolean;
  values: string[];
  /** The whole row (every field of `TopTable.header`), fields cut to 4,096 characters. */
  record: string[];
}

/** `cyber_attack_detector::scored::TopTable`: the most suspicious rows, highest score first. */
export interface TopTable {
  columns: string[];
  header: string[];
  rows: TopRow[];
}

// --- alerts (cyber_attack_detector::alerts, ::charts::{process_tree, timeline}; web alerts.rs)

/** `alerts::Clock`: what an alert's times count (seconds since the epoch, since boot, or rows). */
export type Clock = 'wall' | 'since_boot' | 'row_order';

/** `alerts::NameCount` */
export interface NameCount {
  name: string;
  count: number;
}

/** `alerts::Alert`: one process with at least one suspicious event. */
export interface Alert {
  rank: number;
  /** Index into the grouper's process table (the page has no use for it). */
  process: number;
  host: string;
  pid: number | null;
  parent_pid: number | null;
  process_name: string;
  parent_name: string | null;
  user_id: number | null;
  priority: number;
  events: number;
  suspicious: number;
  max_score: number;
  mean_score: number;
  /** The line of its process's first event: what a verdict on the alert is kept under. */
  first_line: number;
  max_line: number;
  /** The highest-scoring event's values of the model's fields, in the event form's order. */
  max_values: number[];
  /** The same values as the event form takes them: a text field's text (processName `sshd`), not its number. */
  max_texts: string[];
  /** What the training rows said of that event's inputs; null when the model that scored the file keeps none. */
  precedent: Said | null;
  first_time: number;
  last_time: number;
  process_names: NameCount[];
  event_names: NameCount[];
  other_events: number;
  collapsed: number;
  ancestry: number[];
  ancestry_end: 'root' | 'depth' | 'cycle';
}

/** `alerts::TimelineEntry`: an event, or a run of near-identical ones (`repeats`). */
export interface TimelineEntry {
  time: number;
  last_time: number;
  row: number;
  line: number;
  pid: number | null;
  thread_id: number | null;
  event_name: string;
  return_value: number | null;
  args: string;
  score: number;
  suspicious: number;
  repeats: number;
}

/** `charts::process_tree::TreeNode` */
export interface TreeNode {
  parent: number | null;
  name: string;
  pid: number | null;
  score: number | null;
}

/** `charts::process_tree::ProcessTree`: what `drawProcessTree` draws. */
export interface ProcessTree {
  nodes: TreeNode[];
  focus: number;
  threshold: number;
  unlisted: number;
}

/** `charts::timeline::Lane` */
export interface Lane {
  name: string;
  pid: number | null;
}

/** `charts::timeline::TimelineEvent` */
export interface TimelineEvent {
  lane: number;
  time: number;
  name: string;
  count: number;
  suspicious: boolean;
}

/** `charts::timeline::Timeline`: what `drawTimeline` draws. */
export interface Timeline {
  lanes: Lane[];
  events: TimelineEvent[];
  rows: boolean;
}

/** `alerts::TimelineCounts`: timeline entries and the events they stand for (a run ×N counts N). */
export interface TimelineCounts {
  entries: number;
  events: number;
}

/** `alerts::TimelineExtent`: of an alert's process's and listed children's timelines, everything read and what the grouper kept. */
export interface TimelineExtent {
  seen: TimelineCounts;
  kept: TimelineCounts;
}

/** `alerts::AlertView`: an alert with its tree, timeline and events. */
export interface AlertView {
  alert: Alert;
  tree: ProcessTree;
  timeline: Timeline;
  /** The events table's entries: the first 100 kept, its own process's first. */
  events: TimelineEntry[];
  extent: TimelineExtent;
  /** What `events` holds. */
  listed: TimelineCounts;
  /** What the timeline chart marks (the first 300 kept). */
  drawn: TimelineCounts;
}

/** `alerts::Alerts`: a file's alerts, the first 200 of `total`. */
export interface Alerts {
  clock: Clock;
  threshold: number;
  rows: number;
  processes: number;
  total: number;
  omitted_rows: number;
  /** Timeline entries kept from the start of each process, and of the later ones the most suspicious (`alerts::Limits`). */
  first_entries: number;
  top_entries: number;
  alerts: AlertView[];
}

/** `session::Outcome::Evaluated`: a labelled file evaluated. */
export interface Evaluated {
  kind: 'evaluated';
  evaluation: Evaluation;
  alerts: Alerts;
  /** Said when the file had no mountNamespace and its events were read as in the host's own. */
  host_namespace: string | null;
}

/** `session::Outcome::Scored`: an unlabelled file scored (`session::Scored`, tagged). */
export interface Scored {
  kind: 'scored';
  source: string;
  /** SHA-256 (hex) of the file, when all of it was read. */
  sha256?: string | null;
  rows: number;
  flagged: number;
  /** How many flags had inputs no training event had; null when nothing was flagged or the model keeps no training inputs. */
  extrapolated: Extrapolated | null;
  /** Said when the file had no mountNamespace and its events were read as in the host's own. */
  host_namespace: string | null;
  threshold: number;
  top: TopTable;
  alerts: Alerts;
}

/** `scored::Extrapolated`: the flags of a file whose inputs no training event had. */
export interface Extrapolated {
  flagged: number;
  unprecedented: number;
  /** Training events whose (rarer) inputs the model file left out. */
  rows_not_kept: number;
}

/** `session::Outcome::Verdicts`: a verdict CSV's verdicts (`verdicts::Marks`, tagged). */
export interface VerdictsRead {
  kind: 'verdicts';
  /** The scored file's SHA-256, which the verdicts were given on. */
  sha256: string;
  events: Mark[];
  alerts: Mark[];
  rows: number;
}

/** `session::Outcome`: `ScoreSession.finish`. */
export type Outcome = Evaluated | Scored | VerdictsRead;

/** `training::TrainRequest`: what the page's training form asks for. */
export interface TrainRequest {
  features: FeatureSet;
  hidden: number[];
  learning_rate: number;
  steps: number;
  seed: number;
  /** Share of each class held out for evaluation when no second file is given. */
  holdout: number;
}

// --- the page ⇄ worker protocol (www/worker.js, www/jobs.js) ---------------------------------

/** A model file: its JSON text, or the file itself as uploaded (the worker reads it). */
export type ModelSource = string | Blob;

/** `verdicts::Mark`: the analyst's verdict on the event at `line`, or on the alert whose first event is there. */
export interface Mark {
  line: number;
  attack: boolean;
  note: string;
}

/** The verdicts on one file, kept under its SHA-256 (www/verdicts.js). */
export interface FileVerdicts {
  name: string;
  events: Mark[];
  alerts: Mark[];
}

/** `verdicts::Request`: what `VerdictSession.fromBlob` writes. */
export interface VerdictRequest {
  sha256: string;
  events: Mark[];
  alerts: Mark[];
  /** Rows labelled by the model, for retraining. */
  filled: { line: number; attack: boolean }[];
}

/** `verdicts::Written`: what a verdict CSV holds. */
export interface Written {
  rows: number;
  event_rows: number;
  alert_rows: number;
  filled_rows: number;
  /** Events of judged alerts beyond the cap per alert, left out. */
  alert_rows_left: number;
}

/** Write the verdict CSV of the scored file `file` (a second pass over it, in the worker). */
export interface VerdictsJob {
  kind: 'verdicts';
  file: Blob;
  name: string;
  model: ModelSource;
  request: VerdictRequest;
}

/** `compare::Judged`: the verdicts `CompareSession.fromBlob` checks against both models. */
export interface Judged {
  events: Mark[];
  alerts: Mark[];
}

/** `alerts::Standing`: an alert under one model. */
export interface Standing {
  rank: number;
  max_score: number;
  suspicious: number;
}

/** `alerts::AlertChange`: one alert under the model before and the model after. */
export interface AlertChange {
  first_line: number;
  host: string;
  pid: number | null;
  process_name: string;
  before: Standing | null;
  after: Standing | null;
  /** After's highest score less before's, for an alert under both. */
  score_change: number | null;
}

/** `alerts::VerdictCheck`: a verdict and what each model says of what it was given on. */
export interface VerdictCheck {
  on: 'event' | 'alert';
  line: number;
  /** An alert's process, "name (pid) on host", when either model raised it. */
  process: string | null;
  attack: boolean;
  before: boolean;
  after: boolean;
}

/** `alerts::AlertChanges`: a file's alerts under two models, compared (`CompareSession.finish`). */
export interface AlertChanges {
  before: number;
  after: number;
  gone: AlertChange[];
  gone_total: number;
  new: AlertChange[];
  new_total: number;
  kept: AlertChange[];
  kept_total: number;
  verdicts: VerdictCheck[];
  agreed_before: number;
  agrees_after: number;
}

/** Compare the alerts of the scored file `file` under the models `before` and `after`. */
export interface CompareJob {
  kind: 'compare';
  file: Blob;
  name: string;
  before: ModelSource;
  after: ModelSource;
  judged: Judged;
}

/** What a compare job resolves with. */
export interface Compared {
  kind: 'compared';
  changes: AlertChanges;
}

/** What a verdicts job resolves with. */
export interface VerdictsWritten {
  kind: 'verdicts_written';
  csv: Blob;
  written: Written;
}

/** The reader's settings on the report, kept between visits (www/saved.js). */
export interface Settings {
  threshold: number;
  /** The prices and the share of attacks, as typed (kept as text, so an unfinished entry stays). */
  missed: string;
  false_alarm: string;
  prevalence: string;
}

/** Score (labelled: evaluate) a file with the model file `model`. */
export interface ScoreJob {
  kind: 'score';
  file: Blob;
  name: string;
  model: ModelSource;
  /** Guard cells a spreadsheet would run as formulas in the scored CSV (`scored::Cells`). */
  spreadsheet_safe: boolean;
}

/** Train on `file`, evaluated on `evaluation_file` or on a held-out part of `file`. */
export interface TrainJob {
  kind: 'train';
  file: Blob;
  name: string;
  evaluation_file?: Blob;
  evaluation_name?: string;
  /** The page's model file, compared with the new model. */
  model: ModelSource;
  request: TrainRequest;
}

/** Fit an anomaly model on `file` (with or without labels), then score `file` with it. */
export interface TrainAnomalyJob {
  kind: 'train-anomaly';
  file: Blob;
  name: string;
  request: AnomalyRequest;
}

/** Check an uploaded model file (parse and validate it) for the page (`Digest.check`). */
export interface CheckJob {
  kind: 'check';
  file: Blob;
}

/** Explain one typed event with the model file `model`, which the worker keeps by `key`. */
export interface ExplainJob {
  kind: 'explain';
  model: ModelSource;
  /** The same for the same model file: the worker parses a model once per key. */
  key: number;
  /** One text per field of the event form. */
  values: string[];
}

/** A job as the page hands it to `Jobs.run` (the id is added there). */
export type Job = ScoreJob | TrainJob | TrainAnomalyJob | CheckJob | ExplainJob | VerdictsJob | CompareJob;

/** page → worker */
export type ToWorker = (Job & { id: number }) | { kind: 'cancel'; id: number };

/** What a score job resolves with: the outcome, the alerts' ECS NDJSON, and the scored CSV when unlabelled. */
export type ScoreResult = (Evaluated & { ndjson: Blob }) | (Scored & { csv: Blob; ndjson: Blob }) | (VerdictsRead & { ndjson: Blob });

/** What a train job resolves with: the new model file (JSON text) and its ONNX export. */
export interface TrainResult {
  kind: 'trained';
  model: string;
  onnx: Blob;
}

/** What a train-anomaly job resolves with: the fit, its digest for the page (`Checked`), its ONNX export and the training file scored by it. */
export interface AnomalyTrainResult {
  kind: 'anomaly-trained';
  trained: AnomalyTrained;
  checked: Checked;
  onnx: Blob;
  outcome: ScoreResult;
}

/** What a check job resolves with: what `Report.fromDigest` takes (the parameters transferred). */
export interface Checked {
  kind: 'checked';
  json: string;
  parameters: Float32Array;
}

/** What an explain job resolves with. */
export interface Explained {
  kind: 'explained';
  explanation: Explanation;
}

/** What any job resolves with. */
export type JobResult = ScoreResult | TrainResult | AnomalyTrainResult | Checked | Explained | VerdictsWritten | Compared;

/** worker → page */
export type FromWorker =
  | { kind: 'progress'; id: number; progress: Progress }
  | { kind: 'done'; id: number; result: JobResult }
  | { kind: 'cancelled'; id: number }
  | { kind: 'error'; id: number; message: string };
