// npm run deploy -- --project P [--region R] [--campaign DIR] [--leaders-sheet ID] [--mailer gmail|smtp] [--dry-run]
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import { type DeployOptions, deployPlan, renderPlan } from "./deploy-plan.ts";

const { values } = parseArgs({
  options: {
    project: { type: "string" },
    region: { type: "string", default: "asia-southeast1" },
    campaign: { type: "string", default: "examples/cho-don" },
    "leaders-sheet": { type: "string" },
    "sync-every": { type: "string", default: "15" },
    mailer: { type: "string", default: "gmail" },
    "mail-from": { type: "string", default: "dondoc@example.gov.vn" },
    "dry-run": { type: "boolean", default: false },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  console.log(
    "npm run deploy -- --project PROJECT [--region asia-southeast1] [--campaign DIR] [--leaders-sheet ID] [--mailer gmail|smtp] [--mail-from ADDR] [--sync-every 15] [--dry-run]",
  );
  process.exit(0);
}
const options: DeployOptions = {
  project: values.project ?? (values["dry-run"] ? "YOUR-PROJECT-ID" : ""),
  region: values.region!,
  campaignDir: values.campaign!,
  leadersSpreadsheetId: values["leaders-sheet"] ?? null,
  syncEveryMinutes: Number(values["sync-every"]),
  mailer: values.mailer === "smtp" ? "smtp" : "gmail",
  mailFrom: values["mail-from"]!,
};
if (!options.project) {
  console.error("deploy: --project is required (or use --dry-run to see the commands).");
  process.exit(2);
}
const plan = deployPlan(options);
if (values["dry-run"]) {
  console.log(renderPlan(plan));
  process.exit(0);
}
for (const step of plan) {
  console.log(`\n# ${step.why}\n$ ${step.argv.join(" ")}`);
  const result = spawnSync(step.argv[0]!, step.argv.slice(1), {
    stdio: step.stdinSecret ? ["inherit", "inherit", "pipe"] : "inherit",
  });
  if (result.status !== 0) {
    const stderr = result.stderr?.toString() ?? "";
    if (step.idempotentIfExists && /already exists|ALREADY_EXISTS/i.test(stderr)) {
      console.log("  (already exists — fine)");
      continue;
    }
    if (stderr) process.stderr.write(stderr);
    console.error(
      `deploy: step failed (exit ${result.status}). Fix it and run again; finished steps are safe to repeat.`,
    );
    process.exit(result.status ?? 1);
  }
}
console.log("\ndeploy: done.");
