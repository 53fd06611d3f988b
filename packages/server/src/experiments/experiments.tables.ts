import type { Generated } from "kysely";
import type { FlagsTables } from "../flags/flags.tables.js";

/**
 * LaunchDarkly experiments (migration 0005-experiments). `experiments` is the table 0002-flags creates (one
 * row per EXPERIMENTATION rule; the rule's `experimentId` is its id), extended with the experiment's own
 * fields; iterations, legacy per-flag experiments and LaunchDarkly-only metric attributes sit beside it.
 */
export interface ExperimentsTables {
  experiments: FlagsTables["experiments"] & {
    name: Generated<string>;
    description: Generated<string>;
    maintainer_id: string | null;
    /** kameleoon | launchdarkly: who made (or adopted) the experiment. */
    source: Generated<string>;
    /** ISO time it was archived (archiveExperiment), null when active. */
    archived_at: string | null;
    updated_at: string | null;
  };
  experiment_iterations: {
    id: Generated<number>;
    experiment_id: number;
    /** not_started | running | stopped */
    status: string;
    hypothesis: string;
    /** 0 | 1 */
    can_reshuffle_traffic: number;
    randomization_unit: string;
    /** JSON array of attribute names. */
    attributes: string;
    /** JSON array of {goalId, primary}. */
    metrics: string;
    /** JSON array of StoredTreatment (experiments.store.ts). */
    treatments: string;
    /** The experiment's rule when the iteration was created. */
    rule_id: number;
    /** The flag's version when the iteration was created. */
    flag_config_version: number;
    /** Epoch milliseconds. */
    created_at: number;
    started_at: number | null;
    ended_at: number | null;
    winning_treatment_id: string | null;
    winning_reason: string | null;
    change_justification: string | null;
  };
  /** Legacy (per-flag) experiments: a metric attached to a flag, in some environments. */
  flag_legacy_experiments: {
    flag_id: number;
    goal_id: number;
    /** Order of the flag's `experiments.items`. */
    position: number;
    /** JSON array of environment keys. */
    environments: string;
    /** JSON object: environment key -> {startDate, stopDate?, enabledPeriods[]}. */
    environment_settings: string;
  };
  flag_legacy_experiment_settings: {
    flag_id: number;
    /** Index in the flag's variations of the legacy results' baseline. */
    baseline_idx: number;
  };
  /** When a legacy experiment (flag + metric in an environment) was reset: its results count from then. */
  legacy_results_resets: {
    flag_id: number;
    environment_key: string;
    goal_id: number;
    reset_at: number;
  };
  /** What a LaunchDarkly metric has that a goal does not. */
  launchdarkly_metric_settings: {
    goal_id: number;
    maintainer_id: string | null;
    selector: string | null;
    /** JSON array of LaunchDarkly URL matchers. */
    urls: string;
  };
}
