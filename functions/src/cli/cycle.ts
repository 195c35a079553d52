// The embedded default's sync cycle as the CLI wires it: .xlsx source, annotated copies under <out>/units,
// files under <out>, progress on stderr. Shared by `dondoc run` and `dondoc confirm`.
import { join } from "node:path";
import { FilePublisher } from "../adapters/files/publisher.ts";
import { XlsxAnnotator } from "../adapters/xlsx/annotate.ts";
import { XlsxSheetSource } from "../adapters/xlsx/sheet-source.ts";
import { type CycleResult, runSyncCycle, type SyncDeps, type SyncEvent } from "../app/sync.ts";
import type { CommonOptions } from "./args.ts";
import type { CliContext } from "./context.ts";

export type Io = { out: NodeJS.WritableStream; err: NodeJS.WritableStream };

export function progress(io: Io): (event: SyncEvent) => void {
  return (event) => {
    if (event.type === "reading") {
      io.err.write(`  [${event.index + 1}/${event.total}] đang đọc ${event.unit.name}…\n`);
    } else if (event.type === "unit-done" && event.result.status !== "synced") {
      io.err.write(`      ⚠ ${event.result.message}\n`);
    } else if (event.type === "skipped-unchanged") {
      io.err.write(`  ${event.count} sổ không thay đổi từ lần trước, bỏ qua.\n`);
    } else if (event.type === "annotate-failed") {
      io.err.write(`  ⚠ không ghi được chú thích cho ${event.unit.name}: ${event.message}\n`);
    }
  };
}

export function runCliCycle(
  ctx: CliContext,
  common: CommonOptions,
  io: Io,
  extra: Partial<Pick<SyncDeps, "confirmDeletions" | "afterEntriesStored">> = {},
): Promise<CycleResult> {
  return runSyncCycle({
    campaign: ctx.campaign,
    units: ctx.units,
    source: new XlsxSheetSource({ dir: ctx.sheetsDir }),
    store: ctx.store,
    now: ctx.now,
    hashId: ctx.hashId,
    replay: ctx.replay,
    annotator: new XlsxAnnotator({ sourceDir: ctx.sheetsDir, outDir: join(common.out, "units") }),
    annotateAll: true,
    publisher: new FilePublisher(common.out),
    onEvent: progress(io),
    ...extra,
  });
}
