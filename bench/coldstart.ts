// npm run bench:coldstart — module import time of each bundled function next to the full `googleapis` package.
// Each measurement is a fresh Node process (a cold start's import), repeated; the median is printed.
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { buildFunctions, FUNCTION_NAMES } from "../scripts/build-functions.ts";

const RUNS = Number(process.env.COLDSTART_RUNS ?? 7);

/**
 * The packages a function's first request loads on top of its module (runtime.ts and the handlers): the Firestore
 * client for all three; google-auth-library for the OIDC check of the two Cloud Scheduler endpoints; the Sheets
 * and Drive clients of sync's Google edges; nodemailer for remind's SMTP mailer (a Gmail API mailer loads
 * @googleapis/gmail and google-auth-library instead). Its row is the function's whole cold start but for the
 * request's own work.
 */
const FIRST_REQUEST: Record<(typeof FUNCTION_NAMES)[number], string[]> = {
  ingest: ["@google-cloud/firestore"],
  sync: ["@google-cloud/firestore", "google-auth-library", "@googleapis/sheets", "@googleapis/drive"],
  remind: ["@google-cloud/firestore", "google-auth-library", "nodemailer"],
};

/** Import time of `specifier` in a new process, followed by the imports of `then`. */
function importMs(specifier: string, then: readonly string[] = []): number {
  const rest = then.map((s) => `await import(${JSON.stringify(s)});`).join(" ");
  const code = `const t = performance.now(); await import(${JSON.stringify(specifier)}); ${rest} process.stdout.write(String(performance.now() - t));`;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", code], {
    encoding: "utf8",
    cwd: resolve("."),
  });
  return Number(out);
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export async function measureColdStart(): Promise<{ name: string; medianMs: number; runs: number[] }[]> {
  await buildFunctions({ campaignDir: "examples/cho-don", outRoot: "functions/dist" });
  const targets: { name: string; spec: string; after?: string[] }[] = [
    ...FUNCTION_NAMES.map((n) => ({
      name: `dondoc-${n} (bundle)`,
      spec: resolve(`functions/dist/${n}/index.js`),
    })),
    ...FUNCTION_NAMES.map((n) => ({
      name: `dondoc-${n} + first request's packages`,
      spec: resolve(`functions/dist/${n}/index.js`),
      after: FIRST_REQUEST[n],
    })),
    { name: "googleapis (full package)", spec: "googleapis" },
    { name: "@googleapis/sheets", spec: "@googleapis/sheets" },
    { name: "@google-cloud/firestore", spec: "@google-cloud/firestore" },
  ];
  const rows = [];
  for (const t of targets) {
    importMs(t.spec, t.after); // warm the OS file cache; every measured run is still a new process
    const runs = Array.from({ length: RUNS }, () => importMs(t.spec, t.after));
    rows.push({ name: t.name, medianMs: median(runs), runs });
  }
  return rows;
}

if (import.meta.filename === resolve(process.argv[1] ?? "")) {
  const rows = await measureColdStart();
  console.log(`Module import time, median of ${RUNS} fresh processes (node ${process.version})`);
  for (const r of rows) console.log(`  ${r.name.padEnd(44)} ${r.medianMs.toFixed(0).padStart(6)} ms`);
}
