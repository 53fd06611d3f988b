// Issue 15, "done means": LaunchDarkly's Node quick-start program (examples/launchdarkly-quickstart.ts: init
// with the SDK key and three URLs, waitForInitialization, variation, track, flush), run as a user would in a
// child process against a real Vexil server, prints the value Vexil answers for its context, prints the new
// one after a toggle, and its exposure and track() call show in the flag's results. On the suite's storage.

import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportAroundNow } from "../src/results/results-simulation.test-support.js";
import { startTestServer, type TestServer } from "./harness.js";

const EXAMPLE = path.resolve(import.meta.dirname, "../../../examples/launchdarkly-quickstart.ts");

let server: TestServer;
let child: ChildProcess | undefined;

async function ok(method: string, url: string, body?: unknown) {
  const response = await server.request(method, url, body === undefined ? {} : { body });
  if (response.status >= 300) throw new Error(`${method} ${url}: ${response.status} ${response.text}`);
  return response.body;
}

beforeAll(async () => {
  server = await startTestServer({ listen: true });
});

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child!.once("exit", resolve));
    child.kill("SIGINT");
    await exited;
  }
  await server?.close();
});

describe("LaunchDarkly's Node quick-start pointed at Vexil", () => {
  it("prints Vexil's value, follows a toggle, and its track() call shows in results", async () => {
    await ok("POST", "/projects", { key: "quick", name: "Quick" });
    const goal = await ok("POST", "/goals", { siteCode: "quick", name: "Purchase", key: "purchase" });
    const flag = await ok("POST", "/feature-flags", {
      siteCode: "quick",
      featureKey: "checkout",
      name: "Checkout",
      bucketingMode: "LAUNCHDARKLY",
      primaryGoalId: goal.id,
      environmentConfigurations: [
        {
          environmentKey: "production",
          featureEnabled: true,
          defaultVariationKey: "off",
          rolloutRules: [
            {
              type: "EXPERIMENTATION",
              exposition: 100,
              state: "ACTIVE",
              trafficAllocations: [
                { variationKey: "off", exposition: 50 },
                { variationKey: "on", exposition: 50 },
              ],
            },
          ],
        },
      ],
    });
    const env = (await ok("GET", "/projects/quick")).environments.find(
      (e: { key: string }) => e.key === "production",
    );
    // What Vexil answers for the program's context (user-1), as the console's preview and OFREP do.
    const ofrep = await fetch(`${server.baseUrl}/ofrep/v1/evaluate/flags/checkout`, {
      method: "POST",
      headers: { authorization: `Bearer ${env.serverSdkKey}`, "content-type": "application/json" },
      body: JSON.stringify({ context: { targetingKey: "user-1" } }),
    });
    const expected = ((await ofrep.json()) as { value: boolean; variant: string }) ?? {};

    child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        EXAMPLE,
        "--url",
        server.baseUrl,
        "--sdk-key",
        env.serverSdkKey,
        "--flag",
        "checkout",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let errors = "";
    child.stderr!.on("data", (chunk) => {
      errors += String(chunk);
    });
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    const nextLine = async () => {
      const { value, done } = await lines.next();
      if (done) throw new Error(`the program ended: ${errors}`);
      return value as string;
    };
    expect(await nextLine()).toMatch(new RegExp(` checkout = ${expected.value} `));
    expect(await nextLine()).toBe("sent a 'purchase' event; watching checkout for changes (Ctrl-C to stop)");

    // A toggle in the console (the same PATCH) reaches the program over its stream: off answers false.
    await ok("PATCH", "/feature-flags/quick/checkout/production", { featureEnabled: false });
    expect(await nextLine()).toMatch(/ checkout = false /);

    // Its one exposure and its one purchase, in the variation it was shown.
    const done = await reportAroundNow(server, flag.id);
    const shown = flag.variations.find((v: { key: string }) => v.key === expected.variant);
    const general = done.data.variationData[String(shown.id)].generalData;
    expect([general.visitorCount, general.goalsData[String(goal.id)].conversionCount]).toEqual([1, 1]);
    expect(errors).toBe("");
  });
});
