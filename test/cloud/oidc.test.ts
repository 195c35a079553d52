import { describe, expect, it } from "vitest";
import { authenticateScheduler, certsOidcVerifier } from "../../functions/src/cloud/oidc.ts";
import { makeOidcIssuer } from "../support/oidc.ts";

const audience = "https://asia-southeast1-ubnd.cloudfunctions.net/dondoc-sync";
const serviceAccount = "dondoc-scheduler@ubnd.iam.gserviceaccount.com";
const issuer = makeOidcIssuer();
const verify = certsOidcVerifier(issuer.certs);
const good = { aud: audience, email: serviceAccount, email_verified: true, sub: "1234567890" };

describe("authenticateScheduler", () => {
  it("accepts Cloud Scheduler's token for this function", async () => {
    const result = await authenticateScheduler(
      `Bearer ${issuer.sign(good)}`,
      { audience, serviceAccount },
      verify,
    );
    expect(result).toEqual({ ok: true, email: serviceAccount });
  });

  it.each([
    ["no Authorization header", undefined, 401],
    ["a non-Bearer scheme", `Basic ${Buffer.from("a:b").toString("base64")}`, 401],
    ["garbage", "Bearer not.a.jwt", 401],
    ["a token for another function", `Bearer ${issuer.sign({ ...good, aud: `${audience}-other` })}`, 401],
    ["an expired token", `Bearer ${issuer.sign(good, { now: Date.now() - 7200_000, expiresIn: 600 })}`, 401],
    ["a token signed by someone else", `Bearer ${makeOidcIssuer().sign(good)}`, 401],
    ["another service account", `Bearer ${issuer.sign({ ...good, email: "intruder@evil.example" })}`, 403],
    ["an unverified e-mail", `Bearer ${issuer.sign({ ...good, email_verified: false })}`, 403],
  ])("refuses %s", async (_name, header, status) => {
    const result = await authenticateScheduler(header, { audience, serviceAccount }, verify);
    expect(result).toMatchObject({ ok: false, status });
  });
});
