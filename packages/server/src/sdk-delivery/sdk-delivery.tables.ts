/** Tables of SDK delivery (migration 0003-sdk-delivery). */
export interface SdkDeliveryTables {
  /** What SDKs (and OFREP) report having evaluated, per flag and environment: for flag health. */
  sdk_flag_evaluations: {
    project_key: string;
    environment_key: string;
    feature_key: string;
    /** ISO 8601 instant (UTC, fixed width, so text order is time order). */
    last_evaluated_at: string;
    /** Running total of reported evaluations. */
    evaluation_count: number;
  };
}
