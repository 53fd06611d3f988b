// Server-Sent Events framing for /sdk/v1/stream (docs/sdk-protocol.md). Data is always one line of JSON
// (JSON.stringify never emits a raw line break), so one `data:` field per event is enough.

/** One complete event: `event`, `id` and `data` lines and the blank line that dispatches it. */
export function sseEvent(event: "put" | "patch" | "delete", id: number, data: string): string {
  return `event: ${event}\nid: ${id}\ndata: ${data}\n\n`;
}

/** The heartbeat comment, shared by every stream. */
export const HEARTBEAT = Buffer.from(": heartbeat\n\n");

/** `data` of a flag patch: the compiled flag and the segments it uses (already serialized). */
export function flagPatchData(
  key: string,
  version: number,
  flagJson: string,
  segments: Iterable<[id: string, json: string]>,
): string {
  let segmentsJson = "";
  for (const [id, json] of segments) {
    segmentsJson += `${segmentsJson === "" ? "" : ","}${JSON.stringify(id)}:${json}`;
  }
  return `{"kind":"flag","key":${JSON.stringify(key)},"version":${version},"flag":${flagJson},"segments":{${segmentsJson}}}`;
}

/** `data` of a segment patch. */
export function segmentPatchData(id: string, version: number, segmentJson: string): string {
  return `{"kind":"segment","key":${JSON.stringify(id)},"version":${version},"segment":${segmentJson}}`;
}

/** `data` of a delete (tombstone). */
export function deleteData(kind: "flag" | "segment", key: string, version: number): string {
  return `{"kind":"${kind}","key":${JSON.stringify(key)},"version":${version}}`;
}

/**
 * Parses `Last-Event-ID`: the payload version the client last applied, or undefined when absent or not a
 * non-negative integer (then the client gets a `put`).
 */
export function parseLastEventId(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (!/^\d{1,15}$/.test(trimmed)) return undefined;
  return Number(trimmed);
}
