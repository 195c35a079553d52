import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SmtpMailer } from "../../functions/src/adapters/mail/smtp.ts";
import { reminderMail } from "../../functions/src/core/mail-content.ts";
import type { MailMessage } from "../../functions/src/core/ports.ts";
import { type PlannedReminder, planReminders } from "../../functions/src/core/reminders.ts";
import { at, choDon, choDonUnits, emptyState, helped, issue, standingsAt } from "../support/cho-don-mail.ts";
import { type SmtpFixture, startSmtpServer } from "../support/smtp.ts";

const FROM = { address: "nhacnho@chodon.example.vn", name: "UBND xã Chợ Đồn" };
const NOW = at("2025-08-04T12:00");

/** A real reminder whose unit's sheet errors quote a citizen id and a phone, as a careless message might. */
function reminder(): MailMessage {
  const states = [
    emptyState("truong-thcs", {
      issues: [
        issue("truong-thcs", 4, "E", "Số định danh cá nhân", "Số định danh 001203004567 trùng với dòng 9."),
        issue("truong-thcs", 5, "F", "Số điện thoại", "Số điện thoại 0912345678 thiếu một chữ số?"),
      ],
    }),
  ];
  const standings = standingsAt(NOW, [helped("truong-thcs", "2025-08-02T10:00")], { states });
  const planned = planReminders({
    campaign: choDon,
    units: choDonUnits,
    standings,
    unitStates: states,
    now: NOW,
    ledger: [],
  }).due.find((p): p is PlannedReminder => p.kind === "reminder" && p.unitId === "truong-thcs")!;
  const unit = choDonUnits.find((u) => u.id === "truong-thcs")!;
  return reminderMail({ campaign: choDon, unit, standings, planned });
}

function assertNoPersonalData(...texts: string[]) {
  for (const t of texts) {
    expect(t).not.toMatch(/(?<!\d)\d{12}(?!\d)/);
    expect(t).not.toMatch(/(?<!\d)0\d{9}(?!\d)/);
  }
}

describe("SmtpMailer against a real SMTP server", () => {
  let server: SmtpFixture;
  beforeAll(async () => {
    server = await startSmtpServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it("delivers a multipart Vietnamese reminder that reads back intact, with no id or phone anywhere", async () => {
    const mailer = new SmtpMailer({
      host: server.host,
      port: server.port,
      secure: false,
      from: FROM,
      clock: { now: () => NOW },
    });
    const message = reminder();
    const result = await mailer.send(message);
    mailer.close();
    expect(result).toEqual({
      messageId: message.messageId,
      accepted: ["hieutruong.thcs@example.vn", "thcs@example.vn"],
      rejected: [],
    });

    const got = server.received.find((r) => r.parsed.messageId === message.messageId)!;
    expect(got.from).toBe("nhacnho@chodon.example.vn");
    expect(got.recipients).toEqual(["hieutruong.thcs@example.vn", "thcs@example.vn"]);
    const p = got.parsed;
    expect(p.subject).toBe("[Chợ Đồn] Nhắc sửa lỗi số liệu trước 14:00 thứ Hai, 04/08/2025");
    expect(p.from?.value).toEqual([{ address: "nhacnho@chodon.example.vn", name: "UBND xã Chợ Đồn" }]);
    const to = Array.isArray(p.to) ? p.to : [p.to!];
    expect(to.flatMap((a) => a.value.map((v) => v.address))).toEqual([
      "hieutruong.thcs@example.vn",
      "thcs@example.vn",
    ]);
    expect(p.date?.toISOString()).toBe(NOW.toISOString());
    expect(p.headers.get("auto-submitted")).toBe("auto-generated");
    expect(p.headers.get("content-type")).toMatchObject({ value: "multipart/alternative" });
    expect(p.text).toContain("Kính gửi: Trường THCS Chợ Đồn,");
    expect(p.text).toContain("14:00 thứ Hai, 04/08/2025");
    expect(p.text).toContain(
      "Dòng 4, cột E (Số định danh cá nhân): Số định danh 001*******67 trùng với dòng 9.",
    );
    expect(p.html).toContain("<b>14:00 thứ Hai, 04/08/2025</b>");
    expect(p.html).toContain("Số điện thoại 091*****78 thiếu một chữ số?");
    assertNoPersonalData(got.raw.toString("utf8"), p.text ?? "", String(p.html), p.subject ?? "");
  });

  it("authenticates when the server asks (Gmail with an app password works the same way)", async () => {
    const authed = await startSmtpServer({
      auth: { user: "nhacnho@chodon.example.vn", pass: "app-password-16ch" },
    });
    try {
      const good = new SmtpMailer({
        host: authed.host,
        port: authed.port,
        secure: false,
        auth: { user: "nhacnho@chodon.example.vn", pass: "app-password-16ch" },
        from: FROM,
      });
      await good.send(reminder());
      good.close();
      expect(authed.received.map((r) => r.user)).toEqual(["nhacnho@chodon.example.vn"]);

      const bad = new SmtpMailer({
        host: authed.host,
        port: authed.port,
        secure: false,
        auth: { user: "nhacnho@chodon.example.vn", pass: "wrong" },
        from: FROM,
      });
      await expect(bad.send(reminder())).rejects.toMatchObject({ code: "EAUTH" });
      bad.close();
      expect(authed.received).toHaveLength(1);
    } finally {
      await authed.close();
    }
  });

  it("reports recipients the server refuses while delivering to the others", async () => {
    const picky = await startSmtpServer({ rejectRecipients: ["thcs@example.vn"] });
    try {
      const mailer = new SmtpMailer({ host: picky.host, port: picky.port, secure: false, from: FROM });
      const result = await mailer.send(reminder());
      mailer.close();
      expect(result.accepted).toEqual(["hieutruong.thcs@example.vn"]);
      expect(result.rejected).toEqual(["thcs@example.vn"]);
      expect(picky.received[0]?.recipients).toEqual(["hieutruong.thcs@example.vn"]);
    } finally {
      await picky.close();
    }
  });

  it("refuses a message over its recipient limit instead of letting the server truncate it", async () => {
    const mailer = new SmtpMailer({
      host: server.host,
      port: server.port,
      secure: false,
      from: FROM,
      maxRecipientsPerMessage: 1,
    });
    const before = server.received.length;
    await expect(mailer.send(reminder())).rejects.toMatchObject({ code: "mail-too-many-recipients" });
    mailer.close();
    expect(server.received).toHaveLength(before);
  });
});
