import type { Generated } from "kysely";

/**
 * Durable jobs with leases (see job-runner.ts). Times are epoch milliseconds (integers), so due and
 * lease comparisons are plain integer comparisons in both dialects and follow the injectable clock.
 */
export interface JobsTables {
  jobs: {
    id: Generated<number>;
    /** Which handler runs it, e.g. `results.report`. */
    kind: string;
    /** Optional deduplication key, unique per kind (e.g. a results dataCode). */
    key: string | null;
    /** PENDING | RUNNING | READY | FAILED */
    status: string;
    /** 0-100, reported by the handler while it runs. */
    progress: number;
    /** JSON given at enqueue time. */
    payload: string;
    /** JSON the handler returned (READY only). */
    result: string | null;
    /** Why the last attempt failed (FAILED, or PENDING awaiting a retry). */
    error: string | null;
    /** Attempts started so far (a claim counts one; a graceful release gives it back). */
    attempts: number;
    max_attempts: number;
    /** Not claimed before this instant. */
    run_after: number;
    /** The worker holding the lease while RUNNING, and until when; another worker may claim it after. */
    lease_owner: string | null;
    lease_until: number | null;
    created_at: number;
    updated_at: number;
    started_at: number | null;
    finished_at: number | null;
  };
}
