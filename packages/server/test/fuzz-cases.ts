// The generator of the OpenAPI fuzz test (security-fuzz-*.test.ts, issue 13): for one operation of
// /openapi.json, a bounded, seeded list of bad requests. Each case starts from a request the schema
// accepts (as far as a schema can say) and breaks one thing: a body member's type or value, a missing or
// unknown member, the body's shape, its content type, a path or query parameter, or a header.

/** One operation as /openapi.json documents it. */
export interface Operation {
  method: string;
  path: string;
  access: string;
  parameters: { name: string; in: "path" | "query" | "header"; required: boolean; schema: Schema }[];
  /** The JSON body's schema, when the operation takes one. */
  body: Schema | undefined;
}

export type Schema = Record<string, unknown>;

/** A request to send: the URL is built by the runner from `path` (parameters filled) and `query`. */
export interface FuzzCase {
  label: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  /** The body's bytes as text (undefined: no body). */
  body: string | undefined;
  /** A reader token instead of the admin one (management routes). */
  asReader: boolean;
}

/** Reads every operation of an OpenAPI document. */
export function operationsOf(document: { paths: Record<string, Record<string, Schema>> }): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const content = (operation.requestBody as { content?: Record<string, { schema: Schema }> } | undefined)
        ?.content;
      operations.push({
        method: method.toUpperCase(),
        path,
        access: String(operation["x-vexil-access"]),
        parameters: (operation.parameters as Operation["parameters"] | undefined) ?? [],
        body: content?.["application/json"]?.schema,
      });
    }
  }
  return operations;
}

/** Mulberry32: a small seeded generator, so every run sends the same requests. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A string hash of the operation, so each operation's cases do not depend on the others'. */
export function seedOf(text: string, seed: number): number {
  let hash = seed >>> 0;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

const typesOf = (schema: Schema): string[] => {
  if (Array.isArray(schema.type)) return schema.type as string[];
  if (typeof schema.type === "string") return [schema.type];
  if (schema.enum)
    return [...new Set((schema.enum as unknown[]).map((v) => (v === null ? "null" : typeof v)))];
  const options = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (options) return options.flatMap(typesOf);
  return [];
};

/** A value the schema accepts, as far as a schema can say (references between fields are not known). */
export function sampleOf(schema: Schema, fill: (name: string) => string | undefined, name = ""): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return (schema.enum as unknown[]).find((v) => v !== null);
  const options = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (options) return sampleOf(options.find((o) => o.type !== "null") ?? options[0]!, fill, name);
  const type = typesOf(schema).find((t) => t !== "null");
  if (type === "object" || (!type && schema.properties)) {
    const result: Record<string, unknown> = {};
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const key of (schema.required as string[] | undefined) ?? [])
      result[key] = properties[key] ? sampleOf(properties[key], fill, key) : "x";
    return result;
  }
  if (type === "array") {
    const items = (schema.items ?? {}) as Schema;
    return Array.from({ length: Number(schema.minItems ?? 0) }, () => sampleOf(items, fill, name));
  }
  if (type === "integer" || type === "number") {
    const minimum = Number(schema.minimum ?? schema.exclusiveMinimum ?? 0);
    const filled = Number(fill(name));
    if (Number.isFinite(filled) && filled >= minimum) return filled;
    return Math.max(minimum, 1);
  }
  if (type === "boolean") return true;
  if (type === "string") return sampleString(schema, fill(name));
  return "x";
}

function sampleString(schema: Schema, filled: string | undefined): string {
  if (schema.format === "date-time") return "2026-01-01T00:00:00.000Z";
  if (schema.format === "date") return "2026-01-01";
  if (schema.format === "email") return "fuzz@example.com";
  if (schema.format === "uri" || schema.format === "url") return "https://example.com/hook";
  const pattern = typeof schema.pattern === "string" ? new RegExp(schema.pattern) : undefined;
  const minLength = Number(schema.minLength ?? 1);
  for (const candidate of [filled, "fuzz-key", "fuzz_key", "fuzzkey", "FUZZ", "1", "a"]) {
    if (candidate === undefined) continue;
    const padded = candidate.padEnd(minLength, "x");
    if (!pattern || pattern.test(padded)) return padded;
  }
  return "x".repeat(minLength);
}

// Values that break a member of each type. Raw JSON text, so 1e309 and lone surrogates reach the server as
// such (JSON.stringify would turn them into null and an escaped pair).
const HUGE = "x".repeat(100_000);
const ODD_STRINGS = [
  JSON.stringify(HUGE),
  '"a\\u0000b"',
  '"\\ud800"',
  '"x\\udfffy"',
  '"\\u202egnp.exe"',
  JSON.stringify("😀".repeat(300)),
  '"%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%"',
  JSON.stringify("_".repeat(300)),
  JSON.stringify("' OR '1'='1' --"),
  JSON.stringify("../../../etc/passwd"),
  JSON.stringify("\r\nX-Injected: 1"),
  JSON.stringify("<script>alert(1)</script>"),
  '""',
  '" "',
  '"2025-02-30T00:00:00Z"',
  '"http://[::127.0.0.1]/"',
];
const ODD_NUMBERS = ["1e23", "1e309", "-1e309", "-1", "-0", "0.5", "9007199254740993", "1e-320", "0"];
const NUMBER_TEXTS = ['"NaN"', '"Infinity"', '"10"', '"1e309"', "[10]", "true", "{}", '""'];
const WRONG_TYPES: Record<string, string[]> = {
  string: ["1", "true", "[]", "{}", '["a"]', "null"],
  integer: [...NUMBER_TEXTS, "null"],
  number: [...NUMBER_TEXTS, "null"],
  boolean: ["1", '"true"', "0", "[]", "null"],
  array: ['"a"', "{}", "1", "null", "[null]", "[{}]", "[[[[[[[[[[]]]]]]]]]]"],
  object: ['"a"', "[]", "1", "null", "true"],
};
const DEEP = `${"[".repeat(10_000)}${"]".repeat(10_000)}`;
const DEEP_OBJECT = `${'{"a":'.repeat(5_000)}1${"}".repeat(5_000)}`;

/** A JSON text of `value` with the member at `path` replaced by the raw JSON `raw` (or removed). */
function replaced(value: unknown, path: string[], raw: string | undefined): string {
  const marker = "\u0001FUZZ\u0001";
  const copy = structuredClone(value) as Record<string, unknown>;
  let target = copy as Record<string, unknown>;
  for (const part of path.slice(0, -1)) target = target[part] as Record<string, unknown>;
  const last = path[path.length - 1]!;
  if (raw === undefined) delete target[last];
  else target[last] = marker;
  return JSON.stringify(copy).replace(JSON.stringify(marker), raw ?? "");
}

interface Member {
  path: string[];
  schema: Schema;
}

/** The members of the sampled body worth breaking: top level, nested objects, first array items. */
function membersOf(schema: Schema, value: unknown, path: string[] = [], depth = 0): Member[] {
  if (depth > 3 || typeof value !== "object" || value === null) return [];
  const members: Member[] = [];
  if (Array.isArray(value)) {
    const items = (schema.items ?? {}) as Schema;
    if (value.length > 0) {
      members.push({ path: [...path, "0"], schema: items });
      members.push(...membersOf(items, value[0], [...path, "0"], depth + 1));
    }
    return members;
  }
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  for (const [key, child] of Object.entries(properties)) {
    members.push({ path: [...path, key], schema: child });
    if (key in (value as object))
      members.push(...membersOf(child, (value as Record<string, unknown>)[key], [...path, key], depth + 1));
  }
  return members;
}

/** Every bad request of the operation's kinds; `pick` bounds and orders them. */
export function allCases(
  op: Operation,
  fill: (name: string) => string | undefined,
): Omit<FuzzCase, "asReader">[] {
  const cases: Omit<FuzzCase, "asReader">[] = [];
  const pathParams = op.parameters.filter((p) => p.in === "path");
  const queryParams = op.parameters.filter((p) => p.in === "query");
  const validQuery = queryParams
    .filter((p) => p.required || fill(p.name) !== undefined)
    .map((p) => `${p.name}=${encodeURIComponent(String(sampleOf(p.schema, fill, p.name)))}`);
  const json = { "content-type": "application/json" };
  const sampled = op.body ? sampleOf(op.body, fill) : undefined;
  const base = (label: string, change: Partial<Omit<FuzzCase, "asReader" | "label">>) =>
    cases.push({
      label,
      path: op.path,
      query: validQuery.join("&"),
      headers: op.body ? { ...json } : {},
      body: op.body ? JSON.stringify(sampled) : undefined,
      ...change,
    });

  if (op.body) {
    const text = JSON.stringify(sampled);
    base("no body", { body: undefined });
    base("no body, no content type", { body: undefined, headers: {} });
    for (const root of ["[]", '"x"', "1", "null", "true", "1e309", '"\\ud800"'])
      base(`root ${root}`, { body: root });
    for (const bad of ["{", '{"a":1,}', `\ufeff${text}`, `${text}${text}`, "{'a':1}", "\u0000", "nul"])
      base(`malformed ${JSON.stringify(bad.slice(0, 20))}`, { body: bad });
    base("deep array", { body: DEEP });
    base("deep object", { body: DEEP_OBJECT });
    base("over the body limit", { body: JSON.stringify({ x: "y".repeat(6 * 1024 * 1024) }) });
    base("__proto__ member", { body: `{"__proto__":{"polluted":true},${text.slice(1)}`.replace(",}", "}") });
    base("constructor member", {
      body: `{"constructor":{"prototype":{"polluted":true}},${text.slice(1)}`.replace(",}", "}"),
    });
    base("unknown member", { body: `{"fuzzUnknownMember":1,${text.slice(1)}`.replace(",}", "}") });
    base("NUL member name", { body: `{"a\\u0000":1,${text.slice(1)}`.replace(",}", "}") });
    for (const type of ["text/plain", "application/xml", "application/x-www-form-urlencoded", "foo/bar"])
      base(`content type ${type}`, { headers: { "content-type": type } });
    base("multipart", { headers: { "content-type": "multipart/form-data; boundary=x" } });
    base("json, latin1", { headers: { "content-type": "application/json; charset=latin1" } });
    if (op.method === "PATCH") {
      base("merge patch __proto__", {
        headers: { "content-type": "application/merge-patch+json" },
        body: `{"__proto__":{"polluted":true},${text.slice(1)}`.replace(",}", "}"),
      });
      base("json patch __proto__", {
        headers: { "content-type": "application/json-patch+json" },
        body: '[{"op":"replace","path":"/name","value":"x","__proto__":{"polluted":true}}]',
      });
      base("json patch constructor", {
        headers: { "content-type": "application/json-patch+json" },
        body: '{"constructor":{"prototype":{"polluted":true}}}',
      });
    }
    const required = new Set((op.body.required as string[] | undefined) ?? []);
    for (const member of membersOf(op.body, sampled)) {
      const where = member.path.join(".");
      if (member.path.length === 1 && required.has(member.path[0]!))
        base(`missing ${where}`, { body: replaced(sampled, member.path, undefined) });
      const types = typesOf(member.schema);
      const wrong = [...new Set(types.flatMap((t) => WRONG_TYPES[t] ?? []))];
      const values = [...(wrong.length > 0 ? wrong : WRONG_TYPES.object!), ...ODD_STRINGS, ...ODD_NUMBERS];
      for (const raw of values)
        base(`${where} = ${raw.slice(0, 24)}`, { body: replaced(sampled, member.path, raw) });
      base(`${where} deep`, { body: replaced(sampled, member.path, DEEP) });
      base(`${where} __proto__`, { body: replaced(sampled, member.path, '{"__proto__":{"polluted":true}}') });
    }
  }

  if (!op.body && op.method !== "GET") {
    // A body the operation does not take: still parsed, so a malformed or poisoned one is refused.
    base("unexpected malformed body", { headers: json, body: "{" });
    base("unexpected __proto__ body", { headers: json, body: '{"__proto__":{"polluted":true}}' });
    base("unexpected huge body", { headers: json, body: JSON.stringify({ x: "y".repeat(6 * 1024 * 1024) }) });
  }

  const oddSegments = [
    "unknown-fuzz",
    "%00",
    "a%00b",
    "%ED%A0%80",
    "%F0%9F%98%80",
    "a".repeat(5000),
    "1e309",
    "1e23",
    "-1",
    "0",
    "9007199254740993",
    "NaN",
    "__proto__",
    "constructor",
    "..%2F..%2Fetc",
    "%25",
    "%",
    "%20",
    "'%20OR%201=1",
  ];
  for (const param of pathParams) {
    for (const segment of oddSegments) {
      base(`path ${param.name} = ${segment.slice(0, 20)}`, {
        path: op.path.replace(`{${param.name}}`, `\u0002${segment}`),
      });
    }
  }

  const oddQuery = ["", "abc", "1e309", "-1e309", "1e23", "-1", "NaN", "Infinity", "0.5", "%00", "%ED%A0%80"];
  oddQuery.push("x".repeat(10_000), "__proto__", "9007199254740993", "true", "%%%%");
  for (const param of queryParams) {
    const others = validQuery.filter((q) => !q.startsWith(`${param.name}=`));
    for (const value of oddQuery)
      base(`query ${param.name} = ${value.slice(0, 20)}`, {
        query: [...others, `${param.name}=${value}`].join("&"),
      });
    base(`query ${param.name} twice`, { query: [...others, `${param.name}=1`, `${param.name}=2`].join("&") });
  }
  for (const extra of [
    "__proto__=1",
    "constructor[prototype][polluted]=1",
    "__proto__[polluted]=1",
    "a[b]=1",
  ])
    base(`query ${extra}`, { query: [...validQuery, extra].join("&") });

  for (const param of op.parameters.filter((p) => p.in === "header")) {
    for (const value of ["garbage", '"', "x".repeat(8000), 'W/"1e309"', "*"])
      base(`header ${param.name} = ${value.slice(0, 20)}`, { headers: { [param.name]: value } });
  }
  if (["PATCH", "PUT", "DELETE", "POST"].includes(op.method)) {
    for (const value of ["garbage", 'W/"999999"', '"-1"', 'W/"1e309"', "*", '"\\u0000"'])
      base(`if-match ${value}`, { headers: { ...(op.body ? json : {}), "if-match": value } });
  }
  return cases;
}

/** At most `count` of the operation's cases, chosen and ordered by the seeded generator. */
export function pickCases(
  op: Operation,
  fill: (name: string) => string | undefined,
  options: { seed: number; count: number; readerShare: number },
): FuzzCase[] {
  const random = seededRandom(seedOf(`${op.method} ${op.path}`, options.seed));
  const all = allCases(op, fill);
  // Fisher-Yates with the seeded generator.
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all.slice(0, options.count).map((c) => ({ ...c, asReader: random() < options.readerShare }));
}
