// The JSON text of the attributes an event carries (EventAttributes in events.ts), and a cache of those texts
// by value for the server client, which records an exposure for most evaluations it sees: equal attributes
// (the same kept keys and values, in the same order) get the same string without writing it again, and the
// batch body finds the string's attribute set by a hash computed once per string, not once per event.

// The server's limits (longer strings or more entries make it refuse the event).
const MAX_STRING = 256;
const MAX_CUSTOM = 50;

const DROP = 0;
const BUILT_IN = 1;
const CUSTOM = 2;

// Whether an attribute is sent, and as what (the 50-custom limit is the caller's count).
function kindOf(key: string, value: unknown): number {
  switch (key) {
    case "browser":
    case "deviceType":
    case "os":
    case "country":
      return typeof value === "string" && value.length <= MAX_STRING ? BUILT_IN : DROP;
    case "newVisitor":
      return typeof value === "boolean" ? BUILT_IN : DROP;
    // High-cardinality and possibly personal (query strings): never copied into events; "__proto__",
    // which servers parsing JSON safely refuse (the whole batch would be rejected).
    case "url":
    case "__proto__":
      return DROP;
  }
  if (key.length > MAX_STRING) return DROP;
  if (typeof value === "string") return value.length <= MAX_STRING ? CUSTOM : DROP;
  if (typeof value === "number") return Number.isFinite(value) ? CUSTOM : DROP;
  return typeof value === "boolean" ? CUSTOM : DROP;
}

// `"key":` of custom attribute keys, built once per key (bounded: keys are few in practice).
const customKeyText = new Map<string, string>();
const MAX_CACHED_KEYS = 1000;
function customKey(key: string): string {
  let text = customKeyText.get(key);
  if (text === undefined) {
    text = `${JSON.stringify(key)}:`;
    if (customKeyText.size < MAX_CACHED_KEYS) customKeyText.set(key, text);
  }
  return text;
}

/**
 * The JSON text of the EventAttributes for these visitor attributes, or "" when nothing is kept: the built-in
 * ones when they have the right type, and the other string/number/boolean attributes as `custom` (`url`,
 * objects, arrays, dates, strings over 256 characters and entries past the 50th are left out: the server
 * would refuse the event). Equal kept entries in the same order give equal texts.
 */
export function attributesJson(attributes: Record<string, unknown> | undefined | null): string {
  if (attributes === undefined || attributes === null || typeof attributes !== "object") return "";
  let members = "";
  let custom = "";
  let customCount = 0;
  for (const key of Object.keys(attributes)) {
    const value = attributes[key];
    const kind = kindOf(key, value);
    if (kind === BUILT_IN) {
      const json = typeof value === "boolean" ? `${value}` : JSON.stringify(value);
      members += `${members === "" ? "" : ","}"${key}":${json}`;
    } else if (kind === CUSTOM && customCount < MAX_CUSTOM) {
      const json = typeof value === "string" ? JSON.stringify(value) : `${value}`;
      custom += (customCount === 0 ? "" : ",") + customKey(key) + json;
      customCount++;
    }
  }
  if (custom !== "") members += `${members === "" ? "" : ","}"custom":{${custom}}`;
  return members === "" ? "" : `{${members}}`;
}

/** A node per sequence of kept entries; its text once an event had exactly these. */
interface Node {
  text: string | undefined;
  next: Map<string, Map<unknown, Node>> | undefined;
}

const node = (): Node => ({ text: undefined, next: undefined });

/** attributesJson() with its texts cached by the kept keys and values (bounded). */
export class AttributeTexts {
  private root = node();
  private nodes = 0;

  /** At most this many distinct key-value steps are held; past it the cache starts again empty. */
  constructor(private readonly capacity = 10_000) {}

  /** attributesJson(attributes); an equal set of kept entries gets the same string while it stays cached. */
  text(attributes: Record<string, unknown> | undefined | null): string {
    if (attributes === undefined || attributes === null || typeof attributes !== "object") return "";
    // High-cardinality values (ids, times) would grow it forever: start again (texts given out stay valid).
    if (this.nodes > this.capacity) {
      this.root = node();
      this.nodes = 0;
    }
    let at = this.root;
    let customCount = 0;
    for (const key of Object.keys(attributes)) {
      const value = attributes[key];
      const kind = kindOf(key, value);
      if (kind === DROP) continue;
      if (kind === CUSTOM) {
        if (customCount === MAX_CUSTOM) continue;
        customCount++;
      }
      at = this.step(at, key, value);
    }
    if (at.text === undefined) at.text = attributesJson(attributes);
    return at.text;
  }

  private step(from: Node, key: string, value: unknown): Node {
    from.next ??= new Map();
    let byValue = from.next.get(key);
    if (byValue === undefined) {
      byValue = new Map();
      from.next.set(key, byValue);
    }
    let to = byValue.get(value);
    if (to === undefined) {
      to = node();
      byValue.set(value, to);
      this.nodes++;
    }
    return to;
  }
}
