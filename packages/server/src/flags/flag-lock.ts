import type { AppContext } from "../app-context.js";
import { ApiError, notFound } from "../http/api-error.js";
import { flagsStore } from "./flags.store.js";

/** How long a lock lasts when its holder dies without releasing it. */
export const DEFAULT_LOCK_TTL_MS = 60_000;

/**
 * Runs `fn` while holding the flag's automation lock. Automation takes it while it applies an automatic
 * action (advance a ramp, re-allocate a bandit, roll back), so that no user write lands in the middle:
 * while it is held, every user write to the flag answers 423 Locked naming the holder. Inside `fn`, make
 * the flag's changes with `{ lockHolder: holder }` in the write options (FlagsService methods), which lets
 * the holder's own writes through.
 *
 * The lock is a pair of columns (`locked_by`, `locked_until`) taken with one conditional UPDATE, so it
 * works across replicas on PostgreSQL; it expires after `ttlMs` if the holder never releases it. Nested
 * calls by the same holder re-enter (the outermost releases). Throws 423 when another holder has it,
 * 404 when the flag does not exist.
 */
export async function withFlagLock<T>(
  context: AppContext,
  flagId: number,
  holder: string,
  fn: () => Promise<T>,
  options: { ttlMs?: number } = {},
): Promise<T> {
  const now = context.now();
  const previous = await flagsStore.lockOf(context.db, flagId);
  if (!previous) throw notFound(`Feature flag ${flagId} not found`);
  const reentrant =
    previous.locked_by === holder &&
    previous.locked_until !== null &&
    Date.parse(previous.locked_until) > now;
  const until = new Date(now + (options.ttlMs ?? DEFAULT_LOCK_TTL_MS)).toISOString();
  const taken = await flagsStore.tryLock(context.db, flagId, holder, new Date(now).toISOString(), until);
  if (!taken) {
    const current = await flagsStore.lockOf(context.db, flagId);
    throw new ApiError(
      423,
      `Feature flag ${flagId} is locked by '${current?.locked_by ?? "?"}' until ${current?.locked_until ?? "?"}`,
    );
  }
  try {
    return await fn();
  } finally {
    if (!reentrant) await flagsStore.unlock(context.db, flagId, holder);
  }
}
