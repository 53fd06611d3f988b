import {
  ExperimentsApi,
  FeatureFlagsApi,
  MetricsApi,
  ProjectsApi,
  Configuration as V17,
} from "launchdarkly-api-typescript";
import {
  ExperimentsBetaApi as ExperimentsV7,
  FeatureFlagsApi as FeatureFlagsV7,
  Configuration as V7,
} from "launchdarkly-api-typescript-v7";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { simulateTraffic } from "../src/events/simulator.js";
import { compileEnvironmentPayload } from "../src/flags/compile-payload.js";
import type { J } from "./fixtures/flag-test-helpers.js";
import { ClientModels } from "./fixtures/launchdarkly-client-models.js";
import { startTestServer, type TestServer } from "./harness.js";

// Conformance with LaunchDarkly's official TypeScript REST client, both lines (17.x current; 7.x, the last
// with the legacy per-flag results and their reset), over real HTTP. A LaunchDarkly-only script: create a
// project and a flag, list flags, read variation ids and the flag version, create a metric and an experiment,
// start an iteration, read results, stop it. Every answer is checked against the model the client types it
// with: every field that model names (and the models nested in it), presence and type.

const HOUR = 3_600_000;
const T0 = Date.UTC(2025, 2, 3, 9, 0, 0);
let clock = T0;
let server: TestServer;
const v17 = new ClientModels("launchdarkly-api-typescript");
const v7 = new ClientModels("launchdarkly-api-typescript-v7");
/** operation -> [status, model, fields checked]: printed as the run's table. */
const table: [string, number, string, number][] = [];

/** Checks an answer's status and its body against the client's model; records the count. */
function conforms(
  models: ClientModels,
  operation: string,
  response: { status: number; data: unknown },
  status: number,
  model: string,
) {
  expect(response.status, operation).toBe(status);
  const result = models.check(response.data, model);
  expect(result.errors, `${operation} as ${model}`).toEqual([]);
  table.push([operation, response.status, model, result.checked]);
  return response.data as J;
}

beforeAll(async () => {
  server = await startTestServer({ listen: true, now: () => clock });
});
afterAll(async () => {
  console.log(
    ["operation | status | model | fields checked", ...table.map((row) => row.join(" | "))].join("\n"),
    `\ntotal: ${table.length} operations, ${table.reduce((s, r) => s + r[3], 0)} field checks`,
  );
  await server?.close();
});

describe("launchdarkly-api-typescript 17.x (the current client)", () => {
  it("runs a LaunchDarkly-only experiment from an empty project to a stopped iteration", async () => {
    const configuration = new V17({ apiKey: server.adminToken, basePath: server.baseUrl });
    const projects = new ProjectsApi(configuration);
    const flags = new FeatureFlagsApi(configuration);
    const metrics = new MetricsApi(configuration);
    const experiments = new ExperimentsApi(configuration);
    const semantic = {
      headers: { "Content-Type": "application/json; domain-model=launchdarkly.semanticpatch" },
    };

    conforms(
      v17,
      "postProject",
      await projects.postProject({
        key: "shop",
        name: "Shop",
        tags: ["web"],
        includeInSnippetByDefault: false,
      }),
      201,
      "ProjectRep",
    );
    conforms(v17, "getProject", await projects.getProject("shop", "environments"), 200, "Project");
    conforms(
      v17,
      "postFeatureFlag",
      await flags.postFeatureFlag("shop", {
        key: "checkout",
        name: "Checkout",
        variations: [
          { value: "control", name: "Control" },
          { value: "treatment", name: "Treatment" },
        ],
        defaults: { onVariation: 0, offVariation: 0 },
      }),
      201,
      "FeatureFlag",
    );
    const list = conforms(
      v17,
      "getFeatureFlags",
      await flags.getFeatureFlags("shop", undefined, undefined, 20, 0, undefined, false),
      200,
      "FeatureFlags",
    );
    expect(list.items.map((f: { key: string }) => f.key)).toEqual(["checkout"]);
    const flag = conforms(
      v17,
      "getFeatureFlag",
      await flags.getFeatureFlag("shop", "checkout"),
      200,
      "FeatureFlag",
    );
    const [control, treatment] = flag.variations.map((v: { _id: string }) => v._id);
    const patched = conforms(
      v17,
      "patchFeatureFlag",
      await flags.patchFeatureFlag("shop", "checkout", {
        comment: "tag it",
        patch: [
          { op: "test", path: "/_version", value: flag._version },
          { op: "add", path: "/tags/-", value: "checkout" },
        ],
      }),
      200,
      "FeatureFlag",
    );
    expect(patched._version).toBe(flag._version + 1);
    const metric = conforms(
      v17,
      "postMetric",
      await metrics.postMetric("shop", {
        key: "purchase",
        name: "Purchase",
        kind: "custom",
        eventKey: "purchase",
      }),
      201,
      "MetricRep",
    );
    conforms(v17, "getMetric", await metrics.getMetric("shop", "purchase"), 200, "MetricRep");

    const created = conforms(
      v17,
      "createExperiment",
      await experiments.createExperiment("shop", "production", {
        key: "checkout-test",
        name: "Checkout test",
        iteration: {
          hypothesis: "The treatment converts better",
          metrics: [{ key: "purchase" }],
          primarySingleMetricKey: "purchase",
          treatments: [
            {
              name: "Control",
              baseline: true,
              allocationPercent: "50",
              parameters: [{ flagKey: "checkout", variationId: control }],
            },
            {
              name: "Treatment",
              baseline: false,
              allocationPercent: "50",
              parameters: [{ flagKey: "checkout", variationId: treatment }],
            },
          ],
          flags: { checkout: { ruleId: "fallthrough", flagConfigVersion: patched._version } },
        },
      }),
      201,
      "Experiment",
    );
    expect(created.currentIteration.status).toBe("not_started");
    const started = conforms(
      v17,
      "patchExperiment(startIteration)",
      await experiments.patchExperiment(
        "shop",
        "production",
        "checkout-test",
        { comment: "go", instructions: [{ kind: "startIteration" }] },
        semantic,
      ),
      200,
      "Experiment",
    );
    expect(started.currentIteration.status).toBe("running");

    // Traffic through the environment's real payload: treatment converts at 15 %, control at 10 %.
    const payload = await compileEnvironmentPayload(server.context, "shop", "production");
    for (const batch of simulateTraffic({
      payload,
      featureKey: "checkout",
      visitors: 4000,
      goalId: Number(metric._id),
      rates: { control: 0.1, treatment: 0.15 },
      seed: 7,
      end: T0 + 2 * HOUR,
      days: 1 / 24,
      batchSize: 5000,
    })) {
      await server.context.analytics.append(batch.events);
    }
    clock = T0 + 3 * HOUR;

    const results = conforms(
      v17,
      "getExperimentResults",
      await experiments.getExperimentResults(
        "shop",
        "production",
        "checkout-test",
        "purchase",
        undefined,
        "traffic",
      ),
      200,
      "ExperimentBayesianResultsRep",
    );
    const units = results.treatmentResults.map((t: { units: number; traffic: number }) => [
      t.units,
      t.traffic,
    ]);
    expect(units.reduce((s: number, [u]: number[]) => s + u!, 0)).toBe(4000);
    for (const [u, traffic] of units) expect(traffic).toBe(u);
    const iterationId = started.currentIteration._id;
    conforms(
      v17,
      "getExperimentResults(iterationId)",
      await experiments.getExperimentResults("shop", "production", "checkout-test", "purchase", iterationId),
      200,
      "ExperimentBayesianResultsRep",
    );

    const winner = started.currentIteration.treatments.find(
      (t: { name: string }) => t.name === "Treatment",
    )._id;
    const stopped = conforms(
      v17,
      "patchExperiment(stopIteration)",
      await experiments.patchExperiment(
        "shop",
        "production",
        "checkout-test",
        {
          instructions: [
            { kind: "stopIteration", winningTreatmentId: winner, winningReason: "Converts better" },
          ],
        },
        semantic,
      ),
      200,
      "Experiment",
    );
    expect(stopped.currentIteration).toMatchObject({ status: "stopped", winningTreatmentId: winner });
    const read = conforms(
      v17,
      "getExperiment",
      await experiments.getExperiment(
        "shop",
        "production",
        "checkout-test",
        "previousIterations,secondaryMetrics,treatments",
      ),
      200,
      "Experiment",
    );
    expect(read._maintainerId).toBeTypeOf("string");
    const copy = conforms(
      v17,
      "copyFeatureFlag",
      await flags.copyFeatureFlag("shop", "checkout", {
        source: { key: "production" },
        target: { key: "staging" },
        comment: "promote",
      }),
      201,
      "FeatureFlag",
    );
    expect(copy.environments.staging.on).toBe(copy.environments.production.on);
    const deleted = await flags.deleteFeatureFlag("shop", "checkout");
    expect(deleted.status).toBe(204);
  });

  it("answers errors as LaunchDarkly's {code, message} through the client", async () => {
    const flags = new FeatureFlagsApi(new V17({ apiKey: server.adminToken, basePath: server.baseUrl }));
    const missing = await flags.getFeatureFlag("shop", "nope").catch((error) => error.response);
    expect(missing.status).toBe(404);
    expect(missing.data).toEqual({ code: "not_found", message: expect.stringContaining("nope") });
    const unauthorized = await new FeatureFlagsApi(new V17({ apiKey: "wrong", basePath: server.baseUrl }))
      .getFeatureFlags("shop")
      .catch((error) => error.response);
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.data.code).toBe("unauthorized");
  });
});

describe("launchdarkly-api-typescript 7.x (legacy per-flag results and reset)", () => {
  it("reads flags, attaches a metric, reads legacy results and resets them", async () => {
    const configuration = new V7({ apiKey: server.adminToken, basePath: server.baseUrl });
    const flags = new FeatureFlagsV7(configuration);
    const experiments = new ExperimentsV7(configuration);
    await new ProjectsApi(new V17({ apiKey: server.adminToken, basePath: server.baseUrl })).postProject({
      key: "legacy",
      name: "Legacy",
    });
    await new FeatureFlagsApi(
      new V17({ apiKey: server.adminToken, basePath: server.baseUrl }),
    ).postFeatureFlag("legacy", { key: "banner", name: "Banner" });
    const metric = await new MetricsApi(
      new V17({ apiKey: server.adminToken, basePath: server.baseUrl }),
    ).postMetric("legacy", { key: "click", kind: "custom", eventKey: "click" });

    const list = conforms(
      v7,
      "v7 getFeatureFlags",
      await flags.getFeatureFlags("legacy", undefined, undefined, 20, 0, undefined, false),
      200,
      "FeatureFlags",
    );
    expect(list.items).toHaveLength(1);
    const flag = conforms(
      v7,
      "v7 getFeatureFlag",
      await flags.getFeatureFlag("legacy", "banner"),
      200,
      "FeatureFlag",
    );
    conforms(
      v7,
      "v7 patchFeatureFlag",
      await flags.patchFeatureFlag("legacy", "banner", {
        comment: "measure clicks",
        patch: [
          {
            op: "add",
            path: "/experiments/items/-",
            value: { metricKey: "click", environments: ["production"] },
          },
          { op: "replace", path: "/environments/production/on", value: true },
        ].slice(0, 1),
      }),
      200,
      "FeatureFlag",
    );
    await flags.patchFeatureFlag("legacy", "banner", {
      patch: [{ op: "replace", path: "/environments/production/on", value: true }],
    });
    expect(flag.variations).toHaveLength(2);

    const payload = await compileEnvironmentPayload(server.context, "legacy", "production");
    for (const batch of simulateTraffic({
      payload,
      featureKey: "banner",
      visitors: 1000,
      goalId: Number(metric.data._id),
      rates: { on: 0.2, off: 0.2 },
      seed: 3,
      end: clock,
      days: 1 / 24,
      batchSize: 5000,
    })) {
      await server.context.analytics.append(batch.events);
    }
    const results = conforms(
      v7,
      "v7 getExperiment (legacy results)",
      await experiments.getExperiment("legacy", "banner", "production", "click"),
      200,
      "ExperimentResultsRep",
    );
    expect(
      results.totals.reduce(
        (s: number, t: { cumulativeImpressionCount: number }) => s + t.cumulativeImpressionCount,
        0,
      ),
    ).toBe(1000);
    expect(results.series.every((slice: object) => "Time" in slice && "VariationData" in slice)).toBe(true);
    const reset = await experiments.resetExperiment("legacy", "banner", "production", "click");
    expect(reset.status).toBe(204);
    const after = conforms(
      v7,
      "v7 getExperiment (after reset)",
      await experiments.getExperiment("legacy", "banner", "production", "click"),
      200,
      "ExperimentResultsRep",
    );
    expect(
      after.totals.every((t: { cumulativeImpressionCount: number }) => t.cumulativeImpressionCount === 0),
    ).toBe(true);
  });
});
