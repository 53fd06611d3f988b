import { describe, expect, it } from "vitest";
import { isValidTimeZone, parseInstant, parseIsoDateTime, zoneOffsetAt } from "./time.js";

const utc = (iso: string) => Date.parse(iso); // only ever given strings with Z here

describe("ISO parsing", () => {
  it("reads absolute instants whatever the zone argument", () => {
    expect(parseInstant("2024-05-01T10:00:00Z", "Asia/Tokyo")).toBe(utc("2024-05-01T10:00:00Z"));
    expect(parseInstant("2024-05-01T12:00:00+02:00", "America/New_York")).toBe(utc("2024-05-01T10:00:00Z"));
    expect(parseInstant("2024-05-01T05:30-0430")).toBe(utc("2024-05-01T10:00:00Z"));
    expect(parseInstant("2024-05-01T10:00:00.123456Z")).toBe(utc("2024-05-01T10:00:00.123Z"));
    expect(parseInstant("2024-05-01")).toBe(utc("2024-05-01T00:00:00Z"));
    expect(parseInstant("2024-05-01 10:00")).toBe(utc("2024-05-01T10:00:00Z"));
  });

  it("rejects malformed and impossible dates", () => {
    for (const bad of [
      "",
      "2024",
      "2024-13-01",
      "2023-02-29T00:00:00Z",
      "2024-04-31",
      "2024-01-01T24:00:00Z",
      "2024-01-01T10:60Z",
      "yesterday",
      "2024-01-01T10:00:00+25:00",
    ]) {
      expect([bad, parseIsoDateTime(bad)]).toEqual([bad, undefined]);
    }
    expect(parseIsoDateTime("2024-02-29")).toBeDefined();
    expect(Number.isNaN(parseInstant(1714557600000))).toBe(true);
  });
});

describe("time zones", () => {
  it("knows zones and offsets, including half-hour ones", () => {
    expect(isValidTimeZone("Europe/Paris")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus_Mons")).toBe(false);
    expect(zoneOffsetAt(utc("2024-01-15T12:00:00Z"), "Europe/Paris")).toBe(3_600_000);
    expect(zoneOffsetAt(utc("2024-07-15T12:00:00Z"), "Europe/Paris")).toBe(7_200_000);
    expect(zoneOffsetAt(utc("2024-07-15T12:00:00Z"), "Asia/Kolkata")).toBe(19_800_000);
    expect(zoneOffsetAt(utc("2024-07-15T12:00:00Z"), "America/St_Johns")).toBe(-9_000_000);
  });

  it("reads wall-clock times in a zone", () => {
    expect(parseInstant("2024-01-15T12:00:00", "Europe/Paris")).toBe(utc("2024-01-15T11:00:00Z"));
    expect(parseInstant("2024-07-15T12:00:00", "Europe/Paris")).toBe(utc("2024-07-15T10:00:00Z"));
    expect(parseInstant("2024-01-01T00:00:00", "Asia/Kolkata")).toBe(utc("2023-12-31T18:30:00Z"));
    expect(parseInstant("2024-01-01T00:00:00", "Pacific/Kiritimati")).toBe(utc("2023-12-31T10:00:00Z"));
  });

  it("moves a wall time in a spring-forward gap forward by the gap", () => {
    // Paris 2024-03-31: 02:00 CET -> 03:00 CEST; 02:30 does not exist and becomes 03:30 CEST.
    expect(parseInstant("2024-03-31T02:30:00", "Europe/Paris")).toBe(utc("2024-03-31T01:30:00Z"));
    // New York 2024-03-10: 02:00 EST -> 03:00 EDT.
    expect(parseInstant("2024-03-10T02:15:00", "America/New_York")).toBe(utc("2024-03-10T07:15:00Z"));
    // Lord Howe moves by 30 minutes: 02:00 (+10:30) -> 02:30 (+11); 02:15 becomes 02:45 (+11).
    expect(parseInstant("2024-10-06T02:15:00", "Australia/Lord_Howe")).toBe(utc("2024-10-05T15:45:00Z"));
  });

  it("takes the earlier instant for an ambiguous fall-back wall time", () => {
    // Paris 2024-10-27: 03:00 CEST -> 02:00 CET; 02:30 happens twice, first at 00:30Z.
    expect(parseInstant("2024-10-27T02:30:00", "Europe/Paris")).toBe(utc("2024-10-27T00:30:00Z"));
    // New York 2024-11-03: 02:00 EDT -> 01:00 EST; 01:30 first happens at 05:30Z.
    expect(parseInstant("2024-11-03T01:30:00", "America/New_York")).toBe(utc("2024-11-03T05:30:00Z"));
    // Just outside the transitions nothing moves.
    expect(parseInstant("2024-10-27T03:00:00", "Europe/Paris")).toBe(utc("2024-10-27T02:00:00Z"));
    expect(parseInstant("2024-03-31T03:00:00", "Europe/Paris")).toBe(utc("2024-03-31T01:00:00Z"));
  });
});
