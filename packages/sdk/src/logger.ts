// Logging: any console-like object. By default only warnings and errors are printed.

/** A console-like logger. */
export interface Logger {
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string, ...args: unknown[]): void;
}

const noop = (): void => {};

/** Completes a partial logger; without one, warnings and errors go to the console with a "[vexil]" prefix. */
export function resolveLogger(logger: Partial<Logger> | undefined): Logger {
  if (logger === undefined) {
    return {
      debug: noop,
      info: noop,
      warn: (message, ...args) => console.warn(`[vexil] ${message}`, ...args),
      error: (message, ...args) => console.error(`[vexil] ${message}`, ...args),
    };
  }
  return {
    debug: logger.debug?.bind(logger) ?? noop,
    info: logger.info?.bind(logger) ?? noop,
    warn: logger.warn?.bind(logger) ?? noop,
    error: logger.error?.bind(logger) ?? noop,
  };
}

/** A logger that prints nothing. */
export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };
