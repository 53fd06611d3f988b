// Bucketing is part of the public contract (DESIGN section 3): changing anything here reshuffles every
// visitor of every rule, so the vectors in test/conformance/vectors/ pin it.

import { type HashState, murmurhash3, murmurhash3Prefix, murmurhash3WithPrefix } from "./murmurhash3.js";
import { sha1Head } from "./sha1.js";

/** Number of buckets: a resolution of 0.001 % of traffic. */
export const BUCKETS = 100_000;

const TWO_POW_32 = 4294967296;
const TWO_POW_60 = 2 ** 60;

/** Bucket in [0, 100000) of a visitor for a salt: MurmurHash3(salt + ":" + code) scaled down. */
export function bucket(salt: string, code: string): number {
  // h * 100000 < 2^49 and the division is by a power of two: both exact in a double.
  return Math.floor((murmurhash3(salt + ":" + code) * BUCKETS) / TWO_POW_32);
}

/** Salt of a rule's entry draw. */
export function ruleSalt(ruleId: number | string): string {
  return "rule:" + String(ruleId);
}

/** Salt of an experiment's variation draw; a respool time (set by re-allocation) reshuffles it. */
export function experimentSalt(experimentId: number | string, respoolTime?: number | null): string {
  return respoolTime === undefined || respoolTime === null
    ? "exp:" + String(experimentId)
    : "exp:" + String(experimentId) + ":" + String(respoolTime);
}

/** Precomputed hash of `salt + ":"`, so a hot path hashes only the visitor code. */
export function saltState(salt: string): HashState {
  return murmurhash3Prefix(salt + ":");
}

/** Same as `bucket(salt, code)` from a `saltState(salt)`. */
export function bucketFromState(state: HashState, code: string): number {
  return Math.floor((murmurhash3WithPrefix(state, code) * BUCKETS) / TWO_POW_32);
}

/**
 * Threshold a bucket is compared with: a visitor is in iff bucket < round(exposition * 1000). Rounding keeps
 * the 0.001 % grid exact: in binary floating point 2.007 * 1000 is 2007.0000000000002, which would admit
 * bucket 2007 as well, and every SDK language would have to reproduce that accident.
 */
export function expositionThreshold(exposition: number): number {
  return Math.round(exposition * 1000);
}

/**
 * LaunchDarkly's bucket in [0, 1] (flags in bucketing mode `launchdarkly`): SHA-1 of `prefix + "." + value`,
 * its first 15 hex digits read as an integer over 0xFFFFFFFFFFFFFFF, as LaunchDarkly's SDKs compute it.
 */
export function launchDarklyBucket(prefix: string, value: string): number {
  const [h0, h1] = sha1Head(prefix + "." + value);
  // 15 hex digits = h0 then the top 28 bits of h1. h0 * 2^28 is exact; the sum rounds once to a double,
  // as parseInt and a 64-bit integer conversion do. 0xFFFFFFFFFFFFFFF (the SDKs' divisor) is 2^60 as a double.
  return (h0 * 268435456 + (h1 >>> 4)) / TWO_POW_60;
}

/** Hash prefix of a LaunchDarkly rollout: its seed when it has one, else `flagKey + "." + salt`. */
export function launchDarklyPrefix(flagKey: string, salt: string, seed?: number | null): string {
  return seed === undefined || seed === null ? flagKey + "." + salt : String(seed);
}

/**
 * LaunchDarkly weights (out of 100000) of an experiment entered by `exposition` % of its audience and split
 * by `allocations` (% each): round(exposition * allocation * 10), computed on the 0.001 % grid in integers.
 */
export function launchDarklyWeights(exposition: number, allocations: readonly number[]): number[] {
  const entry = expositionThreshold(exposition);
  return allocations.map((a) => Math.round((entry * expositionThreshold(a)) / BUCKETS));
}
