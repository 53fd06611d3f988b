/** Code that evaluates one flag, for the flag page and onboarding: Node SDK, OpenFeature and OFREP curl. */
export function flagSnippets(input: {
  origin: string;
  featureKey: string;
  serverSdkKey: string;
  clientSdkKey: string;
}): { label: string; language: string; code: string }[] {
  const { origin, featureKey, serverSdkKey, clientSdkKey } = input;
  const key = JSON.stringify(featureKey);
  return [
    {
      label: "Node SDK",
      language: "ts",
      code: `import { createClient } from "@vexil/sdk";

const vexil = createClient({ baseUrl: "${origin}", sdkKey: "${serverSdkKey}" });
await vexil.ready();
const variation = vexil.getVariationKey(${key}, { visitorCode: "user-42" });`,
    },
    {
      label: "OpenFeature",
      language: "ts",
      code: `import { OpenFeature } from "@openfeature/server-sdk";
import { VexilProvider } from "@vexil/sdk/openfeature";

await OpenFeature.setProviderAndWait(new VexilProvider({ baseUrl: "${origin}", sdkKey: "${serverSdkKey}" }));
const client = OpenFeature.getClient();
const variation = await client.getStringValue(${key}, "off", { targetingKey: "user-42" });`,
    },
    {
      label: "OFREP (curl)",
      language: "sh",
      code: `curl -X POST ${origin}/ofrep/v1/evaluate/flags/${encodeURIComponent(featureKey)} \\
  -H "Authorization: ${clientSdkKey}" -H "Content-Type: application/json" \\
  -d '{"context":{"targetingKey":"user-42"}}'`,
    },
  ];
}
