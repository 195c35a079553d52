// One unit's annotation failing must not stop the cycle, the other units' notes or the leaders' summary.
import { describe, expect, it } from "vitest";
import { XlsxSheetSource } from "../../functions/src/adapters/xlsx/sheet-source.ts";
import { loadCampaignFolder } from "../../functions/src/app/campaign-folder.ts";
import { runSyncCycle, type SyncEvent } from "../../functions/src/app/sync.ts";
import { DondocError } from "../../functions/src/core/errors.ts";
import type { RawSheet } from "../../functions/src/core/model.ts";
import type { SheetSource, SummaryPublisher, UnitAnnotator } from "../../functions/src/core/ports.ts";
import type { RowIssue, Standings, Unit } from "../../schemas/index.ts";
import { MemoryStore } from "../support/memory-store.ts";

describe("runSyncCycle annotations", () => {
  it("goes on when one unit's annotation fails, and retries it next cycle", async () => {
    const folder = await loadCampaignFolder("examples/cho-don");
    const source: SheetSource = new XlsxSheetSource({ dir: folder.sheetsDir });
    const annotated: string[] = [];
    let failing = true;
    const annotator: UnitAnnotator = {
      annotate: async (unit: Unit, _sheet: RawSheet, _issues: RowIssue[]) => {
        if (unit.id === "thcs-bang-lung" && failing)
          throw new DondocError("sheet-unreachable", "mất quyền truy cập");
        annotated.push(unit.id);
      },
    };
    let published: Standings | null = null;
    const publisher: SummaryPublisher = {
      publish: async (_tabs, standings) => {
        published = standings;
      },
    };
    const events: SyncEvent[] = [];
    const store = new MemoryStore();
    const deps = {
      campaign: folder.campaign,
      units: folder.units,
      source,
      store,
      now: new Date("2025-08-20T00:00:00Z"),
      hashId: (id: string) => `h${id}`,
      annotator,
      publisher,
      onEvent: (e: SyncEvent) => events.push(e),
    };
    await runSyncCycle(deps);
    expect(
      events.filter((e) => e.type === "annotate-failed").map((e) => (e as { unit: Unit }).unit.id),
    ).toEqual(["thcs-bang-lung"]);
    expect(annotated).toContain("thon-na-pai");
    expect(annotated).not.toContain("thcs-bang-lung");
    expect(published).not.toBeNull();

    failing = false;
    annotated.length = 0;
    await runSyncCycle(deps);
    // Units annotated before are not annotated again; the one that failed is.
    expect(annotated).toEqual(["thcs-bang-lung"]);
  });
});
