/**
 * Prints rows as an aligned text table (benchmarks print tables, never assertions); with `markdown`, as a
 * Markdown table (first column left-aligned, the others right-aligned) to paste into notes. Integers are
 * printed with thousands separators, other numbers with 2 decimals, strings as they are.
 */
export function printTable(
  rows: Record<string, string | number>[],
  options: { markdown?: boolean } = {},
): void {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0] as object);
  const cell = (value: string | number | undefined) =>
    typeof value === "number"
      ? Number.isInteger(value)
        ? value.toLocaleString("en-US")
        : value.toFixed(2)
      : (value ?? "");
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  if (options.markdown) {
    const pad = (v: string, i: number) =>
      i === 0 ? v.padEnd(widths[i] as number) : v.padStart(widths[i] as number);
    const line = (values: string[]) => `| ${values.map(pad).join(" | ")} |`;
    console.log(line(columns));
    console.log(
      `|${widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`,
    );
    for (const row of rows) console.log(line(columns.map((c) => cell(row[c]))));
    return;
  }
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i] as number)).join("  ");
  console.log(line(columns));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const row of rows) console.log(line(columns.map((c) => cell(row[c]))));
}

/** The median of a list of numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** The `p` (0 to 1) percentile of numbers sorted ascending, by nearest rank. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1))] as number;
}
