// Scheduler endpoints accept only Cloud Scheduler's OIDC identity: a Google-signed ID token whose audience is
// this function's URL and whose e-mail is the scheduler's service account.
import type { OAuth2Client, TokenPayload } from "google-auth-library";
import { DondocError } from "../core/errors.ts";

export type OidcVerifier = (idToken: string, audience: string) => Promise<TokenPayload | undefined>;

const GOOGLE_ISSUERS = ["https://accounts.google.com", "accounts.google.com"];

/**
 * google-auth-library's client, loaded on the first verification rather than when the function's module is
 * imported: ~100 ms of a cold start on the bench machine, and `ingest` (authenticated by its push signature)
 * never verifies an OIDC token. A failed load is a deployment fault, not a bad token: it is reported as such
 * (authenticateScheduler lets it through as an error, not a 401), and the next request loads again.
 */
export function lazyOAuthClient(
  load: () => Promise<typeof import("google-auth-library")> = () => import("google-auth-library"),
): () => Promise<OAuth2Client> {
  let client: Promise<OAuth2Client> | undefined;
  return () => {
    client ??= load().then(
      (library) => new library.OAuth2Client(),
      (error: unknown) => {
        client = undefined;
        throw new DondocError("oidc-unavailable", "Không tải được thư viện xác thực OIDC.", { cause: error });
      },
    );
    return client;
  };
}

/** Production: Google's published certificates (fetched and cached by google-auth-library). */
export function googleOidcVerifier(client = lazyOAuthClient()): OidcVerifier {
  return async (idToken, audience) =>
    (await (await client()).verifyIdToken({ idToken, audience })).getPayload();
}

/** Tests and private deployments: verify against given PEM certificates (key id → PEM). */
export function certsOidcVerifier(certs: Record<string, string>, client = lazyOAuthClient()): OidcVerifier {
  return async (idToken, audience) =>
    (
      await (await client()).verifySignedJwtWithCertsAsync(idToken, certs, audience, GOOGLE_ISSUERS)
    ).getPayload();
}

export type OidcResult = { ok: true; email: string } | { ok: false; status: 401 | 403; message: string };

export async function authenticateScheduler(
  authorization: string | undefined,
  expected: { audience: string; serviceAccount: string },
  verify: OidcVerifier,
): Promise<OidcResult> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
  if (!match) return { ok: false, status: 401, message: "Thiếu mã xác thực OIDC." };
  let payload: TokenPayload | undefined;
  try {
    payload = await verify(match[1]!, expected.audience);
  } catch (error) {
    if (error instanceof DondocError) throw error; // the verifier could not run: not the caller's fault
    return { ok: false, status: 401, message: "Mã xác thực OIDC không hợp lệ hoặc đã hết hạn." };
  }
  if (!payload?.email || payload.email_verified !== true || payload.email !== expected.serviceAccount) {
    return {
      ok: false,
      status: 403,
      message: "Danh tính gọi không phải tài khoản dịch vụ của Cloud Scheduler.",
    };
  }
  return { ok: true, email: payload.email };
}
