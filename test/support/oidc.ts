// A stand-in for Google's OIDC issuer: an RSA key whose public half the verifier is given, and tokens signed
// with it in exactly the shape Cloud Scheduler sends (RS256 JWT, iss accounts.google.com, aud = function URL).
import { createSign, generateKeyPairSync } from "node:crypto";

const b64url = (data: Buffer | string) => Buffer.from(data).toString("base64url");

export function makeOidcIssuer(kid = "test-key-1") {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const certs = { [kid]: publicKey.export({ type: "spki", format: "pem" }).toString() };
  function sign(claims: Record<string, unknown>, opts: { expiresIn?: number; now?: number } = {}): string {
    const iat = Math.floor((opts.now ?? Date.now()) / 1000);
    const payload = {
      iss: "https://accounts.google.com",
      iat,
      exp: iat + (opts.expiresIn ?? 3600),
      ...claims,
    };
    const head = b64url(JSON.stringify({ alg: "RS256", typ: "JWT", kid }));
    const body = b64url(JSON.stringify(payload));
    const signature = createSign("RSA-SHA256").update(`${head}.${body}`).sign(privateKey);
    return `${head}.${body}.${b64url(signature)}`;
  }
  return { certs, sign };
}
