// A small regular-expression engine that cannot backtrack: patterns compile to a Thompson NFA run as a
// Pike VM, so a test costs O(input length x program size) whatever the pattern. Patterns in segments are
// written by console users and inputs come from visitors; a backtracking engine (RegExp) would let one
// pattern like (a+)+$ freeze every evaluation. Nested quantifiers are therefore harmless here; constructs
// that need backtracking (backreferences, lookaround) are rejected, and an invalid pattern never matches.
//
// Syntax: the ECMAScript subset - literals, ".", classes [a-z] [^...] with \d \w \s, escapes \d \D \w \W
// \s \S \t \n \r \f \v \0 \xHH \uHHHH \u{H...} \cX and escaped syntax characters, anchors ^ $ (whole input),
// \b \B, groups ( ) (?: ) (?<name> ), alternation |, quantifiers * + ? {n} {n,} {n,m} (lazy forms accepted;
// they do not change a yes/no answer). A leading (?i) makes the pattern case-insensitive. Matching works
// on code points (like the `u` flag) and is a search: use ^...$ to match the whole input.

/** Longest pattern accepted, in UTF-16 code units. */
export const MAX_PATTERN_LENGTH = 256;
/** Longest input tested; longer inputs do not match (bounds the cost of one test). */
export const MAX_INPUT_LENGTH = 4096;
/** Largest {n,m} bound and largest compiled program: bound the work per input character. */
const MAX_REPEAT = 100;
const MAX_PROGRAM = 2000;
const MAX_DEPTH = 32;

type Node =
  | { t: "char"; cp: number }
  | { t: "any" }
  | { t: "class"; ranges: number[]; negated: boolean }
  | { t: "assert"; kind: number }
  | { t: "cat"; items: Node[] }
  | { t: "alt"; items: Node[] }
  | { t: "rep"; node: Node; min: number; max: number };

const A_BEGIN = 0;
const A_END = 1;
const A_WORD = 2;
const A_NOT_WORD = 3;

const DIGIT = [0x30, 0x39];
const WORD = [0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a];
const SPACE = [
  0x09, 0x0d, 0x20, 0x20, 0xa0, 0xa0, 0x1680, 0x1680, 0x2000, 0x200a, 0x2028, 0x2029, 0x202f, 0x202f, 0x205f,
  0x205f, 0x3000, 0x3000, 0xfeff, 0xfeff,
];
const MAX_CP = 0x10ffff;

class PatternError extends Error {}

function complement(ranges: number[]): number[] {
  const sorted: [number, number][] = [];
  for (let i = 0; i < ranges.length; i += 2) sorted.push([ranges[i]!, ranges[i + 1]!]);
  sorted.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  let next = 0;
  for (const [lo, hi] of sorted) {
    if (lo > next) out.push(next, lo - 1);
    next = Math.max(next, hi + 1);
  }
  if (next <= MAX_CP) out.push(next, MAX_CP);
  return out;
}

class Parser {
  private i = 0;
  constructor(private readonly src: string) {}

  parse(): Node {
    const node = this.alternation(0);
    if (this.i < this.src.length) throw new PatternError("unbalanced )");
    return node;
  }

  private peek(): number {
    return this.i < this.src.length ? this.src.codePointAt(this.i)! : -1;
  }

  private next(): number {
    const cp = this.src.codePointAt(this.i)!;
    this.i += cp > 0xffff ? 2 : 1;
    return cp;
  }

  private alternation(depth: number): Node {
    if (depth > MAX_DEPTH) throw new PatternError("too deep");
    const items = [this.concatenation(depth)];
    while (this.peek() === 0x7c /* | */) {
      this.i++;
      items.push(this.concatenation(depth));
    }
    return items.length === 1 ? items[0]! : { t: "alt", items };
  }

  private concatenation(depth: number): Node {
    const items: Node[] = [];
    for (;;) {
      const c = this.peek();
      if (c === -1 || c === 0x7c || c === 0x29 /* ) */) break;
      const atom = this.atom(depth);
      items.push(this.quantified(atom));
    }
    return items.length === 1 ? items[0]! : { t: "cat", items };
  }

  private quantified(atom: Node): Node {
    let min: number;
    let max: number;
    const c = this.peek();
    if (c === 0x2a /* * */) {
      min = 0;
      max = Infinity;
      this.i++;
    } else if (c === 0x2b /* + */) {
      min = 1;
      max = Infinity;
      this.i++;
    } else if (c === 0x3f /* ? */) {
      min = 0;
      max = 1;
      this.i++;
    } else if (c === 0x7b /* { */) {
      const m = /^\{(\d{1,4})(,(\d{0,4}))?\}/.exec(this.src.slice(this.i));
      if (m === null) return atom; // Annex B: a "{" that is not a quantifier is a literal
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === "" ? Infinity : Number(m[3]);
      if (min > max || min > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT)) {
        throw new PatternError("bad repeat");
      }
      this.i += m[0].length;
    } else {
      return atom;
    }
    if (atom.t === "assert") throw new PatternError("quantified assertion");
    if (this.peek() === 0x3f) this.i++; // lazy: same language
    const after = this.peek();
    if (after === 0x2a || after === 0x2b || after === 0x3f) throw new PatternError("double quantifier");
    return { t: "rep", node: atom, min, max };
  }

  private atom(depth: number): Node {
    const c = this.next();
    switch (c) {
      case 0x2e /* . */:
        return { t: "any" };
      case 0x5e /* ^ */:
        return { t: "assert", kind: A_BEGIN };
      case 0x24 /* $ */:
        return { t: "assert", kind: A_END };
      case 0x28 /* ( */:
        {
          if (this.src.startsWith("?:", this.i)) this.i += 2;
          else if (
            this.src.startsWith("?<", this.i) &&
            /^\?<[A-Za-z_$][\w$]*>/.test(this.src.slice(this.i))
          ) {
            this.i = this.src.indexOf(">", this.i) + 1; // named group: the name is irrelevant to a yes/no test
          } else if (this.peek() === 0x3f) throw new PatternError("unsupported group (lookaround)");
          const inner = this.alternation(depth + 1);
          if (this.peek() !== 0x29) throw new PatternError("missing )");
          this.i++;
          return inner;
        }
      case 0x5b /* [ */:
        return this.characterClass();
      case 0x5c /* \ */:
        return this.escape(false) as Node;
      case 0x2a:
      case 0x2b:
      case 0x3f:
        throw new PatternError("nothing to repeat");
      case 0x7b /* { */:
        if (/^\d{1,4}(,\d{0,4})?\}/.test(this.src.slice(this.i))) throw new PatternError("nothing to repeat");
        return { t: "char", cp: c };
      default:
        return { t: "char", cp: c };
    }
  }

  // Returns a Node outside classes; inside, a char code or a range list.
  private escape(inClass: boolean): Node | number | number[] {
    if (this.i >= this.src.length) throw new PatternError("trailing backslash");
    const c = this.next();
    const ch = String.fromCodePoint(c);
    const set = (ranges: number[], negated: boolean): Node | number[] =>
      inClass ? (negated ? complement(ranges) : ranges) : { t: "class", ranges, negated };
    const lit = (cp: number): Node | number => (inClass ? cp : { t: "char", cp });
    switch (ch) {
      case "d":
        return set(DIGIT, false);
      case "D":
        return set(DIGIT, true);
      case "w":
        return set(WORD, false);
      case "W":
        return set(WORD, true);
      case "s":
        return set(SPACE, false);
      case "S":
        return set(SPACE, true);
      case "b":
        return inClass ? 0x08 : { t: "assert", kind: A_WORD };
      case "B":
        if (inClass) throw new PatternError("\\B in class");
        return { t: "assert", kind: A_NOT_WORD };
      case "t":
        return lit(0x09);
      case "n":
        return lit(0x0a);
      case "v":
        return lit(0x0b);
      case "f":
        return lit(0x0c);
      case "r":
        return lit(0x0d);
      case "0":
        if (/\d/.test(this.src.charAt(this.i))) throw new PatternError("octal escape");
        return lit(0);
      case "c": {
        const m = /^[A-Za-z]/.exec(this.src.slice(this.i));
        if (m === null) throw new PatternError("bad \\c");
        this.i++;
        return lit(m[0].charCodeAt(0) % 32);
      }
      case "x": {
        const m = /^[0-9A-Fa-f]{2}/.exec(this.src.slice(this.i));
        if (m === null) throw new PatternError("bad \\x");
        this.i += 2;
        return lit(Number.parseInt(m[0], 16));
      }
      case "u": {
        const braced = /^\{([0-9A-Fa-f]{1,6})\}/.exec(this.src.slice(this.i));
        if (braced !== null) {
          const cp = Number.parseInt(braced[1]!, 16);
          if (cp > MAX_CP) throw new PatternError("bad \\u{}");
          this.i += braced[0].length;
          return lit(cp);
        }
        const m = /^[0-9A-Fa-f]{4}/.exec(this.src.slice(this.i));
        if (m === null) throw new PatternError("bad \\u");
        this.i += 4;
        return lit(Number.parseInt(m[0], 16));
      }
      default:
        if ("^$\\.*+?()[]{}|/-".includes(ch)) return lit(c);
        // \1..\9 and \k<name> are backreferences: they need backtracking. \p{...} is not supported.
        throw new PatternError("unsupported escape \\" + ch);
    }
  }

  private classAtom(): number | number[] {
    const c = this.next();
    if (c === 0x5c) return this.escape(true) as number | number[];
    return c;
  }

  private characterClass(): Node {
    let negated = false;
    if (this.peek() === 0x5e) {
      negated = true;
      this.i++;
    }
    const ranges: number[] = [];
    for (;;) {
      const c = this.peek();
      if (c === -1) throw new PatternError("missing ]");
      if (c === 0x5d /* ] */) {
        this.i++;
        break;
      }
      const lo = this.classAtom();
      if (
        this.peek() === 0x2d /* - */ &&
        this.src.charCodeAt(this.i + 1) !== 0x5d &&
        this.i + 1 < this.src.length
      ) {
        this.i++;
        const hi = this.classAtom();
        if (typeof lo !== "number" || typeof hi !== "number") throw new PatternError("class range of a set");
        if (lo > hi) throw new PatternError("range out of order");
        ranges.push(lo, hi);
      } else if (typeof lo === "number") ranges.push(lo, lo);
      else ranges.push(...lo);
    }
    return { t: "class", ranges, negated };
  }
}

// Program: parallel arrays; op codes below. Consuming ops: CHAR, ANY, CLASS.
const OP_CHAR = 0;
const OP_ANY = 1;
const OP_CLASS = 2;
const OP_SPLIT = 3;
const OP_JMP = 4;
const OP_MATCH = 5;
const OP_ASSERT = 6;

function lowerCp(cp: number): number {
  if (cp < 0x80) return cp >= 0x41 && cp <= 0x5a ? cp + 32 : cp;
  const s = String.fromCodePoint(cp).toLowerCase();
  const l = s.codePointAt(0)!;
  return s.length === (l > 0xffff ? 2 : 1) ? l : cp;
}

function upperCp(cp: number): number {
  if (cp < 0x80) return cp >= 0x61 && cp <= 0x7a ? cp - 32 : cp;
  const s = String.fromCodePoint(cp).toUpperCase();
  const u = s.codePointAt(0)!;
  return s.length === (u > 0xffff ? 2 : 1) ? u : cp;
}

function isWordCp(cp: number): boolean {
  return (
    (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || cp === 0x5f || (cp >= 0x61 && cp <= 0x7a)
  );
}

function isLineTerminator(cp: number): boolean {
  return cp === 0x0a || cp === 0x0d || cp === 0x2028 || cp === 0x2029;
}

/** A compiled pattern; `test` runs in time linear in the input. */
export class SafeRegex {
  private readonly op: Int32Array;
  private readonly arg: Int32Array;
  private readonly arg2: Int32Array;
  private readonly classes: { ranges: number[]; negated: boolean }[];
  private readonly anchored: boolean;
  private readonly ignoreCase: boolean;
  // Pike VM scratch, reused by every test (evaluation is synchronous).
  private clist: Int32Array;
  private nlist: Int32Array;
  private readonly mark: Int32Array;
  private readonly stack: Int32Array;
  private stamp = 0;

  /** Compile a pattern (see the module comment); throws PatternError, callers use `compileSafeRegex`. */
  constructor(readonly source: string) {
    let body = source;
    this.ignoreCase = body.startsWith("(?i)");
    if (this.ignoreCase) body = body.slice(4);
    const ast = new Parser(body).parse();
    this.anchored =
      (ast.t === "assert" && ast.kind === A_BEGIN) ||
      (ast.t === "cat" &&
        ast.items[0]!.t === "assert" &&
        (ast.items[0] as { kind: number }).kind === A_BEGIN);
    const op: number[] = [];
    const arg: number[] = [];
    const arg2: number[] = [];
    this.classes = [];
    const emit = (o: number, a = 0, b = 0): number => {
      if (op.length >= MAX_PROGRAM) throw new PatternError("pattern too large");
      op.push(o);
      arg.push(a);
      arg2.push(b);
      return op.length - 1;
    };
    const gen = (n: Node): void => {
      switch (n.t) {
        case "char":
          if (this.ignoreCase && (lowerCp(n.cp) !== n.cp || upperCp(n.cp) !== n.cp)) {
            this.classes.push({ ranges: [n.cp, n.cp], negated: false });
            emit(OP_CLASS, this.classes.length - 1);
          } else emit(OP_CHAR, n.cp);
          break;
        case "any":
          emit(OP_ANY);
          break;
        case "class":
          this.classes.push({ ranges: n.ranges, negated: n.negated });
          emit(OP_CLASS, this.classes.length - 1);
          break;
        case "assert":
          emit(OP_ASSERT, n.kind);
          break;
        case "cat":
          for (const item of n.items) gen(item);
          break;
        case "alt": {
          const jumps: number[] = [];
          for (let k = 0; k < n.items.length - 1; k++) {
            const split = emit(OP_SPLIT);
            arg[split] = op.length;
            gen(n.items[k]!);
            jumps.push(emit(OP_JMP));
            arg2[split] = op.length;
          }
          gen(n.items[n.items.length - 1]!);
          for (const j of jumps) arg[j] = op.length;
          break;
        }
        case "rep": {
          for (let k = 0; k < n.min; k++) gen(n.node);
          if (n.max === Infinity) {
            const split = emit(OP_SPLIT);
            arg[split] = op.length;
            gen(n.node);
            emit(OP_JMP, split);
            arg2[split] = op.length;
          } else {
            for (let k = n.min; k < n.max; k++) {
              const split = emit(OP_SPLIT);
              arg[split] = op.length;
              gen(n.node);
              arg2[split] = op.length;
            }
          }
          break;
        }
      }
    };
    gen(ast);
    emit(OP_MATCH);
    this.op = Int32Array.from(op);
    this.arg = Int32Array.from(arg);
    this.arg2 = Int32Array.from(arg2);
    const size = op.length;
    this.clist = new Int32Array(size);
    this.nlist = new Int32Array(size);
    this.mark = new Int32Array(size).fill(-1);
    this.stack = new Int32Array(size * 2 + 2);
  }

  private inClass(index: number, cp: number): boolean {
    const cls = this.classes[index]!;
    const r = cls.ranges;
    let hit = false;
    for (let k = 0; k < r.length && !hit; k += 2) hit = cp >= r[k]! && cp <= r[k + 1]!;
    if (!hit && this.ignoreCase) {
      const l = lowerCp(cp);
      const u = upperCp(cp);
      for (let k = 0; k < r.length && !hit; k += 2) {
        hit = (l >= r[k]! && l <= r[k + 1]!) || (u >= r[k]! && u <= r[k + 1]!);
      }
    }
    return hit !== cls.negated;
  }

  // Follows epsilon edges from `start`, appending consuming states to `list`; true when MATCH is reached.
  private add(list: Int32Array, length: number, start: number, prev: number, cur: number): number {
    const { op, arg, arg2, mark, stack } = this;
    const stamp = this.stamp;
    let sp = 0;
    stack[sp++] = start;
    while (sp > 0) {
      const pc = stack[--sp]!;
      if (mark[pc] === stamp) continue;
      mark[pc] = stamp;
      switch (op[pc]) {
        case OP_JMP:
          stack[sp++] = arg[pc]!;
          break;
        case OP_SPLIT:
          stack[sp++] = arg2[pc]!;
          stack[sp++] = arg[pc]!;
          break;
        case OP_ASSERT: {
          const kind = arg[pc];
          const ok =
            kind === A_BEGIN
              ? prev === -1
              : kind === A_END
                ? cur === -1
                : (isWordCp(prev) !== isWordCp(cur)) === (kind === A_WORD);
          if (ok) stack[sp++] = pc + 1;
          break;
        }
        case OP_MATCH:
          return -1;
        default:
          list[length++] = pc;
      }
    }
    return length;
  }

  private nextStamp(): void {
    if (this.stamp >= 0x3fffffff) {
      this.mark.fill(-1);
      this.stamp = 0;
    }
    this.stamp++;
  }

  /** Whether the pattern matches somewhere in `input`; inputs over MAX_INPUT_LENGTH never match. */
  test(input: string): boolean {
    if (input.length > MAX_INPUT_LENGTH) return false;
    const { op, arg } = this;
    const n = input.length;
    let prev = -1;
    let cur = n > 0 ? input.codePointAt(0)! : -1;
    this.nextStamp();
    let clen = this.add(this.clist, 0, 0, prev, cur);
    if (clen < 0) return true;
    let pos = 0;
    while (pos < n) {
      const step = cur > 0xffff ? 2 : 1;
      const nextPos = pos + step;
      const nextCp = nextPos < n ? input.codePointAt(nextPos)! : -1;
      this.nextStamp();
      const clist = this.clist;
      const nlist = this.nlist;
      let nlen = 0;
      for (let t = 0; t < clen; t++) {
        const pc = clist[t]!;
        const o = op[pc];
        const ok =
          o === OP_CHAR
            ? arg[pc] === cur
            : o === OP_ANY
              ? !isLineTerminator(cur)
              : this.inClass(arg[pc]!, cur);
        if (ok) {
          nlen = this.add(nlist, nlen, pc + 1, cur, nextCp);
          if (nlen < 0) return true;
        }
      }
      if (!this.anchored) {
        nlen = this.add(nlist, nlen, 0, cur, nextCp);
        if (nlen < 0) return true;
      } else if (nlen === 0) return false;
      this.clist = nlist;
      this.nlist = clist;
      clen = nlen;
      prev = cur;
      cur = nextCp;
      pos = nextPos;
    }
    return false;
  }
}

const cache = new Map<string, SafeRegex | null>();

/** Compile (once, cached) a safe pattern; undefined when invalid, unsupported or too long. */
export function compileSafeRegex(pattern: unknown): SafeRegex | undefined {
  if (typeof pattern !== "string" || pattern.length > MAX_PATTERN_LENGTH) return undefined;
  let compiled = cache.get(pattern);
  if (compiled === undefined) {
    try {
      compiled = new SafeRegex(pattern);
    } catch {
      compiled = null; // PatternError, or a RangeError from a pathological class: either way a non-match
    }
    // Patterns come from configuration, so the set is small; the bound only guards against churn.
    if (cache.size >= 1000) cache.clear();
    cache.set(pattern, compiled);
  }
  return compiled ?? undefined;
}
