// A local HTTP server implementing the part of the Gmail API dondoc uses, so the GmailApiMailer is tested through
// the real @googleapis/gmail client (rootUrl pointed here). It answers the way the real API does for what matters:
// 401 UNAUTHENTICATED without a Bearer token, 400 INVALID_ARGUMENT for a missing or non-base64url `raw` or a message
// with no recipient, 404 for other paths; and it can be told to fail the next requests with 429 or 503.
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";

export interface GmailSent {
  userId: string;
  token: string;
  raw: Buffer;
  parsed: ParsedMail;
  id: string;
}

export interface GmailRequestLog {
  method: string;
  path: string;
  status: number;
}

export interface InjectedFailure {
  status: number;
  /** Seconds, sent as Retry-After. */
  retryAfter?: number;
}

export interface GmailFake {
  rootUrl: string;
  sent: GmailSent[];
  requests: GmailRequestLog[];
  /** The next requests to messages.send fail with these statuses, in order. */
  failNext(...failures: InjectedFailure[]): void;
  close(): Promise<void>;
}

const STATUS_NAMES: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  404: "NOT_FOUND",
  429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL",
  503: "UNAVAILABLE",
};

function googleError(
  res: ServerResponse,
  status: number,
  message: string,
  reason: string,
  headers = {},
): void {
  const body = {
    error: {
      code: status,
      message,
      errors: [{ message, domain: "global", reason }],
      status: STATUS_NAMES[status] ?? "UNKNOWN",
    },
  };
  res.writeHead(status, { "content-type": "application/json; charset=UTF-8", ...headers });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

const SEND_PATH = /^\/gmail\/v1\/users\/([^/]+)\/messages\/send$/;
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

export async function startGmailFake(
  options: { acceptToken?: (token: string) => boolean } = {},
): Promise<GmailFake> {
  const sent: GmailSent[] = [];
  const requests: GmailRequestLog[] = [];
  const failures: InjectedFailure[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<number> => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const match = SEND_PATH.exec(url.pathname);
    if (req.method !== "POST" || !match) {
      googleError(res, 404, "Not Found", "notFound");
      return 404;
    }
    const auth = req.headers.authorization ?? "";
    const token = /^Bearer (\S+)$/.exec(auth)?.[1];
    if (!token || !(options.acceptToken?.(token) ?? true)) {
      googleError(
        res,
        401,
        "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential.",
        "required",
        { "www-authenticate": 'Bearer realm="https://accounts.google.com/"' },
      );
      return 401;
    }
    const failure = failures.shift();
    if (failure) {
      const headers = failure.retryAfter === undefined ? {} : { "retry-after": String(failure.retryAfter) };
      const reason = failure.status === 429 ? "rateLimitExceeded" : "backendError";
      googleError(res, failure.status, `Injected ${failure.status}`, reason, headers);
      return failure.status;
    }
    let body: unknown;
    try {
      body = JSON.parse((await readBody(req)).toString("utf8"));
    } catch {
      googleError(res, 400, "Invalid JSON payload received.", "parseError");
      return 400;
    }
    const raw = (body as { raw?: unknown } | null)?.raw;
    if (typeof raw !== "string" || raw === "") {
      googleError(
        res,
        400,
        "'raw' RFC822 payload message string or uploading message via /upload/* URL required",
        "invalidArgument",
      );
      return 400;
    }
    if (!BASE64URL.test(raw)) {
      googleError(res, 400, "Invalid value at 'message.raw' (TYPE_BYTES), Base64 decoding failed", "invalid");
      return 400;
    }
    const bytes = Buffer.from(raw, "base64url");
    const parsed = await simpleParser(bytes);
    const addresses = [parsed.to, parsed.cc, parsed.bcc]
      .flatMap((a) => (a === undefined ? [] : Array.isArray(a) ? a : [a]))
      .flatMap((a) => a.value)
      .filter((a) => a.address);
    if (addresses.length === 0) {
      googleError(res, 400, "Recipient address required", "invalidArgument");
      return 400;
    }
    const id = createHash("sha1").update(bytes).digest("hex").slice(0, 16);
    sent.push({ userId: decodeURIComponent(match[1]!), token, raw: bytes, parsed, id });
    res.writeHead(200, { "content-type": "application/json; charset=UTF-8" });
    res.end(JSON.stringify({ id, threadId: id, labelIds: ["SENT"] }));
    return 200;
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).then(
      (status) => requests.push({ method: req.method ?? "", path: req.url ?? "", status }),
      (err: unknown) => {
        requests.push({ method: req.method ?? "", path: req.url ?? "", status: 500 });
        googleError(res, 500, String(err), "backendError");
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    rootUrl: `http://127.0.0.1:${port}/`,
    sent,
    requests,
    failNext: (...f) => {
      failures.push(...f);
    },
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
