/**
 * Leases of the automation scheduler (scheduler.ts): one row per lease name; the holder is the only process
 * that enqueues automation ticks until `lease_until` (epoch ms, on the injectable clock) unless it renews.
 */
export interface AutomationTables {
  scheduler_leases: {
    name: string;
    /** The holding process (its job worker id: host:pid:random). */
    holder: string;
    lease_until: number;
  };
}
