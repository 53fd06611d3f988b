import { parseArgs } from "node:util";
import type { EvaluationPayload } from "@vexil/engine";
import type { AnalyticsEvent } from "../analytics/analytics-store.js";
import type { WireEvent } from "../analytics/event-schema.js";
import type { AppContext } from "../app-context.js";
import { compileEnvironmentPayload } from "../flags/compile-payload.js";
import { findGoalById, findGoalByKey } from "../goals/goals.service.js";
import { rateProblems, simulateTraffic } from "./simulator.js";

export const simulateUsage = `vexil simulate --project P --environment E --flag KEY --visitors N --goal GOAL
               --rates off=0.10,on=0.11 [--values MEAN,SD] [--days 14] [--seed 1]
               [--url http://127.0.0.1:8420 --token TOKEN | --direct [--data-dir DIR] [--database-url URL]]
  Evaluates N simulated visitors through the engine and draws conversions of GOAL (id or key) from the
  true rates per variation. Posts events to the running server over HTTP (token: VEXIL_TOKEN or --token),
  or with --direct writes them straight into the analytics store (stop an embedded server first).`;

export interface SimulateArguments {
  project: string;
  environment: string;
  flag: string;
  visitors: number;
  goal: string;
  rates: Record<string, number>;
  values: { mean: number; sd: number } | undefined;
  days: number;
  seed: number;
  direct: boolean;
  url: string;
  token: string | undefined;
  dataDir: string | undefined;
  databaseUrl: string | undefined;
}

function positiveNumber(value: string | undefined, name: string, fallback?: number): number {
  if (value === undefined) {
    if (fallback === undefined) throw new Error(`--${name} is required`);
    return fallback;
  }
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`--${name} must be a positive number`);
  return parsed;
}

/** Parses and checks the command line; throws an Error whose message is the usage problem. */
export function parseSimulateArguments(args: string[], env: NodeJS.ProcessEnv): SimulateArguments {
  const { values } = parseArgs({
    args,
    options: {
      project: { type: "string" },
      environment: { type: "string" },
      flag: { type: "string" },
      visitors: { type: "string" },
      goal: { type: "string" },
      rates: { type: "string" },
      values: { type: "string" },
      days: { type: "string" },
      seed: { type: "string" },
      direct: { type: "boolean" },
      url: { type: "string" },
      token: { type: "string" },
      "data-dir": { type: "string" },
      "database-url": { type: "string" },
    },
  });
  for (const name of ["project", "environment", "flag", "goal", "rates"] as const) {
    if (!values[name]) throw new Error(`--${name} is required`);
  }
  const rates: Record<string, number> = {};
  for (const pair of (values.rates as string).split(",")) {
    const [key, rate] = pair.split("=");
    if (!key || rate === undefined || !Number.isFinite(Number(rate))) {
      throw new Error(`--rates must look like off=0.10,on=0.11 (got '${pair}')`);
    }
    rates[key.trim()] = Number(rate);
  }
  let valueDistribution: SimulateArguments["values"];
  if (values.values) {
    const [mean, sd] = values.values.split(",").map(Number);
    if (!Number.isFinite(mean) || !Number.isFinite(sd) || (sd as number) < 0) {
      throw new Error("--values must be MEAN,SD with SD >= 0");
    }
    valueDistribution = { mean: mean as number, sd: sd as number };
  }
  const visitors = positiveNumber(values.visitors, "visitors");
  if (!Number.isInteger(visitors)) throw new Error("--visitors must be a whole number");
  return {
    project: values.project as string,
    environment: values.environment as string,
    flag: values.flag as string,
    visitors,
    goal: values.goal as string,
    rates,
    values: valueDistribution,
    days: positiveNumber(values.days, "days", 14),
    seed: Math.trunc(positiveNumber(values.seed, "seed", 1)),
    direct: values.direct ?? false,
    url: (values.url ?? env.VEXIL_URL ?? "http://127.0.0.1:8420").replace(/\/$/, ""),
    token: values.token ?? env.VEXIL_TOKEN,
    dataDir: values["data-dir"],
    databaseUrl: values["database-url"],
  };
}

/** The wire form of an event for POST /events/v1/bulk: conversions name their goal as given. */
export function toWireEvent(event: AnalyticsEvent, goal: string): WireEvent {
  if (event.kind === "exposure") {
    const { projectKey: _p, environmentKey: _e, ...rest } = event;
    return rest;
  }
  const { projectKey: _p, environmentKey: _e, goalId: _g, ...rest } = event;
  return { ...rest, goal: /^\d+$/.test(goal) ? Number(goal) : goal };
}

async function fetchJson(url: string, headers: Record<string, string>): Promise<unknown> {
  const response = await fetch(url, { headers });
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

/** Progress on stderr, redrawn in place. */
function progress(done: number, total: number): void {
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stderr.write(`\r[${"#".repeat(filled)}${" ".repeat(width - filled)}] ${done}/${total} visitors`);
}

/** Posts simulated traffic to a running server, batch by batch, with a progress bar. */
export async function simulateOverHttp(args: SimulateArguments): Promise<{ events: number }> {
  if (!args.token) throw new Error("--token (or VEXIL_TOKEN) is required to read the flag over HTTP");
  const admin = { authorization: `Bearer ${args.token}` };
  const environment = (await fetchJson(
    `${args.url}/projects/${args.project}/environments/${args.environment}`,
    admin,
  )) as {
    serverSdkKey: string;
  };
  const sdk = { authorization: environment.serverSdkKey };
  const payload = (await fetchJson(`${args.url}/sdk/v1/config`, sdk)) as EvaluationPayload;
  const problems = rateProblems(payload, args.flag, args.rates);
  if (problems.length > 0) throw new Error(problems.join("; "));
  let events = 0;
  for (const { events: batch, visitorsDone } of simulateTraffic({
    ...simulationOf(args, payload),
    goalId: 0,
  })) {
    const response = await fetch(`${args.url}/events/v1/bulk`, {
      method: "POST",
      headers: {
        ...sdk,
        "content-type": "application/json",
        "x-vexil-payload-id": `sim-${args.seed}-${events}`,
      },
      body: JSON.stringify(batch.map((event) => toWireEvent(event, args.goal))),
    });
    if (response.status !== 202)
      throw new Error(`POST /events/v1/bulk answered ${response.status}: ${await response.text()}`);
    events += batch.length;
    progress(visitorsDone, args.visitors);
  }
  process.stderr.write("\n");
  return { events };
}

/** The simulation options a parsed command line stands for. */
export function simulationOf(args: SimulateArguments, payload: EvaluationPayload) {
  return {
    payload,
    featureKey: args.flag,
    visitors: args.visitors,
    rates: args.rates,
    values: args.values,
    days: args.days,
    end: Date.now(),
    seed: args.seed,
  };
}

/** Writes simulated traffic straight into the analytics store of an opened server context. */
export async function simulateDirect(
  context: AppContext,
  args: SimulateArguments,
  options: { quiet?: boolean } = {},
): Promise<{ events: number }> {
  const goal = /^\d+$/.test(args.goal)
    ? await findGoalById(context, Number(args.goal))
    : await findGoalByKey(context, args.project, args.goal);
  if (!goal || goal.projectKey !== args.project)
    throw new Error(`goal '${args.goal}' not found in project '${args.project}'`);
  const payload = await compileEnvironmentPayload(context, args.project, args.environment);
  const problems = rateProblems(payload, args.flag, args.rates);
  if (problems.length > 0) throw new Error(problems.join("; "));
  let events = 0;
  for (const { events: batch, visitorsDone } of simulateTraffic({
    ...simulationOf(args, payload),
    end: context.now(),
    goalId: goal.id,
    batchSize: 10_000,
  })) {
    await context.analytics.append(batch);
    events += batch.length;
    if (!options.quiet) progress(visitorsDone, args.visitors);
  }
  if (!options.quiet) process.stderr.write("\n");
  return { events };
}
