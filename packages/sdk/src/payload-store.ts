// The payload the SDK evaluates against, and how stream messages change it (docs/sdk-protocol.md).
//
// Versions: every key (flag or segment) is held at a version. After a full payload (a `put` or a polled
// config) every key is held at the payload's version, present or not; a `patch` or `delete` carries the
// project configuration version of its change and applies only if it is greater than what the key is held
// at. A delete keeps a tombstone (the key's version), so a late, older patch cannot resurrect the key.
// Payloads are replaced, never mutated: evaluators and callers may hold on to the previous one.

import type { CompiledFlag, ConditionTree, EvaluationPayload, Segment } from "@vexil/engine";

/** A stream or poll message, already parsed and validated. */
export type PayloadUpdate =
  | { kind: "put"; payload: EvaluationPayload }
  | {
      kind: "patch-flag";
      key: string;
      version: number;
      flag: CompiledFlag;
      segments: Record<string, Segment>;
    }
  | { kind: "patch-segment"; key: string; version: number; segment: Segment }
  | { kind: "delete"; target: "flag" | "segment"; key: string; version: number };

/** Outcome of applying an update. */
export interface ApplyResult {
  /** False when the update was stale (or there is no payload yet to patch) and nothing changed. */
  applied: boolean;
  /** Feature keys whose evaluation may differ (added, removed, changed, or using a changed segment). */
  changedFlags: string[];
}

const NOT_APPLIED: ApplyResult = Object.freeze({ applied: false, changedFlags: [] as string[] });

const flagKey = (key: string): string => `f:${key}`;
const segmentKey = (key: string): string => `s:${key}`;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// Record copies must not turn a "__proto__" key into a prototype change.
function withKey<V>(record: Record<string, V>, key: string, value: V): Record<string, V> {
  const copy = { ...record };
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

function withoutKey<V>(record: Record<string, V>, key: string): Record<string, V> {
  const copy = { ...record };
  delete copy[key];
  return copy;
}

/** Holds the current payload with per-key versions and tombstones. */
export class PayloadStore {
  private current: EvaluationPayload | null = null;
  /** Versions of keys changed since the last full payload (tombstones included), by "f:"/"s:" key. */
  private readonly versions = new Map<string, number>();
  private baseVersion = Number.NEGATIVE_INFINITY;

  /** The current payload, or null before the first one. */
  get payload(): EvaluationPayload | null {
    return this.current;
  }

  /** The version a flag or segment key is held at (the last full payload's version unless patched since). */
  heldVersion(kind: "flag" | "segment", key: string): number {
    return this.versions.get(kind === "flag" ? flagKey(key) : segmentKey(key)) ?? this.baseVersion;
  }

  /** Applies an update; stale patches and deletes are ignored (see the module comment). */
  apply(update: PayloadUpdate): ApplyResult {
    switch (update.kind) {
      case "put":
        return this.replace(update.payload);
      case "patch-flag":
        return this.patchFlag(update.key, update.version, update.flag, update.segments);
      case "patch-segment":
        return this.patchSegment(update.key, update.version, update.segment);
      case "delete":
        return this.remove(update.target, update.key, update.version);
    }
  }

  /** Replaces everything with a full payload and resets per-key versions to its version. */
  replace(payload: EvaluationPayload): ApplyResult {
    const previous = this.current;
    this.current = payload;
    this.versions.clear();
    this.baseVersion = payload.version;
    return {
      applied: true,
      changedFlags: previous === null ? Object.keys(payload.flags) : diffFlags(previous, payload),
    };
  }

  private patchFlag(
    key: string,
    version: number,
    flag: CompiledFlag,
    segments: Record<string, Segment>,
  ): ApplyResult {
    const payload = this.current;
    if (payload === null || version <= this.heldVersion("flag", key)) return NOT_APPLIED;
    this.versions.set(flagKey(key), version);
    let nextSegments = payload.segments;
    const changedSegments = new Set<string>();
    // The segments a flag patch carries are those it uses; each obeys its own version.
    for (const [id, segment] of Object.entries(segments)) {
      if (version <= this.heldVersion("segment", id)) continue;
      this.versions.set(segmentKey(id), version);
      if (!sameJson(payload.segments[id], segment)) changedSegments.add(id);
      nextSegments = withKey(nextSegments, id, segment);
    }
    const next: EvaluationPayload = {
      ...payload,
      version: Math.max(payload.version, version),
      flags: withKey(payload.flags, key, flag),
      segments: nextSegments,
    };
    const changed = new Set(flagsUsingSegments(next, changedSegments));
    if (!sameJson(payload.flags[key], flag)) changed.add(key);
    this.current = next;
    return { applied: true, changedFlags: [...changed] };
  }

  private patchSegment(key: string, version: number, segment: Segment): ApplyResult {
    const payload = this.current;
    if (payload === null || version <= this.heldVersion("segment", key)) return NOT_APPLIED;
    this.versions.set(segmentKey(key), version);
    const changed = !sameJson(payload.segments[key], segment);
    const next: EvaluationPayload = {
      ...payload,
      version: Math.max(payload.version, version),
      segments: withKey(payload.segments, key, segment),
    };
    this.current = next;
    return { applied: true, changedFlags: changed ? flagsUsingSegments(next, new Set([key])) : [] };
  }

  private remove(target: "flag" | "segment", key: string, version: number): ApplyResult {
    const payload = this.current;
    if (payload === null || version <= this.heldVersion(target, key)) return NOT_APPLIED;
    this.versions.set(target === "flag" ? flagKey(key) : segmentKey(key), version); // the tombstone
    const next: EvaluationPayload = { ...payload, version: Math.max(payload.version, version) };
    let changedFlags: string[] = [];
    if (target === "flag") {
      if (Object.hasOwn(payload.flags, key)) {
        next.flags = withoutKey(payload.flags, key);
        changedFlags = [key];
      }
    } else if (Object.hasOwn(payload.segments, key)) {
      // Flags still pointing at a deleted segment now evaluate to an error: they changed too.
      changedFlags = flagsUsingSegments(payload, new Set([key]));
      next.segments = withoutKey(payload.segments, key);
    }
    this.current = next;
    return { applied: true, changedFlags };
  }
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Feature keys whose evaluation may differ between two full payloads. */
export function diffFlags(previous: EvaluationPayload, next: EvaluationPayload): string[] {
  const changedSegments = new Set<string>();
  for (const id of new Set([...Object.keys(previous.segments), ...Object.keys(next.segments)])) {
    if (!sameJson(previous.segments[id], next.segments[id])) changedSegments.add(id);
  }
  const changed = new Set<string>();
  for (const key of Object.keys(previous.flags)) if (!Object.hasOwn(next.flags, key)) changed.add(key);
  for (const key of Object.keys(next.flags)) {
    if (!Object.hasOwn(previous.flags, key) || !sameJson(previous.flags[key], next.flags[key]))
      changed.add(key);
  }
  for (const key of flagsUsingSegments(next, changedSegments)) changed.add(key);
  for (const key of flagsUsingSegments(previous, changedSegments))
    if (Object.hasOwn(next.flags, key)) changed.add(key);
  return [...changed];
}

/** Flags whose rules use one of `segmentIds`, directly or through `inSegment` conditions of other segments. */
export function flagsUsingSegments(payload: EvaluationPayload, segmentIds: ReadonlySet<string>): string[] {
  if (segmentIds.size === 0) return [];
  // Close the set over "segment A references segment B": A changes with B.
  const affected = new Set(segmentIds);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [id, segment] of Object.entries(payload.segments)) {
      if (affected.has(id)) continue;
      if (referencedSegments(isRecord(segment) ? segment.condition : null).some((ref) => affected.has(ref))) {
        affected.add(id);
        grew = true;
      }
    }
  }
  const flags: string[] = [];
  for (const [key, flag] of Object.entries(payload.flags)) {
    const rules = isRecord(flag) && Array.isArray(flag.rules) ? flag.rules : [];
    if (
      rules.some((rule) => isRecord(rule) && rule.segmentId != null && affected.has(String(rule.segmentId)))
    ) {
      flags.push(key);
    }
  }
  return flags;
}

function referencedSegments(node: ConditionTree | null | undefined, out: string[] = []): string[] {
  if (!isRecord(node)) return out;
  const tree: Record<string, unknown> = node;
  if (Array.isArray(tree.all)) for (const t of tree.all) referencedSegments(t as ConditionTree, out);
  else if (Array.isArray(tree.any)) for (const t of tree.any) referencedSegments(t as ConditionTree, out);
  else if (isRecord(tree.not)) referencedSegments(tree.not as ConditionTree, out);
  else if (tree.operator === "inSegment" && Array.isArray(tree.values))
    for (const v of tree.values) out.push(String(v));
  return out;
}

/** Validates a full payload from the network; throws a readable message when it is not one. */
export function parsePayload(value: unknown): EvaluationPayload {
  if (!isRecord(value)) throw new Error("payload is not an object");
  if (typeof value.version !== "number" || !Number.isFinite(value.version))
    throw new Error("payload.version is not a number");
  if (!isRecord(value.flags)) throw new Error("payload.flags is not an object");
  if (value.segments !== undefined && !isRecord(value.segments))
    throw new Error("payload.segments is not an object");
  return {
    ...(value as unknown as EvaluationPayload),
    segments: (value.segments as Record<string, Segment> | undefined) ?? {},
  };
}

/** Validates a stream message (`put`, `patch`, `delete`) into an update; throws when malformed. */
export function parseStreamMessage(type: string, data: string): PayloadUpdate {
  const value: unknown = JSON.parse(data);
  if (type === "put") return { kind: "put", payload: parsePayload(value) };
  if (!isRecord(value)) throw new Error(`${type} data is not an object`);
  const { kind, key, version } = value;
  if (kind !== "flag" && kind !== "segment") throw new Error(`${type}: unknown kind ${String(kind)}`);
  if (typeof key !== "string" && typeof key !== "number") throw new Error(`${type}: key missing`);
  if (typeof version !== "number" || !Number.isFinite(version))
    throw new Error(`${type}: version is not a number`);
  const k = String(key);
  if (type === "delete") return { kind: "delete", target: kind, key: k, version };
  if (type !== "patch") throw new Error(`unknown event ${type}`);
  if (kind === "flag") {
    if (!isRecord(value.flag)) throw new Error("patch: flag missing");
    if (value.segments !== undefined && !isRecord(value.segments))
      throw new Error("patch: segments is not an object");
    return {
      kind: "patch-flag",
      key: k,
      version,
      flag: value.flag as unknown as CompiledFlag,
      segments: (value.segments as Record<string, Segment> | undefined) ?? {},
    };
  }
  if (!isRecord(value.segment)) throw new Error("patch: segment missing");
  return { kind: "patch-segment", key: k, version, segment: value.segment as unknown as Segment };
}
