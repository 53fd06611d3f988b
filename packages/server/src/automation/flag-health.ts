/**
 * Flag health (docs/automation.md): each tick computes the health of every non-archived flag that is not
 * PERMANENT and writes the ones that changed through FlagsService.setHealth (audited `flag.health`).
 *
 * With W the window (VEXIL_FLAG_STALE_DAYS, default 15 days), in this order:
 * 1. PERMANENT (set by a user) stays PERMANENT: automation never touches it.
 * 2. HEALTHY when the flag was created or its content edited (dateContentModified: variations,
 *    variables, environments, rules; progressive steps stored by automation count) within W.
 * 3. STALE when no SDK reported evaluating it (POST /sdk/v1/evaluations, OFREP) within W.
 * 4. SMELLY when, although evaluated, it serves one single variation to everyone in every environment
 *    and has done so for longer than W: a finished rollout (or an abandoned flag) whose code should be
 *    cleaned up. Recent evaluations do not make it HEALTHY.
 * 5. HEALTHY otherwise.
 *
 * "Serves one variation to everyone" is decided per environment from its configuration at the tick, the way
 * the engine evaluates: a disabled environment serves its default variation; an enabled one serves the
 * variations its ACTIVE rules can give (a rule without segment that takes everyone ends the list) plus the
 * default for whoever is left. Segments are assumed to match some visitors and not others, so the answer
 * errs towards "several variations". "For longer than W" means the content has not changed within W and no
 * rule changed status (release window) or exposition (ramp step) within W either.
 */

import { type CompiledRule, currentExposition, ruleStatus } from "@vexil/engine";
import type { AppContext } from "../app-context.js";
import type { FlagRecord, Health, StoredEnvironment } from "../flags/flags.document.js";
import { flagRules } from "../flags/flags.read-model.js";
import { environmentsOf } from "../flags/flags.view.js";
import { clockPieces } from "../flags/rule-clock.js";
import { lastEvaluatedAt } from "../sdk-delivery/evaluations.store.js";
import { AUTOMATION_ACTOR } from "./automation-actor.js";
import type { AutomationTick } from "./automation-tasks.js";
import { describeFailure, type TickFailure } from "./tick-failure.js";

export const DAY_MS = 86_400_000;

/** The variations an environment can serve at `now` (see the top of this file). */
export function servedVariations(environment: StoredEnvironment, now: number): Set<string> {
  const served = new Set<string>();
  const fallback = environment.defaultVariationKey;
  if (!environment.featureEnabled) return served.add(fallback);
  for (const rule of environment.rolloutRules) {
    if (ruleStatus(rule, now) !== "ACTIVE") continue;
    const exposition = currentExposition(rule, now);
    const everyone = rule.segmentId === undefined;
    if (rule.type === "EXPERIMENTATION") {
      const allocations = (rule.trafficAllocations ?? []).filter((a) => a.exposition > 0);
      if (exposition > 0) for (const allocation of allocations) served.add(allocation.variationKey);
      const allocated = allocations.reduce((sum, a) => sum + a.exposition, 0);
      // Visitors not entered, or bucketed past the allocations, go on to the next rule.
      if (everyone && exposition >= 100 && allocated >= 100) return served;
    } else {
      if (exposition > 0 && rule.variationKey !== undefined) served.add(rule.variationKey);
      // Matched but not entered: the default variation, and evaluation stops there.
      if (exposition < 100) served.add(fallback);
      if (everyone) return served;
    }
  }
  return served.add(fallback);
}

/**
 * Since when every environment has served what it serves at `now` as far as the configuration tells: the
 * latest of the content's last change and of every rule's current status and ramp step.
 */
function servingSince(record: FlagRecord, environments: StoredEnvironment[], now: number): number {
  let since = Date.parse(record.meta.dateContentModified);
  for (const environment of environments) {
    if (!environment.featureEnabled) continue;
    for (const rule of environment.rolloutRules) {
      const pieces = clockPieces(rule as CompiledRule, now);
      since = Math.max(since, pieces.status?.[0] ?? now, pieces.exposition?.[0] ?? now);
    }
  }
  return since;
}

/** The health of a flag at `now` (see the top of this file for the rules and their precedence). */
export function computeHealth(
  record: FlagRecord,
  environmentKeys: readonly string[],
  lastEvaluated: string | undefined,
  now: number,
  windowMs: number,
): Health {
  if (record.meta.health === "PERMANENT") return "PERMANENT";
  const since = now - windowMs;
  const recent = (iso: string | undefined) => iso !== undefined && Date.parse(iso) > since;
  if (recent(record.meta.dateCreated) || recent(record.meta.dateContentModified)) return "HEALTHY";
  if (!recent(lastEvaluated)) return "STALE";
  const environments = environmentsOf(record, environmentKeys);
  const uniform = environments.every((environment) => servedVariations(environment, now).size === 1);
  if (uniform && servingSince(record, environments, now) <= since) return "SMELLY";
  return "HEALTHY";
}

/** Flags read per page by a health tick. */
const HEALTH_PAGE = 500;

/** One flag-health tick (AUTOMATION_TASKS `health`). */
export async function runHealthTick(
  context: AppContext,
  now: number,
  tick?: AutomationTick,
): Promise<Record<string, unknown>> {
  const windowMs = context.config.flagStaleDays * DAY_MS;
  const environmentKeys = new Map<string, string[]>();
  const evaluations = new Map<string, Awaited<ReturnType<typeof lastEvaluatedAt>>>();
  const service = context.services.flags;
  const changed: Record<string, number> = {};
  const failures: TickFailure[] = [];
  let flags = 0;
  // Pages of flags: a tick holds a few hundred parsed documents at a time, not every flag of the instance
  // (10,000 flags parsed at once held the API process's event loop for over a second); each project's environments
  // and the evaluations SDKs reported are read once, when its first flag comes.
  for (let afterId = 0; ; ) {
    // SQLite answers synchronously: let requests waiting meanwhile run between pages.
    if (afterId > 0) await new Promise((resolve) => setImmediate(resolve));
    const records = await flagRules.healthWatched(context.db, afterId, HEALTH_PAGE);
    if (records.length === 0) break;
    afterId = records[records.length - 1]!.meta.id;
    flags += records.length;
    const newProjects = [...new Set(records.map((r) => r.meta.projectKey))].filter(
      (key) => !environmentKeys.has(key),
    );
    if (newProjects.length > 0) {
      for (const key of newProjects) environmentKeys.set(key, []);
      const environmentRows = await context.db
        .selectFrom("environments")
        .select(["project_key", "key"])
        .where("project_key", "in", newProjects)
        .orderBy("project_key")
        .orderBy("position")
        .execute();
      for (const row of environmentRows) environmentKeys.get(row.project_key)!.push(row.key);
      for (const projectKey of newProjects) {
        evaluations.set(projectKey, await lastEvaluatedAt(context, projectKey));
      }
    }

    for (const record of records) {
      tick?.signal.throwIfAborted();
      const { projectKey } = record.meta;
      const evaluated = evaluations.get(projectKey)?.get(record.doc.featureKey)?.lastEvaluatedAt;
      const health = computeHealth(record, environmentKeys.get(projectKey) ?? [], evaluated, now, windowMs);
      if (health === record.meta.health) continue;
      try {
        // If-Match: a flag changed since it was read (an edit, PERMANENT set) is left to the next tick.
        await service.setHealth(AUTOMATION_ACTOR, record.meta.id, health, {
          ifMatch: String(record.meta.version),
        });
        changed[health] = (changed[health] ?? 0) + 1;
      } catch (error) {
        failures.push(describeFailure(record.meta.id, record.doc.featureKey, error));
      }
      // Flags created together go STALE together: let requests run between these writes too.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return { flags, changed, failures };
}
