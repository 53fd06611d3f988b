export interface FieldChange {
  path: string;
  before: unknown;
  after: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

// Items of arrays of keyed objects (variations, rules, environments) are matched by key, not position,
// so reordering or inserting one does not show every later item as changed.
function keyOf(item: unknown): string | undefined {
  if (!isObject(item)) return undefined;
  for (const field of ["environmentKey", "key", "id"]) {
    const value = item[field];
    if (typeof value === "string" || typeof value === "number") return `${field}=${value}`;
  }
  return undefined;
}

// Fields that change on every write and say nothing to a reader of the history.
const NOISE = new Set(["version", "dateModified", "dateContentModified", "status", "currentExposition"]);

/** The leaf-level changes between two JSON documents, with dotted paths ("environments[key=prod].featureEnabled"). */
export function diffJson(before: unknown, after: unknown, path = ""): FieldChange[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys
      .filter((k) => !NOISE.has(k))
      .flatMap((k) => diffJson(before[k], after[k], path ? `${path}.${k}` : k));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const keyed = [...before, ...after].every((item) => keyOf(item) !== undefined);
    if (keyed) {
      const left = new Map(before.map((item) => [keyOf(item) as string, item]));
      const right = new Map(after.map((item) => [keyOf(item) as string, item]));
      const keys = [...new Set([...left.keys(), ...right.keys()])];
      return keys.flatMap((k) => diffJson(left.get(k), right.get(k), `${path}[${k}]`));
    }
    if (JSON.stringify(before) === JSON.stringify(after)) return [];
    return [{ path, before, after }];
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ path, before, after }];
}

/** A value as the diff table shows it. */
export function showValue(value: unknown): string {
  if (value === undefined) return "—";
  return typeof value === "string" ? value : JSON.stringify(value);
}
