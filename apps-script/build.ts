// Bundles the script for Apps Script: one classic script (dist/Code.js) with no import/export/require left, and
// dist/appsscript.json. Apps Script discovers menu handlers and triggers only as top-level function
// declarations, so the IIFE's exports are re-declared as such in a footer generated from index.ts's exports.
//
//   node apps-script/build.ts [--campaign examples/cho-don] [--ingest-url https://…/ingest] [--out apps-script/dist]
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { Campaign } from "../schemas/index.ts";
import type { BuildConfig } from "./src/config.ts";
import { HANDLERS } from "./src/menu.ts";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "..");
export const DEFAULT_CAMPAIGN_DIR = "examples/cho-don";
/** Replaced by the district's functions address (see README); the script refuses to push to it. */
export const PLACEHOLDER_INGEST_URL = "https://REGION-PROJECT.cloudfunctions.net/ingest";
export const GLOBAL_NAME = "dondoc";

export interface BuildOptions {
  /** A campaign folder (holding campaign.json) or a campaign.json file, relative to the repository root. */
  campaign?: string;
  ingestUrl?: string;
  outDir?: string;
  log?: (line: string) => void;
}

export interface BuildResult {
  outDir: string;
  code: string;
  manifest: Record<string, unknown>;
  globals: string[];
  campaignId: string | null;
}

function loadCampaign(spec: string | undefined, log: (l: string) => void): unknown {
  const explicit = spec !== undefined;
  const given = path.resolve(ROOT, spec ?? DEFAULT_CAMPAIGN_DIR);
  const file = given.endsWith(".json") ? given : path.join(given, "campaign.json");
  if (!existsSync(file)) {
    if (explicit) throw new Error(`campaign file not found: ${file}`);
    log(
      `no ${path.relative(ROOT, file)}: building without an embedded campaign (DONDOC_CAMPAIGN property required)`,
    );
    return null;
  }
  const parsed = Campaign.safeParse(JSON.parse(readFileSync(file, "utf8")));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`invalid campaign ${file}:\n${lines.join("\n")}`);
  }
  // The raw JSON is embedded (defaults are applied again in the script), so the bundle mirrors the file.
  return JSON.parse(readFileSync(file, "utf8"));
}

/** "https://host/…" → "https://host/": the prefix Apps Script's urlFetchWhitelist matches. */
export function whitelistEntry(url: string): string {
  const m = /^https:\/\/[^/?#\s]+/.exec(url);
  if (m === null) throw new Error(`ingest URL must be an https:// address: ${url}`);
  return `${m[0]}/`;
}

const LEFTOVER_MODULE_SYNTAX = [
  /^\s*import\s[^;]*from\s/m,
  /^\s*import\s*["']/m,
  /^\s*export\s/m,
  /\brequire\(/,
  /\bimport\(/,
  /\bimport\.meta\b/,
];

export function leftoverModuleSyntax(code: string): string[] {
  return LEFTOVER_MODULE_SYNTAX.filter((re) => re.test(code)).map((re) => re.source);
}

export async function buildAppsScript(options: BuildOptions = {}): Promise<BuildResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const outDir = path.resolve(ROOT, options.outDir ?? "apps-script/dist");
  const ingestUrl = options.ingestUrl ?? process.env.DONDOC_INGEST_URL ?? null;
  const campaign = loadCampaign(options.campaign, log);
  const config: BuildConfig = {
    campaign,
    guideMarkdown: readFileSync(path.join(HERE, "docs/huong-dan.md"), "utf8").normalize("NFC"),
    ingestUrl,
    builtAt: new Date().toISOString(),
  };

  const entry = path.join(HERE, "src/index.ts");
  const globals = Object.keys(await import(pathToFileURL(entry).href)).sort();
  const missing = Object.values(HANDLERS).filter((h) => !globals.includes(h));
  if (missing.length > 0) throw new Error(`index.ts does not export: ${missing.join(", ")}`);

  const footer = globals
    .map((name) => `function ${name}(e) {\n  return ${GLOBAL_NAME}.${name}(e);\n}`)
    .join("\n");
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: "iife",
    globalName: GLOBAL_NAME,
    // Neutral: a Node built-in pulled in by mistake fails the build instead of failing in Apps Script.
    platform: "neutral",
    mainFields: ["module", "main"],
    conditions: ["import", "default"],
    target: "es2019",
    charset: "utf8",
    legalComments: "none",
    // Whitespace and syntax only: comments go (zod's mention "import()" in one), identifiers stay readable in
    // the stack traces Apps Script logs. zod (all of it, through schemas/) and luxon are most of the size.
    minifyWhitespace: true,
    minifySyntax: true,
    define: { __DONDOC_BUILD__: JSON.stringify(config) },
    footer: { js: footer },
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles[0]!.text;
  const leftovers = leftoverModuleSyntax(code);
  if (leftovers.length > 0) throw new Error(`bundle still has module syntax: ${leftovers.join(", ")}`);

  const manifest = JSON.parse(readFileSync(path.join(HERE, "appsscript.json"), "utf8")) as Record<
    string,
    unknown
  >;
  manifest.urlFetchWhitelist = [whitelistEntry(ingestUrl ?? PLACEHOLDER_INGEST_URL)];

  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, "Code.js"), code);
  writeFileSync(path.join(outDir, "appsscript.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  const campaignId =
    campaign !== null && typeof campaign === "object" && "id" in campaign ? String(campaign.id) : null;
  log(
    `apps-script: ${path.relative(ROOT, outDir)}/Code.js ${(Buffer.byteLength(code) / 1024).toFixed(0)} KiB, ` +
      `globals ${globals.join(", ")}; campaign ${campaignId ?? "(none)"}; whitelist ${String(manifest.urlFetchWhitelist)}`,
  );
  if (ingestUrl === null)
    log(`ingest URL not set: placeholder ${PLACEHOLDER_INGEST_URL} (see apps-script/README.md)`);
  return { outDir, code, manifest, globals, campaignId };
}

function parseArgs(argv: string[]): BuildOptions {
  const out: BuildOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes("=")
      ? (arg.split(/=(.*)/s, 2) as [string, string])
      : [arg, undefined];
    const value = () => inline ?? argv[++i] ?? "";
    if (flag === "--campaign") out.campaign = value();
    else if (flag === "--ingest-url") out.ingestUrl = value();
    else if (flag === "--out") out.outDir = value();
    else throw new Error(`unknown argument ${arg}`);
  }
  return out;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  buildAppsScript(parseArgs(process.argv.slice(2))).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
