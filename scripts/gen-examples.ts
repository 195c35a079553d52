// Writes examples/<name>/ (campaign.json, units.csv, README.md, sheets/<unit id>.xlsx) from the data modules in
// scripts/examples/. One source for every file, seeded randomness only, and workbooks saved with a pinned date,
// so running it twice gives the same examples and a test can check that the committed ones are current.
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { writeInputWorkbook } from "../functions/src/adapters/xlsx/input-workbook.ts";
import { parseCampaignJson } from "../functions/src/app/campaign-folder.ts";
import { formatUnitsCsv, parseUnitsCsv } from "../functions/src/app/units-csv.ts";
import { inputColumns } from "../functions/src/core/columns.ts";
import type { Campaign, CellValue } from "../schemas/index.ts";
import { choDon } from "./examples/cho-don.ts";
import type { ExampleDefinition, RowRecord } from "./examples/common.ts";
import { haiBaTrung } from "./examples/hai-ba-trung.ts";
import { quangChau } from "./examples/quang-chau.ts";
import { tuSon } from "./examples/tu-son.ts";
import { vinhLoc } from "./examples/vinh-loc.ts";

export const EXAMPLES: readonly (() => ExampleDefinition)[] = [tuSon, choDon, quangChau, haiBaTrung, vinhLoc];

export const EXAMPLES_DIR = fileURLToPath(new URL("../examples/", import.meta.url));

/** campaign.json as written: the schema reference first so editors offer completion, then the settings. */
export function campaignJsonText(def: ExampleDefinition): string {
  return `${JSON.stringify({ $schema: "../../schemas/json/campaign.schema.json", ...def.campaign }, null, 2)}\n`;
}

/**
 * Rows in the sheet's column order. A key the columns do not know is a mistake in a data module (a renamed
 * column, a misspelt indicator), so it fails here rather than silently leaving a column empty.
 */
export function sheetRows(campaign: Campaign, records: readonly RowRecord[]): CellValue[][] {
  const columns = inputColumns(campaign);
  const known = new Set(columns.map((c) => c.key));
  return records.map((record, i) => {
    for (const key of Object.keys(record)) {
      if (!known.has(key)) throw new Error(`row ${i + 1}: no input column "${key}" in ${campaign.id}`);
    }
    const cells = columns.map((c) => record[c.key] ?? null);
    // Trailing empty cells are what an untouched sheet has; dropping them keeps the XML small.
    while (cells.length > 0 && cells.at(-1) === null) cells.pop();
    return cells;
  });
}

/** Validates an example the way the CLI will load it; throws with the loader's Vietnamese message if not. */
export function validatedExample(def: ExampleDefinition): { campaign: Campaign; csv: string } {
  const campaign = parseCampaignJson(
    JSON.parse(campaignJsonText(def)),
    `examples/${def.folder}/campaign.json`,
  );
  const csv = formatUnitsCsv(def.units);
  parseUnitsCsv(csv, `examples/${def.folder}/units.csv`, { target: campaign.target });
  const ids = new Set(def.units.map((u) => u.id));
  for (const unitId of def.rows.keys()) {
    if (!ids.has(unitId)) throw new Error(`${def.folder}: rows for unknown unit ${unitId}`);
  }
  return { campaign, csv };
}

export async function writeExample(
  def: ExampleDefinition,
  examplesDir: string = EXAMPLES_DIR,
): Promise<string[]> {
  const { campaign, csv } = validatedExample(def);
  const dir = join(examplesDir, def.folder);
  const sheetsDir = join(dir, "sheets");
  await mkdir(sheetsDir, { recursive: true });
  await writeFile(join(dir, "campaign.json"), campaignJsonText(def));
  await writeFile(join(dir, "units.csv"), csv);
  await writeFile(join(dir, "README.md"), def.readme);
  const wanted = new Set(def.units.map((u) => `${u.id}.xlsx`));
  // A unit dropped from a data module must not leave its old workbook behind to be read by the CLI.
  for (const name of await readdir(sheetsDir)) {
    if (name.endsWith(".xlsx") && !wanted.has(name)) await rm(join(sheetsDir, name));
  }
  const written: string[] = [];
  for (const unit of def.units) {
    const path = join(sheetsDir, `${unit.id}.xlsx`);
    await writeInputWorkbook(path, campaign, unit, sheetRows(campaign, def.rows.get(unit.id) ?? []));
    written.push(path);
  }
  return written;
}

async function main(): Promise<void> {
  for (const build of EXAMPLES) {
    const def = build();
    const files = await writeExample(def);
    const rows = [...def.rows.values()].reduce((n, r) => n + r.length, 0);
    console.log(`examples/${def.folder}: ${def.units.length} units, ${files.length} workbooks, ${rows} rows`);
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
