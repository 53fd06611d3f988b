// LaunchDarkly's Node server SDK quick-start, unmodified except for three URLs: it evaluates a Vexil flag,
// prints its value again on every change Vexil streams to it, and sends a `track` call that Vexil's results
// count as a conversion when a goal has that event key (docs/launchdarkly-sdks.md).
//
//   npx tsx examples/launchdarkly-quickstart.ts --url http://127.0.0.1:8420 --sdk-key <server-side SDK key> \
//     --flag <feature key> [--context user-1] [--event purchase]
//
// The server-side SDK key is the environment's `serverSdkKey` (GET /projects/{projectKey}). Stop with Ctrl-C.

import { parseArgs } from "node:util";
import { basicLogger, init } from "@launchdarkly/node-server-sdk";

const { values } = parseArgs({
  options: {
    url: { type: "string", default: "http://127.0.0.1:8420" },
    "sdk-key": { type: "string" },
    flag: { type: "string" },
    context: { type: "string", default: "user-1" },
    event: { type: "string", default: "purchase" },
  },
});
const sdkKey = values["sdk-key"];
const flagKey = values.flag;
if (!sdkKey || !flagKey) {
  console.error("usage: --url <vexil> --sdk-key <server-side SDK key> --flag <feature key>");
  process.exit(2);
}

const client = init(sdkKey, {
  baseUri: values.url,
  streamUri: values.url,
  eventsUri: values.url,
  logger: basicLogger({ level: "warn" }),
});
await client.waitForInitialization({ timeout: 10 });

const context = { kind: "user", key: values.context };
const show = async () => {
  const detail = await client.variationDetail(flagKey, context, null);
  console.log(`${new Date().toISOString()} ${flagKey} = ${JSON.stringify(detail.value)}`, detail.reason);
};
await show();
client.on(`update:${flagKey}`, () => {
  show().catch((error) => console.error(error));
});

client.track(values.event, context, undefined, 1);
await client.flush();
console.log(`sent a '${values.event}' event; watching ${flagKey} for changes (Ctrl-C to stop)`);
process.on("SIGINT", () => {
  client.close();
  process.exit(0);
});
