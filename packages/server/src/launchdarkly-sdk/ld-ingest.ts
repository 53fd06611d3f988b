// Storing LaunchDarkly SDK analytics events, from server-side SDKs (POST /bulk) and client-side ones (POST
// /events/bulk/{envId}) alike: what they carry (ld-events.ts) is validated as Vexil's own events are and
// appended to the event store; summary counters add to the flags' evaluation counts.

import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import type { FastifyRequest } from "fastify";
import { Type } from "typebox";
import type { AppContext } from "../app-context.js";
import { validateEvents } from "../events/event-validation.js";
import { ApiError } from "../http/api-error.js";
import type { LdModel } from "../launchdarkly-model/ld-model.js";
import type { EnvironmentFeed } from "../sdk-delivery/environment-feed.js";
import { addEvaluations } from "../sdk-delivery/evaluations.store.js";
import { readLdEvents } from "./ld-events.js";

export const MAX_EVENTS_BYTES = 5 * 1024 * 1024;
export const MAX_EVENTS = 10_000;
const GOALS_CACHE_MS = 5000;
const SEEN_PAYLOADS = 10_000;

/** What an events post answers (202). */
export const Accepted = Type.Object({
  accepted: Type.Integer(),
  ignored: Type.Integer(),
  duplicate: Type.Boolean(),
});

/** Request bodies sent gzip-encoded (LaunchDarkly's SDKs may compress events) are inflated before parsing. */
export async function inflate(
  request: FastifyRequest,
  _reply: unknown,
  payload: Readable,
): Promise<Readable> {
  if (request.headers["content-encoding"] !== "gzip") return payload;
  let received = 0;
  payload.on("data", (chunk: Buffer) => {
    received += chunk.length;
  });
  const inflated = payload.pipe(createGunzip());
  inflated.on("error", (error: Error & { statusCode?: number }) => {
    error.statusCode = 400;
    error.message = `The gzip body cannot be inflated: ${error.message}`;
  });
  payload.on("error", (error) => inflated.destroy(error));
  // Fastify checks Content-Length against the bytes received, not the inflated ones.
  Object.defineProperty(inflated, "receivedEncodedLength", { get: () => received });
  return inflated;
}

/** One process's LaunchDarkly event intake: goal lookups cached briefly, payload ids remembered. */
export class LdEventIntake {
  private readonly goals = new Map<string, { byKey: Map<string, number>; until: number }>();
  private readonly seenPayloads = new Set<string>();

  constructor(private readonly context: AppContext) {}

  /** A custom event's key as a goal: its event key first, then its key (LaunchDarkly's metric key). */
  private async goalsOf(projectKey: string): Promise<(eventKey: string) => number | undefined> {
    let entry = this.goals.get(projectKey);
    if (!entry || entry.until <= Date.now()) {
      const rows = await this.context.db
        .selectFrom("goals")
        .select(["id", "key", "event_key"])
        .where("project_key", "=", projectKey)
        .orderBy("id")
        .execute();
      const byKey = new Map<string, number>();
      for (const row of rows) if (!byKey.has(row.key)) byKey.set(row.key, row.id);
      for (const row of rows) if (row.event_key !== "") byKey.set(row.event_key, row.id);
      entry = { byKey, until: Date.now() + GOALS_CACHE_MS };
      this.goals.set(projectKey, entry);
    }
    const { byKey } = entry;
    return (eventKey) => byKey.get(eventKey);
  }

  /**
   * Stores one posted body of the environment's events. A repeated payload id (the SDK retried) is
   * acknowledged without storing again; an invalid event refuses the whole body (400).
   */
  async ingest(
    feed: EnvironmentFeed,
    model: LdModel,
    body: unknown[],
    payloadId: string | undefined,
  ): Promise<{ accepted: number; ignored: number; duplicate: boolean }> {
    const { projectKey, environmentKey } = feed;
    // Keys are [A-Za-z0-9._-]: "/" separates them unambiguously (PostgreSQL text refuses NUL).
    const seenKey = payloadId === undefined ? undefined : `${projectKey}/${environmentKey}/${payloadId}`;
    if (seenKey !== undefined && this.seenPayloads.has(seenKey)) {
      return { accepted: 0, ignored: body.length, duplicate: true };
    }
    const read = readLdEvents(body, model, feed.payload.flags, await this.goalsOf(projectKey));
    const now = this.context.now();
    const { events, problems } = validateEvents(
      read.events,
      { projectKey, environmentKey, goalId: (g) => (typeof g === "number" ? g : undefined) },
      now,
    );
    if (problems.length > 0) {
      throw new ApiError(
        400,
        `Invalid event(s): ${problems
          .slice(0, 3)
          .map((p) => `#${p.index}: ${p.message}`)
          .join("; ")}`,
      );
    }
    let duplicate = false;
    if (events.length > 0) {
      const result = await this.context.analytics.append(events, seenKey && `ld:${seenKey}`);
      duplicate = result.duplicate;
    }
    if (!duplicate && read.evaluations.size > 0) {
      const tallies = [...read.evaluations]
        .filter(([featureKey]) => Object.hasOwn(feed.payload.flags, featureKey))
        .map(([featureKey, count]) => ({ projectKey, environmentKey, featureKey, count, at: now }));
      await addEvaluations(this.context.db, tallies);
    }
    if (seenKey !== undefined) {
      if (this.seenPayloads.size >= SEEN_PAYLOADS) this.seenPayloads.clear();
      this.seenPayloads.add(seenKey);
    }
    return { accepted: duplicate ? 0 : events.length, ignored: read.ignored, duplicate };
  }
}
