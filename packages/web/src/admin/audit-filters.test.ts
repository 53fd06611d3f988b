import { describe, expect, it } from "vitest";
import { auditQuery, nextDay } from "./audit-filters.js";

const blank = { resourceType: null, resourceId: "", actor: "", from: "", to: "", limit: 50, offset: 0 };

describe("audit filters", () => {
  it("leaves blank filters out of the query", () => {
    expect(auditQuery(blank)).toEqual({ limit: 50, offset: 0 });
    expect(auditQuery({ ...blank, resourceId: "  ", actor: " ada " })).toEqual({
      limit: 50,
      offset: 0,
      actor: "ada",
    });
  });

  it("includes both days: to is the next day's midnight, which the API excludes", () => {
    const query = auditQuery({ ...blank, from: "2026-03-29", to: "2026-03-29" });
    // The span is one calendar day in the browser's zone (23, 24 or 25 hours around DST changes).
    expect(query.from).toBe(new Date(2026, 2, 29).toISOString());
    expect(query.to).toBe(new Date(2026, 2, 30).toISOString());
  });

  it("steps over month and year ends", () => {
    expect(nextDay("2026-02-28")).toBe("2026-03-01");
    expect(nextDay("2028-02-28")).toBe("2028-02-29");
    expect(nextDay("2026-12-31")).toBe("2027-01-01");
  });
});
