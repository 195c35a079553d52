// Publishes the leaders' outputs as files: tong-hop.xlsx, standings.json and bao-cao.txt.
import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Standings } from "../../../../schemas/index.ts";
import type { SummaryPublisher } from "../../core/ports.ts";
import type { SummaryTabs } from "../../core/summary.ts";
import { writeSummaryWorkbook } from "../xlsx/summary-writer.ts";

export const OUTPUT_FILES = {
  summary: "tong-hop.xlsx",
  standings: "standings.json",
  report: "bao-cao.txt",
} as const;

/** Write to a temporary name and rename, so a reader never sees half a file. */
async function writeAtomic(path: string, content: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, content, "utf8");
  await rename(tmp, path);
}

export class FilePublisher implements SummaryPublisher {
  readonly outDir: string;
  constructor(outDir: string) {
    this.outDir = outDir;
  }

  async publish(tabs: SummaryTabs, standings: Standings, report: string): Promise<void> {
    await mkdir(this.outDir, { recursive: true });
    const xlsx = join(this.outDir, OUTPUT_FILES.summary);
    const tmp = `${xlsx}.tmp-${process.pid}.xlsx`;
    await writeSummaryWorkbook(tmp, tabs);
    await rename(tmp, xlsx);
    // Parsing validates against the published schema and puts every key in schema order, so the file is the
    // same whether the issues came from this run's parse or from the store.
    const canonical = Standings.parse(standings);
    await writeAtomic(join(this.outDir, OUTPUT_FILES.standings), `${JSON.stringify(canonical, null, 2)}\n`);
    await writeAtomic(join(this.outDir, OUTPUT_FILES.report), `${report}\n`);
  }
}
