// Public API of @vexil/stats: statistics over per-variation sufficient statistics.
export * from "./analysis.js";
export * from "./bandit.js";
export * from "./bayesian.js";
export * from "./corrections.js";
export * from "./cuped.js";
export * from "./distributions.js";
export * from "./frequentist.js";
export * from "./monte-carlo.js";
export * from "./proportions.js";
export * from "./ratio.js";
export * from "./relative.js";
export * from "./rollback.js";
export * from "./sample-size.js";
export * from "./sequential.js";
export * from "./srm.js";
export type * from "./types.js";
