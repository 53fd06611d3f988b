import type { CompiledFlag, EvaluationPayload, Segment } from "@vexil/engine";
import type { Kysely } from "kysely";
import type { AppContext } from "../app-context.js";
import { notFound } from "../http/api-error.js";
import { configVersion, projectsStore } from "../projects/projects.store.js";
import { inSegmentReferences } from "../segments/segment-references.js";
import { segmentsStore } from "../segments/segments.store.js";
import type { Database } from "../storage/schema.js";
import type { FlagRecord } from "./flags.document.js";
import { flagsStore } from "./flags.store.js";
import { compiledRule, environmentsOf } from "./flags.view.js";

/**
 * A flag compiled for one environment, in the engine's payload shape; undefined for an archived flag
 * (archived flags are not delivered). An environment the flag never configured reads as disabled with the
 * default variation `off`.
 */
export function compileFlag(record: FlagRecord, environmentKey: string): CompiledFlag | undefined {
  if (record.meta.archived) return undefined;
  const [environment] = environmentsOf(record, [environmentKey]);
  if (!environment) return undefined;
  return {
    id: record.meta.id,
    key: record.doc.featureKey,
    version: record.meta.version,
    enabled: environment.featureEnabled,
    defaultVariationKey: environment.defaultVariationKey,
    variations: record.doc.variations.map((v) => ({
      key: v.key,
      id: v.id,
      name: v.name,
      variables: v.variables.map((variable) => ({ ...variable })),
    })),
    variables: record.doc.variables.map((v) => ({ key: v.key, type: v.type, value: v.value })),
    rules: environment.rolloutRules.map(compiledRule),
    ...(record.doc.bucketing === "launchdarkly"
      ? { bucketing: "launchdarkly" as const, salt: record.doc.salt ?? String(record.meta.id) }
      : {}),
  };
}

/** Segment ids a set of compiled flags uses directly. */
function segmentIdsOf(flags: Iterable<CompiledFlag>): Set<number> {
  const ids = new Set<number>();
  for (const flag of flags) {
    for (const rule of flag.rules)
      if (rule.segmentId !== undefined && rule.segmentId !== null) ids.add(rule.segmentId);
  }
  return ids;
}

async function loadPayload(
  db: Kysely<Database>,
  projectKey: string,
  environmentKey: string,
): Promise<EvaluationPayload> {
  const version = await configVersion(db, projectKey);
  if (version === undefined) throw notFound(`Project '${projectKey}' not found`);
  if (!(await projectsStore.environment(db, projectKey, environmentKey))) {
    throw notFound(`Environment '${environmentKey}' not found in project '${projectKey}'`);
  }
  const flags: Record<string, CompiledFlag> = {};
  for (const record of await flagsStore.activeInProject(db, projectKey)) {
    const compiled = compileFlag(record, environmentKey);
    if (compiled) flags[compiled.key] = compiled;
  }

  // The segments the rules use, and those they reach through inSegment.
  const all = new Map((await segmentsStore.list(db, projectKey)).map((s) => [s.id, s]));
  const segments: Record<string, Segment> = {};
  const pending = [...segmentIdsOf(Object.values(flags))];
  while (pending.length > 0) {
    const id = pending.pop()!;
    if (segments[String(id)] !== undefined) continue;
    const segment = all.get(id);
    if (!segment) continue;
    const compiled: Segment = { id: segment.id, condition: segment.condition };
    if (segment.included.length > 0) compiled.included = segment.included;
    if (segment.excluded.length > 0) compiled.excluded = segment.excluded;
    segments[String(id)] = compiled;
    for (const next of inSegmentReferences(segment.condition)) pending.push(next);
  }
  return { version, projectKey, environmentKey, flags, segments };
}

/**
 * Everything an SDK needs to evaluate one environment locally: every non-archived flag compiled for the
 * environment and the segments they use (transitively through inSegment). `version` is the project's
 * configuration version, read in the same snapshot as the flags, so equal versions mean equal payloads.
 */
export async function compileEnvironmentPayload(
  context: AppContext,
  projectKey: string,
  environmentKey: string,
): Promise<EvaluationPayload> {
  let transaction = context.db.transaction();
  if (context.database.dialect === "postgres") transaction = transaction.setIsolationLevel("repeatable read");
  return transaction.execute((trx) => loadPayload(trx, projectKey, environmentKey));
}
