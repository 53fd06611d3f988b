// Random identifiers for visits and event payloads. crypto.randomUUID exists in Node 20 and in browsers on
// secure origins only; getRandomValues exists everywhere that matters, Math.random is the last resort.

function randomBytes(n: number): Uint8Array {
  const bytes = new Uint8Array(n);
  const c = (globalThis as { crypto?: Crypto }).crypto;
  if (typeof c?.getRandomValues === "function") c.getRandomValues(bytes);
  else for (let i = 0; i < n; i++) bytes[i] = Math.floor(Math.random() * 256);
  return bytes;
}

function hex(bytes: Uint8Array, dashes: boolean): string {
  let out = "";
  for (let i = 0; i < bytes.length; i++) {
    out += bytes[i]!.toString(16).padStart(2, "0");
    if (dashes && (i === 3 || i === 5 || i === 7 || i === 9)) out += "-";
  }
  return out;
}

/** A random RFC 4122 version 4 UUID. */
export function randomUuid(): string {
  const c = (globalThis as { crypto?: Crypto }).crypto;
  if (typeof c?.randomUUID === "function") return c.randomUUID();
  const bytes = randomBytes(16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return hex(bytes, true);
}

/**
 * The prefix of a client's visit ids: 96 random bits drawn once; each visit appends a counter in base 36
 * ("3f9c…e1.0", ".1", …). Unique across clients with overwhelming probability like a UUID, but a new visit
 * costs an increment instead of a random draw (servers open a visit for most evaluations they see), and its
 * text is only written into the events that carry it.
 */
export function visitIdPrefix(): string {
  return `${hex(randomBytes(12), false)}.`;
}
