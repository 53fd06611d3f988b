import { describe, expect, it } from "vitest";
import type { Webhook } from "../api/types.js";
import { parseStatements, webhookPatch } from "./webhook-patch.js";

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

  it("reads policy statements as a JSON array, blank as none, and names what is wrong", () => {
    expect(parseStatements("  ")).toEqual([]);
    expect(parseStatements('[{"effect":"allow","resources":["proj/*:env/*:flag/*"]}]')).toEqual([
      { effect: "allow", resources: ["proj/*:env/*:flag/*"] },
    ]);
    expect(parseStatements("[{")).toBe("Not valid JSON");
    expect(parseStatements('{"effect":"allow"}')).toBe("Policy statements are a JSON array");
  });
});
