import { describe, expect, it } from "vitest";
import { authenticateScheduler, certsOidcVerifier, lazyOAuthClient } from "../../functions/src/cloud/oidc.ts";
import { DondocError } from "../../functions/src/core/errors.ts";
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

describe("the OIDC client, loaded on first use", () => {
  it("loads google-auth-library once, at the first verification", async () => {
    let loads = 0;
    const client = lazyOAuthClient(async () => {
      loads++;
      return import("google-auth-library");
    });
    expect(loads).toBe(0);
    const verify = certsOidcVerifier(issuer.certs, client);
    expect(loads).toBe(0);
    for (let i = 0; i < 3; i++) {
      const result = await authenticateScheduler(
        `Bearer ${issuer.sign(good)}`,
        { audience, serviceAccount },
        verify,
      );
      expect(result).toEqual({ ok: true, email: serviceAccount });
    }
    expect(loads).toBe(1);
  });

  it("reports a failed load as a fault rather than a bad token, and loads again at the next request", async () => {
    let loads = 0;
    const client = lazyOAuthClient(async () => {
      loads++;
      if (loads === 1) throw new Error("Cannot find package 'google-auth-library'");
      return import("google-auth-library");
    });
    const verify = certsOidcVerifier(issuer.certs, client);
    const header = `Bearer ${issuer.sign(good)}`;
    const failed = authenticateScheduler(header, { audience, serviceAccount }, verify);
    await expect(failed).rejects.toBeInstanceOf(DondocError);
    await expect(failed).rejects.toMatchObject({ code: "oidc-unavailable" });
    expect(await authenticateScheduler(header, { audience, serviceAccount }, verify)).toEqual({
      ok: true,
      email: serviceAccount,
    });
    expect(loads).toBe(2);
  });
});
