import { describe, expect, it } from "vitest";
import type { Webhook } from "../api/types.js";
import { webhookPatch } from "./webhook-patch.js";
import { newStatement, toDraft, toStatements } from "./webhook-statements.js";

const current: Webhook = {
  _links: {},
  _id: "7",
  name: "Deploy log",
  url: "https://hooks.example.com/a",
  secret: "s3cret",
  sign: true,
  on: true,
  tags: [],
  statements: [],
};

describe("webhook form", () => {
  it("patches every field, keeps the secret when the field is blank, and removes a cleared name", () => {
    const ops = webhookPatch(current, { url: "https://hooks.example.com/b", sign: true, on: false });
    expect(ops).toEqual([
      { op: "add", path: "/url", value: "https://hooks.example.com/b" },
      { op: "add", path: "/sign", value: true },
      { op: "add", path: "/on", value: false },
      { op: "add", path: "/tags", value: [] },
      { op: "add", path: "/statements", value: [] },
      { op: "remove", path: "/name" },
    ]);
    expect(webhookPatch(current, { url: current.url, name: "Ops", secret: "new" }).slice(-2)).toEqual([
      { op: "add", path: "/name", value: "Ops" },
      { op: "add", path: "/secret", value: "new" },
    ]);
    // A webhook without a name has nothing to remove.
    const { _links, _id, url, sign, on, tags, statements } = current;
    const unnamed: Webhook = { _links, _id, url, sign, on, tags, statements };
    expect(webhookPatch(unnamed, { url: current.url }).some((op) => op.path === "/name")).toBe(false);
  });

  it("edits policy statements as lists that match or exclude, and sends them as the API takes them", () => {
    const stored = [
      { effect: "deny" as const, notResources: ["proj/demo:env/production:flag/*"], actions: ["updateOn"] },
      { effect: "allow" as const, resources: ["proj/demo:env/*:flag/*"], notActions: ["update*"] },
    ];
    const drafts = stored.map(toDraft);
    expect(drafts[0]).toEqual({
      effect: "deny",
      resourcesMode: "notResources",
      resources: ["proj/demo:env/production:flag/*"],
      actionsMode: "actions",
      actions: ["updateOn"],
    });
    // Round trip: what the form sends is what was stored.
    expect(toStatements(drafts)).toEqual(stored);
    expect(toStatements([newStatement("shop")])).toEqual([
      { effect: "allow", resources: ["proj/shop:env/*:flag/*"], actions: ["*"] },
    ]);
    expect(toStatements([])).toEqual([]);
  });

  it("says which statement misses resources or actions instead of sending it", () => {
    const ok = newStatement("demo");
    expect(toStatements([ok, { ...ok, resources: [] }])).toEqual({
      problem: "Statement 2 needs at least one resource.",
    });
    expect(toStatements([{ ...ok, actions: [] }])).toEqual({
      problem: "Statement 1 needs at least one action.",
    });
  });
});
