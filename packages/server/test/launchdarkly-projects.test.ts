import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectLaunchDarklyError, tokenWith } from "./fixtures/flag-test-helpers.js";
import { startTestServer, type TestServer } from "./harness.js";

// LaunchDarkly's project and environment create bodies (ProjectPost, EnvironmentPost) with their optional
// fields, as LaunchDarkly's API reference documents them; real storage underneath.

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

const ld = (method: string, url: string, body?: unknown, token?: string) =>
  server.request(method, url, {
    token: null,
    headers: { authorization: token ?? server.adminToken },
    ...(body !== undefined ? { body } : {}),
  });

describe("LaunchDarkly projects: ProjectPost's optional fields", () => {
  it("stores and returns them; environments come back as the array ProjectRep reads", async () => {
    const created = await ld("POST", "/api/v2/projects", {
      key: "shop",
      name: "Shop",
      tags: ["web", "team-a"],
      includeInSnippetByDefault: true,
      defaultClientSideAvailability: { usingEnvironmentId: true, usingMobileKey: false },
      namingConvention: { case: "kebabCase", prefix: "shop-" },
      environments: [
        {
          key: "prod",
          name: "Prod",
          color: "ff0000",
          tags: ["eu"],
          critical: true,
          requireComments: true,
          confirmChanges: true,
          defaultTtl: 5,
          defaultTrackEvents: true,
          secureMode: false,
        },
        { key: "dev", name: "Dev", color: "00ff00" },
      ],
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({
      key: "shop",
      name: "Shop",
      tags: ["web", "team-a"],
      includeInSnippetByDefault: true,
      defaultClientSideAvailability: { usingEnvironmentId: true, usingMobileKey: false },
    });
    expect(Array.isArray(created.body.environments)).toBe(true);
    const [prod, dev] = created.body.environments;
    expect(prod).toMatchObject({
      key: "prod",
      tags: ["eu"],
      critical: true,
      requireComments: true,
      confirmChanges: true,
      defaultTtl: 5,
      defaultTrackEvents: true,
      secureMode: false,
    });
    // Omitted options read as LaunchDarkly's defaults (critical only for "production").
    expect(dev).toMatchObject({ tags: [], critical: false, requireComments: false, defaultTtl: 0 });

    const read = await ld("GET", "/api/v2/projects/shop?expand=environments");
    expect(read.body.includeInSnippetByDefault).toBe(true);
    expect(read.body.environments.totalCount).toBe(2);
    expect(read.body.environments.items[0]).toEqual(prod);
  });

  it("creates an environment with EnvironmentPost's options", async () => {
    await ld("POST", "/api/v2/projects", { key: "envs", name: "Envs" });
    const created = await ld("POST", "/api/v2/projects/envs/environments", {
      key: "qa",
      name: "QA",
      color: "123456",
      tags: ["test"],
      critical: false,
      requireComments: true,
      defaultTtl: 10,
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ key: "qa", tags: ["test"], requireComments: true, defaultTtl: 10 });
    const read = await ld("GET", "/api/v2/projects/envs/environments/qa");
    expect(read.body).toEqual(created.body);
    // The Kameleoon dialect's environment body stays Vexil's own: LaunchDarkly's options are not part of it.
    const kameleoon = await server.request("POST", "/projects/envs/environments", {
      body: { key: "qa2", name: "QA2", requireComments: true },
    });
    expect(kameleoon.status).toBe(400);
  });

  it("refuses what it cannot honour with a 400 that says what, and creates nothing", async () => {
    const cases: [string, unknown, RegExp][] = [
      [
        "/api/v2/projects",
        { key: "p1", name: "P", environments: [{ key: "e", name: "E", secureMode: true }] },
        /body\.environments\.0\.secureMode: secure mode is not supported/,
      ],
      [
        "/api/v2/projects",
        { key: "p2", name: "P", namingConvention: { case: "shout" } },
        /namingConvention\.case/,
      ],
      ["/api/v2/projects", { key: "p3", name: "P", color: "x" }, /'color'/],
      [
        "/api/v2/projects/envs/environments",
        { key: "e2", name: "E", source: { key: "qa" } },
        /body\.source: creating an environment as a copy/,
      ],
      ["/api/v2/projects/envs/environments", { key: "e3", name: "E", defaultTtl: -1 }, /defaultTtl/],
    ];
    for (const [url, body, message] of cases) {
      expectLaunchDarklyError(await ld("POST", url, body), 400, "invalid_request", message);
    }
    for (const key of ["p1", "p2", "p3"])
      expect((await ld("GET", `/api/v2/projects/${key}`)).status).toBe(404);
    expect((await ld("GET", "/api/v2/projects/envs/environments/e2")).status).toBe(404);
  });

  it("lets only admins create projects and environments", async () => {
    const writer = await tokenWith(server, "writer");
    const reader = await tokenWith(server, "reader");
    for (const token of [writer, reader]) {
      expectLaunchDarklyError(
        await ld("POST", "/api/v2/projects", { key: "nope", name: "N" }, token),
        403,
        "forbidden",
      );
      expectLaunchDarklyError(
        await ld("POST", "/api/v2/projects/envs/environments", { key: "n", name: "N" }, token),
        403,
        "forbidden",
      );
    }
    expect((await ld("GET", "/api/v2/projects/envs", undefined, reader)).status).toBe(200);
  });
});
