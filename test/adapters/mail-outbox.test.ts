import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simpleParser } from "mailparser";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OutboxMailer, outboxFileName } from "../../functions/src/adapters/mail/outbox.ts";
import { buildMime } from "../../functions/src/adapters/mail/rfc5322.ts";
import type { MailMessage } from "../../functions/src/core/ports.ts";

const message: MailMessage = {
  to: ["napan@example.vn", "truongthon@example.vn"],
  subject: "[Chợ Đồn] Nhắc báo cáo trước 14:00 thứ Hai, 04/08/2025",
  text: "Kính gửi: Thôn Nà Pán,\n\nĐề nghị đơn vị cập nhật số liệu trước 14:00 thứ Hai, 04/08/2025.\n",
  html: "<p>Kính gửi: <b>Thôn Nà Pán</b>,</p><p>… trước <b>14:00 thứ Hai, 04/08/2025</b>.</p>",
  messageId: "<reminder~p1~thon-na-pan~2h.cho-don-2025@dondoc.local>",
  fromName: "UBND xã Chợ Đồn",
};

describe("OutboxMailer", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "dondoc-outbox-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes an .eml a mail client opens: From, To, Subject, Date, Message-ID, MIME-Version, multipart/alternative", async () => {
    const now = new Date("2025-08-04T05:00:00.000Z");
    const mailer = new OutboxMailer({
      dir: join(dir, "outbox"),
      from: { address: "dondoc@chodon.example.vn" },
      clock: { now: () => now },
    });
    const result = await mailer.send(message);
    expect(result).toEqual({ messageId: message.messageId, accepted: message.to, rejected: [] });
    expect(await readdir(join(dir, "outbox"))).toEqual([
      "reminder~p1~thon-na-pan~2h.cho-don-2025@dondoc.local.eml",
    ]);

    const raw = await readFile(mailer.pathOf(message.messageId));
    const text = raw.toString("utf8");
    // Headers are 7-bit (RFC 2047 words) and lines end in CRLF, as RFC 5322 requires.
    const headerBlock = text.slice(0, text.indexOf("\r\n\r\n"));
    expect(headerBlock).toMatch(/^[\x20-\x7e\r\n\t]*$/);
    expect(text.split("\r\n").every((line) => line.length <= 998)).toBe(true);
    for (const h of ["From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type"]) {
      expect(headerBlock).toMatch(new RegExp(`^${h}: `, "m"));
    }
    const parsed = await simpleParser(raw);
    expect(parsed.subject).toBe(message.subject);
    expect(parsed.messageId).toBe(message.messageId);
    expect(parsed.date?.toISOString()).toBe(now.toISOString());
    expect(parsed.from?.value).toEqual([{ address: "dondoc@chodon.example.vn", name: "UBND xã Chợ Đồn" }]);
    expect(parsed.headers.get("mime-version")).toBe("1.0");
    expect(parsed.headers.get("content-type")).toMatchObject({ value: "multipart/alternative" });
    expect(parsed.text).toBe(message.text);
    expect(parsed.html).toBe(message.html);
  });

  it("resending the same message rewrites the same file (identical bytes at the same time)", async () => {
    const now = new Date("2025-08-04T05:00:00.000Z");
    const mailer = new OutboxMailer({
      dir,
      from: { address: "dondoc@chodon.example.vn" },
      clock: { now: () => now },
    });
    await mailer.send(message);
    const first = await readFile(mailer.pathOf(message.messageId));
    await mailer.send(message);
    await mailer.send({
      ...message,
      messageId: "<digest~p1.cho-don-2025@dondoc.local>",
      subject: "Tổng hợp",
    });
    expect((await readdir(dir)).sort()).toEqual([
      "digest~p1.cho-don-2025@dondoc.local.eml",
      "reminder~p1~thon-na-pan~2h.cho-don-2025@dondoc.local.eml",
    ]);
    expect((await readFile(mailer.pathOf(message.messageId))).equals(first)).toBe(true);
  });

  it("names files safely whatever the Message-ID holds", () => {
    expect(outboxFileName('<a/b\\c:d*e?f"g|h.x@y>')).toBe("a_b_c_d_e_f_g_h.x@y.eml");
  });

  it("refuses a message without recipients or with a malformed Message-ID", async () => {
    const opts = { from: { address: "dondoc@chodon.example.vn" }, date: new Date() };
    await expect(buildMime({ ...message, to: [] }, opts)).rejects.toMatchObject({
      code: "mail-no-recipients",
    });
    await expect(buildMime({ ...message, messageId: "no-brackets@x" }, opts)).rejects.toMatchObject({
      code: "mail-message-id",
    });
  });
});
