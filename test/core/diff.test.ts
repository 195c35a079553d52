import { describe, expect, it } from "vitest";
import { canonicalJson, diffEntries, fnv1a64, holdCheck } from "../../functions/src/core/diff.ts";
import type { AggregateEntry, Entry, EntryChanges } from "../../functions/src/core/model.ts";

function report(date: string, count: number, firstSeenAt = "2025-08-01T10:00:00.000Z"): AggregateEntry {
  return {
    mode: "aggregate",
    key: `na-pau~${date}`,
    unitId: "na-pau",
    row: 2,
    enteredAt: `${date}T09:00:00+07:00`,
    firstSeenAt,
    reportDate: date,
    counts: { signature: count },
    reporter: "Trưởng thôn",
    note: "",
  };
}
const base = { campaignId: "cho-don", unitId: "na-pau", reason: "sync sheets/na-pau.xlsx" };
const now = new Date("2025-08-05T03:00:00Z");

describe("diffEntries", () => {
  it("creates, updates, deletes and leaves unchanged entries alone", () => {
    const stored = [report("2025-07-29", 5), report("2025-07-31", 9), report("2025-08-04", 12)];
    const incoming = [
      report("2025-07-29", 5, "2025-08-05T03:00:00.000Z"),
      report("2025-07-31", 10, "2025-08-05T03:00:00.000Z"),
      report("2025-08-05", 15, "2025-08-05T03:00:00.000Z"),
    ];
    const { changes, audit } = diffEntries({ ...base, stored, incoming, now });
    expect(changes.unchanged).toBe(1);
    expect(changes.deletes).toEqual(["na-pau~2025-08-04"]);
    expect(changes.upserts.map((e) => [e.key, e.firstSeenAt])).toEqual([
      ["na-pau~2025-07-31", "2025-08-01T10:00:00.000Z"],
      ["na-pau~2025-08-05", "2025-08-05T03:00:00.000Z"],
    ]);
    expect(audit.map((a) => [a.entryKey, a.action, a.before !== null, a.after !== null])).toEqual([
      ["na-pau~2025-07-31", "update", true, true],
      ["na-pau~2025-08-05", "create", false, true],
      ["na-pau~2025-08-04", "delete", true, false],
    ]);
    for (const a of audit) {
      expect(a).toMatchObject({
        campaignId: "cho-don",
        unitId: "na-pau",
        at: now.toISOString(),
        reason: base.reason,
      });
      expect(a.id).toMatch(
        new RegExp(`^${a.entryKey}~${a.action}~${now.getTime().toString(36)}~[0-9a-f]{16}$`),
      );
    }
  });

  it("keeps a change repeated later as separate audit records (A→B, B→A, A→B)", () => {
    const a = report("2025-07-29", 5);
    const b = report("2025-07-29", 6);
    const t = [now, new Date(now.getTime() + 60_000), new Date(now.getTime() + 120_000)];
    const ids = [
      diffEntries({ ...base, stored: [a], incoming: [b], now: t[0]! }).audit[0]!.id,
      diffEntries({ ...base, stored: [b], incoming: [a], now: t[1]! }).audit[0]!.id,
      diffEntries({ ...base, stored: [a], incoming: [b], now: t[2]! }).audit[0]!.id,
    ];
    expect(new Set(ids).size).toBe(3);
    // A retry of the same sync (same time, same change) lands on the same record.
    expect(diffEntries({ ...base, stored: [a], incoming: [b], now: t[0]! }).audit[0]!.id).toBe(ids[0]);
  });

  it("does not care about key order", () => {
    const stored = report("2025-07-29", 5);
    const reordered = Object.fromEntries(Object.entries(report("2025-07-29", 5, "later")).reverse()) as Entry;
    const { changes, audit } = diffEntries({ ...base, stored: [stored], incoming: [reordered], now });
    expect(changes).toEqual({ unitId: "na-pau", upserts: [], deletes: [], unchanged: 1 });
    expect(audit).toEqual([]);
  });

  it("gives a retried write (same sync) the same audit ids, and a different change another id", () => {
    const input = { ...base, stored: [report("2025-07-29", 5)], incoming: [report("2025-07-29", 6)] };
    const first = diffEntries({ ...input, now });
    const retry = diffEntries({ ...input, now });
    expect(retry.audit.map((a) => a.id)).toEqual(first.audit.map((a) => a.id));
    const other = diffEntries({ ...input, incoming: [report("2025-07-29", 7)], now });
    expect(other.audit[0]!.id).not.toBe(first.audit[0]!.id);
  });

  it("counts a key repeated in the sheet once (the first row)", () => {
    const a = report("2025-07-29", 5);
    const b = { ...report("2025-07-29", 8), row: 9 };
    const { changes } = diffEntries({ ...base, stored: [], incoming: [a, b], now });
    expect(changes.upserts).toEqual([a]);
  });
});

describe("canonicalJson and fnv1a64", () => {
  it("sorts keys at every depth and keeps array order", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
  });

  it.each([
    ["", "cbf29ce484222325"],
    ["a", "af63dc4c8601ec8c"],
    ["foobar", "85944171f73967e8"],
  ])("fnv1a64(%j) = %s", (text, hash) => {
    expect(fnv1a64(text)).toBe(hash);
  });

  it("hashes Vietnamese text by its UTF-8 bytes", () => {
    expect(fnv1a64("Đồng Nguyên")).toBe(fnv1a64("Đồng Nguyên".normalize("NFC")));
    expect(fnv1a64("Đồng Nguyên")).not.toBe(fnv1a64("Đông Nguyên"));
  });
});

describe("holdCheck", () => {
  const changes = (deletes: number): EntryChanges => ({
    unitId: "na-pau",
    upserts: [],
    deletes: Array.from({ length: deletes }, (_, i) => `k${i}`),
    unchanged: 0,
  });
  it.each([
    [20, 18, 0.5, true],
    [20, 10, 0.5, false],
    [20, 11, 0.5, true],
    [4, 4, 0.5, false],
    [5, 3, 0.5, true],
    [100, 100, 1, false],
    [10, 1, 0, true],
    [10, 0, 0, false],
  ])("%d stored, %d deleted, threshold %d → hold %s", (stored, deleted, threshold, hold) => {
    expect(holdCheck(stored, changes(deleted), threshold).hold).toBe(hold);
  });

  it("explains the hold in Vietnamese", () => {
    expect(holdCheck(20, changes(18), 0.5).message).toBe(
      "Bảng tính của đơn vị bị xóa 18/20 dòng cùng lúc; dữ liệu cũ được giữ nguyên cho đến khi có xác nhận.",
    );
    expect(holdCheck(20, changes(2), 0.5).message).toBeNull();
  });
});
