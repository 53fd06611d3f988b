// Exposure recording on the evaluation hot path. An evaluation that puts a visitor in an experiment costs,
// when the visit already has that exposure, one Map lookup for the result's exposure id and one for the
// visitor, and allocates nothing. Otherwise it queues one row (event-rows.ts): the head shared by every
// exposure to the feature x rule x variation, the visit number, the visitor's code (the caller's string),
// the time and the attributes' JSON text (shared by equal attributes: attribute-texts.ts).

import type { EvaluationResult, Visitor } from "@vexil/engine";
import { AttributeTexts } from "./attribute-texts.js";
import type { EventQueue } from "./event-queue.js";
import type { ExposureHead } from "./events.js";
import { VisitTracker } from "./visits.js";

/** The parts of an evaluation result an exposure uses (the object itself is the cache key). */
type Result = Pick<EvaluationResult, "variationKey" | "ruleId" | "experimentId">;

/** What every exposure to one feature x rule x variation shares. */
interface Exposure {
  /** Stable while the client lives (the same triple keeps its id across configuration updates). */
  readonly id: number;
  readonly featureKey: string;
  readonly head: ExposureHead;
}

/** Records exposures once per visitor x feature x rule x variation per visit, and conversions' visits. */
export class ExposureRecorder {
  readonly visits: VisitTracker;
  /** The attributes' texts of the events queued (exposures and conversions). */
  readonly attributes = new AttributeTexts();
  /** Exposures not queued because the visit already had them. */
  deduped = 0;
  // Engine results are frozen and shared per feature x rule x variation: the exposure is found by identity.
  private byResult = new Map<Result, Exposure>();
  private readonly ids = new Map<string, number>();

  constructor(visitCapacity: number) {
    this.visits = new VisitTracker(visitCapacity);
  }

  /** Queues the exposure of this evaluation, unless this visit already has it. */
  record(featureKey: string, visitor: Visitor, result: Result, now: number, queue: EventQueue): void {
    let exposure = this.byResult.get(result);
    if (exposure === undefined || exposure.featureKey !== featureKey) {
      exposure = this.exposure(featureKey, result);
    }
    const visitNumber = this.visits.expose(visitor.code, exposure.id, now);
    if (visitNumber < 0) {
      this.deduped++;
      return;
    }
    queue.push(exposure.head, visitNumber, visitor.code, now, this.attributes.text(visitor.attributes));
  }

  /** Forgets the results of the previous configuration (their exposure ids stay). */
  newConfiguration(): void {
    this.byResult = new Map();
  }

  private exposure(featureKey: string, result: Result): Exposure {
    const ruleId = result.ruleId ?? 0;
    const experimentId = result.experimentId ?? 0;
    const key = `${featureKey}\u0000${ruleId}\u0000${result.variationKey}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(key, id);
    }
    const exposure: Exposure = {
      id,
      featureKey,
      head: Object.freeze({ featureKey, ruleId, experimentId, variationKey: result.variationKey }),
    };
    this.byResult.set(result, exposure);
    return exposure;
  }
}
