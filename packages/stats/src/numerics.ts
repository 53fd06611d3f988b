// Generic numerical methods (quadrature, root finding). Special functions live in distributions.ts.

// Gauss-Kronrod 7/15 nodes and weights (QUADPACK qk15).
const XGK = [
  0.9914553711208126, 0.9491079123427585, 0.8648644233597691, 0.7415311855993945, 0.5860872354676911,
  0.4058451513773972, 0.20778495500789848, 0,
];
const WGK = [
  0.022935322010529224, 0.06309209262997856, 0.10479001032225019, 0.14065325971552592, 0.1690047266392679,
  0.19035057806478542, 0.20443294007529889, 0.20948214108472782,
];
// 7-point Gauss weights for the odd Kronrod nodes XGK[1], XGK[3], XGK[5], XGK[7].
const WG = [0.1294849661688697, 0.27970539148927664, 0.3818300505051189, 0.4179591836734694];

/** Options of the adaptive quadrature. */
export interface QuadratureOptions {
  absTol?: number;
  relTol?: number;
  maxIntervals?: number;
  /** Points inside (a, b) where the initial panels are split (narrow features the first nodes could miss). */
  breakpoints?: number[];
}

interface Panel {
  a: number;
  b: number;
  value: Float64Array;
  error: number;
}

/** A vector-valued integrand: writes f(x) into out. */
export type VectorIntegrand = (x: number, out: Float64Array) => void;

function kronrod(f: VectorIntegrand, a: number, b: number, dim: number, buf: Float64Array): Panel {
  const c = 0.5 * (a + b);
  const h = 0.5 * (b - a);
  const k = new Float64Array(dim);
  const g = new Float64Array(dim);
  f(c, buf);
  for (let d = 0; d < dim; d++) {
    k[d] = WGK[7]! * buf[d]!;
    g[d] = WG[3]! * buf[d]!;
  }
  for (let j = 0; j < 7; j++) {
    const dx = h * XGK[j]!;
    f(c - dx, buf);
    for (let d = 0; d < dim; d++) {
      k[d]! += WGK[j]! * buf[d]!;
      if (j % 2 === 1) g[d]! += WG[(j - 1) / 2]! * buf[d]!;
    }
    f(c + dx, buf);
    for (let d = 0; d < dim; d++) {
      k[d]! += WGK[j]! * buf[d]!;
      if (j % 2 === 1) g[d]! += WG[(j - 1) / 2]! * buf[d]!;
    }
  }
  let error = 0;
  for (let d = 0; d < dim; d++) {
    k[d]! *= h;
    g[d]! *= h;
    error = Math.max(error, Math.abs(k[d]! - g[d]!));
  }
  return { a, b, value: k, error };
}

/**
 * Globally adaptive Gauss-Kronrod (7/15) integration of a vector-valued function over [a, b]; the
 * interval with the largest error is bisected until the largest component error meets the tolerance.
 */
export function integrateVector(
  f: VectorIntegrand,
  a: number,
  b: number,
  dim: number,
  options: QuadratureOptions = {},
): Float64Array {
  const absTol = options.absTol ?? 1e-13;
  const relTol = options.relTol ?? 1e-11;
  const maxIntervals = (options.maxIntervals ?? 200) + (options.breakpoints?.length ?? 0);
  const buf = new Float64Array(dim);
  const cuts = [a, ...(options.breakpoints ?? []).filter((x) => x > a && x < b).sort((x, y) => x - y), b];
  const panels: Panel[] = [];
  for (let i = 0; i + 1 < cuts.length; i++)
    if (cuts[i + 1]! > cuts[i]!) panels.push(kronrod(f, cuts[i]!, cuts[i + 1]!, dim, buf));
  for (;;) {
    const total = new Float64Array(dim);
    let err = 0;
    let worst = 0;
    for (let i = 0; i < panels.length; i++) {
      const p = panels[i]!;
      for (let d = 0; d < dim; d++) total[d]! += p.value[d]!;
      err += p.error;
      if (p.error > panels[worst]!.error) worst = i;
    }
    let scale = 0;
    for (let d = 0; d < dim; d++) scale = Math.max(scale, Math.abs(total[d]!));
    if (err <= Math.max(absTol, relTol * scale) || panels.length >= maxIntervals) return total;
    const p = panels[worst]!;
    const mid = 0.5 * (p.a + p.b);
    if (!(mid > p.a && mid < p.b)) return total;
    panels[worst] = kronrod(f, p.a, mid, dim, buf);
    panels.push(kronrod(f, mid, p.b, dim, buf));
  }
}

/** Adaptive Gauss-Kronrod integration of a scalar function over [a, b]. */
export function integrate(
  f: (x: number) => number,
  a: number,
  b: number,
  options?: QuadratureOptions,
): number {
  return integrateVector(
    (x, out) => {
      out[0] = f(x);
    },
    a,
    b,
    1,
    options,
  )[0]!;
}

/** Brent's method: a root of f in [a, b] where f(a) and f(b) have opposite signs (NaN if they do not). */
export function findRoot(
  f: (x: number) => number,
  lo: number,
  hi: number,
  tol = 1e-12,
  maxIter = 200,
): number {
  let a = lo;
  let b = hi;
  let fa = f(a);
  let fb = f(b);
  if (fa === 0) return a;
  if (fb === 0) return b;
  if (Number.isNaN(fa) || Number.isNaN(fb) || fa * fb > 0) return Number.NaN;
  let c = a;
  let fc = fa;
  let d = b - a;
  let e = d;
  for (let i = 0; i < maxIter; i++) {
    if (fb * fc > 0) {
      c = a;
      fc = fa;
      d = b - a;
      e = d;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tol1 = 2 * Number.EPSILON * Math.abs(b) + 0.5 * tol;
    const xm = 0.5 * (c - b);
    if (Math.abs(xm) <= tol1 || fb === 0) return b;
    if (Math.abs(e) >= tol1 && Math.abs(fa) > Math.abs(fb)) {
      const s = fb / fa;
      let p: number;
      let q: number;
      if (a === c) {
        p = 2 * xm * s;
        q = 1 - s;
      } else {
        const qq = fa / fc;
        const r = fb / fc;
        p = s * (2 * xm * qq * (qq - r) - (b - a) * (r - 1));
        q = (qq - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      p = Math.abs(p);
      if (2 * p < Math.min(3 * xm * q - Math.abs(tol1 * q), Math.abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = xm;
        e = d;
      }
    } else {
      d = xm;
      e = d;
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > tol1 ? d : xm > 0 ? tol1 : -tol1;
    fb = f(b);
  }
  return b;
}
