// Section 4: grouping the resampled test rows, read and scored beforehand, into alerts as the
// page's worker does (the core's grouper, ranking, the ECS NDJSON and the page's 200 alerts).

import { AlertGrouping } from '../pkg/cad_bench.js';
import { medianMs } from './measure.js';

export async function alertsSection({ modelJson, testCsv }) {
  const grouping = new AlertGrouping(modelJson, testCsv);
  try {
    return { rows: grouping.rows(), alerts: grouping.run(), ms: await medianMs(() => grouping.run()) };
  } finally {
    grouping.free();
  }
}
