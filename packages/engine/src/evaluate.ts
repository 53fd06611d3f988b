// Rule semantics (DESIGN section 3). A payload is compiled lazily, flag by flag, into plans whose every
// possible answer is a frozen result built in advance: evaluating is then status checks, segment closures
// and at most two hashes, with no allocation. Nothing here throws: malformed configuration answers the
// default variation with reason ERROR / PARSE_ERROR, and any unexpected failure ERROR / GENERAL.

import {
  BUCKETS,
  bucketFromState,
  experimentSalt,
  expositionThreshold,
  launchDarklyBucket,
  launchDarklyPrefix,
  launchDarklyWeights,
  ruleSalt,
  saltState,
} from "./bucketing.js";
import { type Attributes, type CompiledSegment, ConfigError, compileSegment } from "./conditions.js";
import type { HashState } from "./murmurhash3.js";
import { compileExpositionSchedule, compileReleaseInterval, type ExpositionSchedule } from "./schedule.js";
import type {
  CompiledRule,
  EvaluationErrorCode,
  EvaluationPayload,
  EvaluationReason,
  EvaluationResult,
  RuleType,
  Visitor,
} from "./types.js";
import { type ResolvedVariables, resolveVariables } from "./variables.js";

const RULE_TYPES: ReadonlySet<string> = new Set<RuleType>([
  "TARGETED_DELIVERY",
  "PROGRESSIVE_DELIVERY",
  "EXPERIMENTATION",
]);

const KIND_DELIVERY = 0;
const KIND_EXPERIMENT = 1;
const KIND_INVALID = 2;

const EMPTY_VARIABLES: Readonly<Record<string, unknown>> = Object.freeze({});

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isPercent(value: unknown): value is number {
  return typeof value === "number" && value >= 0 && value <= 100;
}

interface ResultFields {
  errorCode?: EvaluationErrorCode;
  ruleId?: number;
  ruleType?: RuleType;
  experimentId?: number;
  inExperiment?: boolean;
}

// One property order for every result, optional fields left out rather than undefined (clean JSON).
function makeResult(
  variationKey: string,
  variables: Readonly<Record<string, unknown>>,
  reason: EvaluationReason,
  fields: ResultFields = {},
): EvaluationResult {
  const result = { variationKey, variables, reason } as EvaluationResult;
  if (fields.errorCode !== undefined) result.errorCode = fields.errorCode;
  if (fields.ruleId !== undefined) result.ruleId = fields.ruleId;
  if (fields.ruleType !== undefined) result.ruleType = fields.ruleType;
  if (fields.experimentId !== undefined) result.experimentId = fields.experimentId;
  result.inExperiment = fields.inExperiment === true;
  return Object.freeze(result);
}

const FLAG_NOT_FOUND = makeResult("", EMPTY_VARIABLES, "ERROR", { errorCode: "FLAG_NOT_FOUND" });
const PAYLOAD_UNREADABLE = makeResult("", EMPTY_VARIABLES, "ERROR", { errorCode: "PARSE_ERROR" });
const GENERAL_ERROR = makeResult("", EMPTY_VARIABLES, "ERROR", { errorCode: "GENERAL" });

/** Everything one rule can answer, prepared at compile time. Fields are always present (one V8 shape). */
class RulePlan {
  kind = KIND_INVALID;
  paused = true;
  from = Infinity;
  to = -Infinity;
  segment: CompiledSegment | null = null;
  salt: HashState | null = null;
  threshold = 0;
  schedule: ExpositionSchedule | null = null;
  /** Delivery rules: the answer for an entered visitor. */
  matched: EvaluationResult | null = null;
  expSalt: HashState | null = null;
  /** Experimentation: cumulative bucket bounds (round(allocation % x 1000), summed in list order) and answers. */
  cumulative: number[] = [];
  splits: EvaluationResult[] = [];
  /** Bucketing mode `launchdarkly`: the hash prefix of the rule's one draw (null in mode `vexil`). */
  ldPrefix: string | null = null;
  /** `launchdarkly` experiments: running sums of weight / 100000, summed as LaunchDarkly's SDKs do. */
  ldBounds: number[] = [];
  /** `launchdarkly` experiments: the weights sum to 100000, so a draw past them answers the last split. */
  ldFull = false;

  constructor(readonly error: EvaluationResult) {}
}

/** A compiled flag: its rules and every fixed answer. */
class FlagPlan {
  rules: RulePlan[] = [];
  enabled = false;
  /** Set when the flag itself is unusable: every evaluation answers it. */
  broken: EvaluationResult | null = null;
  disabled: EvaluationResult = PAYLOAD_UNREADABLE;
  fallback: EvaluationResult = PAYLOAD_UNREADABLE;
  invalidContext: EvaluationResult = PAYLOAD_UNREADABLE;
  parseError: EvaluationResult = PAYLOAD_UNREADABLE;
  generalError: EvaluationResult = GENERAL_ERROR;

  evaluate(visitor: Visitor, now: number | Date | undefined): EvaluationResult {
    let i = -1;
    const rules = this.rules;
    try {
      if (this.broken !== null) return this.broken;
      if (!this.enabled) return this.disabled;
      if (typeof visitor !== "object" || visitor === null) return this.invalidContext;
      const code = visitor.code;
      if (typeof code !== "string" || code === "") return this.invalidContext;
      let attributes: Attributes = visitor.attributes;
      if (attributes === null) attributes = undefined;
      else if (attributes !== undefined && (typeof attributes !== "object" || Array.isArray(attributes))) {
        return this.invalidContext;
      }
      const t =
        now === undefined
          ? Date.now()
          : typeof now === "number"
            ? now
            : now instanceof Date
              ? now.getTime()
              : Number.NaN;
      if (!Number.isFinite(t)) return this.generalError;

      for (i = 0; i < rules.length; i++) {
        const rule = rules[i]!;
        if (rule.kind === KIND_INVALID) return rule.error;
        if (rule.paused || t < rule.from || t >= rule.to) continue;
        if (rule.segment !== null && !rule.segment.matches(code, attributes)) continue;
        const threshold = rule.schedule === null ? rule.threshold : expositionThreshold(rule.schedule.at(t));
        if (rule.ldPrefix !== null) {
          const answer = launchDarklyAnswer(rule, threshold, code, this.fallback);
          if (answer !== null) return answer;
          continue;
        }
        // Bucket < threshold; the hash is skipped when the answer is known (0 % or 100 %).
        const entered =
          threshold >= BUCKETS || (threshold > 0 && bucketFromState(rule.salt!, code) < threshold);
        if (rule.kind === KIND_DELIVERY) return entered ? rule.matched! : this.fallback;
        if (!entered) continue;
        const b = bucketFromState(rule.expSalt!, code);
        const cumulative = rule.cumulative;
        for (let j = 0; j < cumulative.length; j++) if (b < cumulative[j]!) return rule.splits[j]!;
      }
      return this.fallback;
    } catch (e) {
      const rule = i >= 0 && i < rules.length ? rules[i] : undefined;
      if (e instanceof ConfigError) return rule !== undefined ? rule.error : this.parseError;
      return this.generalError;
    }
  }
}

// One rule in bucketing mode `launchdarkly`: null means "continue with the next rule".
function launchDarklyAnswer(
  rule: RulePlan,
  threshold: number,
  code: string,
  fallback: EvaluationResult,
): EvaluationResult | null {
  if (rule.kind === KIND_DELIVERY) {
    // LaunchDarkly: a rollout [variation: threshold, default: the rest], or a plain variation at 100 %.
    const entered =
      threshold >= BUCKETS ||
      (threshold > 0 && launchDarklyBucket(rule.ldPrefix!, code) < threshold / BUCKETS);
    return entered ? rule.matched! : fallback;
  }
  const bounds = rule.ldBounds;
  if (bounds.length === 0) return null;
  const u = launchDarklyBucket(rule.ldPrefix!, code);
  for (let j = 0; j < bounds.length; j++) if (u < bounds[j]!) return rule.splits[j]!;
  return rule.ldFull ? rule.splits[bounds.length - 1]! : null;
}

interface FlagContext {
  flag: Record<string, unknown>;
  defaultKey: string;
  variations: Map<string, ResolvedVariables>;
  defaultVariables: ResolvedVariables;
  /** Bucketing mode `launchdarkly`: `flagKey.salt`, the prefix of rules without a seed; null in mode `vexil`. */
  ldFlagPrefix: string | null;
  resolveSegment: (id: string) => CompiledSegment | undefined;
}

// The answer for a variation; a variation whose variables do not decode answers the default one with
// PARSE_ERROR (rather than handing the application half a configuration).
function variationResult(
  ctx: FlagContext,
  variationKey: string,
  reason: EvaluationReason,
  fields: ResultFields,
): EvaluationResult {
  const resolved = ctx.variations.get(variationKey)!;
  if (resolved.complete) return makeResult(variationKey, resolved.values, reason, fields);
  return makeResult(ctx.defaultKey, ctx.defaultVariables.values, "ERROR", {
    errorCode: "PARSE_ERROR",
    ruleId: fields.ruleId,
    ruleType: fields.ruleType,
  });
}

function compileRule(ctx: FlagContext, raw: unknown): RulePlan {
  const plan = compileRuleChecked(ctx, raw);
  // A paused rule is out of play: skip it even when the rest of it cannot be read.
  if (plan.kind === KIND_INVALID && isRecord(raw) && raw.state === "PAUSED") {
    plan.kind = KIND_DELIVERY;
    plan.paused = true;
  }
  return plan;
}

function compileRuleChecked(ctx: FlagContext, raw: unknown): RulePlan {
  const anonymousError = makeResult(ctx.defaultKey, ctx.defaultVariables.values, "ERROR", {
    errorCode: "PARSE_ERROR",
  });
  if (!isRecord(raw) || typeof raw.id !== "number" || !Number.isFinite(raw.id))
    return new RulePlan(anonymousError);
  const id = raw.id;
  const type = typeof raw.type === "string" && RULE_TYPES.has(raw.type) ? (raw.type as RuleType) : undefined;
  const plan = new RulePlan(
    makeResult(ctx.defaultKey, ctx.defaultVariables.values, "ERROR", {
      errorCode: "PARSE_ERROR",
      ruleId: id,
      ruleType: type,
    }),
  );
  if (type === undefined || (raw.state !== "ACTIVE" && raw.state !== "PAUSED")) return plan;
  const rule = raw as unknown as CompiledRule;

  const interval = compileReleaseInterval(rule);
  if (interval === undefined) return plan;

  let segment: CompiledSegment | null = null;
  if (rule.segmentId !== undefined && rule.segmentId !== null) {
    if (typeof rule.segmentId !== "number" && typeof rule.segmentId !== "string") return plan;
    const found = ctx.resolveSegment(String(rule.segmentId));
    if (found === undefined || found.error !== null) return plan;
    segment = found;
  }

  const schedule = compileExpositionSchedule(rule);
  if (schedule === undefined) return plan;
  if (schedule === null && !isPercent(rule.exposition)) return plan;

  let kind: number;
  if (type === "EXPERIMENTATION") {
    const experimentId = rule.experimentId;
    if (typeof experimentId !== "number" || !Number.isFinite(experimentId)) return plan;
    const respool = rule.respoolTime;
    if (
      respool !== undefined &&
      respool !== null &&
      (typeof respool !== "number" || !Number.isFinite(respool))
    ) {
      return plan;
    }
    const allocations = rule.trafficAllocations ?? [];
    if (!Array.isArray(allocations)) return plan;
    let sum = 0;
    for (const a of allocations) {
      if (!isRecord(a) || typeof a.variationKey !== "string" || !ctx.variations.has(a.variationKey))
        return plan;
      if (!isPercent(a.exposition)) return plan;
      sum += expositionThreshold(a.exposition); // integers: the cumulative bounds stay exact
      plan.cumulative.push(sum);
      plan.splits.push(
        variationResult(ctx, a.variationKey, "SPLIT", {
          ruleId: id,
          ruleType: type,
          experimentId,
          inExperiment: true,
        }),
      );
    }
    if (sum > BUCKETS) return new RulePlan(plan.error); // allocations over 100 %
    plan.expSalt = saltState(experimentSalt(experimentId, respool));
    kind = KIND_EXPERIMENT;
  } else {
    const key = rule.variationKey;
    if (typeof key !== "string" || !ctx.variations.has(key)) return plan;
    plan.matched = variationResult(ctx, key, "TARGETING_MATCH", { ruleId: id, ruleType: type });
    kind = KIND_DELIVERY;
  }

  if (ctx.ldFlagPrefix !== null) {
    const seed = rule.seed ?? (type === "EXPERIMENTATION" ? rule.respoolTime : null);
    // Seed 0 is absent for some of LaunchDarkly's SDKs and present for others: refused as ambiguous.
    if (seed !== undefined && seed !== null && (!Number.isSafeInteger(seed) || seed === 0)) return plan;
    plan.ldPrefix = seed === undefined || seed === null ? ctx.ldFlagPrefix : launchDarklyPrefix("", "", seed);
    if (kind === KIND_EXPERIMENT) {
      const weights = launchDarklyWeights(
        rule.exposition,
        (rule.trafficAllocations ?? []).map((a) => a.exposition),
      );
      let bound = 0;
      let total = 0;
      for (const w of weights) {
        bound += w / BUCKETS;
        total += w;
        plan.ldBounds.push(bound);
      }
      plan.ldFull = total === BUCKETS && weights.length > 0;
    }
  }

  plan.kind = kind;
  plan.paused = rule.state !== "ACTIVE";
  plan.from = interval.from;
  plan.to = interval.to;
  plan.segment = segment;
  plan.salt = saltState(ruleSalt(id));
  plan.schedule = schedule;
  plan.threshold = schedule === null ? expositionThreshold(rule.exposition) : 0;
  return plan;
}

function compileFlag(flag: unknown, resolveSegment: (id: string) => CompiledSegment | undefined): FlagPlan {
  const plan = new FlagPlan();
  if (!isRecord(flag)) {
    plan.broken = PAYLOAD_UNREADABLE;
    return plan;
  }
  const defaultKey = typeof flag.defaultVariationKey === "string" ? flag.defaultVariationKey : "";
  const flagVariables = flag.variables ?? [];
  const variations = new Map<string, ResolvedVariables>();
  let wellFormed = Array.isArray(flag.variations) && typeof flag.enabled === "boolean";
  if (Array.isArray(flag.variations)) {
    for (const v of flag.variations) {
      if (!isRecord(v) || typeof v.key !== "string") {
        wellFormed = false;
        continue;
      }
      if (!variations.has(v.key)) variations.set(v.key, resolveVariables(flagVariables, v.variables));
    }
  }
  const rulesRaw = flag.rules ?? [];
  if (!Array.isArray(rulesRaw)) wellFormed = false;
  const defaultVariables = variations.get(defaultKey);
  if (!wellFormed || defaultVariables === undefined) {
    const values = defaultVariables?.values ?? resolveVariables(flagVariables, undefined).values;
    plan.broken = makeResult(defaultKey, values, "ERROR", { errorCode: "PARSE_ERROR" });
    return plan;
  }

  let ldFlagPrefix: string | null = null;
  if (flag.bucketing === "launchdarkly") {
    const salt = flag.salt ?? "";
    if (typeof flag.key !== "string" || typeof salt !== "string") {
      plan.broken = makeResult(defaultKey, defaultVariables.values, "ERROR", { errorCode: "PARSE_ERROR" });
      return plan;
    }
    ldFlagPrefix = launchDarklyPrefix(flag.key, salt);
  } else if (flag.bucketing !== undefined && flag.bucketing !== "vexil") {
    plan.broken = makeResult(defaultKey, defaultVariables.values, "ERROR", { errorCode: "PARSE_ERROR" });
    return plan;
  }
  const ctx: FlagContext = { flag, defaultKey, variations, defaultVariables, resolveSegment, ldFlagPrefix };
  const defaults = defaultVariables.values;
  plan.enabled = flag.enabled === true;
  plan.invalidContext = makeResult(defaultKey, defaults, "ERROR", { errorCode: "INVALID_CONTEXT" });
  plan.parseError = makeResult(defaultKey, defaults, "ERROR", { errorCode: "PARSE_ERROR" });
  plan.generalError = makeResult(defaultKey, defaults, "ERROR", { errorCode: "GENERAL" });
  // The default variation's own variables must decode, or even the fallback answer is unusable.
  plan.disabled = defaultVariables.complete ? makeResult(defaultKey, defaults, "DISABLED") : plan.parseError;
  plan.fallback = defaultVariables.complete ? makeResult(defaultKey, defaults, "DEFAULT") : plan.parseError;
  plan.rules = (rulesRaw as unknown[]).map((r) => compileRule(ctx, r));
  return plan;
}

/** Evaluates the flags of one payload; compiles each flag on first use and keeps it. */
export interface Evaluator {
  /** The payload this evaluator was created from (treated as immutable). */
  readonly payload: EvaluationPayload;
  /** Evaluate one flag for a visitor at `now` (epoch ms or Date; default: the current time). Never throws. */
  evaluate(featureKey: string, visitor: Visitor, now?: number | Date): EvaluationResult;
  /** Evaluate every flag of the payload for a visitor (e.g. OFREP bulk evaluation). Never throws. */
  evaluateAll(visitor: Visitor, now?: number | Date): Record<string, EvaluationResult>;
}

class PayloadEvaluator implements Evaluator {
  private readonly plans = new Map<string, FlagPlan>();
  private readonly segments = new Map<string, CompiledSegment | null>();
  private readonly flags: Record<string, unknown> | null;
  private readonly segmentSource: Record<string, unknown>;
  private readonly resolveSegment = (id: string): CompiledSegment | undefined => {
    let segment = this.segments.get(id);
    if (segment === undefined) {
      segment = Object.hasOwn(this.segmentSource, id)
        ? compileSegment(id, this.segmentSource[id], this.resolveSegment)
        : null;
      this.segments.set(id, segment);
    }
    return segment ?? undefined;
  };

  constructor(readonly payload: EvaluationPayload) {
    const p = payload as unknown;
    this.flags = isRecord(p) && isRecord(p.flags) ? p.flags : null;
    this.segmentSource = isRecord(p) && isRecord(p.segments) ? p.segments : {};
  }

  private plan(featureKey: string): FlagPlan | undefined {
    let plan = this.plans.get(featureKey);
    if (plan === undefined) {
      // Unknown keys are not cached: callers (OFREP) may send arbitrary ones.
      if (typeof featureKey !== "string" || this.flags === null || !Object.hasOwn(this.flags, featureKey))
        return undefined;
      try {
        plan = compileFlag(this.flags[featureKey], this.resolveSegment);
      } catch {
        plan = new FlagPlan();
        plan.broken = PAYLOAD_UNREADABLE;
      }
      this.plans.set(featureKey, plan);
    }
    return plan;
  }

  evaluate(featureKey: string, visitor: Visitor, now?: number | Date): EvaluationResult {
    const plan = this.plan(featureKey);
    if (plan === undefined) return this.flags === null ? PAYLOAD_UNREADABLE : FLAG_NOT_FOUND;
    return plan.evaluate(visitor, now);
  }

  evaluateAll(visitor: Visitor, now?: number | Date): Record<string, EvaluationResult> {
    const out: Record<string, EvaluationResult> = {};
    if (this.flags === null) return out;
    const t = now ?? Date.now(); // one instant for the whole batch
    for (const key of Object.keys(this.flags)) {
      Object.defineProperty(out, key, {
        value: this.evaluate(key, visitor, t),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
}

/** Prepare a payload for repeated evaluation (the fast path: SDKs and the server keep one per payload). */
export function createEvaluator(payload: EvaluationPayload): Evaluator {
  return new PayloadEvaluator(payload);
}

/** Evaluate one flag of a payload without keeping anything (compiles that flag on every call). */
export function evaluateFlag(
  payload: EvaluationPayload,
  featureKey: string,
  visitor: Visitor,
  now: number | Date = Date.now(),
): EvaluationResult {
  return new PayloadEvaluator(payload).evaluate(featureKey, visitor, now);
}
