// Scheduler endpoints accept only Cloud Scheduler's OIDC identity: a Google-signed ID token whose audience is
// this function's URL and whose e-mail is the scheduler's service account.
import { OAuth2Client, type TokenPayload } from "google-auth-library";

export type OidcVerifier = (idToken: string, audience: string) => Promise<TokenPayload | undefined>;

const GOOGLE_ISSUERS = ["https://accounts.google.com", "accounts.google.com"];

/** Production: Google's published certificates (fetched and cached by google-auth-library). */
export function googleOidcVerifier(client = new OAuth2Client()): OidcVerifier {
  return async (idToken, audience) => (await client.verifyIdToken({ idToken, audience })).getPayload();
}

/** Tests and private deployments: verify against given PEM certificates (key id → PEM). */
export function certsOidcVerifier(certs: Record<string, string>, client = new OAuth2Client()): OidcVerifier {
  return async (idToken, audience) =>
    (await client.verifySignedJwtWithCertsAsync(idToken, certs, audience, GOOGLE_ISSUERS)).getPayload();
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
  } catch {
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
