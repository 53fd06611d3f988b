// Centred moments, merged without cancellation (Chan et al. 1979): the variance of a metric whose mean is
// large against its spread (mean 1e8, sd 1) survives here, where sum of squares minus squared sum / n
// loses every digit.

/** Units, mean and the sum of squared deviations from the mean. */
export interface Moments {
  n: number;
  mean: number;
  m2: number;
}

/** Two variables' centred moments: means, sums of squared deviations and the co-moment. */
export interface CoMoments {
  n: number;
  meanX: number;
  meanY: number;
  m2X: number;
  m2Y: number;
  /** Sum of (x - meanX)(y - meanY). */
  cXY: number;
}

/** Moments of the union of two samples. */
export function mergeMoments(a: Moments, b: Moments): Moments {
  const n = a.n + b.n;
  if (a.n === 0) return b;
  if (b.n === 0) return a;
  const delta = b.mean - a.mean;
  return { n, mean: a.mean + (delta * b.n) / n, m2: a.m2 + b.m2 + (delta * delta * a.n * b.n) / n };
}

/** Co-moments of the union of two samples. */
export function mergeCoMoments(a: CoMoments, b: CoMoments): CoMoments {
  const n = a.n + b.n;
  if (a.n === 0) return b;
  if (b.n === 0) return a;
  const dx = b.meanX - a.meanX;
  const dy = b.meanY - a.meanY;
  const w = (a.n * b.n) / n;
  return {
    n,
    meanX: a.meanX + (dx * b.n) / n,
    meanY: a.meanY + (dy * b.n) / n,
    m2X: a.m2X + b.m2X + dx * dx * w,
    m2Y: a.m2Y + b.m2Y + dy * dy * w,
    cXY: a.cXY + b.cXY + dx * dy * w,
  };
}

/** The moments of a sample extended by `zeros` units whose value is 0 (units without an outcome). */
export function withZeros(m: Moments, zeros: number): Moments {
  return mergeMoments(m, { n: zeros, mean: 0, m2: 0 });
}

/** Co-moments extended by `zeros` units at (0, 0). */
export function coMomentsWithZeros(m: CoMoments, zeros: number): CoMoments {
  return mergeCoMoments(m, { n: zeros, meanX: 0, meanY: 0, m2X: 0, m2Y: 0, cXY: 0 });
}
