import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  mailConfigFromEnv,
  mailerFromConfig,
  parseMailConfig,
} from "../../functions/src/adapters/mail/config.ts";
import type { MailMessage } from "../../functions/src/core/ports.ts";
import { type SmtpFixture, startSmtpServer } from "../support/smtp.ts";

const message: MailMessage = {
  to: ["napan@example.vn"],
  subject: "Nhắc báo cáo",
  text: "Nội dung\n",
  html: "<p>Nội dung</p>",
  messageId: "<reminder~p1~thon-na-pan~2h.cho-don-2025@dondoc.local>",
};

describe("mailerFromConfig", () => {
  let dir: string;
  let smtp: SmtpFixture;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "dondoc-mailcfg-"));
    smtp = await startSmtpServer({ auth: { user: "u@example.vn", pass: "app-pass" } });
  });
  afterAll(async () => {
    await smtp.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("defaults to the outbox with a placeholder sender and no cap", async () => {
    const mailer = mailerFromConfig({ DONDOC_OUTBOX_DIR: join(dir, "box") });
    expect(mailer.transport).toBe("outbox");
    expect(mailer.dailyCap).toBeNull();
    expect(mailer.maxRecipientsPerMessage).toBe(100);
    expect(mailer.messageIdDomain).toBe("dondoc.local");
    await mailer.send(message);
    expect(await readdir(join(dir, "box"))).toEqual([
      "reminder~p1~thon-na-pan~2h.cho-don-2025@dondoc.local.eml",
    ]);
  });

  it("builds an SMTP mailer from the environment that really sends, with Gmail's consumer cap by default", async () => {
    const mailer = mailerFromConfig({
      DONDOC_MAIL_TRANSPORT: "smtp",
      DONDOC_MAIL_FROM: "nhacnho@chodon.example.vn",
      DONDOC_SMTP_HOST: smtp.host,
      DONDOC_SMTP_PORT: String(smtp.port),
      DONDOC_SMTP_SECURE: "false",
      DONDOC_SMTP_USER: "u@example.vn",
      DONDOC_SMTP_PASS: "app-pass",
      DONDOC_MAIL_MAX_RECIPIENTS: "50",
      DONDOC_MAIL_DOMAIN: "chodon.example.vn",
    });
    expect(mailer.transport).toBe("smtp");
    expect(mailer.dailyCap).toBe(500);
    expect(mailer.maxRecipientsPerMessage).toBe(50);
    expect(mailer.messageIdDomain).toBe("chodon.example.vn");
    await mailer.send(message);
    await mailer.close();
    expect(smtp.received.map((r) => [r.user, r.parsed.messageId])).toEqual([
      ["u@example.vn", message.messageId],
    ]);
  });

  it("builds a Gmail API mailer from a service account key file, Workspace cap by default", async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const keyFile = join(dir, "sa.json");
    await writeFile(
      keyFile,
      JSON.stringify({
        type: "service_account",
        client_email: "dondoc-mailer@project.iam.gserviceaccount.com",
        private_key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      }),
    );
    const mailer = mailerFromConfig({
      DONDOC_MAIL_TRANSPORT: "gmail",
      DONDOC_MAIL_FROM: "nhacnho@chodon.example.vn",
      GOOGLE_APPLICATION_CREDENTIALS: keyFile,
      DONDOC_MAIL_DAILY_CAP: "1800",
    });
    expect(mailer.transport).toBe("gmail");
    expect(mailer.dailyCap).toBe(1800);
    expect(
      mailConfigFromEnv({ DONDOC_MAIL_TRANSPORT: "gmail", GOOGLE_APPLICATION_CREDENTIALS: keyFile }).keyFile,
    ).toBe(keyFile);
  });

  it.each([
    [{ DONDOC_MAIL_TRANSPORT: "pigeon" }, "DONDOC_MAIL_TRANSPORT phải là outbox, smtp hoặc gmail"],
    [{ DONDOC_MAIL_TRANSPORT: "smtp", DONDOC_MAIL_FROM: "x@example.vn" }, "DONDOC_SMTP_HOST (host)"],
    [
      { DONDOC_MAIL_TRANSPORT: "smtp", DONDOC_MAIL_FROM: "không phải địa chỉ", DONDOC_SMTP_HOST: "h" },
      "DONDOC_MAIL_FROM (from)",
    ],
    [
      {
        DONDOC_MAIL_TRANSPORT: "smtp",
        DONDOC_MAIL_FROM: "x@example.vn",
        DONDOC_SMTP_HOST: "h",
        DONDOC_SMTP_PORT: "0",
      },
      "DONDOC_SMTP_PORT (port)",
    ],
    [
      {
        DONDOC_MAIL_TRANSPORT: "smtp",
        DONDOC_MAIL_FROM: "x@example.vn",
        DONDOC_SMTP_HOST: "h",
        DONDOC_SMTP_USER: "u",
      },
      "DONDOC_SMTP_USER và DONDOC_SMTP_PASS phải có cùng nhau",
    ],
    [
      { DONDOC_MAIL_TRANSPORT: "gmail", DONDOC_MAIL_FROM: "x@example.vn" },
      "Gmail API cần khóa tài khoản dịch vụ",
    ],
    [
      {
        DONDOC_MAIL_TRANSPORT: "gmail",
        DONDOC_MAIL_FROM: "x@example.vn",
        DONDOC_GMAIL_KEY_FILE: "/nonexistent/key.json",
      },
      "không đọc được tệp khóa /nonexistent/key.json",
    ],
    [{ DONDOC_MAIL_DAILY_CAP: "-5" }, "DONDOC_MAIL_DAILY_CAP (dailyCap)"],
  ])("rejects %j with a clear message", (env, fragment) => {
    expect(() => mailerFromConfig(env)).toThrow(
      expect.objectContaining({ code: "mail-config-invalid", message: expect.stringContaining(fragment) }),
    );
  });

  it("accepts a config object as well as an environment", () => {
    const c = parseMailConfig({
      transport: "smtp",
      host: "smtp.gmail.com",
      from: "a@example.vn",
      user: "a@example.vn",
      pass: "p",
    });
    expect(c).toMatchObject({ transport: "smtp", port: 465, dailyCap: 500, maxRecipientsPerMessage: 100 });
    const mailer = mailerFromConfig({ transport: "outbox", dir, from: "a@example.vn" });
    expect(mailer.transport).toBe("outbox");
  });
});
