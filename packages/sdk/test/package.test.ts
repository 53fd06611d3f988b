// The published form of the SDK: `npm pack` of @vexil/engine and @vexil/sdk, the two tarballs installed
// into a fresh project outside the repository (npm installs local tarballs offline), and a TypeScript
// program there, type-checked by the repository's tsc against the installed declarations (skipLibCheck
// off) and run by plain Node as ESM against a real server: it evaluates a flag, hears a change over the
// stream and sends an exposure that the server stores.

import { type ChildProcess, execFile, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../server/test/harness.js";

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
let server: TestServer;
let serverKey = "";
let dir = "";
let child: ChildProcess | undefined;

const variations = [
  { key: "off", name: "Off", variables: [] },
  { key: "on", name: "On", variables: [] },
];

function flag(featureKey: string, rule: Record<string, unknown>) {
  return {
    siteCode: "pack",
    featureKey,
    name: featureKey,
    variations,
    environmentConfigurations: [
      {
        environmentKey: "production",
        featureEnabled: true,
        defaultVariationKey: "off",
        rolloutRules: [{ state: "ACTIVE", exposition: 100, ...rule }],
      },
    ],
  };
}

// The program a user would write; it prints one JSON line per step and waits for the test between steps.
const program = `import { createEvaluator } from "@vexil/engine";
import { createClient, type ChangeEvent, type EvaluationDetails } from "@vexil/sdk";

const print = (line: object): void => console.log(JSON.stringify(line));
const client = createClient({ sdkKey: process.env.VEXIL_KEY!, baseUrl: process.env.VEXIL_URL!, eventsBatchSize: 1 });
await client.ready();
const first: EvaluationDetails = client.evaluate("pack-flag", { code: "visitor-1" });
const offline = createEvaluator(client.getPayload()!).evaluate("pack-flag", { code: "visitor-1" });
print({
  step: "ready",
  variationKey: first.variationKey,
  offline: offline.variationKey,
  engine: import.meta.resolve("@vexil/engine"),
  sdk: import.meta.resolve("@vexil/sdk"),
});
const change = await new Promise<ChangeEvent>((resolve) => client.once("change", resolve));
print({ step: "change", flagKeys: change.flagKeys, reason: client.evaluate("pack-flag", "visitor-1").reason });
const exposed = client.evaluate("pack-experiment", "visitor-2");
await client.flush();
print({ step: "exposure", inExperiment: exposed.inExperiment, sentEvents: client.stats().sentEvents });
await client.close();
`;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "vexil-pack-"));
  expect(path.relative(root, dir).startsWith("..")).toBe(true); // outside the repository
  server = await startTestServer({ listen: true });
  expect((await server.request("POST", "/projects", { body: { key: "pack", name: "Pack" } })).status).toBe(
    201,
  );
  const environments = await server.request("GET", "/projects/pack/environments");
  serverKey = environments.body.find((e: { key: string }) => e.key === "production").serverSdkKey;
  for (const body of [
    flag("pack-flag", { type: "TARGETED_DELIVERY", variationKey: "on" }),
    flag("pack-experiment", {
      type: "EXPERIMENTATION",
      trafficAllocations: [
        { variationKey: "off", exposition: 50 },
        { variationKey: "on", exposition: 50 },
      ],
    }),
  ]) {
    const created = await server.request("POST", "/feature-flags", { body });
    expect(created.status, created.text).toBe(201);
  }
});

afterAll(async () => {
  child?.kill("SIGKILL");
  await server?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** The files a tarball holds, and its package.json. */
async function contents(tarball: string): Promise<{ files: string[]; manifest: Record<string, unknown> }> {
  const { stdout } = await run("tar", ["-tzf", tarball]);
  const manifest = JSON.parse((await run("tar", ["-xzOf", tarball, "package/package.json"])).stdout);
  return { files: stdout.trim().split("\n"), manifest };
}

/** The file paths of an `exports` map (its leaf values). */
function exportTargets(exports: unknown): string[] {
  if (typeof exports === "string") return [exports];
  if (typeof exports !== "object" || exports === null) return [];
  return Object.values(exports).flatMap(exportTargets);
}

describe("packed @vexil/engine and @vexil/sdk", () => {
  it("install from their tarballs and run a type-checked program against a real server", async () => {
    const tarballs: string[] = [];
    for (const name of ["engine", "sdk"]) {
      const { stdout } = await run("npm", ["pack", "--silent", "--pack-destination", dir], {
        cwd: path.join(root, "packages", name),
      });
      tarballs.push(path.join(dir, stdout.trim().split("\n").pop()!));
    }
    const [engine, sdk] = await Promise.all(tarballs.map(contents));
    for (const { files, manifest } of [engine!, sdk!]) {
      expect(files).toContain("package/README.md");
      expect(files).toContain("package/dist/index.js");
      expect(files).toContain("package/dist/index.d.ts");
      expect(files.filter((f) => f.endsWith(".test.ts") || f.includes("/test/"))).toEqual([]);
      expect(manifest.license).toBe("UNLICENSED");
      // Every file an export condition names is in the tarball.
      for (const target of exportTargets(manifest.exports))
        expect(files).toContain(`package/${target.slice(2)}`);
    }
    expect(sdk!.manifest.dependencies).toEqual({ "@vexil/engine": "0.1.0" });

    const app = path.join(dir, "app");
    fs.mkdirSync(app);
    fs.writeFileSync(
      path.join(app, "package.json"),
      JSON.stringify({ name: "app", private: true, type: "module" }),
    );
    await run("npm", ["install", "--offline", "--no-audit", "--no-fund", ...tarballs], { cwd: app });
    // Real copies, not links into the workspace.
    expect(fs.lstatSync(path.join(app, "node_modules/@vexil/sdk")).isSymbolicLink()).toBe(false);
    expect(fs.lstatSync(path.join(app, "node_modules/@vexil/engine")).isSymbolicLink()).toBe(false);

    fs.writeFileSync(path.join(app, "program.ts"), program);
    fs.writeFileSync(
      path.join(app, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          skipLibCheck: false,
          lib: ["ES2022"],
          types: ["node"],
          typeRoots: [path.join(root, "node_modules/@types")],
          outDir: "dist",
        },
        files: ["program.ts"],
      }),
    );
    const tsc = path.join(root, "node_modules/typescript/bin/tsc");
    const checked = await run(process.execPath, [tsc, "-p", app]).catch((e) => e);
    expect(`${checked.stdout}${checked.stderr}`).toBe("");

    child = spawn(process.execPath, [path.join(app, "dist/program.js")], {
      cwd: app,
      env: { ...process.env, VEXIL_URL: server.baseUrl, VEXIL_KEY: serverKey, NODE_OPTIONS: "" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    const next = async () => JSON.parse((await lines.next()).value as string);

    const ready = await next();
    expect(ready).toMatchObject({ step: "ready", variationKey: "on", offline: "on" });
    expect(fileURLToPath(ready.engine).startsWith(path.join(app, "node_modules/@vexil/engine/dist"))).toBe(
      true,
    );
    expect(fileURLToPath(ready.sdk).startsWith(path.join(app, "node_modules/@vexil/sdk/dist"))).toBe(true);

    const patched = await server.request("PATCH", "/feature-flags/pack/pack-flag/production", {
      body: { featureEnabled: false },
      headers: { "content-type": "application/merge-patch+json" },
    });
    expect(patched.status, patched.text).toBe(200);
    expect(await next()).toEqual({ step: "change", flagKeys: ["pack-flag"], reason: "DISABLED" });

    // 100 % of visitors are in the experiment: one exposure, sent and acknowledged.
    expect(await next()).toEqual({ step: "exposure", inExperiment: true, sentEvents: 1 });
    const stored = await server.request("GET", "/admin/events?projectKey=pack&environmentKey=production");
    expect(stored.body.counts).toEqual([expect.objectContaining({ kind: "exposure", count: 1 })]);
    const code = await new Promise((resolve) => child!.once("exit", resolve));
    expect(code).toBe(0);
  });
});
