import type { Generated } from "kysely";

/**
 * Feature flags. A flag is stored as one JSON document (`document`: variations, variables, environment
 * configurations and rules, with their numeric ids) plus the columns that lists filter and sort on, so
 * reading one flag is one indexed row. The side tables hand out stable numeric ids and index references.
 */
export interface FlagsTables {
  flags: {
    id: Generated<number>;
    project_key: string;
    feature_key: string;
    name: string;
    description: string;
    /** JSON array of strings. */
    tags: string;
    /** HEALTHY | PERMANENT | STALE | SMELLY. */
    health: string;
    /** 0 | 1. */
    archived: number;
    /** Increments on every change (optimistic concurrency, If-Match). */
    version: number;
    /** The flag content as JSON (see flags.document.ts, StoredFlag). */
    document: string;
    created_by_id: number | null;
    date_created: string;
    date_modified: string;
    date_content_modified: string;
    /** Who holds the automation lock (withFlagLock), and until when (ISO); null when unlocked. */
    locked_by: string | null;
    locked_until: string | null;
    /**
     * JSON of `EnvironmentStates` (see below), derived from the document on every write, so lists filter
     * on "on in production" or "has an experiment" without reading documents.
     */
    environment_states: string;
  };
  /** One row per rule: hands out rule ids and finds a rule's flag. */
  flag_rules: {
    id: Generated<number>;
    flag_id: number;
    environment_key: string;
  };
  /** One row per (flag, variation key) ever used: variation ids stay stable across edits. */
  flag_variations: {
    id: Generated<number>;
    flag_id: number;
    key: string;
  };
  /** What a flag refers to (segments, goals), so deleting one in use can name its users. */
  flag_references: {
    flag_id: number;
    /** segment | goal */
    kind: string;
    ref_id: number;
    /** Where, e.g. "rule 400003 (production)" or "primaryGoalId". */
    detail: string;
  };
  /**
   * Minimal experiments: one per EXPERIMENTATION rule (the results/experiments capability extends this
   * table). The rule's `experimentId` is this id.
   */
  experiments: {
    id: Generated<number>;
    project_key: string;
    environment_key: string;
    flag_id: number;
    rule_id: number;
    key: string;
    created_at: string;
  };
}

/** Per environment key: whether the flag is on there and the types of its rules there. */
export type EnvironmentStates = Record<string, { enabled: boolean; ruleTypes: string[] }>;

/** The `environment_states` column of a flag document (environments the document lacks are off, ruleless). */
export function environmentStatesOf(document: {
  environmentConfigurations?: {
    environmentKey: string;
    featureEnabled?: boolean;
    rolloutRules?: { type: string }[];
  }[];
}): EnvironmentStates {
  const states: EnvironmentStates = {};
  for (const environment of document.environmentConfigurations ?? []) {
    states[environment.environmentKey] = {
      enabled: environment.featureEnabled === true,
      ruleTypes: [...new Set((environment.rolloutRules ?? []).map((rule) => rule.type))],
    };
  }
  return states;
}
