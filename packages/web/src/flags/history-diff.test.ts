import { expect, it } from "vitest";
import { diffJson } from "./history-diff.js";

it("lists leaf changes with paths, matching keyed array items by key and ignoring version noise", () => {
  const before = {
    name: "Checkout",
    version: 3,
    environmentConfigurations: [
      { environmentKey: "staging", featureEnabled: false },
      { environmentKey: "production", featureEnabled: false, rolloutRules: [{ id: 7, exposition: 50 }] },
    ],
  };
  const after = {
    name: "Checkout",
    version: 4,
    environmentConfigurations: [
      { environmentKey: "production", featureEnabled: true, rolloutRules: [{ id: 7, exposition: 100 }] },
      { environmentKey: "staging", featureEnabled: false },
    ],
  };
  expect(diffJson(before, after)).toEqual([
    {
      path: "environmentConfigurations[environmentKey=production].featureEnabled",
      before: false,
      after: true,
    },
    {
      path: "environmentConfigurations[environmentKey=production].rolloutRules[id=7].exposition",
      before: 50,
      after: 100,
    },
  ]);
});

it("shows a created document as every field going from nothing to its value", () => {
  expect(diffJson(undefined, { name: "x", tags: ["a"] })).toEqual([
    { path: "", before: undefined, after: { name: "x", tags: ["a"] } },
  ]);
  expect(diffJson({}, { name: "x", tags: ["a"] })).toEqual([
    { path: "name", before: undefined, after: "x" },
    { path: "tags", before: undefined, after: ["a"] },
  ]);
});
