// Config download: GET /sdk/v1/config with If-None-Match, and the poller that repeats it (the only source
// when streaming is off, the fallback while the stream is down).

import type { EvaluationPayload } from "@vexil/engine";
import { isAuthFailure, VexilError } from "./errors.js";
import type { HttpClient } from "./http.js";
import { parsePayload } from "./payload-store.js";
import { after } from "./timers.js";

/** Path of the configuration endpoint. */
export const CONFIG_PATH = "/sdk/v1/config";

/** A fresh payload, or "not modified" when the server holds the version we sent. */
export type ConfigFetchResult = { kind: "payload"; payload: EvaluationPayload } | { kind: "not-modified" };

/**
 * Downloads the payload; `knownVersion` becomes `If-None-Match: "<version>"` (the server's ETag format).
 * Throws VexilError: UNAUTHORIZED (401/403), HTTP (other statuses), INVALID_PAYLOAD, NETWORK.
 */
export async function fetchConfig(
  http: HttpClient,
  knownVersion: number | undefined,
  signal?: AbortSignal,
): Promise<ConfigFetchResult> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (knownVersion !== undefined) headers["If-None-Match"] = `"${knownVersion}"`;
  const response = await http.request(CONFIG_PATH, { headers, ...(signal ? { signal } : {}) });
  if (response.status === 304) return { kind: "not-modified" };
  if (isAuthFailure(response.status)) {
    throw new VexilError(
      "UNAUTHORIZED",
      `${CONFIG_PATH} refused the SDK key (${response.status})`,
      response.status,
    );
  }
  if (response.status !== 200) {
    throw new VexilError("HTTP", `${CONFIG_PATH} answered ${response.status}`, response.status);
  }
  try {
    return { kind: "payload", payload: parsePayload(JSON.parse(response.text)) };
  } catch (error) {
    throw new VexilError("INVALID_PAYLOAD", `${CONFIG_PATH}: ${(error as Error).message}`, 200, {
      cause: error,
    });
  }
}

/** Runs `task` now or after `intervalMs`, then every `intervalMs` after the previous run ended (never overlapping). */
export class Poller {
  private cancel: (() => void) | undefined;
  private active = false;
  private runningTask: Promise<void> | undefined;

  constructor(
    private readonly intervalMs: number,
    private readonly task: () => Promise<void>,
  ) {}

  /** Whether polling is on. */
  get running(): boolean {
    return this.active;
  }

  /** Starts polling (no-op when already on); `immediate` runs the first poll now. */
  start(immediate: boolean): void {
    if (this.active) return;
    this.active = true;
    if (immediate) void this.run();
    else this.schedule();
  }

  /** Stops polling; a poll in flight completes but schedules nothing. */
  stop(): void {
    this.active = false;
    this.cancel?.();
    this.cancel = undefined;
  }

  private schedule(): void {
    this.cancel?.();
    this.cancel = after(this.intervalMs, () => void this.run(), true);
  }

  private async run(): Promise<void> {
    if (this.runningTask !== undefined) return;
    this.runningTask = this.task().catch(() => {}); // the task reports its own errors
    await this.runningTask;
    this.runningTask = undefined;
    if (this.active) this.schedule();
  }
}
