import type { Kysely } from "kysely";
import type { AppContext } from "../app-context.js";
import type { ChangeSubject } from "../changes/outbox.js";
import { projectsStore } from "../projects/projects.store.js";
import type { Database } from "../storage/schema.js";
import type { FlagRecord } from "./flags.document.js";
import { flagsStore } from "./flags.store.js";
import type { FlagView } from "./flags.view.js";

// Reads of one flag or rule for other capabilities (results, experiments, automation), by id or key.

/** Looks a flag up by its numeric id (results, experiments, automation). */
export async function findFlagById(context: AppContext, id: number): Promise<FlagView | undefined> {
  return context.services.flags.getById(id);
}

/** Looks a flag up by project and feature key; undefined when there is none. */
export async function findFlagByKey(
  context: AppContext,
  projectKey: string,
  featureKey: string,
): Promise<FlagView | undefined> {
  const record = await flagsStore.findByKey(context.db, projectKey, featureKey);
  if (!record) return undefined;
  const service = context.services.flags;
  return service.view(record, await service.environmentKeys(context.db, projectKey));
}

/** The stored flag (document and row columns) by id, e.g. for compiling or for experiments. */
export async function findFlagRecord(context: AppContext, id: number): Promise<FlagRecord | undefined> {
  return flagsStore.findById(context.db, id);
}

/** A rule by id: its flag, environment and stored rule. */
export async function findRule(context: AppContext, ruleId: number) {
  const location = await flagsStore.ruleLocation(context.db, ruleId);
  if (!location) return undefined;
  const record = await flagsStore.findById(context.db, location.flagId);
  const rule = record?.doc.environmentConfigurations
    .find((e) => e.environmentKey === location.environmentKey)
    ?.rolloutRules.find((r) => r.id === ruleId);
  if (!record || !rule) return undefined;
  return { flag: record, environmentKey: location.environmentKey, rule };
}

/** The flag as a published change names it (key, name, the project's environments), read in `db`. */
export async function flagSubject(db: Kysely<Database>, record: FlagRecord): Promise<ChangeSubject> {
  const environments = await projectsStore.environments(db, record.meta.projectKey);
  return {
    key: record.doc.featureKey,
    name: record.doc.name,
    environmentKeys: environments.map((e) => e.key),
  };
}
