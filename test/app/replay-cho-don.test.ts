// Issue 4's replay: the Chợ Đồn example over its whole timeline (28/07–18/08/2025), syncing and running the
// reminder step at every instant something becomes due, exactly as `dondoc run --now T` does at each T.
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { simpleParser } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeIdHasher } from "../../functions/src/adapters/crypto/hmac.ts";
import { FirestoreStore } from "../../functions/src/adapters/firestore/store.ts";
import { OutboxMailer } from "../../functions/src/adapters/mail/outbox.ts";
import { XlsxSheetSource } from "../../functions/src/adapters/xlsx/sheet-source.ts";
import { loadCampaignFolder } from "../../functions/src/app/campaign-folder.ts";
import { type ReminderDetail, remindAt } from "../../functions/src/app/remind.ts";
import { runSyncCycle } from "../../functions/src/app/sync.ts";
import type { RawSheet } from "../../functions/src/core/model.ts";
import { cutoffs } from "../../functions/src/core/periods.ts";
import type { SheetSource } from "../../functions/src/core/ports.ts";
import { reminderInstants } from "../../functions/src/core/reminders.ts";
import type { Campaign, Standings, Unit } from "../../schemas/index.ts";
import { startTestFirestore, type TestFirestore } from "../support/firestore.ts";

let fs: TestFirestore;
let campaign: Campaign;
let units: Unit[];
let outbox: string;
const sent: { at: Date; detail: ReminderDetail; standings: Standings }[] = [];

beforeAll(async () => {
  fs = await startTestFirestore();
  const folder = await loadCampaignFolder(resolve("examples/cho-don"));
  campaign = folder.campaign;
  units = folder.units;
  outbox = await mkdtemp(join(tmpdir(), "dondoc-replay-outbox-"));
  const store = new FirestoreStore(fs.db);
  // The workbooks do not change during the replay (only the clock moves), so each is read from disk once.
  const xlsx = new XlsxSheetSource({ dir: folder.sheetsDir });
  const cache = new Map<string, Promise<RawSheet>>();
  const source: SheetSource = {
    changedUnits: (list, seen) => xlsx.changedUnits(list, seen),
    read: (unit) => {
      if (!cache.has(unit.id)) cache.set(unit.id, xlsx.read(unit));
      return cache.get(unit.id)!;
    },
  };
  const hashId = makeIdHasher("replay-test-secret-0123456789abcdef");
  for (const instant of reminderInstants(campaign)) {
    const now = instant.toJSDate();
    const cycle = await runSyncCycle({ campaign, units, source, store, now, hashId, replay: true });
    const mailer = new OutboxMailer({
      dir: outbox,
      from: { address: "ubnd@chodon.example" },
      clock: { now: () => now },
    });
    const result = await remindAt({ store, mailer, campaign, units, now, standings: cycle.standings });
    expect(result.failed).toBe(0);
    for (const detail of result.details) {
      if (detail.outcome === "sent") sent.push({ at: now, detail, standings: cycle.standings });
    }
  }
}, 300_000);

afterAll(async () => {
  await fs?.stop();
});

describe("replaying Chợ Đồn's timeline", () => {
  it("sends reminders only before Monday and Thursday 14:00 deadlines", () => {
    const reminders = sent.filter((s) => s.detail.kind === "reminder");
    expect(reminders.length).toBeGreaterThan(10);
    const scheduled = cutoffs(campaign).filter((c) => c.hour === 14);
    for (const r of reminders) {
      const deadline = scheduled.find((c) => c.toMillis() > r.at.getTime());
      expect(deadline, `reminder at ${r.at.toISOString()}`).toBeDefined();
      expect([1, 4]).toContain(deadline!.weekday);
      // The reminder is for that deadline: the next one ahead, within a day.
      expect(deadline!.toMillis() - r.at.getTime()).toBeLessThanOrEqual(24 * 3600_000);
    }
  });

  it("reminds only units that had not reported in the period or still had errors", () => {
    const reminders = sent.filter((s) => s.detail.kind === "reminder");
    for (const r of reminders) {
      const unit = r.standings.units.find((u) => u.id === r.detail.unitId)!;
      expect(!unit.reported || unit.errors > 0, `${unit.id} at ${r.at.toISOString()}`).toBe(true);
    }
    // Some units did report in some periods and were not reminded then.
    const remindedPairs = new Set(reminders.map((r) => `${r.detail.periodIndex}~${r.detail.unitId}`));
    const reportedClean = sent
      .flatMap((s) => s.standings.units.map((u) => ({ p: s.standings.period.index, u })))
      .filter(({ u }) => u.reported && u.errors === 0);
    expect(reportedClean.length).toBeGreaterThan(0);
    expect(reportedClean.some(({ p, u }) => !remindedPairs.has(`${p}~${u.id}`))).toBe(true);
  });

  it("sends one digest after each cutoff, and no message twice", () => {
    const digests = sent.filter((s) => s.detail.kind === "digest").map((s) => s.detail.periodIndex);
    expect(digests).toEqual(cutoffs(campaign).map((_, i) => i));
    const ids = sent.flatMap((s) => s.detail.messageIds);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("writes outbox files that parse as RFC 5322 multipart mail with the deadline written out", async () => {
    const files = (await readdir(outbox)).filter((f) => f.endsWith(".eml"));
    expect(files.length).toBe(sent.reduce((n, s) => n + s.detail.messageIds.length, 0));
    for (const file of files) {
      const raw = await readFile(join(outbox, file));
      const mail = await simpleParser(raw);
      expect(mail.messageId).toMatch(/^<.+@.+>$/);
      expect(mail.from?.text).toContain("ubnd@chodon.example");
      expect(mail.date).toBeInstanceOf(Date);
      expect(mail.subject).toBeTruthy();
      expect(mail.text).toBeTruthy();
      expect(mail.html).toBeTruthy();
      expect(raw.toString("latin1")).toMatch(/Content-Type: multipart\/alternative/i);
    }
    const reminderFile = files.find((f) => f.startsWith("reminder"))!;
    const reminder = await simpleParser(await readFile(join(outbox, reminderFile)));
    expect(reminder.text).toMatch(/14:00 thứ (Hai|Năm), \d\d\/\d\d\/2025/);
  });
});
