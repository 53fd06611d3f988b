// Semantic Versioning 2.0.0 precedence (semver.org section 11). Lenient on input the way targeting needs:
// a leading "v" and missing minor/patch ("2", "2.1") are accepted; numbers of any size compare exactly.

const SEMVER_RE =
  /^[vV]?(\d+)(?:\.(\d+)(?:\.(\d+))?)?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

/** A parsed version; numeric parts kept as digit strings without leading zeros (no precision limit). */
export interface SemVer {
  readonly major: string;
  readonly minor: string;
  readonly patch: string;
  /** Pre-release identifiers; empty for a release. */
  readonly prerelease: readonly string[];
}

function stripZeros(digits: string): string {
  let i = 0;
  while (i < digits.length - 1 && digits.charCodeAt(i) === 48) i++;
  return i === 0 ? digits : digits.slice(i);
}

function isDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return s.length > 0;
}

/** Parse a version; undefined when it is not one. Build metadata is dropped (it has no precedence). */
export function parseSemver(text: unknown): SemVer | undefined {
  if (typeof text !== "string" || text.length > 256) return undefined;
  const m = SEMVER_RE.exec(text.trim());
  if (m === null) return undefined;
  return {
    major: stripZeros(m[1]!),
    minor: stripZeros(m[2] ?? "0"),
    patch: stripZeros(m[3] ?? "0"),
    prerelease: m[4] === undefined ? [] : m[4].split("."),
  };
}

function compareNumeric(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareIdentifier(a: string, b: string): number {
  const an = isDigits(a);
  const bn = isDigits(b);
  // Numeric identifiers have lower precedence than alphanumeric ones.
  if (an && bn) return compareNumeric(stripZeros(a), stripZeros(b));
  if (an) return -1;
  if (bn) return 1;
  // ASCII order, as the spec says "lexically in ASCII sort order".
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Semver precedence: negative if a < b, 0 if equal (build ignored), positive if a > b. */
export function compareSemver(a: SemVer, b: SemVer): number {
  const core =
    compareNumeric(a.major, b.major) || compareNumeric(a.minor, b.minor) || compareNumeric(a.patch, b.patch);
  if (core !== 0) return core;
  const ap = a.prerelease;
  const bp = b.prerelease;
  // A pre-release has lower precedence than the release itself.
  if (ap.length === 0 || bp.length === 0) return bp.length - ap.length === 0 ? 0 : ap.length === 0 ? 1 : -1;
  const n = Math.min(ap.length, bp.length);
  for (let i = 0; i < n; i++) {
    const c = compareIdentifier(ap[i]!, bp[i]!);
    if (c !== 0) return c;
  }
  return ap.length === bp.length ? 0 : ap.length < bp.length ? -1 : 1;
}
