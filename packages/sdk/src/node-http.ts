// Whole-body requests (events, evaluation reports, config polls) of the server client over node:http(s)
// with keep-alive connections. With tracking on at server rates the client POSTs a batch every few
// milliseconds, and fetch (undici) spends far more CPU on each (a Request object, the body encoded, copied
// and pulled through a web stream) than node:http, which writes the string to the socket
// (bench/engine-evaluation.bench.ts). The stream keeps using fetch.
//
// The modules are taken from process.getBuiltinModule (Node >= 20.16) rather than imported: the entry point
// must still bundle for browsers and type-check without Node's types; elsewhere the client uses fetch.

import type { HttpResponse, RequestOptions, Transport } from "./http.js";

// The parts of node:http(s) used here.
interface NodeResponse {
  statusCode?: number;
  rawHeaders: string[];
  complete: boolean;
  setEncoding(encoding: "utf8"): void;
  on(event: "data", listener: (chunk: string) => void): void;
  on(event: "end" | "close", listener: () => void): void;
  on(event: "error", listener: (error: Error) => void): void;
}
interface NodeRequest {
  on(event: "error", listener: (error: Error) => void): void;
  write(part: string): void;
  end(): void;
}
interface NodeAgent {
  destroy(): void;
}
interface NodeHttp {
  Agent: new (options: { keepAlive: boolean }) => NodeAgent;
  request(
    url: URL,
    options: {
      method: string;
      headers: Record<string, string | number>;
      agent: NodeAgent;
      signal?: AbortSignal;
    },
    onResponse: (response: NodeResponse) => void,
  ): NodeRequest;
}

interface NodeBuffer {
  byteLength(text: string): number;
}

function builtin<T>(id: string): T | undefined {
  const process = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return process?.getBuiltinModule?.(id) as T | undefined;
}

/** A node:http(s) transport with keep-alive connections, or undefined outside Node (>= 20.16). */
export function nodeTransport(): Transport | undefined {
  const http = builtin<NodeHttp>("node:http");
  const https = builtin<NodeHttp>("node:https");
  const buffer = builtin<{ Buffer: NodeBuffer }>("node:buffer");
  if (http === undefined || https === undefined || buffer === undefined) return undefined;
  const { Buffer } = buffer;
  // Idle keep-alive sockets are unref'd by the agent: they never hold the process open.
  const plain = new http.Agent({ keepAlive: true });
  const secure = new https.Agent({ keepAlive: true });
  return {
    send(url: string, options: RequestOptions): Promise<HttpResponse> {
      const target = new URL(url);
      const tls = target.protocol === "https:";
      const parts =
        options.body === undefined ? [] : typeof options.body === "string" ? [options.body] : options.body;
      const headers: Record<string, string | number> = { ...options.headers };
      if (options.body !== undefined) {
        let length = 0;
        for (const part of parts) length += Buffer.byteLength(part);
        headers["Content-Length"] = length;
      }
      return new Promise((resolve, reject) => {
        const request = (tls ? https : http).request(
          target,
          {
            method: options.method ?? "GET",
            headers,
            agent: tls ? secure : plain,
            ...(options.signal !== undefined ? { signal: options.signal } : {}),
          },
          (response) => {
            let text = "";
            response.setEncoding("utf8");
            response.on("data", (chunk) => {
              text += chunk;
            });
            response.on("error", reject);
            response.on("end", () => {
              const headers = new Headers();
              const raw = response.rawHeaders;
              for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
              resolve({ status: response.statusCode ?? 0, headers, text });
            });
            // Aborted or cut mid-body: "end" never comes.
            response.on("close", () => {
              if (!response.complete) reject(new Error("the connection closed before the response ended"));
            });
          },
        );
        request.on("error", reject);
        for (const part of parts) request.write(part);
        request.end();
      });
    },
    close(): void {
      plain.destroy();
      secure.destroy();
    },
  };
}
