// Writes schemas/json/*.schema.json from the zod schemas (the single source of types).
// `--check` exits non-zero when a committed file is out of date.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { jsonSchemas } from "../schemas/json-schemas.ts";

const dir = fileURLToPath(new URL("../schemas/json/", import.meta.url));
const check = process.argv.includes("--check");
let stale = 0;
for (const [name, schema] of Object.entries(jsonSchemas())) {
  const path = `${dir}${name}.schema.json`;
  const text = `${JSON.stringify(schema, null, 2)}\n`;
  let current = "";
  try {
    current = readFileSync(path, "utf8");
  } catch {}
  if (current === text) continue;
  stale++;
  if (check) console.error(`stale: ${path}`);
  else writeFileSync(path, text);
}
if (check && stale > 0) process.exit(1);
console.log(check ? "schemas/json is current" : `wrote ${stale} schema file(s)`);
