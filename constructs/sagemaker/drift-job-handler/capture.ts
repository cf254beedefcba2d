/**
 * Reading SageMaker data capture files. An endpoint with data capture writes JSON Lines objects under
 * `<prefix>/<endpoint>/<variant>/yyyy/mm/dd/hh/<file>.jsonl`, one line per captured request:
 * `{"captureData": {"endpointInput": {"observedContentType", "mode", "data", "encoding": "CSV"|"JSON"|"BASE64"},
 * "endpointOutput": {...}}, "eventMetadata": {"eventId", "inferenceTime"}}`. Only the input is read: drift is
 * measured on what the model is asked.
 */

/** One input row, its values in the order of the baseline's features (`undefined` where a value is absent). */
export type FeatureRow = unknown[];

/** The rows of one capture file, and the lines that could not be read. */
export interface CaptureFileRows {
  readonly rows: FeatureRow[];
  /** Lines that are not captured input in a supported form: not JSON, no endpointInput, another content type. */
  readonly skipped: number;
  /** The first few reasons for skipping, for the job's log. */
  readonly problems: string[];
}

const MAX_PROBLEMS = 5;

/**
 * Reads the input rows of a capture file. CSV input maps columns to features by position (the baseline lists the
 * features in column order); JSON input maps an object's keys to features by name, and an array (or
 * `{"instances": [...]}`, `{"features": [...]}`) by position.
 */
export function captureFileRows(text: string, featureNames: readonly string[]): CaptureFileRows {
  const rows: FeatureRow[] = [];
  const problems: string[] = [];
  let skipped = 0;
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      rows.push(...captureLineRows(line, featureNames));
    } catch (e) {
      skipped++;
      if (problems.length < MAX_PROBLEMS) problems.push(`line ${i + 1}: ${(e as Error).message}`);
    }
  });
  return { rows, skipped, problems };
}

/** The input rows of one captured request. Throws when the line is not a readable capture record. */
export function captureLineRows(line: string, featureNames: readonly string[]): FeatureRow[] {
  const record = JSON.parse(line);
  const input = record?.captureData?.endpointInput;
  if (!isObject(input) || typeof input.data !== 'string') throw new Error('no captureData.endpointInput.data');
  const encoding = String(input.encoding ?? '').toUpperCase();
  const contentType = String(input.observedContentType ?? '').toLowerCase();
  let payload = input.data;
  let format: 'csv' | 'json';
  if (encoding === 'CSV') format = 'csv';
  else if (encoding === 'JSON') format = 'json';
  else if (encoding === 'BASE64') {
    payload = Buffer.from(payload, 'base64').toString('utf8');
    if (contentType.includes('json')) format = 'json';
    else if (contentType.includes('csv')) format = 'csv';
    else throw new Error(`base64 input of content type '${contentType || 'unknown'}' is neither CSV nor JSON`);
  } else throw new Error(`unknown encoding '${input.encoding}'`);
  return format === 'csv' ? csvRows(payload) : jsonRows(JSON.parse(payload), featureNames);
}

/** Rows of a CSV payload (RFC 4180 quoting), one per non-empty line. */
export function csvRows(text: string): FeatureRow[] {
  const rows: FeatureRow[] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let fieldStarted = false;
  const endRow = () => {
    if (fieldStarted || row.length > 0) rows.push([...row, field]);
    row = [];
    field = '';
    fieldStarted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') {
      quoted = true;
      fieldStarted = true;
    } else if (ch === ',') {
      row.push(field);
      field = '';
      fieldStarted = true;
    } else if (ch === '\n') endRow();
    else if (ch !== '\r') {
      field += ch;
      fieldStarted = true;
    }
  }
  if (quoted) throw new Error('unterminated quoted CSV field');
  endRow();
  return rows;
}

function jsonRows(value: unknown, featureNames: readonly string[]): FeatureRow[] {
  if (Array.isArray(value)) {
    // A list of rows (arrays or objects), or one positional row of values.
    if (value.length > 0 && value.every((v) => Array.isArray(v) || isObject(v))) return value.flatMap((v) => jsonRows(v, featureNames));
    return [value];
  }
  if (isObject(value)) {
    if (Array.isArray(value.instances)) return jsonRows(value.instances, featureNames);
    if (Array.isArray(value.features)) return [value.features];
    return [featureNames.map((name) => value[name])];
  }
  throw new Error(`JSON input is ${value === null ? 'null' : typeof value}, not an object or array`);
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
