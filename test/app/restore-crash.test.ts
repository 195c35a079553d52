// A restore that dies half-way and is retried must still leave the unit protected: otherwise the next sync,
// reading a sheet that still lacks the rows, would delete the restored entries again.
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { XlsxSheetSource } from "../../functions/src/adapters/xlsx/sheet-source.ts";
import { loadCampaignFolder } from "../../functions/src/app/campaign-folder.ts";
import { RESTORED_HOLD_CODE, restoreUnit } from "../../functions/src/app/restore.ts";
import { runSyncCycle } from "../../functions/src/app/sync.ts";
import type { RawSheet } from "../../functions/src/core/model.ts";
import type { SheetSource, Store } from "../../functions/src/core/ports.ts";
import { MemoryStore } from "../support/memory-store.ts";

describe("restore interrupted between its writes", () => {
  it("keeps the unit held after the retry, so the next sync does not delete the restored rows", async () => {
    const folder = await loadCampaignFolder(resolve("examples/cho-don"));
    const { campaign } = folder;
    const unit = folder.units.find((u) => u.id === "thon-khuoi-cuong")!;
    const units = [unit];
    const full = await new XlsxSheetSource({ dir: folder.sheetsDir }).read(unit);
    let sheet: RawSheet = full;
    const source: SheetSource = { changedUnits: async (list) => list, read: async () => sheet };
    const store = new MemoryStore();
    const hashId = (id: string) => `h${id}`;
    const t = (iso: string) => new Date(iso);

    await runSyncCycle({ campaign, units, source, store, now: t("2025-08-19T03:00:00Z"), hashId });
    const before = (await store.loadUnitEntries(campaign.id, unit.id)).length;
    expect(before).toBeGreaterThan(5);

    // One row deleted from the sheet: below the mass-deletion threshold, so the sync applies it.
    sheet = { ...full, rows: full.rows.slice(1) };
    await runSyncCycle({ campaign, units, source, store, now: t("2025-08-19T04:00:00Z"), hashId });
    expect((await store.loadUnitEntries(campaign.id, unit.id)).length).toBe(before - 1);

    // Restore to before the deletion; the process "dies" after the first of its two writes (whichever that is).
    let writes = 0;
    const flaky = new Proxy(store, {
      get(target, name) {
        const value = Reflect.get(target, name, target);
        if (typeof value !== "function") return value;
        if (name !== "applyUnitChanges" && name !== "saveUnitState") return value.bind(target);
        return async (...args: unknown[]) => {
          if (++writes === 2) throw new Error("killed");
          return (value as (...a: unknown[]) => Promise<number>).apply(target, args);
        };
      },
    }) as Store;
    const restore = { campaign, unitId: unit.id, at: t("2025-08-19T03:30:00Z"), apply: true };
    await expect(restoreUnit({ ...restore, store: flaky, now: t("2025-08-19T05:00:00Z") })).rejects.toThrow(
      "killed",
    );
    const retried = await restoreUnit({ ...restore, store, now: t("2025-08-19T05:01:00Z") });
    expect(retried.held).toBe(true);
    expect((await store.loadUnitEntries(campaign.id, unit.id)).length).toBe(before);
    expect((await store.loadUnitState(campaign.id, unit.id))?.problem?.code).toBe(RESTORED_HOLD_CODE);

    // The sheet still lacks the row: the next sync holds instead of deleting it again.
    const next = await runSyncCycle({
      campaign,
      units,
      source,
      store,
      now: t("2025-08-19T06:00:00Z"),
      hashId,
    });
    expect(next.units[0]?.status).toBe("held");
    expect((await store.loadUnitEntries(campaign.id, unit.id)).length).toBe(before);
  });
});
