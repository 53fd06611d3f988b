// How one environment's evaluation payload becomes LaunchDarkly's SDK data model (flags and segments as
// /sdk/latest-all serves them), so that LaunchDarkly's SDKs answer what Vexil's engine answers. Pure: the
// payload and the clock in, JSON out. What LaunchDarkly's model cannot say exactly is not approximated:
// the flag is served as malformed (the SDK answers the application's default with MALFORMED_FLAG) and the
// reason is listed in `notServable` and on the flag as `_vexilNotServable`.
//
// The visitor is the context of kind "user": its key is the visitor code, its attributes the visitor's.

import {
  type CompiledFlag,
  type CompiledRule,
  type ConditionTree,
  compileSafeRegex,
  currentExposition,
  type EvaluationPayload,
  ruleStatus,
  type Segment,
} from "@vexil/engine";
import { clockPieces } from "../flags/rule-clock.js";
import {
  LD_OPERATORS,
  type LdVariationOrRollout,
  NotServable,
  servingOf,
  variationValues,
} from "./serving.js";

/** Item versions: the payload version times this, plus the schedule steps materialised since. */
export const STEPS_PER_VERSION = 1_000_000;

export interface LdClause {
  contextKind: "user";
  attribute: string;
  op: string;
  values: unknown[];
  negate: boolean;
}

export interface LdRule extends LdVariationOrRollout {
  id: string;
  clauses: LdClause[];
  trackEvents: boolean;
}

export interface LdFlag extends Record<string, unknown> {
  key: string;
  version: number;
  on: boolean;
  variations: unknown[];
  offVariation: number;
  fallthrough: LdVariationOrRollout;
  rules: LdRule[];
  salt: string;
  trackEvents: boolean;
  deleted: boolean;
}

export interface LdSegment extends Record<string, unknown> {
  key: string;
  version: number;
  included: string[];
  excluded: string[];
  rules: { id: string; clauses: LdClause[] }[];
  salt: string;
  deleted: boolean;
}

/** The experiment behind a rollout of kind experiment: LaunchDarkly's rule id, or "fallthrough". */
export interface LdExperimentRule {
  ruleId: number;
  experimentId: number;
}

export interface LdModel {
  flags: Record<string, LdFlag>;
  segments: Record<string, LdSegment>;
  /** Flags served as malformed, with the reason. */
  notServable: Record<string, string>;
  /** By flag key, then by LaunchDarkly rule id ("fallthrough" for the fallthrough): the experiment rule. */
  experiments: Record<string, Record<string, LdExperimentRule>>;
  /** The version every item carries. */
  version: number;
  /** When a release window or ramp step changes what a flag serves (Infinity: never): compile again then. */
  nextChange: number;
}

/** Key of a Vexil segment in LaunchDarkly's model. */
export const segmentKey = (id: string | number): string => `segment-${id}`;

/** LaunchDarkly attribute reference of a Vexil attribute name (a leading "/" would read as a path). */
function attributeRef(name: string): string {
  if (name === "visitorCode") return "key";
  if (name === "key" || name === "kind" || name === "_meta") {
    throw new NotServable(`attribute '${name}' is reserved in LaunchDarkly contexts`);
  }
  return name.startsWith("/") ? `/${name.replaceAll("~", "~0").replaceAll("/", "~1")}` : name;
}

/** Segments (condition trees) compiled to LaunchDarkly segments, auxiliary ones included. */
class SegmentCompiler {
  readonly out: Record<string, LdSegment> = {};
  private readonly failures = new Map<string, string | null>();
  private auxiliary = 0;

  constructor(
    private readonly source: Record<string, Segment>,
    private readonly version: number,
  ) {}

  /** Compiles a payload segment (and what it references); returns why it cannot be served, or null. */
  compile(id: string): string | null {
    const known = this.failures.get(id);
    if (known !== undefined) return known;
    this.failures.set(id, null); // a reference cycle compiles; LaunchDarkly's SDKs detect it as Vexil does
    const segment = this.source[id];
    let failure: string | null = null;
    if (segment === undefined) failure = `segment ${id} is missing`;
    else {
      try {
        const excluded = new Set(segment.excluded ?? []);
        // Vexil: exclusion wins over inclusion; LaunchDarkly checks inclusion first.
        const included = (segment.included ?? []).filter((code) => !excluded.has(code));
        this.add(segmentKey(id), segment.condition === null ? [] : this.rulesOf(segment.condition), {
          included,
          excluded: [...excluded],
        });
      } catch (error) {
        if (!(error instanceof NotServable)) throw error;
        failure = `segment ${id}: ${error.message}`;
      }
    }
    this.failures.set(id, failure);
    return failure;
  }

  private add(
    key: string,
    clauseSets: LdClause[][],
    lists = { included: [] as string[], excluded: [] as string[] },
  ) {
    this.out[key] = {
      key,
      version: this.version,
      included: lists.included,
      excluded: lists.excluded,
      includedContexts: [],
      excludedContexts: [],
      rules: clauseSets.map((clauses, i) => ({ id: `${key}-${i}`, clauses })),
      salt: key,
      unbounded: false,
      deleted: false,
    };
  }

  /** A tree as segment rules: any of them matching (OR) of all of their clauses (AND). */
  private rulesOf(tree: ConditionTree): LdClause[][] {
    if ("any" in tree) return tree.any.map((child) => this.clausesOf(child));
    return [this.clausesOf(tree)];
  }

  /** A tree as clauses that must all hold; OR and NOT go through auxiliary segments. */
  private clausesOf(tree: ConditionTree): LdClause[] {
    if ("all" in tree) return tree.all.flatMap((child) => this.clausesOf(child));
    if ("any" in tree || "not" in tree) {
      const key = `${segmentKey("aux")}-${this.version}-${++this.auxiliary}`;
      // `not` inverts everything, a missing attribute included, as a negated segmentMatch does.
      this.add(key, "any" in tree ? this.rulesOf(tree) : this.rulesOf(tree.not));
      return [segmentMatch([key], "not" in tree)];
    }
    const { attribute, operator, values } = tree;
    const negate = tree.negate === true;
    if (operator === "inSegment") {
      const ids = values.map((v) => String(v).trim());
      for (const id of ids) {
        const failure = this.compile(id);
        if (failure !== null) throw new NotServable(failure);
      }
      return [segmentMatch(ids.map(segmentKey), negate)];
    }
    const op = LD_OPERATORS[operator];
    if (op === undefined || op === "segmentMatch")
      throw new NotServable(`operator '${operator}' has no LaunchDarkly equivalent`);
    if (op === "matches" && values.some((v) => typeof v !== "string" || compileSafeRegex(v) === undefined)) {
      throw new NotServable("a 'matches' pattern Vexil's safe regex engine refuses");
    }
    return [{ contextKind: "user", attribute: attributeRef(attribute), op, values, negate }];
  }
}

function segmentMatch(keys: string[], negate: boolean): LdClause {
  return { contextKind: "user", attribute: "key", op: "segmentMatch", values: keys, negate };
}

/**
 * Whether a rule plays at `now` (its release window) and the share it exposes (a ramp's current step); the
 * instant either changes lowers `clock.next`. A schedule that cannot be bounded is not servable.
 */
function timing(
  rule: CompiledRule,
  now: number,
  clock: { next: number },
): { active: boolean; exposition: number } {
  const pieces = clockPieces(rule, now);
  if (pieces.status === undefined || pieces.exposition === undefined) {
    throw new NotServable(`rule ${rule.id} has a schedule that cannot be read`);
  }
  clock.next = Math.min(clock.next, pieces.status[1], pieces.exposition[1]);
  const status = ruleStatus(rule, now);
  const exposition = rule.type === "PROGRESSIVE_DELIVERY" ? currentExposition(rule, now) : rule.exposition;
  return { active: status === "ACTIVE", exposition };
}

interface CompiledLd {
  flag: LdFlag;
  experiments: Record<string, LdExperimentRule>;
}

function compileFlag(
  flag: CompiledFlag,
  segments: SegmentCompiler,
  version: number,
  now: number,
  clock: { next: number },
): CompiledLd {
  const indexOf = new Map(flag.variations.map((v, i) => [v.key, i]));
  const index = (key: string | undefined): number => {
    const i = key === undefined ? undefined : indexOf.get(key);
    if (i === undefined) throw new NotServable(`variation '${key}' is unknown`);
    return i;
  };
  const ld = flag.bucketing === "launchdarkly";
  const off = index(flag.defaultVariationKey);
  const result: LdFlag = {
    key: flag.key,
    version,
    on: flag.enabled,
    variations: variationValues(flag),
    offVariation: off,
    fallthrough: { variation: off },
    rules: [],
    targets: [],
    contextTargets: [],
    prerequisites: [],
    salt: flag.salt ?? "",
    trackEvents: false,
    trackEventsFallthrough: false,
    clientSide: false,
    clientSideAvailability: { usingEnvironmentId: false, usingMobileKey: false },
    debugEventsUntilDate: null,
    deleted: false,
  };
  const experiments: Record<string, LdExperimentRule> = {};
  if (!flag.enabled) return { flag: result, experiments };

  // Every rule's schedule counts, also of rules not playing yet: they start at a boundary.
  const timings = flag.rules.map((rule) => ({ rule, ...timing(rule, now, clock) }));
  const active = timings.filter((t) => t.active);
  for (const [position, { rule, exposition: at }] of active.entries()) {
    const clauses: LdClause[] = [];
    if (rule.segmentId !== undefined && rule.segmentId !== null) {
      const failure = segments.compile(String(rule.segmentId));
      if (failure !== null) throw new NotServable(failure);
      clauses.push(segmentMatch([segmentKey(rule.segmentId)], false));
    }
    const { served, partial } = servingOf(rule, at, index, off);
    if (served.rollout !== undefined && !ld) {
      throw new NotServable(`rule ${rule.id} splits traffic with Vexil's bucketing`);
    }
    // Vexil continues with the next rule for visitors an experiment leaves out; LaunchDarkly cannot.
    if (partial && position < active.length - 1) {
      throw new NotServable(`experiment rule ${rule.id} covers less than 100 % and other rules follow it`);
    }
    if (rule.type === "EXPERIMENTATION") {
      const experiment = { ruleId: rule.id, experimentId: rule.experimentId ?? 0 };
      experiments[clauses.length === 0 ? "fallthrough" : String(rule.id)] = experiment;
    }
    if (clauses.length === 0) {
      // A rule for everyone ends evaluation: LaunchDarkly's fallthrough.
      result.fallthrough = served;
      return { flag: result, experiments };
    }
    result.rules.push({ id: String(rule.id), clauses, trackEvents: false, ...served });
  }
  return { flag: result, experiments };
}

/** A flag LaunchDarkly's SDKs answer with their error path: no fallthrough. */
function malformed(flag: CompiledFlag, version: number, reason: string): LdFlag {
  return {
    key: flag.key,
    version,
    on: true,
    variations: [],
    offVariation: 0,
    fallthrough: {},
    rules: [],
    salt: "",
    trackEvents: false,
    deleted: false,
    _vexilNotServable: reason,
  };
}

/**
 * The environment's payload in LaunchDarkly's SDK model, as of `now`: release windows and ramps as they
 * stand then, with `nextChange` saying when to compile again (the `step`-th materialisation of this
 * payload). Every item carries `version`, which grows with every payload change and every step, so SDKs
 * apply each patch.
 */
export function toLaunchDarkly(payload: EvaluationPayload, now: number, step = 0): LdModel {
  const version = payload.version * STEPS_PER_VERSION + Math.min(step, STEPS_PER_VERSION - 1);
  const segments = new SegmentCompiler(payload.segments, version);
  const clock = { next: Number.POSITIVE_INFINITY };
  const model: LdModel = {
    flags: {},
    segments: segments.out,
    notServable: {},
    experiments: {},
    version,
    nextChange: Number.POSITIVE_INFINITY,
  };
  for (const [key, flag] of Object.entries(payload.flags)) {
    try {
      const compiled = compileFlag(flag, segments, version, now, clock);
      model.flags[key] = compiled.flag;
      if (Object.keys(compiled.experiments).length > 0) model.experiments[key] = compiled.experiments;
    } catch (error) {
      const reason = error instanceof NotServable ? error.message : "unreadable configuration";
      model.flags[key] = malformed(flag, version, `not servable to LaunchDarkly SDKs: ${reason}`);
      model.notServable[key] = reason;
    }
  }
  model.nextChange = clock.next;
  return model;
}
