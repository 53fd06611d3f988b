// Parses `vexil analyze` input (JSON or CSV of per-variation sufficient statistics) into metrics.
// The format is documented in docs/analyze.md.
import type { MetricInput, VariationInput } from "@vexil/stats";
import { metricAdjustmentOf, variationAdjustmentOf } from "./analyze.adjustment.js";
import { type AnalyzeCapping, applyCapping, cappingSettingsOf } from "./analyze.capping.js";

/** An input problem the user must fix (the command exits with code 2). */
export class InputError extends Error {
  override readonly name = "InputError";
}

/** Input read from a file or stdin: metrics plus optional allocation weights by variation key. */
export interface ParsedInput {
  metrics: MetricInput[];
  weights?: Record<string, number>;
  /** Per metric (same order): the capping applied to its per-unit values, or null. */
  capping: (AnalyzeCapping | null)[];
}

const NUMERIC_FIELDS = [
  "n",
  "sum",
  "sumSquares",
  "conversions",
  "preSum",
  "preSumSquares",
  "crossSum",
  "weight",
] as const;

/** Parse JSON or CSV text (JSON when it starts with `{` or `[`). */
export function parseAnalyzeInput(text: string): ParsedInput {
  const trimmed = text.trim();
  if (trimmed === "") throw new InputError("the input is empty");
  return trimmed.startsWith("{") || trimmed.startsWith("[") ? parseJson(trimmed) : parseCsv(trimmed);
}

function parseJson(text: string): ParsedInput {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new InputError(`invalid JSON: ${(e as Error).message}`);
  }
  let metrics: unknown;
  let weights: unknown;
  if (Array.isArray(data)) metrics = data;
  else if (isObject(data) && Array.isArray(data.metrics)) {
    metrics = data.metrics;
    weights = data.weights;
  } else if (isObject(data) && Array.isArray(data.variations)) metrics = [data];
  else
    throw new InputError(
      'JSON input must be {"metrics": [...]}, an array of metrics, or one metric {"variations": [...]}',
    );
  const parsed = (metrics as unknown[]).map((m, i) => jsonMetric(m, i));
  if (parsed.length === 0) throw new InputError("no metrics in the input");
  const out: ParsedInput = { metrics: parsed.map((p) => p.metric), capping: parsed.map((p) => p.capping) };
  if (weights !== undefined) {
    if (!isObject(weights) || Object.values(weights).some((w) => typeof w !== "number"))
      throw new InputError('"weights" must map variation keys to numbers');
    out.weights = weights as Record<string, number>;
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function jsonMetric(m: unknown, index: number): { metric: MetricInput; capping: AnalyzeCapping | null } {
  const where = `metric #${index + 1}`;
  if (!isObject(m) || !Array.isArray(m.variations))
    throw new InputError(`${where}: expected {"variations": [...]}`);
  const key = m.key ?? m.metric ?? m.name;
  const metric: MetricInput = {
    ...(key !== undefined ? { key: String(key) } : {}),
    isProportion: m.isProportion === true,
    lowerIsBetter: m.lowerIsBetter === true,
    variations: [],
  };
  try {
    Object.assign(metric, metricAdjustmentOf(m));
  } catch (e) {
    throw new InputError(`${where}: ${(e as Error).message}`);
  }
  if (m.variations.length === 0) throw new InputError(`${where}: no variations`);
  const perUnit: (number[] | undefined)[] = [];
  metric.variations = m.variations.map((v, j) => {
    const at = `${where} (${metric.key ?? "unnamed"}), variation #${j + 1}`;
    if (!isObject(v)) throw new InputError(`${at}: expected an object`);
    const vkey = v.key ?? v.variation ?? v.id;
    if (vkey === undefined || vkey === "") throw new InputError(`${at}: "key" is required`);
    const out: VariationInput = { key: String(vkey), n: Number.NaN };
    const units = v.n ?? v.units ?? v.visitors;
    if (units === undefined) throw new InputError(`${at}: "n" (units) is required`);
    out.n = toNumber(units, `${at}: n`);
    for (const f of NUMERIC_FIELDS) {
      if (f === "n" || v[f] === undefined || v[f] === null) continue;
      out[f] = toNumber(v[f], `${at}: ${f}`);
    }
    if (out.conversions !== undefined && v.isProportion !== false && m.isProportion === undefined)
      metric.isProportion = true;
    perUnit.push(unitValues(v.values, out, at));
    try {
      Object.assign(out, variationAdjustmentOf(v));
    } catch (e) {
      throw new InputError(`${at}: ${(e as Error).message}`);
    }
    return out;
  });
  let capping: AnalyzeCapping | null;
  try {
    capping = applyCapping(metric.variations, perUnit, cappingSettingsOf(m.capping));
  } catch (e) {
    throw new InputError(`${where}: ${(e as Error).message}`);
  }
  if (capping && metric.isProportion) throw new InputError(`${where}: capping applies to mean metrics only`);
  checkMetric(metric, where);
  return { metric, capping };
}

/** A variation's per-unit `values` (at most n of them; the others count 0), exclusive with sum/sumSquares. */
function unitValues(raw: unknown, v: VariationInput, at: string): number[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw new InputError(`${at}: "values" must be an array of per-unit values`);
  if (v.sum !== undefined || v.sumSquares !== undefined)
    throw new InputError(`${at}: give either per-unit "values" or "sum" and "sumSquares", not both`);
  if (raw.length > v.n) throw new InputError(`${at}: ${raw.length} values for n = ${v.n} units`);
  return raw.map((x, k) => toNumber(x, `${at}: values[${k}]`));
}

function toNumber(v: unknown, what: string): number {
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : Number.NaN;
  if (!Number.isFinite(n)) throw new InputError(`${what} must be a finite number, got ${JSON.stringify(v)}`);
  return n;
}

function checkMetric(metric: MetricInput, where: string): void {
  const keys = new Set<string>();
  for (const v of metric.variations) {
    if (keys.has(v.key)) throw new InputError(`${where}: variation ${v.key} appears twice`);
    keys.add(v.key);
    if (metric.isProportion) {
      if (v.conversions === undefined && v.sum === undefined)
        throw new InputError(`${where}: variation ${v.key} needs "conversions" (or "sum")`);
    } else if (v.sum === undefined || v.sumSquares === undefined) {
      throw new InputError(
        `${where}: variation ${v.key} needs "sum" and "sumSquares" (or "conversions" for a conversion metric)`,
      );
    }
  }
}

// Column names accepted in CSV headers (case and separators ignored) for each field.
const CSV_ALIASES: Record<string, string> = {
  metric: "metric",
  goal: "metric",
  variation: "variation",
  key: "variation",
  n: "n",
  units: "n",
  visitors: "n",
  users: "n",
  sum: "sum",
  sumsquares: "sumSquares",
  conversions: "conversions",
  isproportion: "isProportion",
  type: "type",
  presum: "preSum",
  presumsquares: "preSumSquares",
  crosssum: "crossSum",
  weight: "weight",
  lowerisbetter: "lowerIsBetter",
};

/** Split CSV text into rows of fields (RFC 4180 quoting; comma or semicolon separated). */
export function splitCsv(text: string): string[][] {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? "";
  const sep = !firstLine.includes(",") && firstLine.includes(";") ? ";" : ",";
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === sep) {
      row.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += ch;
  }
  if (quoted) throw new InputError("CSV: unterminated quoted field");
  row.push(field);
  rows.push(row);
  return rows.filter((r) => r.some((f) => f.trim() !== "") && !r[0]!.trim().startsWith("#"));
}

function parseCsv(text: string): ParsedInput {
  const rows = splitCsv(text);
  const header = rows.shift();
  if (!header) throw new InputError("CSV: no header row");
  const columns = header.map((h) => CSV_ALIASES[h.toLowerCase().replace(/[\s_-]/g, "")] ?? null);
  const unknown = header.filter((_, i) => columns[i] === null);
  if (unknown.length > 0)
    throw new InputError(`CSV: unknown column(s) ${unknown.join(", ")} (see docs/analyze.md)`);
  for (const required of ["variation", "n"])
    if (!columns.includes(required)) throw new InputError(`CSV: the header needs a "${required}" column`);
  if (!columns.includes("sum") && !columns.includes("conversions"))
    throw new InputError('CSV: the header needs "sum" (and "sumSquares") or "conversions"');
  const metrics = new Map<string, MetricInput>();
  rows.forEach((r, i) => {
    const line = i + 2;
    if (r.length !== header.length)
      throw new InputError(`CSV line ${line}: ${r.length} fields, the header has ${header.length}`);
    const cell = (name: string): string | undefined => {
      const idx = columns.indexOf(name);
      const v = idx >= 0 ? r[idx]!.trim() : undefined;
      return v === "" ? undefined : v;
    };
    const metricKey = cell("metric") ?? "metric";
    let metric = metrics.get(metricKey);
    if (!metric) {
      metric = { key: metricKey, variations: [] };
      metrics.set(metricKey, metric);
    }
    const key = cell("variation");
    if (!key) throw new InputError(`CSV line ${line}: the variation is empty`);
    const v: VariationInput = { key, n: toNumber(cell("n"), `CSV line ${line}: n`) };
    for (const f of NUMERIC_FIELDS) {
      const raw = cell(f);
      if (f === "n" || raw === undefined) continue;
      v[f] = toNumber(raw, `CSV line ${line}: ${f}`);
    }
    const type = cell("type")?.toLowerCase();
    if (type !== undefined && !["proportion", "conversion", "binomial", "mean", "numeric"].includes(type))
      throw new InputError(`CSV line ${line}: type must be proportion or mean, got ${type}`);
    const flag = (s: string | undefined): boolean => s !== undefined && /^(1|true|yes)$/i.test(s);
    if (flag(cell("isProportion")) || ["proportion", "conversion", "binomial"].includes(type ?? "")) {
      metric.isProportion = true;
    } else if (v.conversions !== undefined && v.sumSquares === undefined && type === undefined) {
      metric.isProportion = true;
    }
    if (flag(cell("lowerIsBetter"))) metric.lowerIsBetter = true;
    metric.variations.push(v);
  });
  if (metrics.size === 0) throw new InputError("CSV: no data rows");
  for (const m of metrics.values()) checkMetric(m, `metric ${m.key}`);
  return { metrics: [...metrics.values()], capping: [...metrics.values()].map(() => null) };
}
