import * as z from "zod";

/** Kinds of units that appear in the letters. Ranking is within one kind. */
export const UnitKind = z.enum([
  "district", // quận/huyện/thành phố (the root of a tree)
  "ward", // phường
  "commune", // xã
  "town", // thị trấn
  "village", // thôn
  "residential-group", // tổ dân phố
  "school", // trường học
  "police", // công an
  "department", // phòng, ban, đơn vị trực thuộc
  "association", // hội, đoàn thể
  "digital-team", // tổ công nghệ số cộng đồng
  "telecom", // doanh nghiệp viễn thông
  "agency", // cơ quan khác
]);
export type UnitKind = z.infer<typeof UnitKind>;

const optionalCount = z.number().int().min(0).optional();

/** One row of units.csv (after CSV parsing: empty cells are undefined, e-mails split on ";"). */
export const Unit = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "unit ids are lowercase ASCII with dashes"),
  /** Vietnamese name as the letters write it, e.g. "Phường Đình Bảng". */
  name: z.string().min(1),
  kind: UnitKind,
  /** Parent unit id, for roll-up (a village under a commune); empty for top-level units. */
  parent: z.string().optional(),
  /** Explicit target (people); required when the campaign's target rule is "explicit". */
  target: optionalCount,
  emails: z.array(z.email()).default([]),
  households: optionalCount,
  staff: optionalCount,
  adults: optionalCount,
  /** Google spreadsheet id of the unit's input sheet, once provisioned. */
  sheetId: z.string().optional(),
});
export type Unit = z.infer<typeof Unit>;
export type UnitInput = z.input<typeof Unit>;

/** The CSV header of units.csv, in order. */
export const UNITS_CSV_COLUMNS = [
  "id",
  "name",
  "kind",
  "parent",
  "target",
  "emails",
  "households",
  "staff",
  "adults",
  "sheetId",
] as const;
