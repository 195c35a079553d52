// The core is pure: it imports only luxon, zod, the schemas and itself — no SDK, no file or network I/O.
// (Biome's noRestrictedImports says the same at lint time; this test also catches dynamic imports and new SDKs.)
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const CORE = "functions/src/core";
const ALLOWED = [/^luxon$/, /^zod$/, /^\.\/[\w.-]+\.ts$/, /^\.\.\/\.\.\/\.\.\/schemas\/[\w.-]+\.ts$/];

function specifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\bfrom\s+["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']/g,
    /\bimport\s+["']([^"']+)["']/g,
    /\brequire\s*\(\s*["']([^"']+)["']/g,
  ];
  for (const re of patterns) for (const m of source.matchAll(re)) found.push(m[1]!);
  return found;
}

describe("the core", () => {
  const files = readdirSync(CORE).filter((f) => f.endsWith(".ts"));

  it("has files to check", () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it.each(files)("%s imports nothing but luxon, zod, schemas and core files", (file) => {
    const source = readFileSync(join(CORE, file), "utf8");
    const bad = specifiers(source).filter((s) => !ALLOWED.some((re) => re.test(s)));
    expect(bad).toEqual([]);
    // Code only: comments may well explain why the machine's zone does not matter.
    const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
    expect(code).not.toMatch(/\bprocess\.(env|stdout|stderr)|\bfetch\(|\bDate\.now\(\)|Math\.random\(/);
  });
});
