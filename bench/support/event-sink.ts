// A local HTTP endpoint for SDKs that send events, in a child process so that receiving costs nothing on the
// process being measured (neither its wall time nor its CPU time: process.cpuUsage() counts every thread of
// a process, a worker thread included). It answers 202 to every POST (counting requests and bytes), serves a
// JSON document per GET path (configuration polling), 404 for other paths, and reports its counters on
// GET /_counters.

import { spawn } from "node:child_process";
import { once } from "node:events";

/** Counters of what the sink received. */
export interface SinkCounters {
  requests: number;
  bytes: number;
}

/** A running sink. */
export interface EventSink {
  url: string;
  port: number;
  counters(): Promise<SinkCounters>;
  close(): Promise<void>;
}

const SINK = `
const http = require("node:http");
const documents = JSON.parse(process.env.SINK_DOCUMENTS);
let requests = 0, bytes = 0;
const server = http.createServer((req, res) => {
  if (req.method === "GET") {
    if (req.url === "/_counters") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ requests, bytes }));
      return;
    }
    const path = req.url.split("?")[0];
    const document = documents[path];
    if (document === undefined) res.writeHead(404).end();
    else res.writeHead(200, { "content-type": "application/json" }).end(document);
    return;
  }
  req.on("data", (chunk) => { bytes += chunk.length; });
  req.on("end", () => { requests++; res.writeHead(202).end(); });
});
server.keepAliveTimeout = 60000;
server.listen(0, "127.0.0.1", () => process.stdout.write(server.address().port + "\\n"));
process.stdin.on("end", () => process.exit(0)); // the parent went away
process.stdin.resume();
`;

/** Starts a sink; `documents` are the bodies of GET requests, by path. */
export async function startEventSink(documents: Record<string, unknown>): Promise<EventSink> {
  const texts = Object.fromEntries(Object.entries(documents).map(([path, d]) => [path, JSON.stringify(d)]));
  const child = spawn(process.execPath, ["-e", SINK], {
    env: { ...process.env, NODE_OPTIONS: "", SINK_DOCUMENTS: JSON.stringify(texts) },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("\n")) resolve(Number(out.trim()));
    });
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`event sink exited (${code})`)));
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    counters: async () => (await (await fetch(`${url}/_counters`)).json()) as SinkCounters,
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, "exit");
      child.stdin.end();
      await exited;
    },
  };
}
