// Wildcard patterns in filters (Kameleoon LIKE: `%` and `_`; LaunchDarkly policy globs: `*`) matched without
// regular expressions: a pattern with k `many` wildcards compiled to a backtracking regex costs O(n^k) on a
// near miss, which let one request freeze the server. Here the literal pieces between `many` wildcards are
// found leftmost, one after the other (leftmost is always safe for a `many` gap), so the cost is at most
// O(text length x pattern length) and, for pieces without a `one` wildcard, a native indexOf.

/** Whether `text` matches all of `pattern`: `many` matches any run of characters, `one` any one character. */
export function wildcardMatch(text: string, pattern: string, many: string, one?: string): boolean {
  const pieces = pattern.split(many);
  if (pieces.length === 1) return text.length === pattern.length && matchesAt(text, 0, pattern, one);
  const first = pieces[0]!;
  const last = pieces[pieces.length - 1]!;
  if (first.length + last.length > text.length) return false;
  if (!matchesAt(text, 0, first, one)) return false;
  const end = text.length - last.length;
  if (!matchesAt(text, end, last, one)) return false;
  let position = first.length;
  for (let i = 1; i < pieces.length - 1; i++) {
    const piece = pieces[i]!;
    const found = findPiece(text, piece, position, end, one);
    if (found < 0) return false;
    position = found + piece.length;
  }
  return true;
}

/** Whether `piece` occurs in `text` at `position`, `one` standing for any character. */
function matchesAt(text: string, position: number, piece: string, one: string | undefined): boolean {
  for (let i = 0; i < piece.length; i++) {
    const wanted = piece[i];
    if (wanted !== one && text[position + i] !== wanted) return false;
  }
  return true;
}

/** The first index >= from where `piece` occurs and ends by `end`, or -1. */
function findPiece(text: string, piece: string, from: number, end: number, one: string | undefined): number {
  if (one === undefined || !piece.includes(one)) {
    const found = text.indexOf(piece, from);
    return found >= 0 && found + piece.length <= end ? found : -1;
  }
  for (let start = from; start + piece.length <= end; start++) {
    if (matchesAt(text, start, piece, one)) return start;
  }
  return -1;
}
