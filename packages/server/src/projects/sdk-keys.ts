import type { FastifyRequest } from "fastify";
import type { AppContext } from "../app-context.js";
import { ApiError } from "../http/api-error.js";
import { presentedToken } from "../http/authentication.js";
import { type Environment, projectsStore } from "./projects.store.js";

export type SdkKeyKind = "server" | "client";

export interface SdkCaller {
  environment: Environment;
  keyKind: SdkKeyKind;
}

const CACHE_MS = 5000;
const cache = new WeakMap<AppContext, Map<string, { caller: SdkCaller | null; until: number }>>();

/** The environment behind a presented SDK key, cached briefly so hot SDK routes skip storage. */
async function lookup(context: AppContext, key: string): Promise<SdkCaller | null> {
  let entries = cache.get(context);
  if (!entries) {
    entries = new Map();
    cache.set(context, entries);
  }
  const now = Date.now();
  const hit = entries.get(key);
  if (hit && hit.until > now) return hit.caller;
  const found = (await projectsStore.environmentBySdkKey(context.db, key)) ?? null;
  if (entries.size > 10_000) entries.clear();
  entries.set(key, { caller: found, until: now + CACHE_MS });
  return found;
}

/** The environment an SDK key opens (null when none), from the same short cache as requests. */
export function sdkKeyEnvironment(context: AppContext, key: string): Promise<SdkCaller | null> {
  return lookup(context, key);
}

/**
 * Authenticates an SDK request: 401 for a missing or unknown key, 403 when the route needs the server-side
 * key and a client-side one was sent.
 */
export async function authenticateSdkKey(
  context: AppContext,
  request: FastifyRequest,
  required: "server" | "any",
): Promise<SdkCaller> {
  const key = presentedToken(request);
  if (!key) throw new ApiError(401, "Missing SDK key: send it in the Authorization header");
  const caller = await lookup(context, key);
  if (!caller) throw new ApiError(401, "Unknown SDK key");
  if (required === "server" && caller.keyKind !== "server") {
    throw new ApiError(
      403,
      "This endpoint needs the server-side SDK key; the client-side key may only evaluate",
    );
  }
  return caller;
}

/** Forgets cached SDK keys (after a rotation, so old keys stop at once on this replica). */
export function forgetSdkKeys(context: AppContext): void {
  cache.delete(context);
}
