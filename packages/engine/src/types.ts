// The evaluation contract. Everything here is plain JSON so the server can compile its stored flags into
// it, ship it to SDKs, and other languages can read the same documents (see test/conformance/).

import type { OPERATORS } from "./conditions.js";

/** Type of a variable; decides how its string `value` is decoded. */
export type VariableType = "BOOLEAN" | "NUMBER" | "STRING" | "JSON" | "JS" | "CSS";

/** A typed variable as Kameleoon's API carries it: the value is always a string ("true", "12.5", "{\"a\":1}"). */
export interface Variable {
  /** Variable key, unique within a flag. */
  key: string;
  /** BOOLEAN -> boolean, NUMBER -> number, JSON -> parsed value, STRING/JS/CSS -> string. */
  type: VariableType;
  /** Encoded value. BOOLEAN accepts "true"/"false" (any case); NUMBER a decimal number; JSON any JSON text. */
  value: string;
}

/** A variation of a flag. */
export interface Variation {
  /** Key returned by evaluation (e.g. "off", "on", "blue"). Unique within the flag. */
  key: string;
  /** Numeric id (Kameleoon's variationId), informative only. */
  id?: number;
  /** Display name, informative only. */
  name?: string;
  /** Overrides of the flag-level variables (same key wins); a key unknown at flag level is added. */
  variables: Variable[];
}

/** Rule kinds, in the order Kameleoon names them. */
export type RuleType = "TARGETED_DELIVERY" | "PROGRESSIVE_DELIVERY" | "EXPERIMENTATION";

/** What the user asked for; the effective status also depends on the release window. */
export type RuleState = "ACTIVE" | "PAUSED";

/** Computed status of a rule (what the console shows); only ACTIVE rules are evaluated. */
export type RuleStatus = "ACTIVE" | "PAUSED" | "PLANNED" | "OUTDATED";

/**
 * Date-times (release window, ramp schedules) are ISO 8601 strings: with an offset or `Z` they are absolute
 * instants; without one ("2024-03-31T02:30:00", or a bare date meaning midnight) they are wall-clock times
 * in the rule's `release.timeZone` (default UTC). A wall-clock time that does not exist (DST gap) moves
 * forward by the gap; an ambiguous one (DST overlap) takes the earlier instant.
 */
export interface ReleaseWindow {
  /** The rule is PLANNED before this instant (inclusive start of the window). */
  releaseFrom?: string;
  /** The rule is OUTDATED from this instant on (exclusive end of the window). */
  releaseTo?: string;
  /** IANA time zone for wall-clock date-times in this rule (window and rollout schedule). Default "UTC". */
  timeZone?: string;
}

/** Linear ramp: `start`% at `releaseDateTime`, plus `increaseBy`% every `frequency`, capped at `stop`%. */
export interface ProgressiveExposureConfiguration {
  type: "PROGRESSIVE_EXPOSURE";
  /** Exposition at the release (start) and the cap (stop), 0-100, start <= stop. */
  percentageRange: { start: number; stop: number };
  /** Percentage points added at each step (>= 0). */
  increaseBy: number;
  /**
   * Step length: `value` (a positive integer) times `unit`, one of Kameleoon's units (FREQUENCY_UNITS).
   * Nanos to HalfDays are absolute durations; Days to Millennia are calendar steps in the rule's time zone
   * (a step at 09:00 stays at 09:00 across DST; a month is a calendar month); Eras and Forever never step.
   * Vexil's older MINUTE, HOUR, DAY and WEEK still read as Minutes, Hours, Days and Weeks.
   */
  frequency: { unit: string; value: number };
  /** First step; before it the exposition is 0. */
  releaseDateTime: string;
}

/** Explicit ramp: from each step's `dateTime` on, the exposition is its `exposure` (0-100); 0 before the first. */
export interface CustomRampUpConfiguration {
  type: "CUSTOM_RAMP_UP";
  steps: { dateTime: string; exposure: number }[];
}

/** Schedule of a PROGRESSIVE_DELIVERY rule; the engine reads it against the clock, so ramps need no push. */
export type RolloutConfiguration = ProgressiveExposureConfiguration | CustomRampUpConfiguration;

/** Share of an experiment given to one variation. */
export interface TrafficAllocation {
  /** Variation key (must exist in the flag). */
  variationKey: string;
  /** Numeric id of that variation (Kameleoon's variationId), informative only. */
  variationId?: number;
  /** Percentage (0-100) of the entered visitors; bounds are cumulative sums of round(exposition * 1000) in list order. */
  exposition: number;
}

/** One rollout rule of a flag in one environment; rules are evaluated in array order. */
export interface CompiledRule {
  /** Rule id; also the bucketing salt `rule:<id>`. */
  id: number;
  type: RuleType;
  /** Percentage (0-100) of the segment's visitors entering the rule: bucket < round(exposition * 1000). */
  exposition: number;
  state: RuleState;
  /** Optional release window; without it the rule follows `state` only. */
  release?: ReleaseWindow;
  /** Segment the visitor must match (key of `EvaluationPayload.segments` as a string); absent/null = everyone. */
  segmentId?: number | null;
  /** TARGETED_DELIVERY / PROGRESSIVE_DELIVERY: the variation delivered to entered visitors. */
  variationKey?: string;
  /** PROGRESSIVE_DELIVERY: schedule overriding `exposition`. Without it, `exposition` is used as is. */
  rolloutConfiguration?: RolloutConfiguration;
  /** EXPERIMENTATION: cumulative split of entered visitors; a bucket past their sum falls to the next rule. */
  trafficAllocations?: TrafficAllocation[];
  /** EXPERIMENTATION (required): the experiment; the split salt is `exp:<experimentId>`. */
  experimentId?: number;
  /** EXPERIMENTATION: set by a re-allocation; the split salt becomes `exp:<experimentId>:<respoolTime>`. */
  respoolTime?: number | null;
  /**
   * Bucketing mode `launchdarkly` only: the rollout seed (a non-zero integer); the rule's one draw hashes
   * `seed.code`. Without it an EXPERIMENTATION rule with a `respoolTime` uses that as the seed, and any other
   * rule hashes `flagKey.salt.code`.
   */
  seed?: number | null;
}

/**
 * How rules draw visitors. `vexil` (default): MurmurHash3, an entry draw per rule and a split draw per
 * experiment (DESIGN section 3). `launchdarkly`: one LaunchDarkly draw per rule (SHA-1, weights out of
 * 100000), so LaunchDarkly's SDKs give the same answers: a delivery rule delivers iff draw < exposition; an
 * experiment splits with weights round(exposition x allocation x 10), a draw past them continuing with the
 * next rule (or, when the weights sum to 100000, answering the last split as LaunchDarkly does).
 */
export type BucketingMode = "vexil" | "launchdarkly";

/** A flag compiled for one environment. */
export interface CompiledFlag {
  /** Numeric flag id (results API). */
  id: number;
  /** Feature key (also the key in `EvaluationPayload.flags`). */
  key: string;
  /** Flag version, increments on every change; informative for the engine. */
  version: number;
  /** `featureEnabled` of the environment: false answers the default variation with reason DISABLED. */
  enabled: boolean;
  /** Variation answered when no rule delivers one (must be one of `variations`). */
  defaultVariationKey: string;
  variations: Variation[];
  /** Flag-level variables: the defaults every variation inherits. */
  variables: Variable[];
  /** The environment's ordered `rolloutRules`. */
  rules: CompiledRule[];
  /** How rules draw visitors; default `vexil`. */
  bucketing?: BucketingMode;
  /** Bucketing mode `launchdarkly`: the flag's salt (LaunchDarkly's `salt`); default "". */
  salt?: string;
}

/** Condition operators (listed in `OPERATORS`). Several `values` mean "any of them matches". */
export type Operator = (typeof OPERATORS)[number];

/**
 * A leaf test on one visitor attribute. A missing (undefined/null) attribute never matches, even with
 * `negate` (only `exists` looks at absence); a present one is matched against each value and `negate` flips
 * the outcome. An array attribute matches when any element does. `visitorCode` addresses the visitor code.
 */
export interface AttributeCondition {
  attribute: string;
  operator: Operator;
  values: unknown[];
  negate?: boolean;
}

/** Boolean tree of conditions: `all` of [] is true, `any` of [] is false, `not` inverts (missing included). */
export type ConditionTree =
  | { all: ConditionTree[] }
  | { any: ConditionTree[] }
  | { not: ConditionTree }
  | AttributeCondition;

/** A reusable audience. */
export interface Segment {
  id: number;
  /** Condition tree; null means no visitor matches by condition (only `included` codes do). */
  condition: ConditionTree | null;
  /** Visitor codes that always match (unless excluded). */
  included?: string[];
  /** Visitor codes that never match; exclusion wins over inclusion. */
  excluded?: string[];
}

/** Everything an SDK needs to evaluate one environment of one project locally. */
export interface EvaluationPayload {
  /** Payload format/config version; increases with each change so clients can skip stale ones. */
  version: number;
  projectKey: string;
  environmentKey: string;
  /** Flags by feature key. */
  flags: Record<string, CompiledFlag>;
  /** Segments by id (the id written as a decimal string). */
  segments: Record<string, Segment>;
}

/** The visitor being evaluated. */
export interface Visitor {
  /** Visitor code (targeting key); non-empty. Bucketing hashes it, `included`/`excluded` list it. */
  code: string;
  /** Attributes read by conditions: strings, numbers, booleans, dates (ISO / epoch ms / Date), arrays of those. */
  attributes?: Record<string, unknown>;
}

/** Why a variation was answered (OpenFeature vocabulary). */
export type EvaluationReason = "TARGETING_MATCH" | "SPLIT" | "DEFAULT" | "DISABLED" | "ERROR";

/** Error codes (OpenFeature vocabulary); PARSE_ERROR means the payload itself is inconsistent. */
export type EvaluationErrorCode = "FLAG_NOT_FOUND" | "INVALID_CONTEXT" | "PARSE_ERROR" | "GENERAL";

/** Outcome of one evaluation. Results are frozen and shared between calls: copy before mutating. */
export interface EvaluationResult {
  /** Chosen variation; the default one on errors, "" when the flag (or the payload) is unusable. */
  variationKey: string;
  /** Decoded variables of the chosen variation (flag-level defaults overridden by the variation's). */
  variables: Record<string, unknown>;
  reason: EvaluationReason;
  errorCode?: EvaluationErrorCode;
  /** Rule that decided (TARGETING_MATCH, SPLIT), or that was malformed (ERROR). */
  ruleId?: number;
  ruleType?: RuleType;
  /** Experiment of the deciding EXPERIMENTATION rule. */
  experimentId?: number;
  /** True iff the visitor was allocated by an experiment (reason SPLIT): an exposure to track. */
  inExperiment: boolean;
}
