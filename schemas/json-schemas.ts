import * as z from "zod";
import { Campaign } from "./campaign.ts";
import { AggregateRow, LineListRow } from "./rows.ts";
import { Standings } from "./standings.ts";
import { Unit } from "./units.ts";

/** JSON Schema (draft 2020-12) of every file format dondoc reads or writes, by file stem. */
export function jsonSchemas(): Record<string, unknown> {
  const io = { io: "input" as const };
  return {
    campaign: { title: "dondoc campaign.json", ...z.toJSONSchema(Campaign, io) },
    unit: { title: "dondoc units.csv row", ...z.toJSONSchema(Unit, io) },
    "line-list-row": { title: "dondoc line-list row (one citizen helped)", ...z.toJSONSchema(LineListRow) },
    "aggregate-row": { title: "dondoc aggregate row (one report)", ...z.toJSONSchema(AggregateRow) },
    standings: { title: "dondoc standings.json", ...z.toJSONSchema(Standings) },
  };
}
