// `vexil analyze` with per-unit values and capping. Expected numbers worked by hand: pooled over both
// variations (10 units, the unlisted ones 0) the values sort to [0, 0, 0, 2, 10, 25, 30, 40, 1000, 5000],
// whose P80 (linear, h = 7.2) is 232; capped means off (10 + 25 + 232) / 5 = 53.4, on (30 + 40 + 232 + 2) / 5.
import { Readable, Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { runAnalyzeCommand } from "./analyze.command.js";

async function run(input: unknown, args: string[] = []) {
  const out: string[] = [];
  const sink = (into: string[]) =>
    new Writable({
      write(chunk, _enc, done) {
        into.push(String(chunk));
        done();
      },
    });
  const err: string[] = [];
  const code = await runAnalyzeCommand(["-", ...args], {
    stdin: Readable.from([JSON.stringify(input)]),
    stdout: sink(out),
    stderr: sink(err),
    readFile: async () => "",
  });
  return { code, stdout: out.join(""), stderr: err.join("") };
}

const metric = (capping: unknown, extra: Record<string, unknown> = {}) => ({
  key: "revenue",
  capping,
  variations: [
    { key: "off", n: 5, values: [10, 25, 1000], ...extra },
    { key: "on", n: 5, values: [30, 40, 5000, 2] },
  ],
});

describe("vexil analyze: capping of per-unit values", () => {
  it("a pooled P80 cap: capped means, the cap in the JSON and the table", async () => {
    const json = await run(metric({ type: "percentile", value: 0.8 }), ["--json"]);
    expect(json.code, json.stderr).toBe(0);
    const [m] = JSON.parse(json.stdout).metrics;
    expect(m.capping).toMatchObject({ type: "percentile", value: 0.8, applied: true });
    expect(m.capping.cap).toBeCloseTo(232, 9);
    expect(m.variations[0].sampleMean).toBeCloseTo(53.4, 9);
    expect(m.variations[1].sampleMean).toBeCloseTo(304 / 5, 9);
    const table = await run(metric({ type: "percentile", value: 0.8 }));
    expect(table.stdout).toMatch(/capped: each unit's value at 232 \(P80 of the pooled values\)/);
  });

  it("uncapped per-unit values give the plain sums", async () => {
    const json = await run(metric(undefined), ["--json"]);
    const [m] = JSON.parse(json.stdout).metrics;
    expect(m.capping).toBeUndefined();
    expect(m.variations[0].sampleMean).toBeCloseTo(1035 / 5, 9);
  });

  it("bad input: exit code 2 with the reason", async () => {
    const cases: [unknown, RegExp][] = [
      [metric({ type: "percentile", value: 99 }), /fraction between 0 and 1/],
      [metric({ type: "absolute", value: 0 }), /above 0/],
      [metric({ type: "absolute", value: 5 }, { sum: 3, sumSquares: 9 }), /not both/],
      [
        {
          key: "r",
          capping: { type: "absolute", value: 5 },
          variations: [
            { key: "a", n: 2, sum: 1, sumSquares: 1 },
            { key: "b", n: 2, sum: 1, sumSquares: 1 },
          ],
        },
        /needs per-unit "values"/,
      ],
      [
        {
          key: "r",
          variations: [
            { key: "a", n: 1, values: [1, 2] },
            { key: "b", n: 2, values: [1] },
          ],
        },
        /2 values for n = 1/,
      ],
    ];
    for (const [input, message] of cases) {
      const r = await run(input);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });
});
