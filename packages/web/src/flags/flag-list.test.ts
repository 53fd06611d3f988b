import { describe, expect, it } from "vitest";
import { defaultFilters, isFiltered, isProduction, listQuery } from "./flag-list.js";

describe("flag list query", () => {
  it("sends every filter to the server, the environment ones for the environment shown", () => {
    const query = listQuery("shop", "production", {
      ...defaultFilters,
      tag: " checkout ",
      health: "STALE",
      enabled: "off",
      ruleType: "EXPERIMENTATION",
      page: 3,
    });
    expect(query).toEqual({
      siteCode: "shop",
      page: 3,
      perPage: 50,
      archived: "false",
      sort: "name",
      tags: "checkout",
      health: "STALE",
      environmentKey: "production",
      enabled: "false",
      ruleType: "EXPERIMENTATION",
    });
  });

  it("leaves the environment out when no environment filter is chosen", () => {
    const query = listQuery("shop", "production", defaultFilters);
    expect(query).not.toHaveProperty("environmentKey");
    expect(query).not.toHaveProperty("enabled");
    expect(query).not.toHaveProperty("ruleType");
  });

  it("searches key, name and description with one OR filter", () => {
    const query = listQuery("shop", "production", { ...defaultFilters, search: " pay " });
    expect(JSON.parse(query.filter as string)).toEqual({
      conditionalOperator: "OR",
      expressions: ["featureKey", "name", "description"].map((field) => ({
        field,
        operator: "CONTAINS",
        parameters: ["pay"],
      })),
    });
  });

  it("tells a filtered empty list from an empty project", () => {
    expect(isFiltered(defaultFilters)).toBe(false);
    expect(isFiltered({ ...defaultFilters, enabled: "on" })).toBe(true);
    expect(isFiltered({ ...defaultFilters, archived: "all" })).toBe(true);
  });

  it("asks before switching production, by key or name", () => {
    expect(isProduction({ key: "production" })).toBe(true);
    expect(isProduction({ key: "live", name: "Prod EU" })).toBe(true);
    expect(isProduction({ key: "staging", name: "Staging" })).toBe(false);
  });
});
