// A real SMTP server (the smtp-server package) on a free loopback port. Every message it accepts is kept raw and
// parsed back with mailparser before the server answers 250, so once a send resolves, the message is here.
import type { AddressInfo } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  /** Envelope: what the client said in MAIL FROM / RCPT TO. */
  from: string;
  recipients: string[];
  raw: Buffer;
  parsed: ParsedMail;
  /** The authenticated user, when the server asked for one. */
  user: string | null;
}

export interface SmtpFixture {
  host: string;
  port: number;
  received: ReceivedMail[];
  close(): Promise<void>;
}

export interface SmtpFixtureOptions {
  /** Require AUTH with these credentials. */
  auth?: { user: string; pass: string };
  /** RCPT TO addresses the server refuses with 550. */
  rejectRecipients?: string[];
}

export async function startSmtpServer(options: SmtpFixtureOptions = {}): Promise<SmtpFixture> {
  const received: ReceivedMail[] = [];
  const rejected = new Set((options.rejectRecipients ?? []).map((a) => a.toLowerCase()));
  const server = new SMTPServer({
    // No TLS on loopback: the test certificates would be the only thing tested.
    disabledCommands: options.auth ? ["STARTTLS"] : ["STARTTLS", "AUTH"],
    authOptional: !options.auth,
    allowInsecureAuth: true,
    logger: false,
    size: 10 * 1024 * 1024,
    onAuth(auth, _session, callback) {
      if (options.auth && auth.username === options.auth.user && auth.password === options.auth.pass) {
        callback(null, { user: auth.username });
      } else {
        callback(new Error("Invalid username or password"));
      }
    },
    onRcptTo(address, _session, callback) {
      if (rejected.has(address.address.toLowerCase())) {
        const err = Object.assign(new Error("Mailbox unavailable"), { responseCode: 550 });
        callback(err);
      } else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          (parsed) => {
            received.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
              recipients: session.envelope.rcptTo.map((r) => r.address),
              raw,
              parsed,
              user: typeof session.user === "string" ? session.user : null,
            });
            callback();
          },
          (err: Error) => callback(err),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.server.address() as AddressInfo;
  return {
    host: "127.0.0.1",
    port: address.port,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
