// Per-flag evaluation counts, reported to POST /sdk/v1/evaluations (flag health reads lastEvaluatedAt from
// them). Counting is on the evaluation hot path: two Map lookups and an increment.

import { isAuthFailure, VexilError } from "./errors.js";
import { describe, type HttpClient } from "./http.js";
import type { Logger } from "./logger.js";
import { every } from "./timers.js";

/** Path of the evaluation report endpoint. */
export const EVALUATIONS_PATH = "/sdk/v1/evaluations";

/** One report: counts per flag and variation over [from, to] (epoch ms). */
export interface EvaluationReport {
  counts: { featureKey: string; variationKey: string; count: number }[];
  from: number;
  to: number;
}

/** Accumulates counts between reports. */
export class EvaluationCounter {
  private counts = new Map<string, Map<string, number>>();
  private from: number | undefined;

  /** Counts one evaluation of `featureKey` answering `variationKey` at `now`. */
  count(featureKey: string, variationKey: string, now: number): void {
    let byVariation = this.counts.get(featureKey);
    if (byVariation === undefined) {
      byVariation = new Map();
      this.counts.set(featureKey, byVariation);
    }
    byVariation.set(variationKey, (byVariation.get(variationKey) ?? 0) + 1);
    if (this.from === undefined) this.from = now;
  }

  /** Takes the accumulated counts (resetting them), or null when there are none. */
  take(now: number): EvaluationReport | null {
    if (this.from === undefined) return null;
    const counts: EvaluationReport["counts"] = [];
    for (const [featureKey, byVariation] of this.counts) {
      for (const [variationKey, count] of byVariation) counts.push({ featureKey, variationKey, count });
    }
    const report = { counts, from: this.from, to: Math.max(now, this.from) };
    this.counts = new Map();
    this.from = undefined;
    return report;
  }

  /** Puts back a report that could not be sent, so the next one includes it. */
  restore(report: EvaluationReport): void {
    for (const { featureKey, variationKey, count } of report.counts) {
      let byVariation = this.counts.get(featureKey);
      if (byVariation === undefined) {
        byVariation = new Map();
        this.counts.set(featureKey, byVariation);
      }
      byVariation.set(variationKey, (byVariation.get(variationKey) ?? 0) + count);
    }
    this.from = this.from === undefined ? report.from : Math.min(this.from, report.from);
  }
}

/** Sends the counter's report every `intervalMs`; a failed report is merged into the next one. */
export class EvaluationReporter {
  private stopTicker: (() => void) | undefined;
  private sending: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly http: HttpClient,
    private readonly counter: EvaluationCounter,
    private readonly intervalMs: number,
    private readonly now: () => number,
    private readonly logger: Logger,
    private readonly onFatal: (error: VexilError) => void,
  ) {}

  /** Starts the periodic reports. */
  start(): void {
    if (this.stopTicker !== undefined || this.stopped) return;
    this.stopTicker = every(this.intervalMs, () => void this.report());
  }

  /** Sends the accumulated counts now (one attempt). */
  async report(): Promise<void> {
    if (this.sending !== undefined) await this.sending;
    if (this.stopped) return;
    const report = this.counter.take(this.now());
    if (report === null) return;
    this.sending = this.send(report).finally(() => {
      this.sending = undefined;
    });
    await this.sending;
  }

  /** Sends a last report and stops. */
  async close(): Promise<void> {
    this.stopTicker?.();
    await this.report().catch(() => {});
    this.stopped = true;
  }

  /** Stops without reporting (the key was refused). */
  stop(): void {
    this.stopTicker?.();
    this.stopped = true;
  }

  private async send(report: EvaluationReport): Promise<void> {
    try {
      const response = await this.http.request(EVALUATIONS_PATH, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(report),
      });
      if (response.status >= 200 && response.status < 300) return;
      if (isAuthFailure(response.status)) {
        this.stop();
        this.onFatal(
          new VexilError(
            "UNAUTHORIZED",
            `${EVALUATIONS_PATH} refused the SDK key (${response.status})`,
            response.status,
          ),
        );
        return;
      }
      // A 4xx other than auth would fail again: drop it rather than grow the next report forever.
      if (response.status < 500 && response.status !== 408 && response.status !== 429) {
        this.logger.warn(`${EVALUATIONS_PATH} answered ${response.status}; evaluation counts dropped`);
        return;
      }
      this.counter.restore(report);
    } catch (error) {
      this.logger.debug(`${EVALUATIONS_PATH}: ${describe(error)}`);
      this.counter.restore(report);
    }
  }
}
