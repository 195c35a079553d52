import { gmail } from "@googleapis/gmail";
import { OAuth2Client } from "google-auth-library";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GmailApiMailer } from "../../functions/src/adapters/mail/gmail.ts";
import type { MailMessage } from "../../functions/src/core/ports.ts";
import { type GmailFake, startGmailFake } from "../support/gmail-fake.ts";

const message: MailMessage = {
  to: ["chutich@chodon.example.vn", "vanphong@chodon.example.vn"],
  subject: "[Chợ Đồn] Tổng hợp kỳ 2, hạn 14:00 thứ Hai, 04/08/2025",
  text: "Tổng hợp kỳ 2: từ 14:00 thứ Năm, 31/07/2025 đến 14:00 thứ Hai, 04/08/2025\n",
  html: "<p>Tổng hợp kỳ 2</p>",
  messageId: "<digest~p1.cho-don-2025@dondoc.local>",
  fromName: "UBND xã Chợ Đồn",
};
const FROM = { address: "nhacnho@chodon.example.vn" };

function bearer(token = "ya29.test-token"): OAuth2Client {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: token });
  return auth;
}

describe("GmailApiMailer through the real @googleapis/gmail client", () => {
  let fake: GmailFake;
  beforeAll(async () => {
    fake = await startGmailFake({ acceptToken: (t) => t === "ya29.test-token" });
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => {
    fake.sent.length = 0;
    fake.requests.length = 0;
  });

  it("sends the RFC 5322 message as base64url raw to users/me/messages.send with a Bearer token", async () => {
    const mailer = new GmailApiMailer({ auth: bearer(), rootUrl: fake.rootUrl, from: FROM });
    const result = await mailer.send(message);
    expect(result).toEqual({ messageId: message.messageId, accepted: message.to, rejected: [] });
    expect(fake.sent).toHaveLength(1);
    const [sent] = fake.sent;
    expect(sent?.userId).toBe("me");
    expect(sent?.token).toBe("ya29.test-token");
    expect(sent?.parsed.subject).toBe(message.subject);
    expect(sent?.parsed.messageId).toBe(message.messageId);
    expect(sent?.parsed.text).toBe(message.text);
    expect(sent?.parsed.html).toBe(message.html);
    expect(sent?.parsed.from?.value).toEqual([{ address: FROM.address, name: "UBND xã Chợ Đồn" }]);
    expect(fake.requests).toEqual([
      // Compact JSON asked for, as every client of ours does (adapters/google/compact-json.ts).
      { method: "POST", path: "/gmail/v1/users/me/messages/send?prettyPrint=false", status: 200 },
    ]);
  });

  it("retries 503 and 429 with jittered exponential backoff, honouring Retry-After", async () => {
    const sleeps: number[] = [];
    const mailer = new GmailApiMailer({
      auth: bearer(),
      rootUrl: fake.rootUrl,
      from: FROM,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 0.5,
    });
    fake.failNext({ status: 503 }, { status: 429, retryAfter: 3 });
    await mailer.send(message);
    expect(fake.requests.map((r) => r.status)).toEqual([503, 429, 200]);
    // Attempt 1 → half of 1 s; attempt 2 → half of 2 s is 1 s, but the server asked for 3 s.
    expect(sleeps).toEqual([500, 3000]);
    expect(mailer.lastAttempts).toBe(3);
    expect(fake.sent).toHaveLength(1);
  });

  it("gives up after the bounded attempts with a coded error, sending nothing", async () => {
    const sleeps: number[] = [];
    const mailer = new GmailApiMailer({
      auth: bearer(),
      rootUrl: fake.rootUrl,
      from: FROM,
      retry: { attempts: 4, baseDelayMs: 100, maxDelayMs: 250 },
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 0.999,
    });
    fake.failNext(...Array.from({ length: 4 }, () => ({ status: 503 })));
    await expect(mailer.send(message)).rejects.toMatchObject({
      code: "gmail-send-failed",
      details: expect.objectContaining({ status: 503, attempts: 4 }),
    });
    expect(sleeps).toEqual([99, 199, 249]);
    expect(fake.sent).toHaveLength(0);
  });

  it("does not retry a 401: a client without credentials is refused at once", async () => {
    const sleeps: number[] = [];
    const anonymous = gmail({ version: "v1", rootUrl: fake.rootUrl });
    const mailer = new GmailApiMailer({
      client: anonymous,
      from: FROM,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
    await expect(mailer.send(message)).rejects.toMatchObject({
      code: "gmail-send-failed",
      details: expect.objectContaining({ status: 401, attempts: 1 }),
    });
    expect(sleeps).toEqual([]);

    const wrongToken = new GmailApiMailer({ auth: bearer("expired"), rootUrl: fake.rootUrl, from: FROM });
    await expect(wrongToken.send(message)).rejects.toMatchObject({
      details: expect.objectContaining({ status: 401 }),
    });
    expect(fake.sent).toHaveLength(0);
  });

  it("over the recipient limit it refuses before calling the API", async () => {
    const mailer = new GmailApiMailer({
      auth: bearer(),
      rootUrl: fake.rootUrl,
      from: FROM,
      maxRecipientsPerMessage: 1,
    });
    await expect(mailer.send(message)).rejects.toMatchObject({ code: "mail-too-many-recipients" });
    expect(fake.requests).toEqual([]);
  });
});

describe("the Gmail fake answers malformed requests as the API does", () => {
  let fake: GmailFake;
  beforeAll(async () => {
    fake = await startGmailFake();
  });
  afterAll(async () => {
    await fake.close();
  });

  const post = (body: unknown, headers: Record<string, string> = { authorization: "Bearer t" }) =>
    fetch(new URL("gmail/v1/users/me/messages/send", fake.rootUrl), {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });

  it.each([
    [{}, 400, "INVALID_ARGUMENT"],
    [{ raw: "" }, 400, "INVALID_ARGUMENT"],
    [{ raw: "bm90/base64+std" }, 400, "INVALID_ARGUMENT"],
    [{ raw: Buffer.from("Subject: x\r\n\r\nbody").toString("base64url") }, 400, "INVALID_ARGUMENT"],
  ])("%j → %d", async (body, status, name) => {
    const res = await post(body);
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: { status: string } }).error.status).toBe(name);
  });

  it("401 without a Bearer token", async () => {
    const res = await post({ raw: "eA" }, {});
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
  });
});
