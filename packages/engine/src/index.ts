// Public surface of @vexil/engine: pure, synchronous flag evaluation with no runtime dependencies.

export {
  BUCKETS,
  bucket,
  experimentSalt,
  launchDarklyBucket,
  launchDarklyPrefix,
  launchDarklyWeights,
  ruleSalt,
} from "./bucketing.js";
export { ipInCidr, parseCidr, parseIp } from "./cidr.js";
export { OPERATORS } from "./conditions.js";
export { createEvaluator, type Evaluator, evaluateFlag } from "./evaluate.js";
export { murmurhash3 } from "./murmurhash3.js";
export { compileSafeRegex, MAX_INPUT_LENGTH, MAX_PATTERN_LENGTH, type SafeRegex } from "./regex.js";
export {
  compileExpositionSchedule,
  compileReleaseInterval,
  currentExposition,
  type ExpositionSchedule,
  FREQUENCY_UNITS,
  type ReleaseInterval,
  rampSteps,
  ruleStatus,
  ruleTimeZone,
} from "./schedule.js";
export { compareSemver, parseSemver, type SemVer } from "./semver.js";
export { isValidTimeZone, parseInstant } from "./time.js";
export type * from "./types.js";
export { decodeVariable, UNDECODABLE } from "./variables.js";
