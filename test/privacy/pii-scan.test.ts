// Personal data never leaves the core in clear: an end-to-end `dondoc run` (sync, summary, annotated copies,
// reminders and digest into the .eml outbox) on a copy of the Chợ Đồn example, then a scan of everything it
// produced — every Firestore document (the embedded store's firestore.json), standings.json, every cell and note
// of tong-hop.xlsx, the notes dondoc added to the annotated copies, bao-cao.txt, every .eml (raw and decoded) and
// the command's stdout/stderr — for the citizen ids and phones of the input workbooks. Masked forms
// (001*******89) are fine; anything with the digits in a row, whatever separators or invisible characters sit
// between them, is a leak.
import { spawn } from "node:child_process";
import { cp, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import ExcelJS from "exceljs";
import { simpleParser } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { XlsxSheetSource } from "../../functions/src/adapters/xlsx/sheet-source.ts";
import { loadCampaignFolder } from "../../functions/src/app/campaign-folder.ts";
import { parseCitizenId } from "../../functions/src/core/citizen-id.ts";
import { inputColumns } from "../../functions/src/core/columns.ts";
import { readHeader } from "../../functions/src/core/header.ts";
import { parsePhone } from "../../functions/src/core/phone.ts";
import { findPii, piiForms } from "../support/arbitraries.ts";

const ROOT = resolve(".");
let dir: string;
let campaignDir: string;
let outDir: string;
let dataDir: string;
let logs = "";
const ids = new Set<string>();
const phones = new Set<string>();
const forms = new Set<string>();
let inputText = "";

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((ok, fail) => {
    // A clean environment: the embedded default (in-process Firestore, local id secret, .eml outbox).
    const child = spawn(process.execPath, [join(ROOT, "functions/src/cli/main.ts"), ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", TZ: "UTC" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString("utf8");
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString("utf8");
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 80_000);
    child.on("error", fail);
    child.on("close", (code) => {
      clearTimeout(timer);
      ok({ code, stdout, stderr });
    });
  });
}

/** Every id and phone of the input workbooks, read as the parser reads them (repaired 11-digit ids too). */
async function collectInput(): Promise<void> {
  const folder = await loadCampaignFolder(campaignDir);
  const source = new XlsxSheetSource({ dir: folder.sheetsDir });
  const columns = inputColumns(folder.campaign);
  const texts: string[] = [];
  for (const unit of folder.units) {
    const sheet = await source.read(unit);
    texts.push(JSON.stringify(sheet.rows));
    const match = readHeader(sheet.header, columns);
    const idAt = match.index.get("citizenId");
    const phoneAt = match.index.get("phone");
    for (const row of sheet.rows) {
      const id = idAt === undefined ? null : parseCitizenId(row[idAt] ?? null);
      if (id?.ok) ids.add(id.id);
      const phone = phoneAt === undefined ? null : parsePhone(row[phoneAt] ?? null);
      if (phone?.ok && phone.phone) phones.add(phone.phone);
    }
  }
  inputText = texts.join("\n");
  for (const id of ids) for (const f of piiForms("id", id)) forms.add(f);
  for (const p of phones) for (const f of piiForms("phone", p)) forms.add(f);
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "object" && !(v instanceof Date)) return JSON.stringify(v);
  return String(v);
}

function noteText(note: ExcelJS.Cell["note"]): string {
  if (note === undefined || note === null) return "";
  return typeof note === "string" ? note : (note.texts ?? []).map((t) => t.text).join("");
}

async function workbookTexts(path: string, what: "all" | "our-notes"): Promise<string[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const out: string[] = [];
  wb.eachSheet((ws) => {
    if (what === "all") out.push(ws.name);
    ws.eachRow({ includeEmpty: false }, (row) => {
      row.eachCell({ includeEmpty: false }, (cell) => {
        if (what === "all") out.push(cellText(cell.value));
        // dondoc's messages come first; a note the unit wrote itself is kept below the "———" line.
        const note = noteText(cell.note);
        if (note !== "") out.push(what === "all" ? note : (note.split("\n———\n")[0] ?? ""));
      });
    });
  });
  return out;
}

const leaks: { where: string; found: string[] }[] = [];
function scan(where: string, text: string): void {
  const found = findPii(text, forms);
  if (found.length > 0) leaks.push({ where, found: found.map((f) => `${f.slice(0, 3)}…${f.slice(-2)}`) });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "dondoc-pii-"));
  campaignDir = join(dir, "campaign");
  outDir = join(dir, "out");
  dataDir = join(dir, "data");
  await cp(resolve("examples/cho-don"), campaignDir, { recursive: true });
  await collectInput();
  // Thursday 14/08/2025 12:30: the 2-hour reminders before the 14:00 cutoff are due, and the previous
  // period's digest; every sheet is read, summarised, annotated.
  const run = await cli([
    "run",
    "--campaign",
    campaignDir,
    "--out",
    outDir,
    "--data",
    dataDir,
    "--now",
    "2025-08-14T12:30",
  ]);
  logs = `${run.stdout}\n${run.stderr}`;
  expect(run.code, logs).toBe(0);
}, 90_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("no citizen id or phone in clear anywhere an end-to-end run writes", () => {
  it("the scanner is able to find them: the inputs hold ids and phones, and scanning the input finds every one", () => {
    expect(ids.size).toBeGreaterThan(100);
    expect(phones.size).toBeGreaterThan(50);
    const inInput = new Set(findPii(inputText, forms));
    const missedIds = [...ids].filter((id) => !piiForms("id", id).some((f) => inInput.has(f)));
    const missedPhones = [...phones].filter((p) => !piiForms("phone", p).some((f) => inInput.has(f)));
    expect(missedIds).toEqual([]);
    expect(missedPhones).toEqual([]);
    // And it sees through the disguises people and attackers use.
    const [id] = ids;
    expect(
      findPii(`mã ${id!.slice(0, 4)}\u200B${id!.slice(4, 8)} ${id!.slice(8)}`, forms).length,
    ).toBeGreaterThan(0);
    const [phone] = phones;
    expect(findPii(`gọi +84 ${phone!.slice(1, 4)}.${phone!.slice(4)}`, forms).length).toBeGreaterThan(0);
    expect(findPii("001*******89 và 0912***678", forms)).toEqual([]);
  });

  it("scans every output and finds none", async () => {
    const scanned: Record<string, number> = {};
    const count = (kind: string) => {
      scanned[kind] = (scanned[kind] ?? 0) + 1;
    };

    const store = await readFile(join(dataDir, "firestore.json"), "utf8");
    const documents = Object.keys((JSON.parse(store) as { documents: Record<string, unknown> }).documents);
    expect(documents.some((p) => p.includes("/entries/"))).toBe(true);
    expect(documents.some((p) => p.includes("/ledger/"))).toBe(true);
    scan("firestore.json", store);
    scanned["firestore documents"] = documents.length;

    scan("standings.json", await readFile(join(outDir, "standings.json"), "utf8"));
    count("standings.json");
    scan("bao-cao.txt", await readFile(join(outDir, "bao-cao.txt"), "utf8"));
    count("bao-cao.txt");

    const summary = await workbookTexts(join(outDir, "tong-hop.xlsx"), "all");
    expect(summary.length).toBeGreaterThan(100);
    for (const [i, t] of summary.entries()) scan(`tong-hop.xlsx #${i}`, t);
    scanned["tong-hop.xlsx cells and notes"] = summary.length;

    let notes = 0;
    for (const name of await readdir(join(outDir, "units"))) {
      const texts = await workbookTexts(join(outDir, "units", name), "our-notes");
      notes += texts.length;
      for (const t of texts) scan(`units/${name} note`, t);
    }
    expect(notes).toBeGreaterThan(0);
    scanned["annotation notes"] = notes;

    const mails = (await readdir(join(outDir, "outbox"))).filter((n) => n.endsWith(".eml"));
    expect(mails.length).toBeGreaterThan(0);
    for (const name of mails) {
      const raw = await readFile(join(outDir, "outbox", name), "utf8");
      scan(`outbox/${name} (raw)`, raw);
      const mail = await simpleParser(raw);
      scan(
        `outbox/${name} (decoded)`,
        [mail.subject, mail.text, typeof mail.html === "string" ? mail.html : ""].join("\n"),
      );
      for (const a of mail.attachments)
        scan(`outbox/${name} attachment ${a.filename}`, a.content.toString("utf8"));
    }
    scanned.mails = mails.length;

    expect(logs.length).toBeGreaterThan(200);
    scan("stdout/stderr", logs);

    console.log(
      `pii scan: ${ids.size} citizen ids and ${phones.size} phones from the inputs; scanned ${JSON.stringify(scanned)}`,
    );
    expect(leaks).toEqual([]);
  });
});
