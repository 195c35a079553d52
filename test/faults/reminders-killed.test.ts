// Issue 8 point 2: the reminder step killed half-way (its mailer connection dies after k messages). A rerun after
// the claim lease sends the rest; across the Chợ Đồn example at several instants, every due reminder and digest
// goes out exactly once, the same messages as a run that was never interrupted.
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeIdHasher } from "../../functions/src/adapters/crypto/hmac.ts";
import { FirestoreStore } from "../../functions/src/adapters/firestore/store.ts";
import { XlsxSheetSource } from "../../functions/src/adapters/xlsx/sheet-source.ts";
import { loadCampaignFolder } from "../../functions/src/app/campaign-folder.ts";
import { DEFAULT_LEASE_MS, remindAt } from "../../functions/src/app/remind.ts";
import { runSyncCycle } from "../../functions/src/app/sync.ts";
import type { Mailer, MailMessage, SendResult, Store } from "../../functions/src/core/ports.ts";
import type { Campaign, Unit } from "../../schemas/index.ts";
import { at } from "../support/cho-don-mail.ts";
import { startTestFirestore, type TestFirestore } from "../support/firestore.ts";
import { MemoryStore } from "../support/memory-store.ts";

// Thursday 31/07 and Monday 04/08: the 2-hour reminders before the 14:00 cutoffs and the digests an hour after.
const INSTANTS = ["2025-07-31T12:00", "2025-07-31T15:00", "2025-08-04T12:00", "2025-08-04T15:00"].map(at);
const hashId = makeIdHasher("m".repeat(48));

/** Records what it is handed; from the (k + 1)th message of its life on, throws before sending anything. */
function mailer(dieAfter = Number.POSITIVE_INFINITY): Mailer & { sent: MailMessage[] } {
  const sent: MailMessage[] = [];
  return {
    maxRecipientsPerMessage: 100,
    sent,
    async send(m: MailMessage): Promise<SendResult> {
      if (sent.length >= dieAfter) throw Object.assign(new Error("connection lost"), { code: "ECONNECTION" });
      sent.push(m);
      return { messageId: m.messageId, accepted: [...m.to, ...(m.cc ?? [])], rejected: [] };
    },
  };
}

let fs: TestFirestore;
let campaign: Campaign;
let units: Unit[];
let sheetsDir: string;

beforeAll(async () => {
  ({ campaign, units, sheetsDir } = await loadCampaignFolder(resolve("examples/cho-don")));
  fs = await startTestFirestore();
});

afterAll(async () => {
  await fs?.stop();
});

async function sync(store: Store, now: Date): Promise<void> {
  await runSyncCycle({
    campaign,
    units,
    source: new XlsxSheetSource({ dir: sheetsDir }),
    store,
    now,
    hashId,
    replay: true,
  });
}

describe("the reminder step killed half-way, then rerun", () => {
  it("sends every due message exactly once, the same as an uninterrupted run", async () => {
    const cleanStore = new MemoryStore();
    const killedStore = new FirestoreStore(fs.db);
    const clean = mailer();
    const survivors: MailMessage[] = [];
    let interrupted = 0;
    for (const [i, now] of INSTANTS.entries()) {
      await sync(cleanStore, now);
      await sync(killedStore, now);
      const expected = await remindAt({ store: cleanStore, mailer: clean, campaign, units, now });
      expect(expected.failed).toBe(0);

      // Killed after a different number of messages at each instant (0: before the first one).
      const dying = mailer(i % 3);
      const first = await remindAt({ store: killedStore, mailer: dying, campaign, units, now });
      survivors.push(...dying.sent);
      if (first.failed > 0) interrupted += 1;
      // The next scheduled run, once the dead run's claims are past their lease.
      const later = new Date(now.getTime() + DEFAULT_LEASE_MS + 60_000);
      const retry = mailer();
      const second = await remindAt({ store: killedStore, mailer: retry, campaign, units, now: later });
      expect(second.failed).toBe(0);
      survivors.push(...retry.sent);
      // A third run finds nothing left to send.
      const third = mailer();
      await remindAt({ store: killedStore, mailer: third, campaign, units, now: later });
      expect(third.sent).toEqual([]);
    }
    expect(interrupted).toBeGreaterThanOrEqual(2);

    const ids = (list: MailMessage[]) => list.map((m) => m.messageId).sort();
    expect(clean.sent.length).toBeGreaterThan(INSTANTS.length);
    expect(new Set(ids(survivors)).size).toBe(survivors.length); // nothing twice
    expect(ids(survivors)).toEqual(ids(clean.sent)); // nothing missing
    expect(ids(clean.sent).some((id) => id.startsWith("<digest~"))).toBe(true);
    // The ledger agrees: every record sent, none pending.
    const ledger = await killedStore.loadLedger(campaign.id);
    expect(ledger.filter((r) => r.state !== "sent")).toEqual([]);
  }, 55_000);
});
