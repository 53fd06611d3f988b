// A local HTTP endpoint for SDKs that send events, in a worker thread so that receiving costs nothing on the
// thread being measured. It answers 202 to every POST (counting requests and bytes), serves a JSON document
// per GET path (configuration polling), 404 for other paths, and reports its counters on GET /_counters.

import { Worker } from "node:worker_threads";

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

const WORKER = `
const http = require("node:http");
const { parentPort, workerData } = require("node:worker_threads");
let requests = 0, bytes = 0;
const server = http.createServer((req, res) => {
  if (req.method === "GET") {
    if (req.url === "/_counters") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ requests, bytes }));
      return;
    }
    const path = req.url.split("?")[0];
    const document = workerData.documents[path];
    if (document === undefined) res.writeHead(404).end();
    else res.writeHead(200, { "content-type": "application/json" }).end(document);
    return;
  }
  req.on("data", (chunk) => { bytes += chunk.length; });
  req.on("end", () => { requests++; res.writeHead(202).end(); });
});
server.keepAliveTimeout = 60000;
server.listen(0, "127.0.0.1", () => parentPort.postMessage(server.address().port));
`;

/** Starts a sink; `documents` are the bodies of GET requests, by path. */
export async function startEventSink(documents: Record<string, unknown>): Promise<EventSink> {
  const texts = Object.fromEntries(Object.entries(documents).map(([path, d]) => [path, JSON.stringify(d)]));
  const worker = new Worker(WORKER, { eval: true, workerData: { documents: texts } });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    counters: async () => (await (await fetch(`${url}/_counters`)).json()) as SinkCounters,
    close: async () => {
      await worker.terminate();
    },
  };
}
