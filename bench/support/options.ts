import { parseArgs } from "node:util";

/**
 * Reads a bench's command-line options (`--name=value` or `--name value`): numbers, each with its default,
 * and optional strings. An unknown option is an error.
 */
export function benchOptions<N extends string, S extends string = never>(
  numbers: Record<N, number>,
  strings: readonly S[] = [],
): Record<N, number> & Partial<Record<S, string>> {
  const options: Record<string, { type: "string"; default?: string }> = {};
  for (const [name, fallback] of Object.entries<number>(numbers)) {
    options[name] = { type: "string", default: String(fallback) };
  }
  for (const name of strings) options[name] = { type: "string" };
  const values = parseArgs({ options }).values as Record<string, string | undefined>;
  const result: Record<string, number | string | undefined> = {};
  for (const name of Object.keys(numbers)) result[name] = Number(values[name]);
  for (const name of strings) result[name] = values[name];
  return result as Record<N, number> & Partial<Record<S, string>>;
}
