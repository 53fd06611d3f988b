#!/usr/bin/env node
import fs from "node:fs/promises";
import { parseArgs } from "node:util";
import { runUserCommand, usersUsage } from "./accounts/users.command.js";
import { runAnalyzeCommand } from "./analyze/analyze.command.js";
import { openRoot } from "./composition.js";
import { resolveConfig } from "./config.js";
import { ensureDemoData } from "./demo/demo-project.js";
import {
  parseSimulateArguments,
  simulateDirect,
  simulateOverHttp,
  simulateUsage,
} from "./events/simulate.command.js";
import { openServer, openWorker } from "./server.js";
import { openConfigDatabase } from "./storage/database.js";
import { migrateToLatest } from "./storage/migrations.js";

const usage = `Usage: vexil <command> [options]

Commands:
  serve [--port 8420] [--host 127.0.0.1] [--data-dir ./data] [--database-url postgres://...] [--demo] [--no-workers]
        Start the server (env: VEXIL_PORT, VEXIL_HOST, VEXIL_DATA_DIR, VEXIL_DATABASE_URL, VEXIL_ADMIN_TOKEN).
        It also runs jobs and automation unless --no-workers (VEXIL_WORKERS=0): then run vexil worker.
  worker [--database-url postgres://...] [--data-dir DIR] [--admin-port PORT]
        Run jobs and automation without the public HTTP API (GET /healthz on --admin-port when given).
  token create --role reader|writer|admin [--project KEY] [--name NAME] [--data-dir DIR] [--database-url URL]
        Create an API token and print it (shown once).
${usersUsage}
  migrate [--data-dir DIR] [--database-url URL]
        Apply storage migrations and exit.
  simulate --project P --environment E --flag KEY --visitors N --goal GOAL --rates off=0.10,on=0.11 [...]
        Simulated traffic through the real engine, over HTTP or --direct into the store (vexil simulate --help).
  analyze [FILE|-] [--json] [--alpha 0.05] [--reference KEY] [--engine frequentist|bayesian] [--sequential]
          [--cuped] [--adjustment none|cuped|regression|post-stratification]
          [--correction none|bonferroni|holm|bh]
        Analyse per-variation statistics from a JSON or CSV file (or stdin) without a server (docs/analyze.md).
`;

const storageOptions = {
  "data-dir": { type: "string" },
  "database-url": { type: "string" },
} as const;

async function serve(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...storageOptions,
      port: { type: "string" },
      host: { type: "string" },
      demo: { type: "boolean" },
      "no-workers": { type: "boolean" },
    },
  });
  const config = resolveConfig({
    port: values.port === undefined ? undefined : Number(values.port),
    host: values.host,
    dataDir: values["data-dir"],
    databaseUrl: values["database-url"],
    workers: values["no-workers"] ? false : undefined,
  });
  const server = await openServer(config);
  const demo = values.demo ? await ensureDemoData(server.context) : undefined;
  const firstAdmin = await server.context.accounts.ensureFirstAdmin(config.adminEmail);
  const address = await server.app.listen({ port: config.port, host: config.host });

  const storage = config.databaseUrl ? "PostgreSQL" : `SQLite + DuckDB in ${config.dataDir}`;
  const lines = [
    ``,
    `Vexil is running at ${address}  (storage: ${storage})`,
    `  console:  ${address}/`,
    `  API docs: ${address}/docs`,
    config.workers
      ? `  jobs and automation: in this process`
      : `  jobs and automation: off here (run vexil worker)`,
  ];
  if (firstAdmin) {
    lines.push(`  sign in:  ${firstAdmin.email} / ${firstAdmin.password}  (first admin, shown once)`);
  }
  if (server.generatedAdminToken) {
    lines.push(`  admin token (shown once, stored hashed): ${server.generatedAdminToken}`);
  } else if (config.adminToken) {
    lines.push(`  admin token: the value of VEXIL_ADMIN_TOKEN`);
  } else {
    lines.push(
      `  admin token: shown on first start; create another with: npx vexil token create --role admin`,
    );
  }
  if (demo) {
    lines.push(`  demo project: siteCode/projectKey "demo" (environments development, staging, production)`);
    if (demo.created) {
      lines.push(
        `  demo flag "new_checkout": an A/B test in production with ${demo.events} simulated events`,
      );
    }
  }
  process.stdout.write(`${lines.join("\n")}\n\n`);

  onSignals(server.app.log, () => server.close());
  return new Promise<number>(() => {});
}

async function worker(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { ...storageOptions, "admin-port": { type: "string" } } });
  const config = resolveConfig({
    dataDir: values["data-dir"],
    databaseUrl: values["database-url"],
    adminPort: values["admin-port"] === undefined ? undefined : Number(values["admin-port"]),
  });
  const opened = await openWorker(config);
  const lines = [``, `Vexil worker ${opened.context.jobs.workerId} is running jobs and automation`];
  if (config.adminPort !== undefined) {
    const address = await opened.admin.listen({ port: config.adminPort, host: config.host });
    lines.push(`  health: ${address}/healthz`);
  }
  process.stdout.write(`${lines.join("\n")}\n\n`);
  onSignals(opened.admin.log, () => opened.close());
  return new Promise<number>(() => {});
}

/** Closes on SIGTERM/SIGINT, then exits. */
function onSignals(log: { info(object: object, message: string): void }, close: () => Promise<void>) {
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, "shutting down");
    close().then(
      () => process.exit(0),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

async function tokenCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== "create") {
    process.stderr.write(usage);
    return 2;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      ...storageOptions,
      role: { type: "string" },
      project: { type: "string" },
      name: { type: "string" },
    },
  });
  const role = values.role;
  if (role !== "reader" && role !== "writer" && role !== "admin") {
    process.stderr.write("--role must be reader, writer or admin\n");
    return 2;
  }
  // A one-shot command: the composition root without HTTP or background work.
  const server = await openRoot(
    resolveConfig({ dataDir: values["data-dir"], databaseUrl: values["database-url"] }),
    { logger: false },
  );
  try {
    const { token, record } = await server.context.services.tokens.create("cli", {
      name: values.name ?? `${role} token`,
      role,
      projectKey: values.project,
    });
    process.stdout.write(
      `${token}\n(id ${record.id}, OAuth client_id vexil-${record.id}, role ${role}${values.project ? `, project ${values.project}` : ""}; shown once)\n`,
    );
    return 0;
  } finally {
    await server.close();
  }
}

async function userCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { values } = parseArgs({ args: rest, options: storageOptions, strict: false });
  const dataDir = typeof values["data-dir"] === "string" ? values["data-dir"] : undefined;
  const databaseUrl = typeof values["database-url"] === "string" ? values["database-url"] : undefined;
  const storageFlags = new Set(["--data-dir", "--database-url"]);
  const own = rest.filter((arg, i) => !storageFlags.has(arg) && !storageFlags.has(rest[i - 1] ?? ""));
  // A one-shot command: the composition root without HTTP or background work.
  const server = await openRoot(resolveConfig({ dataDir, databaseUrl }), { logger: false });
  try {
    return await runUserCommand(sub, own, server.context.accounts, {
      stdout: process.stdout,
      stderr: process.stderr,
      readStdin: async () => {
        const chunks: Buffer[] = [];
        for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
        return Buffer.concat(chunks).toString("utf8");
      },
    });
  } finally {
    await server.close();
  }
}

async function migrate(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: storageOptions });
  const config = resolveConfig({ dataDir: values["data-dir"], databaseUrl: values["database-url"] });
  const database = openConfigDatabase(config);
  try {
    const applied = await migrateToLatest(database.db as never, database.dialect);
    process.stdout.write(applied.length ? `Applied: ${applied.join(", ")}\n` : "Already up to date\n");
    return 0;
  } finally {
    await database.close();
  }
}

async function simulate(args: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseSimulateArguments>;
  try {
    parsed = parseSimulateArguments(args, process.env);
  } catch (error) {
    process.stderr.write(`vexil simulate: ${(error as Error).message}\n\n${simulateUsage}\n`);
    return 2;
  }
  if (!parsed.direct) {
    const { events } = await simulateOverHttp(parsed);
    process.stdout.write(`Posted ${events} events to ${parsed.url}\n`);
    return 0;
  }
  // A one-shot command: the composition root without HTTP or background work.
  const server = await openRoot(resolveConfig({ dataDir: parsed.dataDir, databaseUrl: parsed.databaseUrl }), {
    logger: false,
  });
  try {
    const { events } = await simulateDirect(server.context, parsed);
    process.stdout.write(`Stored ${events} events\n`);
    return 0;
  } finally {
    await server.close();
  }
}

const analyze = (args: string[]) =>
  runAnalyzeCommand(args, {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    readFile: (path) => fs.readFile(path, "utf8"),
  });

const commands: Record<string, (args: string[]) => Promise<number>> = {
  serve,
  worker,
  token: tokenCommand,
  user: userCommand,
  migrate,
  analyze,
  simulate,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) {
    process.stderr.write(usage);
    return name === undefined || name === "help" || name === "--help" ? 0 : 2;
  }
  return command(args);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`vexil: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
