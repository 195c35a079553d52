// Issue 8 point 5, first half: a unit's sheet cleared, or most of its rows deleted, is held instead of applied. The
// stored entries stay, the hold shows on the leaders' summary and in their digest, later syncs keep holding, and
// only a leader's confirmation applies the deletion, with one "delete" audit record per entry removed.
// Real pieces throughout: a copy of the Chợ Đồn example read by the .xlsx source, the Firestore emulator.
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeIdHasher } from "../../functions/src/adapters/crypto/hmac.ts";
import { FirestoreStore } from "../../functions/src/adapters/firestore/store.ts";
import { pickInputWorksheet, XlsxSheetSource } from "../../functions/src/adapters/xlsx/sheet-source.ts";
import { loadCampaignFolder } from "../../functions/src/app/campaign-folder.ts";
import { remindAt } from "../../functions/src/app/remind.ts";
import { type CycleResult, runSyncCycle } from "../../functions/src/app/sync.ts";
import type { Entry } from "../../functions/src/core/model.ts";
import type { Mailer, MailMessage } from "../../functions/src/core/ports.ts";
import { buildSummaryTabs, TAB_NOT_REPORTED } from "../../functions/src/core/summary-build.ts";
import type { Campaign, Unit } from "../../schemas/index.ts";
import { at } from "../support/cho-don-mail.ts";
import { startTestFirestore, type TestFirestore } from "../support/firestore.ts";

const CLEARED = "thon-ban-en"; // Thôn Bản Én: every data row deleted
const THINNED = "cong-an-xa"; // Công an xã Chợ Đồn: all but the first ten data rows deleted
const KEPT_ROWS = 10;
// Thursday 07/08/2025, after the 14:00 cutoff and the digest's hour: period 3 has just begun, nobody has reported
// in it yet, and the digest of period 2 is due.
const T0 = at("2025-08-07T15:30");
const T1 = at("2025-08-07T15:35");
const T2 = at("2025-08-07T15:40");
const T3 = at("2025-08-07T15:45");

let root: string;
let fs: TestFirestore;
let store: FirestoreStore;
let campaign: Campaign;
let units: Unit[];
let sheetsDir: string;
const hashId = makeIdHasher("h".repeat(48));
const before = new Map<string, Entry[]>();
let held: CycleResult;

function sync(now: Date, confirm: string[] = []): Promise<CycleResult> {
  return runSyncCycle({
    campaign,
    units,
    source: new XlsxSheetSource({ dir: sheetsDir }),
    store,
    now,
    hashId,
    replay: true,
    confirmDeletions: new Set(confirm),
  });
}

/** Empties the data rows of a unit's workbook copy from sheet row `fromRow` on (2 = every data row). */
async function deleteRows(unitId: string, fromRow: number): Promise<void> {
  const file = join(sheetsDir, `${unitId}.xlsx`);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const ws = pickInputWorksheet(wb)!;
  // As a unit would: select the rows and press Delete (the template's formats and validations stay).
  for (let r = fromRow; r <= ws.rowCount; r++) {
    ws.getRow(r).eachCell({ includeEmpty: false }, (cell) => {
      cell.value = null;
    });
  }
  await wb.xlsx.writeFile(file);
}

function recordingMailer(): Mailer & { sent: MailMessage[] } {
  const sent: MailMessage[] = [];
  return {
    maxRecipientsPerMessage: 100,
    sent,
    async send(m) {
      sent.push(m);
      return { messageId: m.messageId, accepted: [...m.to, ...(m.cc ?? [])], rejected: [] };
    },
  };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "dondoc-hold-"));
  await cp(resolve("examples/cho-don"), join(root, "cho-don"), { recursive: true });
  const folder = await loadCampaignFolder(join(root, "cho-don"));
  campaign = folder.campaign;
  units = folder.units;
  sheetsDir = folder.sheetsDir;
  fs = await startTestFirestore();
  store = new FirestoreStore(fs.db);
  await sync(T0);
  for (const id of [CLEARED, THINNED]) before.set(id, await store.loadUnitEntries(campaign.id, id));
  await deleteRows(CLEARED, 2);
  await deleteRows(THINNED, 2 + KEPT_ROWS);
  held = await sync(T1);
}, 50_000);

afterAll(async () => {
  await fs?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

describe("a cleared sheet and a mostly deleted one", () => {
  it("are held: nothing written for them, their stored entries unchanged", async () => {
    expect(before.get(CLEARED)!.length).toBeGreaterThanOrEqual(5);
    expect(before.get(THINNED)!.length).toBeGreaterThan(2 * KEPT_ROWS);
    for (const id of [CLEARED, THINNED]) {
      const result = held.units.find((r) => r.unitId === id)!;
      expect(result).toMatchObject({ status: "held", written: 0, deleted: 0 });
      expect(await store.loadUnitEntries(campaign.id, id)).toEqual(before.get(id));
    }
    const n = before.get(CLEARED)!.length;
    expect(held.units.find((r) => r.unitId === CLEARED)!.message).toContain(`${n}/${n} dòng`);
    // No other unit is held.
    expect(
      held.units
        .filter((r) => r.status !== "synced")
        .map((r) => r.unitId)
        .sort(),
    ).toEqual([CLEARED, THINNED].sort());
  });

  it("are reported in the standings and on the summary's «Chưa báo cáo» tab, with the reason", () => {
    const tab = buildSummaryTabs(campaign, held.standings).tabs.find((t) => t.name === TAB_NOT_REPORTED)!;
    for (const id of [CLEARED, THINNED]) {
      const standing = held.standings.units.find((u) => u.id === id)!;
      expect(standing.syncProblem).toMatch(/bị xóa .* dòng cùng lúc; dữ liệu cũ được giữ nguyên/);
      expect(standing.reported).toBe(false);
      const row = tab.rows.find((r) => r.cells[0] === standing.name);
      expect(row, standing.name).toBeDefined();
      expect(row!.cells[3]).toBe(standing.syncProblem);
    }
  });

  it("are named in the leaders' digest under the held units", async () => {
    const mailer = recordingMailer();
    const step = await remindAt({ store, mailer, campaign, units, now: T1 });
    expect(step.failed).toBe(0);
    const digest = mailer.sent.find((m) => m.messageId.startsWith("<digest~"));
    expect(digest, mailer.sent.map((m) => m.messageId).join(", ")).toBeDefined();
    const text = digest!.text;
    const title = "ĐƠN VỊ BỊ TẠM DỪNG ĐỒNG BỘ (2)";
    expect(text).toContain(title);
    const section = text.slice(text.indexOf(title)).split("\n\n")[0]!;
    for (const id of [CLEARED, THINNED]) {
      const name = units.find((u) => u.id === id)!.name;
      expect(section).toMatch(new RegExp(`^- ${name}: Bảng tính của đơn vị bị xóa `, "m"));
    }
    expect(digest!.html).toContain(units.find((u) => u.id === CLEARED)!.name);
  });

  it("stay held on the next sync: nothing is applied without a confirmation", async () => {
    const again = await sync(T2);
    for (const id of [CLEARED, THINNED]) {
      expect(again.units.find((r) => r.unitId === id)!.status).toBe("held");
      expect(await store.loadUnitEntries(campaign.id, id)).toEqual(before.get(id));
    }
  });

  it("a leader's confirmation applies the deletion, one audit record per entry removed, and lifts the hold", async () => {
    const auditBefore = await store.loadAudit(campaign.id, THINNED);
    const confirmed = await sync(T3, [THINNED]);
    const result = confirmed.units.find((r) => r.unitId === THINNED)!;
    expect(result.status).toBe("synced");

    const after = await store.loadUnitEntries(campaign.id, THINNED);
    const afterKeys = new Set(after.map((e) => e.key));
    const removed = before
      .get(THINNED)!
      .map((e) => e.key)
      .filter((k) => !afterKeys.has(k))
      .sort();
    expect(removed.length).toBeGreaterThan(before.get(THINNED)!.length / 2);
    expect(after.length).toBeLessThanOrEqual(KEPT_ROWS);
    expect(result.deleted).toBe(removed.length);

    const audit = await store.loadAudit(campaign.id, THINNED);
    const added = audit.filter((r) => !auditBefore.some((b) => b.id === r.id));
    const deletes = added.filter((r) => r.action === "delete");
    expect(deletes.map((r) => r.entryKey).sort()).toEqual(removed);
    for (const record of deletes) {
      expect(record.at).toBe(T3.toISOString());
      expect(record.after).toBeNull();
      expect(record.before).toEqual(before.get(THINNED)!.find((e) => e.key === record.entryKey));
    }

    expect(confirmed.standings.units.find((u) => u.id === THINNED)!.syncProblem).toBeNull();
    // The other unit was not confirmed: still held, still whole.
    expect(confirmed.units.find((r) => r.unitId === CLEARED)!.status).toBe("held");
    expect(await store.loadUnitEntries(campaign.id, CLEARED)).toEqual(before.get(CLEARED));
  });
});
