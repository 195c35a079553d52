import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DateTime } from "luxon";
import { simpleParser } from "mailparser";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FirestoreStore } from "../../functions/src/adapters/firestore/store.ts";
import { mailerFromConfig } from "../../functions/src/adapters/mail/config.ts";
import { OutboxMailer } from "../../functions/src/adapters/mail/outbox.ts";
import { SmtpMailer } from "../../functions/src/adapters/mail/smtp.ts";
import { remindAt, runReminderStep, sentOnDay, splitByRecipients } from "../../functions/src/app/remind.ts";
import type { Entry, UnitSyncState } from "../../functions/src/core/model.ts";
import type { Mailer, MailMessage, SendResult, Store } from "../../functions/src/core/ports.ts";
import { reminderInstants } from "../../functions/src/core/reminders.ts";
import { at, choDon, choDonUnits, emptyState, helped, issue, ZONE } from "../support/cho-don-mail.ts";
import { startTestFirestore, type TestFirestore } from "../support/firestore.ts";
import { MemoryStore } from "../support/memory-store.ts";
import { type SmtpFixture, startSmtpServer } from "../support/smtp.ts";

const FROM = { address: "nhacnho@chodon.example.vn", name: "UBND xã Chợ Đồn" };
const NOW = at("2025-08-04T12:00");
const LATER = new Date(NOW.getTime() + 5 * 60_000);

/** Monday 04/08 12:00, two hours before the cutoff. */
const ENTRIES: Entry[] = [
  helped("thon-ban-tam", "2025-08-01T09:00"), // reported in period 1
  helped("truong-thcs", "2025-08-02T10:00"), // reported, but its sheet has an error
  helped("thon-na-pan", "2025-07-30T10:00"), // reported in period 0 only
];
const STATES: UnitSyncState[] = [
  emptyState("truong-thcs", {
    issues: [issue("truong-thcs", 6, "E", "Số định danh cá nhân", "Số định danh 001203004567 sai mã tỉnh.")],
  }),
];
const EXPECTED_IDS = [
  "<digest~p0.cho-don-2025@dondoc.local>",
  "<reminder~p1~cong-an-xa~2h.cho-don-2025@dondoc.local>",
  "<reminder~p1~thon-na-pan~2h.cho-don-2025@dondoc.local>",
  "<reminder~p1~truong-thcs~2h.cho-don-2025@dondoc.local>",
];

async function seed(store: Store, entries: Entry[], states: UnitSyncState[] = []): Promise<void> {
  const byUnit = new Map<string, Entry[]>();
  for (const e of entries) byUnit.set(e.unitId, [...(byUnit.get(e.unitId) ?? []), e]);
  for (const [unitId, upserts] of byUnit) {
    await store.applyUnitChanges(choDon.id, {
      changes: { unitId, upserts, deletes: [], unchanged: 0 },
      audit: [],
    });
  }
  for (const s of states) await store.saveUnitState(choDon.id, s);
}

/** Wraps a real mailer; from the (n + 1)th send on, throws before anything is sent. */
function dyingAfter(inner: Mailer, n: number): Mailer & { attempts: number } {
  let sends = 0;
  return {
    maxRecipientsPerMessage: inner.maxRecipientsPerMessage,
    attempts: 0,
    async send(m: MailMessage): Promise<SendResult> {
      this.attempts += 1;
      if (sends >= n) throw Object.assign(new Error("connection lost"), { code: "ECONNECTION" });
      sends += 1;
      return inner.send(m);
    },
  };
}

/** A store whose process "dies" at the given call: it throws there and on every later call to that method. */
function dyingStore(inner: Store, method: "claimLedger" | "markLedgerSent", atCall: number): Store {
  let calls = 0;
  return new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (prop !== method || typeof value !== "function") {
        return typeof value === "function" ? value.bind(target) : value;
      }
      return async (...args: unknown[]) => {
        calls += 1;
        if (calls >= atCall) throw new Error(`killed at ${method} #${calls}`);
        return value.apply(target, args);
      };
    },
  });
}

function countIds(server: SmtpFixture): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of server.received) {
    const id = r.parsed.messageId ?? "";
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

function deliveredOnce(server: SmtpFixture): string[] {
  const counts = countIds(server);
  expect([...counts.values()].every((n) => n === 1)).toBe(true);
  return [...counts.keys()].sort();
}

interface StoreFactory {
  make(): Store;
}

let firestore: TestFirestore | null = null;
let roots = 0;

const STORES: [string, StoreFactory][] = [
  ["memory store", { make: () => new MemoryStore() }],
  [
    "Firestore store on the emulator",
    {
      make: () => {
        roots += 1;
        return new FirestoreStore(firestore!.db, { root: `remind-${roots}` });
      },
    },
  ],
];

beforeAll(async () => {
  firestore = await startTestFirestore();
});
afterAll(async () => {
  await firestore?.stop();
});

describe.each(STORES)("reminder step on the %s", (_name, factory) => {
  let server: SmtpFixture;
  let store: Store;
  const smtp = () => new SmtpMailer({ host: server.host, port: server.port, secure: false, from: FROM });
  const run = (deps: Partial<Parameters<typeof remindAt>[0]> = {}) =>
    remindAt({ store, mailer: smtp(), campaign: choDon, units: choDonUnits, now: NOW, ...deps });

  beforeEach(async () => {
    server = await startSmtpServer();
    store = factory.make();
    await seed(store, ENTRIES, STATES);
  });
  afterEach(async () => {
    await server.close();
  });

  it("sends what is due once: reminders to units that did not report or have errors, the digest to the leaders", async () => {
    const first = await run();
    expect(first).toMatchObject({
      sent: 4,
      deferred: 0,
      skipped: 0,
      failed: 0,
      unreachable: ["thon-coc-pai"],
    });
    expect(deliveredOnce(server)).toEqual(EXPECTED_IDS);
    const byId = new Map(server.received.map((r) => [r.parsed.messageId, r]));
    expect(byId.get("<reminder~p1~truong-thcs~2h.cho-don-2025@dondoc.local>")?.recipients).toEqual([
      "hieutruong.thcs@example.vn",
      "thcs@example.vn",
    ]);
    expect(byId.get("<digest~p0.cho-don-2025@dondoc.local>")?.recipients).toEqual([
      "chutich@chodon.example.vn",
      "vanphong@chodon.example.vn",
    ]);
    expect(byId.get("<digest~p0.cho-don-2025@dondoc.local>")?.parsed.subject).toBe(
      "[Chợ Đồn] Tổng hợp kỳ 1, hạn 14:00 thứ Năm, 31/07/2025",
    );
    // The digest is about period 0 as it closed: Nà Pán reported then, Bản Tàm and THCS had not yet.
    expect(byId.get("<digest~p0.cho-don-2025@dondoc.local>")?.parsed.text).toMatch(
      /CHƯA BÁO CÁO KỲ 1 \(4\)\n- Công an xã: Công an\n- Thôn Bản Tàm: Thôn\n- Thôn Cốc Pái: Thôn\n- Trường THCS Chợ Đồn: Trường học\n/,
    );
    const ledger = await store.loadLedger(choDon.id);
    expect(ledger.map((r) => [r.id, r.state, r.sentAt])).toEqual(
      EXPECTED_IDS.map((m) => [
        m.slice(1, m.indexOf(".cho-don")),
        "sent",
        "2025-08-04T12:00:00.000+07:00",
      ]).sort(),
    );

    const second = await run();
    expect(second).toMatchObject({ sent: 0, skipped: 0, failed: 0 });
    expect(second.plan.notPlanned).toHaveLength(4);
    expect(server.received).toHaveLength(4);
  });

  it("two runs at the same time send each message once between them", async () => {
    const [a, b] = await Promise.all([run(), run()]);
    expect(a.sent + b.sent).toBe(4);
    expect(a.skipped + b.skipped).toBe(4);
    expect(deliveredOnce(server)).toEqual(EXPECTED_IDS);
    expect((await store.loadLedger(choDon.id)).every((r) => r.state === "sent")).toBe(true);
  });

  it("a mailer that dies after two sends: the claims wait out the lease, then the rest go, nothing twice", async () => {
    const first = await run({ mailer: dyingAfter(smtp(), 2) });
    expect(first).toMatchObject({ sent: 2, failed: 2 });
    expect(first.details.filter((d) => d.outcome === "failed").map((d) => d.error?.code)).toEqual([
      "ECONNECTION",
      "ECONNECTION",
    ]);
    // Straight away the pending claims could belong to a live concurrent run: left alone.
    const soon = await run();
    expect(soon).toMatchObject({ sent: 0, skipped: 2 });
    expect(soon.details.map((d) => d.outcome)).toEqual(["in-flight", "in-flight"]);
    const after = await run({ now: LATER });
    expect(after).toMatchObject({ sent: 2, failed: 0 });
    expect(after.details.map((d) => d.outcome)).toEqual(["resent", "resent"]);
    expect(deliveredOnce(server)).toEqual(EXPECTED_IDS);
  });

  it("killed before a claim: the next run sends the rest at once, nothing twice", async () => {
    await expect(run({ store: dyingStore(store, "claimLedger", 3) })).rejects.toThrow(
      "killed at claimLedger #3",
    );
    expect(server.received).toHaveLength(2);
    const rerun = await run();
    expect(rerun).toMatchObject({ sent: 2, skipped: 0 });
    expect(deliveredOnce(server)).toEqual(EXPECTED_IDS);
  });

  it("killed between the send and its mark: that one message goes again with the same Message-ID, no other", async () => {
    await expect(run({ store: dyingStore(store, "markLedgerSent", 2) })).rejects.toThrow(
      "killed at markLedgerSent #2",
    );
    expect(server.received).toHaveLength(2);
    const inWindow = server.received[1]!.parsed.messageId!;
    const rerun = await run({ now: LATER });
    expect(rerun.sent).toBe(3);
    expect(rerun.details.find((d) => d.messageIds.includes(inWindow))?.outcome).toBe("resent");
    const counts = countIds(server);
    expect([...counts.keys()].sort()).toEqual(EXPECTED_IDS);
    expect(counts.get(inWindow)).toBe(2);
    expect([...counts.entries()].filter(([id]) => id !== inWindow).every(([, n]) => n === 1)).toBe(true);
  });

  it("a daily cap defers what is beyond it, and counts today's sends from the ledger", async () => {
    const first = await run({ dailyCap: 2 });
    expect(first).toMatchObject({ sent: 2, deferred: 2 });
    const sameDay = await run({ dailyCap: 2, now: LATER });
    expect(sameDay).toMatchObject({ sent: 0, deferred: 2 });
    expect(sentOnDay(await store.loadLedger(choDon.id), "2025-08-04", ZONE)).toBe(2);
    const raised = await run({ dailyCap: 10, now: LATER });
    expect(raised).toMatchObject({ sent: 2, deferred: 0 });
    expect(deliveredOnce(server)).toEqual(EXPECTED_IDS);
  });

  it("takes the cap from a configured mailer", async () => {
    const mailer = mailerFromConfig({
      DONDOC_MAIL_TRANSPORT: "smtp",
      DONDOC_MAIL_FROM: FROM.address,
      DONDOC_SMTP_HOST: server.host,
      DONDOC_SMTP_PORT: String(server.port),
      DONDOC_SMTP_SECURE: "false",
      DONDOC_MAIL_DAILY_CAP: "1",
    });
    const result = await run({ mailer });
    await mailer.close();
    expect(result).toMatchObject({ sent: 1, deferred: 3 });
  });

  it("splits a message over the recipient limit into parts, each sent once, resuming only the missing part", async () => {
    const base = smtp();
    const narrow: Mailer = { maxRecipientsPerMessage: 1, send: (m) => base.send(m) };
    let failOnce = true;
    const flaky: Mailer = {
      maxRecipientsPerMessage: 1,
      async send(m) {
        if (failOnce && m.messageId === "<digest~p0~part2.cho-don-2025@dondoc.local>") {
          failOnce = false;
          throw new Error("451 try again later");
        }
        return base.send(m);
      },
    };
    const first = await run({ mailer: flaky });
    // Nà Pán and the police: one address each; THCS and the leaders: two parts each, one of which failed.
    expect(first).toMatchObject({ sent: 5, failed: 1 });
    const again = await run({ mailer: narrow, now: LATER });
    expect(again.sent).toBe(1);
    expect(deliveredOnce(server)).toEqual([
      "<digest~p0~part1.cho-don-2025@dondoc.local>",
      "<digest~p0~part2.cho-don-2025@dondoc.local>",
      "<reminder~p1~cong-an-xa~2h.cho-don-2025@dondoc.local>",
      "<reminder~p1~thon-na-pan~2h.cho-don-2025@dondoc.local>",
      "<reminder~p1~truong-thcs~2h~part1.cho-don-2025@dondoc.local>",
      "<reminder~p1~truong-thcs~2h~part2.cho-don-2025@dondoc.local>",
    ]);
    const ledger = await store.loadLedger(choDon.id);
    expect(ledger.every((r) => r.state === "sent")).toBe(true);
    expect(ledger.map((r) => r.id)).toContain("digest~p0");
    // Six mails went today; the split messages' own records are not counted twice.
    expect(sentOnDay(ledger, "2025-08-04", ZONE)).toBe(6);
    expect(await run({ mailer: narrow, now: LATER })).toMatchObject({ sent: 0 });
  });
});

describe("splitByRecipients", () => {
  it("keeps a message within the limit whole and cuts others in order, each part with its own id", () => {
    const m: MailMessage = {
      to: ["a@x", "b@x", "c@x"],
      subject: "s",
      text: "t",
      html: "h",
      messageId: "<id.c@d>",
    };
    expect(splitByRecipients(m, 3, "id", "c", "d")).toEqual([{ ledgerId: "id", message: m }]);
    const parts = splitByRecipients(m, 2, "id", "c", "d");
    expect(parts.map((p) => [p.ledgerId, p.message.messageId, p.message.to])).toEqual([
      ["id~part1", "<id~part1.c@d>", ["a@x", "b@x"]],
      ["id~part2", "<id~part2.c@d>", ["c@x"]],
    ]);
  });
});

describe("replaying the Chợ Đồn timeline into the outbox", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "dondoc-replay-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reminds only before Monday and Thursday 14:00, only units that had not reported, and digests every cutoff", async () => {
    const wall = (iso: string) => DateTime.fromISO(iso, { zone: ZONE });
    const cutoffDays = ["2025-07-31", "2025-08-04", "2025-08-07", "2025-08-11", "2025-08-14", "2025-08-18"];
    const periodStarts = ["2025-07-28T00:00", ...cutoffDays.map((d) => `${d}T14:00`)];
    // Bản Tàm reports early in every period; Nà Pán in even periods only; THCS in the last hour before each
    // cutoff (after both reminders); the police never. Cốc Pái never reports and has no address.
    const timeline: Entry[] = [];
    periodStarts.slice(0, 6).forEach((start, k) => {
      const day = wall(start).plus({ days: 1 });
      timeline.push(helped("thon-ban-tam", day.set({ hour: 9 }).toISO()!));
      if (k % 2 === 0) timeline.push(helped("thon-na-pan", day.set({ hour: 10 }).toISO()!));
      timeline.push(helped("truong-thcs", `${cutoffDays[k]}T13:00`));
    });

    const store = new MemoryStore();
    let now = at("2025-07-28T00:00");
    const mailer = new OutboxMailer({ dir, from: FROM, clock: { now: () => now } });
    const grid: number[] = [];
    for (let t = now.getTime(); t <= at("2025-08-20T00:00").getTime(); t += 3 * 3_600_000) grid.push(t);
    const instants = [...new Set([...grid, ...reminderInstants(choDon).map((d) => d.toMillis())])].sort(
      (a, b) => a - b,
    );
    let sent = 0;
    for (const t of instants) {
      now = new Date(t);
      // What the sync would have stored by then: rows entered up to now.
      await seed(
        store,
        timeline.filter((e) => Date.parse(e.enteredAt!) <= t),
      );
      const result = await remindAt({ store, mailer, campaign: choDon, units: choDonUnits, now });
      expect(result.failed).toBe(0);
      sent += result.sent;
    }

    const files = (await readdir(dir)).sort();
    expect(files).toHaveLength(sent);
    const digests = files.filter((f) => f.startsWith("digest"));
    expect(digests).toEqual([0, 1, 2, 3, 4, 5, 6].map((k) => `digest~p${k}.cho-don-2025@dondoc.local.eml`));
    const reminders = files.filter((f) => f.startsWith("reminder"));
    const perUnit = new Map<string, string[]>();
    for (const f of reminders) {
      const [, period, unitId, offset] = f.replace(/\.cho-don-2025@.*$/, "").split("~");
      perUnit.set(unitId!, [...(perUnit.get(unitId!) ?? []), `${period}~${offset}`]);
      const mail = await simpleParser(await readFile(join(dir, f)));
      const k = Number(period!.slice(1));
      const cutoff = wall(`${cutoffDays[k]}T14:00`);
      // Sent before its deadline, which is a Monday or Thursday at 14:00, and says so in its subject.
      expect(mail.date!.getTime()).toBeLessThan(cutoff.toMillis());
      expect([1, 4]).toContain(cutoff.weekday);
      expect(mail.subject).toMatch(/trước 14:00 thứ (Hai|Năm), \d\d\/\d\d\/2025$/);
      expect(mail.subject).toContain(cutoff.toFormat("dd/MM/yyyy"));
      const hour = DateTime.fromJSDate(mail.date!, { zone: ZONE }).hour;
      expect(hour >= 7 && hour < 21).toBe(true);
    }
    const all = (keep: (slot: string) => boolean) =>
      [0, 1, 2, 3, 4, 5].flatMap((k) => [`p${k}~24h`, `p${k}~2h`]).filter(keep);
    expect(perUnit.get("thon-ban-tam")).toBeUndefined();
    expect(perUnit.get("thon-coc-pai")).toBeUndefined();
    expect(perUnit.get("cong-an-xa")?.sort()).toEqual(all(() => true).sort());
    expect(perUnit.get("truong-thcs")?.sort()).toEqual(all(() => true).sort());
    expect(perUnit.get("thon-na-pan")?.sort()).toEqual(all((x) => /^p[135]~/.test(x)).sort());

    const digest2 = await simpleParser(await readFile(join(dir, "digest~p2.cho-don-2025@dondoc.local.eml")));
    expect(digest2.text).toMatch(/HAI KỲ LIÊN TIẾP \(2\)\n- Công an xã: Công an\n- Thôn Cốc Pái: Thôn\n/);
    const final = await simpleParser(await readFile(join(dir, "digest~p6.cho-don-2025@dondoc.local.eml")));
    expect(final.subject).toBe("[Chợ Đồn] Tổng hợp kết quả cuối chiến dịch (hết ngày 18/08/2025)");
  });
});

describe("runReminderStep with standings given by the caller", () => {
  it("uses the caller's closed-period standings for the digest", async () => {
    const store = new MemoryStore();
    await seed(store, ENTRIES, STATES);
    const calls: string[] = [];
    const { computeStandings } = await import("../../functions/src/core/standings.ts");
    const standingsAt = (asOf: Date) =>
      computeStandings({
        campaign: choDon,
        units: choDonUnits,
        entries: ENTRIES,
        unitStates: STATES,
        issues: STATES.flatMap((s) => s.issues),
        asOf,
      }).standings;
    const sentMessages: MailMessage[] = [];
    const result = await runReminderStep({
      store,
      mailer: {
        maxRecipientsPerMessage: 100,
        send: async (m) => {
          sentMessages.push(m);
          return { messageId: m.messageId, accepted: m.to, rejected: [] };
        },
      },
      campaign: choDon,
      units: choDonUnits,
      standings: standingsAt(NOW),
      unitStates: STATES,
      clock: { now: () => NOW },
      standingsForPeriod: (p) => {
        calls.push(p.end);
        return standingsAt(new Date(Date.parse(p.end) - 1));
      },
    });
    expect(result.sent).toBe(4);
    expect(calls).toEqual(["2025-07-31T14:00:00.000+07:00"]);
    expect(sentMessages.find((m) => m.messageId.startsWith("<digest"))?.text).toContain("Tổng hợp kỳ 1");
  });
});
