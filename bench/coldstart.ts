// npm run bench:coldstart — module import time of each bundled function next to the full `googleapis` package.
// Each measurement is a fresh Node process (a cold start's import), repeated; the median is printed.
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { buildFunctions, FUNCTION_NAMES } from "../scripts/build-functions.ts";

const RUNS = Number(process.env.COLDSTART_RUNS ?? 7);

/** Import time of `specifier` in a new process, and (when `then` is given) of that followed by `then`. */
function importMs(specifier: string, then?: string): number {
  const second = then ? `await import(${JSON.stringify(then)});` : "";
  const code = `const t = performance.now(); await import(${JSON.stringify(specifier)}); ${second} process.stdout.write(String(performance.now() - t));`;
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
  const targets: { name: string; spec: string; after?: string }[] = [
    ...FUNCTION_NAMES.map((n) => ({
      name: `dondoc-${n} (bundle)`,
      spec: resolve(`functions/dist/${n}/index.js`),
    })),
    // The Firestore client is loaded on the first request; this is the bundle plus that load.
    ...FUNCTION_NAMES.map((n) => ({
      name: `dondoc-${n} + Firestore client`,
      spec: resolve(`functions/dist/${n}/index.js`),
      after: "@google-cloud/firestore",
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
  for (const r of rows) console.log(`  ${r.name.padEnd(36)} ${r.medianMs.toFixed(0).padStart(6)} ms`);
}
