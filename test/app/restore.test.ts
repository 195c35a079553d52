// Issue 8 point 5, second half: `dondoc restore --unit ID --at TIME` rebuilds a unit's entries as they were, from
// the audit trail. The restore is itself audited (so reversible), idempotent, and not undone by the next sync:
// the unit stays held until its sheet holds the rows again or a leader confirms.
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeIdHasher } from "../../functions/src/adapters/crypto/hmac.ts";
import { FirestoreStore } from "../../functions/src/adapters/firestore/store.ts";
import { pickInputWorksheet, XlsxSheetSource } from "../../functions/src/adapters/xlsx/sheet-source.ts";
import { loadCampaignFolder } from "../../functions/src/app/campaign-folder.ts";
import { entriesAt, planRestore, RESTORED_HOLD_CODE, restoreUnit } from "../../functions/src/app/restore.ts";
import { type CycleResult, runSyncCycle } from "../../functions/src/app/sync.ts";
import { diffEntries } from "../../functions/src/core/diff.ts";
import type { AuditRecord, Entry } from "../../functions/src/core/model.ts";
import type { Campaign, Unit } from "../../schemas/index.ts";
import { dondoc } from "../cli/support.ts";
import { at, helped } from "../support/cho-don-mail.ts";
import { startTestFirestore, type TestFirestore } from "../support/firestore.ts";

/** Empties a workbook's data rows from sheet row `fromRow` on, as a unit selecting them and pressing Delete. */
async function emptyRows(file: string, fromRow: number): Promise<void> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const ws = pickInputWorksheet(wb)!;
  for (let r = fromRow; r <= ws.rowCount; r++) {
    ws.getRow(r).eachCell({ includeEmpty: false }, (cell) => {
      cell.value = null;
    });
  }
  await wb.xlsx.writeFile(file);
}

describe("entriesAt", () => {
  const a = helped("thon-ban-tam", "2025-08-01T09:00");
  const b = helped("thon-ban-tam", "2025-08-01T10:00");
  const trail = (stored: Entry[], incoming: Entry[], now: Date) =>
    diffEntries({ campaignId: "c", unitId: "thon-ban-tam", stored, incoming, now, reason: "test" }).audit;
  const a2: Entry = { ...a, supporter: "Người khác" };
  const audit: AuditRecord[] = [
    ...trail([], [a, b], at("2025-08-01T12:00")),
    ...trail([a, b], [a2], at("2025-08-02T12:00")), // a edited, b deleted
  ];

  it("takes, for each entry, the latest record at or before the instant; a delete means absent", () => {
    expect(entriesAt(audit, at("2025-08-01T11:59"))).toEqual([]);
    expect(entriesAt(audit, at("2025-08-01T12:00"))).toEqual([a, b].sort((x, y) => (x.key < y.key ? -1 : 1)));
    expect(entriesAt(audit, at("2025-08-02T12:00"))).toEqual([a2]);
    // Order of the records as given does not matter.
    expect(entriesAt([...audit].reverse(), at("2025-08-01T18:00"))).toHaveLength(2);
  });

  it("plans the difference from what is stored now, with audit records naming the instant", () => {
    const plan = planRestore({
      campaignId: "c",
      unitId: "thon-ban-tam",
      audit,
      current: [a2],
      at: at("2025-08-01T18:00"),
      now: at("2025-08-03T08:00"),
    });
    expect(plan).toMatchObject({ restored: 1, reverted: 1, removed: 0 });
    expect(plan.audit.map((r) => r.reason)).toEqual([
      `restore to ${at("2025-08-01T18:00").toISOString()}`,
      `restore to ${at("2025-08-01T18:00").toISOString()}`,
    ]);
  });
});

describe("restoring a unit after a confirmed mass deletion (Chợ Đồn copy, Firestore emulator)", () => {
  const UNIT = "cong-an-xa";
  const T0 = at("2025-08-19T08:00"); // first sync: every row in
  const T1 = at("2025-08-19T09:00"); // most rows deleted, held
  const T2 = at("2025-08-19T09:30"); // a leader confirms
  const BEFORE_CONFIRM = at("2025-08-19T09:15");
  const T3 = at("2025-08-19T10:00"); // restore to before the confirmation
  const T4 = at("2025-08-19T10:30"); // the next sync: still held
  const T5 = at("2025-08-19T11:00"); // the unit puts its rows back: the hold lifts

  let root: string;
  let fs: TestFirestore;
  let store: FirestoreStore;
  let campaign: Campaign;
  let units: Unit[];
  let sheetsDir: string;
  let original: Buffer;
  let before: Entry[];
  let thinned: Entry[];
  const hashId = makeIdHasher("r".repeat(48));

  const sync = (now: Date, confirm: string[] = []): Promise<CycleResult> =>
    runSyncCycle({
      campaign,
      units,
      source: new XlsxSheetSource({ dir: sheetsDir }),
      store,
      now,
      hashId,
      confirmDeletions: new Set(confirm),
    });
  const restore = (to: Date, now: Date, apply = true) =>
    restoreUnit({ campaign, store, unitId: UNIT, at: to, now, apply });

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "dondoc-restore-"));
    await cp(resolve("examples/cho-don"), join(root, "cho-don"), { recursive: true });
    const folder = await loadCampaignFolder(join(root, "cho-don"));
    campaign = folder.campaign;
    // The commune and the one unit: the restore is about one unit, the others would only cost time.
    units = folder.units.filter((u) => u.id === UNIT || u.id === "xa-cho-don");
    sheetsDir = folder.sheetsDir;
    fs = await startTestFirestore();
    store = new FirestoreStore(fs.db);
    const file = join(sheetsDir, `${UNIT}.xlsx`);
    original = await readFile(file);
    await sync(T0);
    before = await store.loadUnitEntries(campaign.id, UNIT);
    await emptyRows(file, 12);
    expect((await sync(T1)).units.find((r) => r.unitId === UNIT)!.status).toBe("held");
    expect((await sync(T2, [UNIT])).units.find((r) => r.unitId === UNIT)!.status).toBe("synced");
    thinned = await store.loadUnitEntries(campaign.id, UNIT);
  }, 50_000);

  afterAll(async () => {
    await fs?.stop();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it("a preview changes nothing and says how many entries would come back", async () => {
    const auditCount = (await store.loadAudit(campaign.id, UNIT)).length;
    const preview = await restore(BEFORE_CONFIRM, T3, false);
    expect(preview.written).toBe(0);
    expect(preview.plan).toMatchObject({ restored: before.length - thinned.length, reverted: 0, removed: 0 });
    expect(await store.loadUnitEntries(campaign.id, UNIT)).toEqual(thinned);
    expect(await store.loadAudit(campaign.id, UNIT)).toHaveLength(auditCount);
  });

  it("brings back exactly the entries of before the deletion, audited, and holds the unit", async () => {
    const auditBefore = await store.loadAudit(campaign.id, UNIT);
    const result = await restore(BEFORE_CONFIRM, T3);
    expect(result.held).toBe(true);
    expect(await store.loadUnitEntries(campaign.id, UNIT)).toEqual(before);

    const audit = await store.loadAudit(campaign.id, UNIT);
    const added = audit.filter((r) => !auditBefore.some((b) => b.id === r.id));
    expect(added).toHaveLength(before.length - thinned.length);
    expect(added.every((r) => r.action === "create" && r.at === T3.toISOString())).toBe(true);
    expect(new Set(added.map((r) => r.reason))).toEqual(
      new Set([`restore to ${BEFORE_CONFIRM.toISOString()}`]),
    );
    const state = (await store.loadUnitStates(campaign.id)).find((s) => s.unitId === UNIT)!;
    expect(state.problem?.code).toBe(RESTORED_HOLD_CODE);
  });

  it("is idempotent: a second restore writes nothing and adds no audit record", async () => {
    const auditCount = (await store.loadAudit(campaign.id, UNIT)).length;
    const again = await restore(BEFORE_CONFIRM, at("2025-08-19T10:05"));
    expect(again.written).toBe(0);
    expect(again.plan.changes.upserts).toHaveLength(0);
    expect(again.plan.changes.deletes).toHaveLength(0);
    expect(await store.loadAudit(campaign.id, UNIT)).toHaveLength(auditCount);
    expect(await store.loadUnitEntries(campaign.id, UNIT)).toEqual(before);
  });

  it("the next sync does not undo it: the unit stays held and reported while its sheet lacks the rows", async () => {
    const next = await sync(T4);
    const result = next.units.find((r) => r.unitId === UNIT)!;
    expect(result.status).toBe("held");
    expect(await store.loadUnitEntries(campaign.id, UNIT)).toEqual(before);
    expect(next.standings.units.find((u) => u.id === UNIT)!.syncProblem).toMatch(
      /đã được khôi phục về thời điểm/,
    );
  });

  it("lifts the hold by itself once the unit's sheet holds the rows again", async () => {
    await writeFile(join(sheetsDir, `${UNIT}.xlsx`), original);
    const auditCount = (await store.loadAudit(campaign.id, UNIT)).length;
    const next = await sync(T5);
    expect(next.units.find((r) => r.unitId === UNIT)).toMatchObject({ status: "synced", deleted: 0 });
    expect(next.standings.units.find((u) => u.id === UNIT)!.syncProblem).toBeNull();
    expect(await store.loadUnitEntries(campaign.id, UNIT)).toEqual(before);
    expect(await store.loadAudit(campaign.id, UNIT)).toHaveLength(auditCount);
  });

  it("is reversible: restoring to after the confirmation gives the thinned entries back", async () => {
    const plan = await restore(at("2025-08-19T09:45"), at("2025-08-19T11:30"), false);
    expect(plan.plan.target).toEqual(thinned);
    expect(plan.plan.removed).toBe(before.length - thinned.length);
  });
});

describe("dondoc confirm and dondoc restore", () => {
  let root: string;
  const UNIT = "thon-ban-en";

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "dondoc-restore-cli-"));
    const campaignDir = join(root, "cho-don");
    await cp(resolve("examples/cho-don"), campaignDir, { recursive: true });
    // A smaller campaign folder (the commune and two of its units) keeps the CLI runs short.
    const csv = (await readFile(join(campaignDir, "units.csv"), "utf8")).split("\n");
    const keep = csv.filter((line, i) => i === 0 || /^(xa-cho-don|thon-ban-en|thon-na-pai),/.test(line));
    await writeFile(join(campaignDir, "units.csv"), `${keep.join("\n")}\n`);
  });

  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it("holds, confirms with audit records, previews and applies a restore, and keeps the unit held", async () => {
    const opts = [
      "--campaign",
      join(root, "cho-don"),
      "--out",
      join(root, "out"),
      "--data",
      join(root, "data"),
    ];
    const run = async (...argv: string[]) => {
      const r = await dondoc(...argv, ...opts);
      expect(r.code, `${argv.join(" ")}\n${r.out}\n${r.err}`).toBe(0);
      return r;
    };
    await run("run", "--no-remind", "--now", "2025-08-19T08:00");
    await emptyRows(join(root, "cho-don", "sheets", `${UNIT}.xlsx`), 2);
    const held = await run("run", "--no-remind", "--now", "2025-08-19T09:00");
    expect(held.err).toMatch(/⚠ Bảng tính của đơn vị bị xóa (\d+)\/\1 dòng cùng lúc/);
    const n = Number(/bị xóa (\d+)\//.exec(held.err)![1]);

    const confirmed = await run("confirm", "--unit", UNIT, "--now", "2025-08-19T09:30");
    expect(confirmed.out).toContain(`Thôn Bản Én: đã áp dụng — xóa ${n} dòng`);
    expect(confirmed.out).toContain("bỏ tạm dừng (held-mass-deletion)");

    const preview = await run(
      "restore",
      "--unit",
      UNIT,
      "--at",
      "2025-08-19T09:15",
      "--now",
      "2025-08-19T10:00",
    );
    expect(preview.out).toContain(
      `sẽ khôi phục ${n} dòng (thêm lại ${n}, trả lại nội dung cũ 0), xóa 0 dòng`,
    );
    expect(preview.out).toContain("Thêm --apply để thực hiện.");

    const applied = await run(
      "restore",
      "--unit",
      UNIT,
      "--at",
      "2025-08-19T09:15",
      "--apply",
      "--now",
      "2025-08-19T10:00",
    );
    expect(applied.out).toContain(`đã khôi phục ${n} dòng`);
    expect(applied.out).toContain(`ghi ${n} bản ghi nhật ký`);

    const again = await run(
      "restore",
      "--unit",
      UNIT,
      "--at",
      "2025-08-19T09:15",
      "--apply",
      "--now",
      "2025-08-19T10:05",
    );
    expect(again.out).toContain("không có gì để khôi phục");

    const next = await run("run", "--no-remind", "--now", "2025-08-19T10:30");
    expect(next.err).toMatch(/⚠ Dữ liệu của đơn vị đã được khôi phục về thời điểm 09:15 19\/08\/2025/);
    const standings = JSON.parse(await readFile(join(root, "out", "standings.json"), "utf8")) as {
      units: { id: string; syncProblem: string | null }[];
    };
    expect(standings.units.find((u) => u.id === UNIT)!.syncProblem).toMatch(/khôi phục/);
  }, 50_000);

  it("refuses an unknown unit and a missing --at", async () => {
    const opts = [
      "--campaign",
      join(root, "cho-don"),
      "--data",
      join(root, "data2"),
      "--out",
      join(root, "out2"),
    ];
    expect((await dondoc("confirm", "--unit", "khong-co", ...opts)).err).toContain(
      'Không có đơn vị "khong-co"',
    );
    expect((await dondoc("restore", "--unit", UNIT, ...opts)).err).toContain("Thiếu --at TIME");
  });
});
