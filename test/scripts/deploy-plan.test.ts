import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { deployPlan, functionUrl } from "../../scripts/deploy-plan.ts";

const options = {
  project: "ubnd-cho-don",
  region: "asia-southeast1",
  campaignDir: "examples/cho-don",
  leadersSpreadsheetId: "1AbCdEfGhIjKlMnOpQrStUvWxYz",
  syncEveryMinutes: 15,
  mailer: "gmail" as const,
  mailFrom: "ubnd@chodon.example.vn",
};

describe("deploy plan", () => {
  const plan = deployPlan(options);
  const deploys = plan.filter((c) => c.argv.slice(0, 3).join(" ") === "gcloud functions deploy");

  it("deploys three 2nd-gen Node.js 22 functions in the region", () => {
    expect(deploys.map((c) => c.argv[3])).toEqual(["dondoc-ingest", "dondoc-sync", "dondoc-remind"]);
    for (const c of deploys) {
      expect(c.argv).toContain("--gen2");
      expect(c.argv).toContain("--runtime=nodejs22");
      expect(c.argv).toContain("--region=asia-southeast1");
    }
  });

  it("keeps scheduler targets private and lets only the scheduler invoke them", () => {
    const byName = Object.fromEntries(deploys.map((c) => [c.argv[3], c.argv]));
    expect(byName["dondoc-sync"]).toContain("--no-allow-unauthenticated");
    expect(byName["dondoc-remind"]).toContain("--no-allow-unauthenticated");
    expect(byName["dondoc-ingest"]).toContain("--allow-unauthenticated");
    const invokers = plan.filter((c) => c.argv[2] === "add-invoker-policy-binding").map((c) => c.argv[3]);
    expect(invokers).toEqual(["dondoc-sync", "dondoc-remind"]);
  });

  it("schedules in Asia/Ho_Chi_Minh with OIDC tokens for the function URL", () => {
    const jobs = plan.filter((c) => c.argv.slice(0, 4).join(" ") === "gcloud scheduler jobs create");
    expect(jobs).toHaveLength(2);
    for (const job of jobs) {
      const name = job.argv[5]!.replace("dondoc-", "");
      expect(job.argv).toContain("--time-zone=Asia/Ho_Chi_Minh");
      expect(job.argv).toContain(
        "--oidc-service-account-email=dondoc-scheduler@ubnd-cho-don.iam.gserviceaccount.com",
      );
      expect(job.argv).toContain(`--oidc-token-audience=${functionUrl(options, name)}`);
    }
  });

  it("deploys Firestore rules and never puts a secret on a command line", () => {
    expect(plan.some((c) => c.argv.includes("firestore:rules,firestore:indexes"))).toBe(true);
    for (const c of plan) expect(c.argv.join(" ")).not.toMatch(/[0-9a-f]{32}/);
  });

  it("npm run deploy -- --dry-run prints the commands", () => {
    const out = execFileSync(
      process.execPath,
      ["scripts/deploy.ts", "--dry-run", "--project", "ubnd-cho-don"],
      {
        encoding: "utf8",
      },
    );
    expect(out).toContain("--runtime=nodejs22");
    expect(out).toContain("--time-zone=Asia/Ho_Chi_Minh");
    expect(out).toContain("--oidc-service-account-email=");
    expect(out).toContain("--region=asia-southeast1");
  });
});
