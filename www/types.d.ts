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
}

/** `features::FeatureSet` */
export type FeatureSet = 'reference' | 'binarised' | 'lineage';

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
}

/** `report::Rows`: rows counted by class. */
export interface Rows {
  rows: number;
  benign: number;
  suspicious: number;
}

/** `model::Contribution`: how much one feature moved an event's score. */
export interface Contribution {
  feature: string;
  value: number;
  baseline: number;
  contribution: number;
}

/** `model::Explanation`: `Report.explain`. */
export interface Explanation {
  score: number;
  suspicious: boolean;
  contributions: Contribution[];
}

// --- the report (crates/web/src/report.rs, event.rs) ----------------------------------------

/** `report::Info`: `Report.info`, everything the page writes about the model. */
export interface Info {
  threshold: number;
  feature_set: string;
  features: string[];
  /** Layer sizes, inputs first. */
  layers: number[];
  preset: string;
  /** For people: "SGD" or "Adam". */
  optimizer: string;
  config: TrainConfig;
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
  hosts: HostEvaluation[];
  /** Hosts of the shown rows left out of `hosts` (the ones with the fewest rows). */
  hosts_omitted: number;
  /** This model, then its baseline when it was evaluated on the shown rows. */
  comparison: Column[];
  baseline_elsewhere: string | null;
  seed_study: SeedSpread | null;
}

/** `report::Column`: one model's column of the comparison table. */
export interface Column {
  name: string;
  feature_set: string;
  optimizer: string;
  steps_run: number;
  training_rows: number;
  summary: Summary;
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
}

/** `event::FormPreset`: one value per form field. */
export interface FormPreset {
  name: string;
  description: string;
  values: number[];
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
}

/** `cyber_attack_detector::scored::TopTable`: the most suspicious rows, highest score first. */
export interface TopTable {
  columns: string[];
  rows: TopRow[];
}

/** `session::Outcome::Evaluated`: a labelled file evaluated. */
export interface Evaluated {
  kind: 'evaluated';
  evaluation: Evaluation;
}

/** `session::Outcome::Scored`: an unlabelled file scored (`session::Scored`, tagged). */
export interface Scored {
  kind: 'scored';
  source: string;
  rows: number;
  flagged: number;
  threshold: number;
  top: TopTable;
}

/** `session::Outcome`: `ScoreSession.finish`. */
export type Outcome = Evaluated | Scored;

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

/** Score (labelled: evaluate) a file with the model file `model` (JSON text). */
export interface ScoreJob {
  kind: 'score';
  file: Blob;
  name: string;
  model: string;
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
  model: string;
  request: TrainRequest;
}

/** A job as the page hands it to `Jobs.run` (the id is added there). */
export type Job = ScoreJob | TrainJob;

/** page → worker */
export type ToWorker = (Job & { id: number }) | { kind: 'cancel'; id: number };

/** What a score job resolves with: the outcome, and the scored CSV when unlabelled. */
export type ScoreResult = Evaluated | (Scored & { csv: Blob });

/** What a train job resolves with: the new model file (JSON text). */
export interface TrainResult {
  kind: 'trained';
  model: string;
}

/** worker → page */
export type FromWorker =
  | { kind: 'progress'; id: number; progress: Progress }
  | { kind: 'done'; id: number; result: ScoreResult | TrainResult }
  | { kind: 'cancelled'; id: number }
  | { kind: 'error'; id: number; message: string };
