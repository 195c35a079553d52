// Saving a workbook so that the same content gives the same bytes. exceljs stamps "now" into
// docProps/core.xml and into every zip entry's date; a rerun on unchanged data must produce identical
// outputs (and `npm run gen:examples` identical examples), so both are pinned here. The zip is also the
// place where parts exceljs cannot write (charts) are added, hence the `edit` hook.
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type ExcelJS from "exceljs";
import JSZip from "jszip";

/** The earliest date a zip entry can carry; the default when a caller has no meaningful date. */
export const ZIP_EPOCH = new Date(Date.UTC(1980, 0, 1));

export interface SaveOptions {
  /** Written as the document's created and modified time and as every zip entry's date. */
  modified?: Date;
  /** Changes the package before it is written (add parts, patch XML). */
  edit?: (zip: JSZip) => Promise<void>;
  /** The zip archive comment: invisible to spreadsheet programs, cheap to read back (see zipComment). */
  comment?: string;
}

/** The .xlsx bytes of `wb`, deterministic for a given content and `modified`. */
export async function workbookBytes(wb: ExcelJS.Workbook, opts: SaveOptions = {}): Promise<Buffer> {
  const modified = opts.modified ?? ZIP_EPOCH;
  wb.created = modified;
  wb.modified = modified;
  const written = await wb.xlsx.writeBuffer();
  const zip = await JSZip.loadAsync(written);
  if (opts.edit) await opts.edit(zip);
  // A fresh archive, because JSZip keeps each loaded entry's original date and options.
  const out = new JSZip();
  for (const file of Object.values(zip.files)) {
    if (file.dir) continue;
    out.file(file.name, await file.async("uint8array"), { date: modified, createFolders: false });
  }
  return out.generateAsync({
    type: "nodebuffer",
    compression: "DEFLATE",
    compressionOptions: { level: 6 },
    ...(opts.comment === undefined ? {} : { comment: opts.comment }),
  });
}

/** Writes atomically (temp file + rename) so a crash never leaves a half-written workbook behind. */
export async function saveWorkbook(
  wb: ExcelJS.Workbook,
  path: string,
  opts: SaveOptions = {},
): Promise<void> {
  const bytes = await workbookBytes(wb, opts);
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** The archive comment of an .xlsx written by saveWorkbook; null when the file is missing or not a zip. */
export async function zipComment(path: string): Promise<string | null> {
  try {
    const zip = await JSZip.loadAsync(await readFile(path));
    return (zip as JSZip & { comment?: string | null }).comment ?? null;
  } catch {
    // Absent or broken: the caller rewrites it either way.
    return null;
  }
}
