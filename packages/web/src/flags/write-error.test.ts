import { describe, expect, it } from "vitest";
import { explainWriteFailure } from "./write-error.js";

describe("explainWriteFailure", () => {
  it("names the automation holding a locked flag and when it lets go", () => {
    // The message as http/write-guards.ts words a 423.
    const failure = explainWriteFailure(
      423,
      "Feature flag 'x' is locked by 'automation:rollback' until 2026-12-07T17:05:30.000Z while it applies an automatic change; retry later",
      { timeZone: "UTC" },
    );
    expect(failure).toEqual({
      title: "Automation holds this flag",
      message:
        "A rollback condition was met and automation is turning a rule or the environment off, so your change was not saved. It holds the flag until 17:05:30 at the latest. Reload once it is done and make your change again.",
      reload: true,
    });
    expect(
      explainWriteFailure(423, "locked by 'automation:bandit' until 2026-12-07T17:05:30Z", {
        timeZone: "UTC",
      }).message,
    ).toMatch(/^The multi-armed bandit is re-allocating/);
  });

  it("still explains a lock by a holder it does not know, or a message it cannot read", () => {
    expect(explainWriteFailure(423, "locked by 'ops-script' until soon").message).toMatch(
      /^Automation \('ops-script'\) is changing this flag, so your change was not saved\. Reload/,
    );
    expect(explainWriteFailure(423, "Locked").message).toMatch(/^Automation \('unknown'\)/);
  });

  it("offers a reload for a conflict and passes other errors through", () => {
    expect(explainWriteFailure(409, "version mismatch")).toMatchObject({
      title: "Someone else changed this flag",
      reload: true,
    });
    // A 409 of a write without If-Match (create, duplicate) is a taken key, in the server's words.
    const taken = "body.featureKey: feature flag 'x' already exists in project 'demo'";
    expect(explainWriteFailure(409, taken, { versioned: false })).toEqual({
      title: "Not saved",
      message: taken,
      reload: false,
    });
    expect(explainWriteFailure(400, "rolloutRules.0.exposition: must be <= 100")).toEqual({
      title: "Not saved",
      message: "rolloutRules.0.exposition: must be <= 100",
      reload: false,
    });
  });
});
