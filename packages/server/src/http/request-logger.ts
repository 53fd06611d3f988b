import type { FastifyBaseLogger } from "fastify";

type Bindings = Parameters<FastifyBaseLogger["child"]>[0];
type ChildLoggerOptions = NonNullable<Parameters<FastifyBaseLogger["child"]>[1]>;

// Fastify gives every request a child of the process logger (pino) bound to its request id: an object, its
// serialised bindings and a prototype chain per request, on the hot SDK routes too, although nearly every
// request logs nothing. A request's logger is therefore this stand-in: the pino child is built on the first
// line the request writes, with the same bindings, so what is written is unchanged.

type Level = "fatal" | "error" | "warn" | "info" | "debug" | "trace";

/** A request's logger whose pino child is made on first use. */
class LazyRequestLogger {
  private made: FastifyBaseLogger | undefined;

  constructor(
    private readonly parent: FastifyBaseLogger & { levels?: { values: Record<string, number> } },
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  private real(): FastifyBaseLogger {
    this.made ??= this.parent.child(this.bindings, this.options);
    return this.made;
  }

  get level(): string {
    return this.made?.level ?? this.options.level ?? this.parent.level;
  }

  set level(level: string) {
    this.real().level = level;
  }

  private write(level: Level, args: unknown[]): void {
    if (!this.made) {
      // A line below the request's level (its route's, else the parent's) needs no child.
      const values = this.parent.levels?.values;
      const threshold = values?.[this.level];
      if (values && threshold !== undefined && (values[level] ?? 0) < threshold) return;
    }
    (this.real()[level] as (...a: unknown[]) => void)(...args);
  }

  // Methods on the prototype, not arrow-function fields: no closures per request.
  fatal(...args: unknown[]): void {
    this.write("fatal", args);
  }
  error(...args: unknown[]): void {
    this.write("error", args);
  }
  warn(...args: unknown[]): void {
    this.write("warn", args);
  }
  info(...args: unknown[]): void {
    this.write("info", args);
  }
  debug(...args: unknown[]): void {
    this.write("debug", args);
  }
  trace(...args: unknown[]): void {
    this.write("trace", args);
  }
  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.real().child(bindings, options);
  }
}

/** Fastify's `childLoggerFactory`: a request logger that builds its pino child only when it writes. */
export function lazyRequestLogger(
  logger: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions,
): FastifyBaseLogger {
  return new LazyRequestLogger(logger, bindings, options) as unknown as FastifyBaseLogger;
}
