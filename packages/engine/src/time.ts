// Date-time parsing and IANA time-zone arithmetic. We parse ISO 8601 ourselves because Date.parse reads
// offset-less date-times as *local* time of the host, which would make evaluation depend on the machine.
// Zone offsets come from Intl (available in browsers and Node), cached per zone.

const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;

const DAY_MS = 86_400_000;

/** A parsed ISO date-time: wall-clock milliseconds (as if UTC) and the explicit offset, if any. */
export interface ParsedDateTime {
  /** Wall-clock time written in the string, as milliseconds since 1970-01-01T00:00 of that wall clock. */
  readonly wallMs: number;
  /** Offset from UTC in milliseconds when the string carries one (`Z` is 0), else null. */
  readonly offsetMs: number | null;
}

/** Parse an ISO 8601 date or date-time (offset optional); undefined when malformed or out of range. */
export function parseIsoDateTime(text: string): ParsedDateTime | undefined {
  if (typeof text !== "string" || text.length > 40) return undefined;
  const m = ISO_RE.exec(text.trim());
  if (m === null) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const ms = m[7] === undefined ? 0 : Math.floor(Number((m[7] + "00").slice(0, 3)));
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const wallMs = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // Date.UTC rolls 2023-02-30 over to March: reject instead of guessing.
  if (new Date(wallMs).getUTCDate() !== day) return undefined;
  let offsetMs: number | null = null;
  if (m[8] !== undefined) offsetMs = 0;
  else if (m[9] !== undefined) {
    const oh = Number(m[10]);
    const om = m[11] === undefined ? 0 : Number(m[11]);
    if (oh > 23 || om > 59) return undefined;
    offsetMs = (m[9] === "-" ? -1 : 1) * (oh * 3_600_000 + om * 60_000);
  }
  return { wallMs, offsetMs };
}

const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatterFor(timeZone: string): Intl.DateTimeFormat | null {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat("en-US", {
        timeZone,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
        era: "short",
      });
    } catch {
      f = null; // RangeError: unknown time zone
    }
    if (formatters.size > 500) formatters.clear();
    formatters.set(timeZone, f);
  }
  return f;
}

function isUtc(timeZone: string): boolean {
  return timeZone === "UTC" || timeZone === "Etc/UTC" || timeZone === "GMT" || timeZone === "Etc/GMT";
}

/** Whether the host knows this IANA time zone. */
export function isValidTimeZone(timeZone: string): boolean {
  return typeof timeZone === "string" && (isUtc(timeZone) || formatterFor(timeZone) !== null);
}

/** Offset (ms, wall = utc + offset) of a zone at an instant; NaN for an unknown zone. */
export function zoneOffsetAt(epochMs: number, timeZone: string): number {
  if (isUtc(timeZone)) return 0;
  const f = formatterFor(timeZone);
  if (f === null) return Number.NaN;
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let bc = false;
  for (const part of f.formatToParts(epochMs)) {
    switch (part.type) {
      case "year":
        year = Number(part.value);
        break;
      case "month":
        month = Number(part.value);
        break;
      case "day":
        day = Number(part.value);
        break;
      case "hour":
        hour = Number(part.value) % 24;
        break;
      case "minute":
        minute = Number(part.value);
        break;
      case "second":
        second = Number(part.value);
        break;
      case "era":
        bc = part.value.startsWith("B");
        break;
    }
  }
  if (bc) year = 1 - year;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  // Offsets are whole seconds; drop the instant's milliseconds before comparing.
  return wall - (epochMs - (((epochMs % 1000) + 1000) % 1000));
}

/**
 * Instant of a wall-clock time in a zone. Gap (spring forward): the time moves forward by the gap;
 * overlap (fall back): the earlier instant. This is java.time's and Temporal's "compatible" choice.
 */
export function wallTimeToEpoch(wallMs: number, timeZone: string): number {
  if (isUtc(timeZone)) return wallMs;
  const before = zoneOffsetAt(wallMs - DAY_MS, timeZone);
  const after = zoneOffsetAt(wallMs + DAY_MS, timeZone);
  if (Number.isNaN(before) || Number.isNaN(after)) return Number.NaN;
  const early = wallMs - before;
  const late = wallMs - after;
  const earlyOk = zoneOffsetAt(early, timeZone) === before;
  const lateOk = zoneOffsetAt(late, timeZone) === after;
  if (earlyOk && lateOk) return Math.min(early, late);
  if (earlyOk) return early;
  if (lateOk) return late;
  // Gap: read the wall time with the offset in force before the transition, which lands after it.
  return wallMs - before;
}

/** Wall-clock milliseconds (as if UTC) of an instant in a zone. */
export function epochToWallTime(epochMs: number, timeZone: string): number {
  return epochMs + zoneOffsetAt(epochMs, timeZone);
}

/** Instant of an ISO date-time; offset-less ones are wall-clock times in `timeZone`. NaN when unreadable. */
export function parseInstant(text: unknown, timeZone = "UTC"): number {
  if (typeof text !== "string") return Number.NaN;
  const p = parseIsoDateTime(text);
  if (p === undefined) return Number.NaN;
  if (p.offsetMs !== null) return p.wallMs - p.offsetMs;
  return wallTimeToEpoch(p.wallMs, timeZone);
}
