import { Readable, Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { runAnalyzeCommand } from "./analyze.command.js";

// In-memory io: files by path, stdin text, captured stdout and stderr.
function memoryIo(files: Record<string, string>, stdin = "") {
  const out: string[] = [];
  const err: string[] = [];
  const sink = (into: string[]) =>
    new Writable({
      write(chunk, _enc, done) {
        into.push(String(chunk));
        done();
      },
    });
  return {
    io: {
      stdin: Readable.from([stdin]),
      stdout: sink(out),
      stderr: sink(err),
      readFile: async (path: string) => {
        const text = files[path];
        if (text === undefined) throw new Error(`ENOENT: no such file, open '${path}'`);
        return text;
      },
    },
    stdout: () => out.join(""),
    stderr: () => err.join(""),
  };
}

const csv = `metric,variation,n,conversions,sum,sumSquares,weight
signup,control,2000,200,,,1
signup,treatment,2000,250,,,1
revenue,control,3407,,1396.87,52377.9767,1
revenue,treatment,3461,,2422.7,134698.29,1
`;

const json = JSON.stringify({
  metrics: [
    {
      key: "checkout",
      isProportion: true,
      variations: [
        { key: "off", n: 1000, conversions: 100 },
        { key: "on", n: 1000, conversions: 120 },
        { key: "on-v2", n: 1000, conversions: 110 },
      ],
    },
  ],
  weights: { off: 1, on: 1, "on-v2": 1 },
});

describe("vexil analyze", () => {
  it("prints an aligned table from a CSV file", async () => {
    const m = memoryIo({ "stats.csv": csv });
    const code = await runAnalyzeCommand(["stats.csv"], m.io);
    expect(m.stderr()).toBe("");
    expect(code).toBe(0);
    const text = m.stdout();
    expect(text).toMatch(/Metric signup \(conversion\)\s+reference control/);
    expect(text).toMatch(/Metric revenue \(mean\)/);
    // By hand: signup converts 10 % (200/2000) vs 12.5 % (250/2000), a 25 % lift. Its two-sided pooled-z
    // p-value is 0.01235 and Welch's on p(1-p) variances 0.01228 (scipy.stats.norm.sf, 2 x tail).
    const row = text.split("\n").find((l) => l.startsWith("treatment") && l.includes("12.50%"))!;
    expect(row).toContain("25.00%");
    expect(row).toMatch(/0\.012\d/);
    expect(text).toMatch(/sample ratio ok/);
    // Columns line up: every row of a table is as long as its dashed rule or shorter.
    const lines = text.split("\n");
    const rule = lines.findIndex((l) => /^-+ {2}-+/.test(l));
    expect(lines[rule - 1]!.indexOf("units")).toBeGreaterThan(0);
    expect(lines[rule + 1]!.length).toBeLessThanOrEqual(lines[rule]!.length);
  });

  it("reads JSON from stdin and prints JSON with --json and the options", async () => {
    const m = memoryIo({}, json);
    const code = await runAnalyzeCommand(
      [
        "--json",
        "--alpha",
        "0.1",
        "--reference",
        "off",
        "--engine",
        "bayesian",
        "--sequential",
        "--correction",
        "holm",
      ],
      m.io,
    );
    expect(m.stderr()).toBe("");
    expect(code).toBe(0);
    const out = JSON.parse(m.stdout());
    const metric = out.metrics[0];
    expect(metric.alpha).toBe(0.1);
    expect(metric.engine).toBe("bayesian");
    expect(metric.correction).toBe("holm");
    expect(metric.sequential.method).toBe("confidence-sequence");
    // Three arms of exactly 1,000 units at equal weights: the sample-ratio chi-square is 0, its p-value 1.
    expect(metric.srm.pValue).toBe(1);
    const on = metric.variations[1];
    expect(on.key).toBe("on");
    // P(Beta(121, 881) > Beta(101, 901)): 120/1000 vs 100/1000 conversions on a uniform Beta(1, 1) prior,
    // 0.92318343897 by numerical integration (scipy.integrate.quad of pdf_on(x) * cdf_off(x) over [0, 1]).
    expect(on.comparison.bayesian.chanceToBeat).toBeCloseTo(0.923183439, 8);
    expect(on.comparison.reliability).toBeCloseTo(92.3183439, 6);
    expect(on.comparison.relative.pValueAdjusted).toBeGreaterThanOrEqual(on.comparison.relative.pValue);
    expect(on.relativeDifferences[0].fromVariation).toBe("off");
    expect(metric.variations.reduce((s: number, v: { pBest: number }) => s + v.pBest, 0)).toBeCloseTo(1, 9);
    // "-" also means stdin.
    const again = memoryIo({}, json);
    expect(await runAnalyzeCommand(["-", "--json"], again.io)).toBe(0);
  });

  it("fails with a clear message and exit code 2 on bad input", async () => {
    const cases: [string[], Record<string, string>, string, RegExp][] = [
      [["bad.json"], { "bad.json": "{not json" }, "", /bad\.json: invalid JSON/],
      [["x.csv"], { "x.csv": "variation,n\na,10\n" }, "", /needs "sum".*or "conversions"/],
      [
        ["x.csv"],
        { "x.csv": "variation,n,sum,sumSquares\na,ten,1,1\n" },
        "",
        /line 2: n must be a finite number/,
      ],
      [
        ["x.csv"],
        { "x.csv": "variation,n,conversions,colour\na,10,1,red\n" },
        "",
        /unknown column\(s\) colour/,
      ],
      [["missing.csv"], {}, "", /cannot read missing\.csv: ENOENT/],
      [[], {}, "", /stdin: the input is empty/],
      [["--alpha", "2"], {}, json, /--alpha must be a number between 0 and 1/],
      [["--engine", "magic"], {}, json, /--engine must be one of frequentist, bayesian/],
      [["--correction", "fdr"], {}, json, /--correction must be one of none, bonferroni, holm, bh/],
      [["--reference", "nope"], {}, json, /--reference nope is not a variation of checkout/],
      [["--frobnicate"], {}, json, /Unknown option '--frobnicate'/],
      [[], {}, JSON.stringify({ metrics: [{ variations: [{ key: "a" }] }] }), /"n" \(units\) is required/],
    ];
    for (const [args, files, stdin, message] of cases) {
      const m = memoryIo(files, stdin);
      const code = await runAnalyzeCommand(args, m.io);
      expect(code, `${args.join(" ")} -> ${m.stderr()}`).toBe(2);
      expect(m.stderr()).toMatch(message);
      expect(m.stdout()).toBe("");
    }
  });

  it("prints usage with --help", async () => {
    const m = memoryIo({});
    expect(await runAnalyzeCommand(["--help"], m.io)).toBe(0);
    expect(m.stdout()).toMatch(/Usage: vexil analyze/);
  });
});

describe("vexil analyze --plan", () => {
  it("answers units per arm, total and days; Fleiss' pooled size matches scipy", async () => {
    const m = memoryIo({});
    const code = await runAnalyzeCommand(
      [
        "--plan",
        "--mde",
        "0.1",
        "--baseline-rate",
        "0.05",
        "--variations",
        "3",
        "--daily-units",
        "5000",
        "--json",
      ],
      m.io,
    );
    expect(code).toBe(0);
    const { plan } = JSON.parse(m.stdout());
    // 5 % -> 5.5 %, two-sided 0.05, power 0.8: 31,233.44 (scipy, Fleiss' pooled formula) -> 31,234.
    expect(plan).toMatchObject({
      perArm: 31234,
      total: 93702,
      days: 19,
      comparisons: 2,
      method: "fleiss-pooled",
    });
  });

  it("plans longer with sequential testing and a correction; bad input is exit 2 with the reason", async () => {
    const run = async (args: string[]) => {
      const m = memoryIo({});
      const code = await runAnalyzeCommand(["--plan", "--json", ...args], m.io);
      return { code, out: m.stdout(), err: m.stderr() };
    };
    const plain = JSON.parse((await run(["--mde", "0.05", "--mean", "10", "--sd", "4"])).out).plan;
    const seq = JSON.parse(
      (await run(["--mde", "0.05", "--mean", "10", "--sd", "4", "--sequential"])).out,
    ).plan;
    const holm = JSON.parse(
      (await run(["--mde", "0.05", "--mean", "10", "--sd", "4", "--variations", "4", "--correction", "holm"]))
        .out,
    ).plan;
    expect(seq.perArm).toBeGreaterThan(plain.perArm);
    expect(seq.method).toBe("confidence-sequence");
    expect(holm.alphaPerComparison).toBeCloseTo(0.05 / 3, 15);
    expect(holm.perArm).toBeGreaterThan(plain.perArm);
    for (const bad of [
      ["--mde", "0", "--baseline-rate", "0.05"],
      ["--mde", "0.1"],
      ["--mde", "x", "--baseline-rate", "0.05"],
      ["--mde", "0.1", "--baseline-rate", "1.2"],
      ["--mde", "0.1", "--mean", "0", "--sd", "1"],
      ["--mde", "0.1", "--mean", "3", "--sd", "1", "--variance", "1"],
      ["--mde", "0.1", "--baseline-rate", "0.05", "--effect", "huge"],
      ["--mde", "0.1", "--baseline-rate", "0.05", "--goals", "0"],
    ]) {
      const r = await run(bad);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/vexil analyze: /);
    }
  });

  it("takes an absolute effect, a variance and several goals, as the HTTP planner does", async () => {
    const run = async (args: string[]) => {
      const m = memoryIo({});
      expect(await runAnalyzeCommand(["--plan", "--json", ...args], m.io)).toBe(0);
      return JSON.parse(m.stdout()).plan;
    };
    // Mean 10, sd 4, delta 0.5: 2 (z_0.975 + z_0.8)^2 16 / 0.25 = 1,004.66 -> 1,005 (normal formula).
    expect(
      await run(["--mde", "0.5", "--effect", "absolute", "--mean", "10", "--variance", "16"]),
    ).toMatchObject({
      perArm: 1005,
      relativeEffect: 0.05,
    });
    // 10 % -> 12 % at alpha 0.05 / ((3 - 1) x 2): Fleiss' pooled formula, 5,457.06 -> 5,458.
    expect(
      await run([
        "--mde",
        "0.02",
        "--effect",
        "absolute",
        "--baseline-rate",
        "0.1",
        "--variations",
        "3",
        "--goals",
        "2",
        "--correction",
        "bonferroni",
      ]),
    ).toMatchObject({ perArm: 5458, comparisons: 4, alphaPerComparison: 0.0125 });
  });
});
