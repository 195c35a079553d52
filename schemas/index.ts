export * from "./campaign.ts";
export * from "./rows.ts";
export * from "./standings.ts";
export * from "./units.ts";
