// Payloads shared by the SDK tests.

import type { CompiledFlag, EvaluationPayload } from "@vexil/engine";

/** A flag with an experimentation rule taking everyone, split 50/50 between "a" and "b". */
export function experimentFlag(overrides: Partial<CompiledFlag> = {}): CompiledFlag {
  return {
    id: 1,
    key: "checkout",
    version: 1,
    enabled: true,
    defaultVariationKey: "off",
    variables: [
      { key: "color", type: "STRING", value: "grey" },
      { key: "discount", type: "NUMBER", value: "0" },
      { key: "express", type: "BOOLEAN", value: "false" },
      { key: "layout", type: "JSON", value: '{"columns":1}' },
    ],
    variations: [
      { key: "off", variables: [] },
      {
        key: "a",
        variables: [
          { key: "color", type: "STRING", value: "blue" },
          { key: "discount", type: "NUMBER", value: "10" },
        ],
      },
      {
        key: "b",
        variables: [
          { key: "color", type: "STRING", value: "green" },
          { key: "express", type: "BOOLEAN", value: "true" },
          { key: "layout", type: "JSON", value: '{"columns":2}' },
        ],
      },
    ],
    rules: [
      {
        id: 11,
        type: "EXPERIMENTATION",
        exposition: 100,
        state: "ACTIVE",
        experimentId: 501,
        trafficAllocations: [
          { variationKey: "a", exposition: 50 },
          { variationKey: "b", exposition: 50 },
        ],
      },
    ],
    ...overrides,
  };
}

/** A flag delivering "on" to the French segment (id 7). */
export function targetedFlag(overrides: Partial<CompiledFlag> = {}): CompiledFlag {
  return {
    id: 2,
    key: "banner",
    version: 1,
    enabled: true,
    defaultVariationKey: "off",
    variables: [{ key: "text", type: "STRING", value: "Hello" }],
    variations: [
      { key: "off", variables: [] },
      { key: "on", variables: [{ key: "text", type: "STRING", value: "Bonjour" }] },
    ],
    rules: [
      {
        id: 21,
        type: "TARGETED_DELIVERY",
        exposition: 100,
        state: "ACTIVE",
        segmentId: 7,
        variationKey: "on",
      },
    ],
    ...overrides,
  };
}

/** A flag turned off in the environment. */
export function disabledFlag(): CompiledFlag {
  return {
    id: 3,
    key: "legacy",
    version: 1,
    enabled: false,
    defaultVariationKey: "on",
    variables: [],
    variations: [
      { key: "off", variables: [] },
      { key: "on", variables: [] },
    ],
    rules: [],
  };
}

/** The sample environment: checkout (experiment), banner (targeted to FR), legacy (disabled). */
export function samplePayload(version = 1): EvaluationPayload {
  return {
    version,
    projectKey: "shop",
    environmentKey: "production",
    flags: { checkout: experimentFlag(), banner: targetedFlag(), legacy: disabledFlag() },
    segments: {
      "7": { id: 7, condition: { attribute: "country", operator: "equals", values: ["FR"] } },
    },
  };
}
