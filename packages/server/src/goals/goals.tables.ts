import type { Generated } from "kysely";

export interface GoalsTables {
  goals: {
    id: Generated<number>;
    project_key: string;
    /** Unique in the project; LaunchDarkly's metricKey. */
    key: string;
    name: string;
    description: string;
    /** custom | pageview | click */
    kind: string;
    event_key: string;
    /** 0 | 1 */
    is_numeric: number;
    unit: string | null;
    /** HigherThanBaseline | LowerThanBaseline */
    success_criteria: string;
    /** sum | average */
    unit_aggregation_type: string;
    /** 0 | 1 */
    has_multiple_conversions: number;
    /** JSON array of strings. */
    tags: string;
    /** none | absolute | percentile (numeric goals only). */
    capping_type: string;
    /** The absolute cap, or the percentile as a fraction (0.99); null when capping_type is none. */
    capping_value: number | null;
    date_created: string;
    date_modified: string;
  };
}
