import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDemoProject } from "../src/demo/demo-project.js";
import {
  checkCallbackUrl,
  guardConnectedSocket,
  guardedLookup,
  isBlockedAddress,
  RefusedCallbackTarget,
} from "../src/http/callback-target.js";
import type { Job } from "../src/jobs/job-runner.js";
import { postJson } from "../src/notifications/signed-delivery.js";
import { projectsStore } from "../src/projects/projects.store.js";
import {
  CALLBACK_RETRY_WINDOW_MS,
  callbackRetryDelayMs,
  RESULTS_CALLBACK_KIND,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
} from "../src/results/callback.js";
import {
  createExperiment,
  type ExperimentSetup,
  simulateInto,
  waitForReport,
} from "../src/results/results-simulation.test-support.js";
import { startTestServer, type TestServer, testDatabaseKind } from "./harness.js";

const DAY = 86_400_000;
const NOW = Date.now();
let offset = 0;
let server: TestServer;
let experiment: ExperimentSetup;

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}
const received: Received[] = [];
/** Status codes the receiver answers, in order; 200 once they run out. */
const answers: number[] = [];
let receiver: http.Server;
let hookUrl: string;

async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs = 20_000) {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  receiver = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      received.push({ headers: request.headers, body });
      response.statusCode = answers.shift() ?? 200;
      response.end("ok");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  server = await startTestServer({
    now: () => Date.now() + offset,
    env: { VEXIL_CALLBACK_ALLOW_PRIVATE: "true", VEXIL_JOBS_POLL_MS: "50" },
  });
  await ensureDemoProject(server.context);
  experiment = await createExperiment(server, { featureKey: "hooked", goals: [{ name: "Purchase" }] });
  await simulateInto(server.context, {
    featureKey: "hooked",
    visitors: 5000,
    seed: 3,
    goals: [{ goalId: experiment.goalIds[0]!, rates: { off: 0.1, on: 0.12 } }],
  });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

const body = (extra: Record<string, unknown> = {}) => ({
  dateIntervals: [{ start: new Date(NOW - 30 * DAY).toISOString(), end: new Date(NOW + DAY).toISOString() }],
  conversionType: "CONVERTED_VISITS",
  visitorData: true,
  ...extra,
});

function verify(secret: string, delivery: Received) {
  const signature = String(delivery.headers[SIGNATURE_HEADER]);
  expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
  const expected = `sha256=${createHmac("sha256", secret).update(delivery.body).digest("hex")}`;
  expect(timingSafeEqual(Buffer.from(signature), Buffer.from(expected))).toBe(true);
  const parsed = JSON.parse(delivery.body);
  expect(String(parsed.timestamp)).toBe(String(delivery.headers[TIMESTAMP_HEADER]));
  return parsed;
}

describe(`results callbacks (${testDatabaseKind})`, () => {
  it("POSTs the finished report to callbackUrl, signed, and retries a failed delivery with backoff", async () => {
    answers.push(500);
    const response = await server.request("POST", `/feature-flags/${experiment.flagId}/results`, {
      body: body({ callbackUrl: hookUrl }),
    });
    expect(response.status, response.text).toBe(200);
    const { dataCode } = response.body;
    const report = await waitForReport(server, dataCode);
    expect(report.status).toBe("READY");
    await waitUntil(() => received.length >= 1);
    const secret = (await projectsStore.callbackSecret(server.context.db, "demo"))!;
    const first = verify(secret, received[0]!);
    expect(first).toMatchObject({ dataCode, status: "READY", progress: 100 });
    // The failed delivery waits ~10 s on the server's clock.
    let job: Job | undefined;
    await waitUntil(async () => {
      job = (await server.context.db
        .selectFrom("jobs")
        .select("id")
        .where("kind", "=", RESULTS_CALLBACK_KIND)
        .where("key", "like", `${dataCode}:%`)
        .executeTakeFirst()) as Job | undefined;
      const current = job && (await server.context.jobs.get(job.id));
      return current?.status === "PENDING" && current.error === "callback answered HTTP 500";
    });
    const waiting = (await server.context.jobs.get(job!.id))!;
    expect(waiting.runAfter - server.context.now()).toBeGreaterThan(5000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received).toHaveLength(1);
    offset += 11_000;
    server.context.jobs.wake();
    await waitUntil(() => received.length >= 2);
    const second = verify(secret, received[1]!);
    expect(second.status).toBe("READY");
    expect(
      second.data.variationData[String(experiment.variationIds.on)].generalData.visitorCount,
    ).toBeGreaterThan(0);
    expect(second.data).toEqual(report.data);
    expect(received[1]!.headers["content-type"]).toBe("application/json");
    await waitUntil(async () => (await server.context.jobs.get(job!.id))?.status === "READY");
    // A tampered body does not verify.
    const tampered = { ...received[1]!, body: received[1]!.body.replace('"READY"', '"FAILED"') };
    expect(() => verify(secret, tampered)).toThrow();
  });

  it("delivers again when the same request asks again with its callback", async () => {
    const before = received.length;
    const response = await server.request("POST", `/feature-flags/${experiment.flagId}/results`, {
      body: body({ callbackUrl: hookUrl }),
    });
    expect(response.status).toBe(200);
    await waitUntil(() => received.length > before);
    const secret = (await projectsStore.callbackSecret(server.context.db, "demo"))!;
    expect(verify(secret, received[received.length - 1]!).dataCode).toBe(response.body.dataCode);
  });

  it("gives up after 24 hours of failed deliveries, and at once for a refused target", () => {
    const job = { createdAt: 0, maxAttempts: 1000 } as Job;
    expect(callbackRetryDelayMs(1, new Error("500"), job, 0)).toBe(10_000);
    expect(callbackRetryDelayMs(2, new Error("500"), job, 10_000)).toBe(20_000);
    expect(callbackRetryDelayMs(20, new Error("500"), job, 3_600_000)).toBe(3_600_000);
    expect(callbackRetryDelayMs(30, new Error("500"), job, CALLBACK_RETRY_WINDOW_MS - 1000)).toBeNull();
    expect(callbackRetryDelayMs(1, new RefusedCallbackTarget("private"), job, 0)).toBeNull();
  });
});

describe("callback targets", () => {
  const strict = { allowPrivate: false, allowedHosts: [] as string[] };

  it("refuses private, loopback, link-local and unspecified addresses (IPv4 and IPv6)", () => {
    for (const address of [
      "10.0.0.1",
      "10.255.255.255",
      "172.16.0.1",
      "172.31.255.1",
      "192.168.1.1",
      "127.0.0.1",
      "127.8.9.10",
      "169.254.169.254",
      "0.0.0.0",
      "::1",
      "::",
      "fc00::1",
      "fd12:3456::1",
      "fe80::1",
      "::ffff:127.0.0.1",
      "::ffff:10.0.0.1",
      // IPv6 forms that embed a private or loopback IPv4 address (issue 13, finding 8).
      "::127.0.0.1",
      "::7f00:1",
      "::ffff:0:127.0.0.1",
      "::ffff:0:a00:1",
      "64:ff9b::7f00:1",
      "64:ff9b::10.0.0.1",
      "64:ff9b:1::a00:1",
      "2002:7f00:1::1",
      "2002:c0a8:101::",
      "2001:0:7f00:1::1",
      "2001:0:4136:e378:8000:63bf:80ff:fffe",
      "fe80::1%eth0",
      "ff02::1",
      "224.0.0.1",
    ]) {
      expect(isBlockedAddress(address), address).toBe(true);
    }
    for (const address of [
      "8.8.8.8",
      "172.32.0.1",
      "192.169.0.1",
      "1.1.1.1",
      "2001:4860:4860::8888",
      "::ffff:8.8.8.8",
      "64:ff9b::808:808",
      "2002:808:808::1",
    ]) {
      expect(isBlockedAddress(address), address).toBe(false);
    }
  });

  it("checks the URL and what its host resolves to, unless configuration allows it", async () => {
    await expect(checkCallbackUrl("http://127.0.0.1/x", strict)).rejects.toThrow(/body\.callbackUrl/);
    await expect(checkCallbackUrl("http://[fe80::1]/x", strict)).rejects.toThrow(/body\.callbackUrl/);
    for (const url of [
      "http://[::127.0.0.1]/",
      "http://[64:ff9b::7f00:1]/",
      "http://[::ffff:0:127.0.0.1]/",
    ]) {
      await expect(checkCallbackUrl(url, strict), url).rejects.toThrow(/body\.callbackUrl/);
    }
    await expect(checkCallbackUrl("http://localhost:8080/x", strict)).rejects.toThrow(/resolves to/);
    await expect(checkCallbackUrl("http://user:pw@8.8.8.8/x", strict)).rejects.toThrow(/credentials/);
    await expect(checkCallbackUrl("file:///etc/passwd", strict)).rejects.toThrow(/http/);
    await expect(checkCallbackUrl("http://does-not-exist.invalid/x", strict)).rejects.toThrow(/resolved/);
    await expect(checkCallbackUrl("https://8.8.8.8/hook", strict)).resolves.toBeInstanceOf(URL);
    await expect(
      checkCallbackUrl("http://127.0.0.1/x", { allowPrivate: true, allowedHosts: [] }),
    ).resolves.toBeInstanceOf(URL);
    await expect(
      checkCallbackUrl("http://localhost:8080/x", { allowPrivate: false, allowedHosts: ["localhost"] }),
    ).resolves.toBeInstanceOf(URL);
  });

  it("refuses at connect time a host that resolves to a private address", async () => {
    const lookup = guardedLookup(strict);
    const error = await new Promise<Error | null>((resolve) => lookup("localhost", {}, (e) => resolve(e)));
    expect(error).toBeInstanceOf(RefusedCallbackTarget);
    const allowed = guardedLookup({ allowPrivate: false, allowedHosts: ["localhost"] });
    const address = await new Promise<string>((resolve, reject) =>
      allowed("localhost", {}, (e, a) => (e ? reject(e) : resolve(String(a)))),
    );
    expect(isBlockedAddress(address)).toBe(true);
  });

  it("never sends a byte to a private address however the URL spells it", async () => {
    const port = (receiver.address() as AddressInfo).port;
    const before = received.length;
    for (const host of ["localhost", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "127.1"]) {
      const attempt = postJson({
        url: new URL(`http://${host}:${port}/hook`),
        body: "{}",
        headers: {},
        policy: strict,
        signal: AbortSignal.timeout(10_000),
        label: "callback",
      });
      await expect(attempt, host).rejects.toBeInstanceOf(RefusedCallbackTarget);
    }
    expect(received.length).toBe(before);
  });

  it("drops a socket that connected to a private address whatever name it was opened for", async () => {
    const port = (receiver.address() as AddressInfo).port;
    const before = received.length;
    const socket = net.connect({ host: "127.0.0.1", port });
    // As if a public name had led here: the connected address is what is judged.
    guardConnectedSocket(socket, new URL("http://public.example/hook"), strict);
    socket.write("POST /hook HTTP/1.1\r\nhost: x\r\ncontent-length: 0\r\n\r\n");
    const error = await new Promise<Error>((resolve) => socket.on("error", resolve));
    expect(error).toBeInstanceOf(RefusedCallbackTarget);
    expect(received.length).toBe(before);
  });

  it("answers 400 for a private callbackUrl when configuration does not allow it", async () => {
    const strictServer = await startTestServer();
    try {
      await ensureDemoProject(strictServer.context);
      const flag = await createExperiment(strictServer, { featureKey: "strict", goals: [{ name: "G" }] });
      for (const url of [
        hookUrl,
        "http://192.168.0.10/hook",
        "http://[::1]:8080/hook",
        "http://[::127.0.0.1]/",
        "http://[64:ff9b::7f00:1]/",
        "http://169.254.169.254/",
      ]) {
        const response = await strictServer.request("POST", `/feature-flags/${flag.flagId}/results`, {
          body: body({ callbackUrl: url }),
        });
        expect(response.status, url).toBe(400);
        expect(response.body.message as string).toMatch(/body\.callbackUrl/);
      }
      const allowedNow = (await strictServer.request("GET", "/results?dataCode=1")).status;
      expect(allowedNow).toBe(404);
    } finally {
      await strictServer.close();
    }
  });
});
