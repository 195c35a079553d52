// npm run bench — province-scale figures: core throughput against the cost of merely decoding the Sheets
// responses, requests and writes of a sync cycle, and cold-start import times. Figures are printed and written
// to bench/results.json; nothing is asserted. See bench/README.md for what each figure means.
//
// Each section runs in a fresh Node process (this file with --section=…), so one section's garbage and peak
// memory do not show up in another's. BENCH_SCALE=0.1 runs everything at a tenth of the rows for a quick look.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { PerformanceObserver } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { makeIdHasher } from "../functions/src/adapters/crypto/hmac.ts";
import { toRawRows } from "../functions/src/adapters/google/sheets-source.ts";
import type { LineListColumns } from "../functions/src/core/line-list-columns.ts";
import type { Entry, RawSheet } from "../functions/src/core/model.ts";
import { parseSheet, parseSheetColumns } from "../functions/src/core/parse-sheet.ts";
import type { IdHasher } from "../functions/src/core/ports.ts";
import { computeStandings } from "../functions/src/core/standings.ts";
import { decodeUnitSnapshot, encodeUnitSnapshot } from "../functions/src/core/unit-snapshot.ts";
import type { CellValue, RowIssue, Unit } from "../schemas/index.ts";
import { aggregateProvince, lineListProvince, type ProvinceSheets } from "./province.ts";

const SECRET = "bench-secret-0123456789abcdef0123456789abcdef";
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const VERBOSE = process.env.BENCH_VERBOSE === "1";
/** How many times the core sections measure (a) and (b); the figures are medians. */
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

interface BatchGetBody {
  spreadsheetId: string;
  valueRanges: { range: string; values?: CellValue[][] }[];
}

/** A batchGet body → RawSheet with the Google Sheets source's own decoding (toRawRows). */
export function decodeBatchGet(body: BatchGetBody, unit: Unit): RawSheet {
  const { header, rows } = toRawRows(body.valueRanges[0]?.values ?? []);
  return { unitId: unit.id, source: body.spreadsheetId, header, rows };
}

// ---------- peak memory ----------

let peakRss = 0;
let lastRssSampleAt = Number.NEGATIVE_INFINITY;
/**
 * Records the resident set size. Reading it costs ≈ 30 µs (a read of /proc), which (b) would pay after each of
 * aggregate mode's 3.000 small sheets (≈ 0,09 s a run, 7 % of it): between sheets it is read at most every
 * 10 ms (`between`), which still reads it after every sheet of the line-list case (≈ 40 ms each).
 */
function sampleRss(between = false): void {
  const at = performance.now();
  if (between && at - lastRssSampleAt < 10) return;
  lastRssSampleAt = at;
  const rss = process.memoryUsage.rss();
  if (rss > peakRss) peakRss = rss;
}

const MiB = 1024 * 1024;

// ---------- garbage collection time ----------

let gcMs = 0;
const gcObserver = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcMs += e.duration;
});

/** Runs `f` and returns its result with the time the garbage collector took meanwhile (pauses on this thread). */
async function withGcTime<T>(f: () => T): Promise<{ value: T; gcMs: number }> {
  gcObserver.observe({ entryTypes: ["gc"] });
  const before = gcMs;
  const value = f();
  // GC entries reach the observer from the event loop: let it turn before reading them.
  await new Promise((resolve) => setTimeout(resolve, 50));
  for (const e of gcObserver.takeRecords()) gcMs += e.duration;
  gcObserver.disconnect();
  return { value, gcMs: gcMs - before };
}

// ---------- the host's steal time ----------

/** The machine's CPU time so far, in clock ticks, from /proc/stat (Linux); null where there is none. */
function hostCpuTicks(): { steal: number; total: number } | null {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n", 1)[0] ?? "";
    // cpu  user nice system idle iowait irq softirq steal guest guest_nice (guest time is inside user's)
    const fields = line.trim().split(/\s+/).slice(1, 9).map(Number);
    if (line.startsWith("cpu ") && fields.length === 8 && fields.every(Number.isFinite)) {
      return { steal: fields[7]!, total: fields.reduce((a, b) => a + b, 0) };
    }
  } catch {
    // not Linux: no figure
  }
  return null;
}

/**
 * Share of the machine's CPU time the hypervisor gave to other guests between two samples. The development
 * machines are virtual with two shared cores: when it is above a few per cent, (b) slows more than (a) and the
 * ratio of that run says more about the host than about the code.
 */
function stealShare(
  from: ReturnType<typeof hostCpuTicks>,
  to: ReturnType<typeof hostCpuTicks>,
): number | null {
  if (from === null || to === null || to.total <= from.total) return null;
  return (to.steal - from.steal) / (to.total - from.total);
}

// ---------- the host's speed inside a run ----------

/**
 * makeIdHasher(SECRET), timing its batch calls. Inside (b) the HMAC is the same arithmetic on the same ids at every
 * run, so its time per id says how much of the processor the host gave that run: on the shared machine it moves by
 * ~50 % from one second to the next while `JSON.parse` of the same sheets moves by ~6 % (bench/README.md, section 5
 * and session 13; `npm run bench -- --only=host` shows it).
 */
function timedIdHasher(): { hashId: IdHasher; ms: number; ids: number } {
  const inner = makeIdHasher(SECRET);
  const timed = { hashId: ((id: string) => inner(id)) as IdHasher, ms: 0, ids: 0 };
  const time = <T>(count: number, f: () => T): T => {
    const t = performance.now();
    const value = f();
    timed.ms += performance.now() - t;
    timed.ids += count;
    return value;
  };
  timed.hashId.many = (ids, out) => time(ids.length, () => inner.many!(ids, out));
  timed.hashId.manyText = (ids) => time(ids.length, () => inner.manyText!(ids));
  timed.hashId.manyValuesText = (values) => time(values.length, () => inner.manyValuesText!(values));
  return timed;
}

// ---------- section: core throughput ----------

interface CoreResult {
  mode: string;
  units: number;
  rows: number;
  bodyMiB: number;
  generateMs: number;
  jsonParseMs: number[];
  /** Median of the runs of (b). */
  pipelineMs: number;
  pipelineRunsMs: number[];
  /** Phases and GC of the last run of (b). */
  phases: Record<string, number>;
  /** Garbage-collector pauses during (b), included in pipelineMs. */
  gcMs: number;
  /** Diagnostic: one HMAC per row alone (makeIdHasher over as many ids as there are rows). */
  hmacOnlyMs: number;
  /** Diagnostic: the same, 10.000 ids per call of makeIdHasher's `many` (WebAssembly SIMD), as parseSheet does. */
  hmacBatchMs: number;
  jsonParseRowsPerSec: number;
  pipelineRowsPerSec: number;
  /** Median over the runs of (b) of (b) / the fastest (a); and the lowest and highest of those ratios. */
  ratio: number;
  ratioRange: [number, number];
  /** The host's steal time during each run of (a) and (b) as a share of all CPU time; null where unknown. */
  stealShare: { floor: (number | null)[]; pipeline: (number | null)[] };
  /** The HMAC's time per id inside each run of (b), in ns (timedIdHasher); null where a run hashed nothing. */
  hmacInRunsNsPerId: (number | null)[];
  /** Diagnostic (line-list): (b) with every line-list entry an object (parseSheet), median of its runs; null otherwise. */
  objectsMs: number | null;
  objectsRunsMs: number[];
  objectsRatio: number | null;
  /**
   * The cycle's recompute of the standings from one snapshot per unit (core/unit-snapshot.ts), what a
   * product cycle does: packing every unit's entries (the sync packs each unit it reads), the bytes, then
   * decoding them and computing the standings (median of RUNS). Line-list only.
   */
  snapshots: { mib: number; encodeMs: number; decodeMs: number; standingsMs: number } | null;
  /**
   * Diagnostic: (a) on the same responses indented, as Google sends them to a request without prettyPrint=false
   * (the clients ask for compact JSON: adapters/google/compact-json.ts); and their size.
   */
  indentedParseMs: number;
  indentedMiB: number;
  entries: number;
  issues: number;
  errors: number;
  duplicates: number;
  plantedInvalid: number;
  plantedDuplicates: number;
  rankedUnits: number;
  peakRssMiB: number;
  maxRssMiB: number;
  baselineRssMiB: number;
  heapLimitMiB: number;
}

/**
 * The data rows of one body. The tree is parsed in this frame and dropped when it returns: a loop that held it
 * in a local until the next body's parse overwrote it (the loop runs interpreted, where every register is a
 * root) kept the previous tree alive beside the next parse, for the young-generation collector to copy, and
 * made the floor ~20 % slower than JSON.parse itself.
 */
function parsedRows(body: string): number {
  const parsed = JSON.parse(body) as BatchGetBody;
  return (parsed.valueRanges[0]?.values?.length ?? 1) - 1;
}

function jsonParseFloor(bodies: string[]): { ms: number; rows: number } {
  const t = performance.now();
  let rows = 0;
  for (const b of bodies) rows += parsedRows(b);
  return { ms: performance.now() - t, rows };
}

/**
 * The pipeline (b). Line-list entries stay as each sheet's columns (parseSheetColumns) unless `asObjects`, which
 * makes an Entry object of each (parseSheet) as the sync does to diff and store a unit's entries: the diagnostic
 * "(b) with entry objects".
 */
function runPipeline(p: ProvinceSheets, phases: Record<string, number>, hashId: IdHasher, asObjects = false) {
  const entries: Entry[] = [];
  const lineList: LineListColumns[] = [];
  const issues: RowIssue[] = [];
  // One unit per call, as the sync reads them: its response tree is dropped when the call returns (see
  // parsedRows).
  const readUnit = (i: number): void => {
    const unit = p.reporting[i]!;
    let t = performance.now();
    const body = JSON.parse(p.bodies[i]!) as BatchGetBody;
    phases.jsonParse! += performance.now() - t;
    t = performance.now();
    const sheet = decodeBatchGet(body, unit);
    phases.decode! += performance.now() - t;
    t = performance.now();
    const read = { campaign: p.campaign, unit, sheet, now: p.now, hashId };
    const parsed = asObjects ? { ...parseSheet(read), lineList: null } : parseSheetColumns(read);
    phases.validate! += performance.now() - t;
    for (const e of parsed.entries) entries.push(e);
    if (parsed.lineList) lineList.push(parsed.lineList);
    for (const x of parsed.issues) issues.push(x);
  };
  const t0 = performance.now();
  for (let i = 0; i < p.bodies.length; i++) {
    readUnit(i);
    sampleRss(true);
  }
  const t = performance.now();
  const result = computeStandings({
    campaign: p.campaign,
    units: p.units,
    entries,
    lineList,
    unitStates: [],
    issues,
    asOf: p.now,
  });
  phases.standings = performance.now() - t;
  sampleRss();
  return { ms: performance.now() - t0, entries, lineList, issues, result };
}

/**
 * Diagnostic: what a product cycle does with (b)'s entries once stored. Each unit's entries, as the store gives
 * them back (objects), are packed into its snapshot; then the snapshots are decoded and the standings computed
 * from them, which must give (b)'s standings byte for byte.
 */
function snapshotCycle(p: ProvinceSheets, run: ReturnType<typeof runPipeline>): CoreResult["snapshots"] {
  const byUnit = new Map<string, Entry[]>();
  const add = (e: Entry) => {
    const list = byUnit.get(e.unitId);
    if (list) list.push(e);
    else byUnit.set(e.unitId, [e]);
  };
  for (const e of run.entries) add(e);
  for (const sheet of run.lineList) for (let j = 0; j < sheet.length; j++) add(sheet.entry(j));
  let encodeMs = 0;
  const packed: Uint8Array[] = [];
  for (const [unitId, entries] of byUnit) {
    entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)); // as the store lists them
    const t = performance.now();
    packed.push(encodeUnitSnapshot(unitId, entries));
    encodeMs += performance.now() - t;
  }
  byUnit.clear();
  const expected = JSON.stringify(run.result.standings);
  const decodeRuns: number[] = [];
  const standingsRuns: number[] = [];
  for (let k = 0; k < RUNS; k++) {
    globalThis.gc?.();
    let t = performance.now();
    const units = packed.map((bytes) => decodeUnitSnapshot(bytes));
    decodeRuns.push(performance.now() - t);
    t = performance.now();
    const result = computeStandings({
      campaign: p.campaign,
      units: p.units,
      entries: units.flatMap((u) => u.entries),
      lineList: units.flatMap((u) => (u.lineList ? [u.lineList] : [])),
      unitStates: [],
      issues: run.issues,
      asOf: p.now,
    });
    standingsRuns.push(performance.now() - t);
    if (JSON.stringify(result.standings) !== expected) {
      throw new Error("the standings from unit snapshots differ from (b)'s");
    }
  }
  return {
    mib: packed.reduce((n, b) => n + b.length, 0) / MiB,
    encodeMs,
    decodeMs: median(decodeRuns),
    standingsMs: median(standingsRuns),
  };
}

async function coreSection(mode: "line-list" | "aggregate"): Promise<CoreResult> {
  const baselineRss = process.memoryUsage.rss();
  const g0 = performance.now();
  const p =
    mode === "line-list"
      ? lineListProvince({ communes: 100, rowsPerCommune: Math.round(10_000 * SCALE) })
      : aggregateProvince({ units: Math.round(3_000 * SCALE), reportsPerUnit: 40 });
  const generateMs = performance.now() - g0;
  globalThis.gc?.();
  sampleRss();
  const bodyBytes = p.bodies.reduce((n, b) => n + b.length, 0);

  // The machine's speed wanders between runs (shared cores): (a) and (b) are measured RUNS times, alternating,
  // and the median ratio is the headline.
  const floors: number[] = [];
  const runs: number[] = [];
  const objectRuns: number[] = [];
  let phases: Record<string, number> = {};
  let pipelineGcMs = 0;
  const floorSteal: (number | null)[] = [];
  const pipelineSteal: (number | null)[] = [];
  const hmacInRuns: (number | null)[] = [];
  let run!: ReturnType<typeof runPipeline>;
  for (let k = 0; k < RUNS; k++) {
    globalThis.gc?.();
    const f0 = hostCpuTicks();
    const floor = jsonParseFloor(p.bodies);
    floorSteal.push(stealShare(f0, hostCpuTicks()));
    if (floor.rows !== p.rows) throw new Error("row count mismatch");
    floors.push(floor.ms);
    if (run) {
      run.entries.length = 0;
      run.lineList.length = 0;
    }
    globalThis.gc?.();
    phases = { jsonParse: 0, decode: 0, validate: 0, standings: 0 };
    const p0 = hostCpuTicks();
    const hasher = timedIdHasher();
    const measured = await withGcTime(() => runPipeline(p, phases, hasher.hashId));
    pipelineSteal.push(stealShare(p0, hostCpuTicks()));
    hmacInRuns.push(hasher.ids > 0 ? (hasher.ms * 1e6) / hasher.ids : null);
    run = measured.value;
    pipelineGcMs = measured.gcMs;
    runs.push(run.ms);
  }
  const entries = run.entries.length + run.lineList.reduce((n, sheet) => n + sheet.length, 0);
  const issues = run.result.standings.issues;
  const rankedUnits = run.result.standings.units.length;
  const duplicates = run.result.duplicateIssues.length;
  const ids = [
    ...run.entries.map((e, i) => (e.mode === "line-list" ? e.idMasked : String(i))),
    ...run.lineList.flatMap((sheet) => Array.from({ length: sheet.length }, (_, j) => sheet.idMasked(j))),
  ];
  const pipelinePeakRss = peakRss;
  const pipelineMaxRss = process.resourceUsage().maxRSS;
  const snapshots = mode === "line-list" ? snapshotCycle(p, run) : null;
  run.entries.length = 0;
  run.lineList.length = 0;
  const objectsFloors: number[] = [];
  if (mode === "line-list") {
    // Diagnostic, after (b) so that memory figures are (b)'s: every line-list entry an object (parseSheet), as the
    // sync makes them to diff and store a unit's entries; each run after a floor run of its own.
    const fromColumns = JSON.stringify(run.result.standings);
    for (let k = 0; k < RUNS; k++) {
      globalThis.gc?.();
      objectsFloors.push(jsonParseFloor(p.bodies).ms);
      globalThis.gc?.();
      const unused = { jsonParse: 0, decode: 0, validate: 0, standings: 0 };
      const objects = runPipeline(p, unused, makeIdHasher(SECRET), true);
      objectRuns.push(objects.ms);
      if (JSON.stringify(objects.result.standings) !== fromColumns) {
        throw new Error("the standings from entry objects differ from those from columns");
      }
      objects.entries.length = 0;
    }
  }
  // Diagnostic: the floor on indented bodies, made one at a time so that only one is held beside the compact ones.
  let indentedParseMs = 0;
  let indentedChars = 0;
  for (const body of p.bodies) {
    const indented = JSON.stringify(JSON.parse(body), null, 2);
    indentedChars += indented.length;
    const t = performance.now();
    parsedRows(indented);
    indentedParseMs += performance.now() - t;
  }
  globalThis.gc?.();
  const floor2 = jsonParseFloor(p.bodies);
  floors.push(floor2.ms);
  globalThis.gc?.();
  const hasher = makeIdHasher(SECRET);
  const h0 = performance.now();
  let hashed = 0;
  for (let i = 0; i < p.rows; i++) hashed += hasher(ids[i % ids.length] ?? "").length;
  const hmacOnlyMs = performance.now() - h0;
  if (hashed !== p.rows * 64) throw new Error("hash length");
  // The same ids a commune's worth at a time through `many`, as parseSheet hashes a sheet.
  const chunk = 10_000;
  const chunkIds: string[] = new Array<string>(chunk);
  const out: string[] = new Array<string>(chunk);
  const b0 = performance.now();
  hashed = 0;
  for (let from = 0; from < p.rows; from += chunk) {
    const n = Math.min(chunk, p.rows - from);
    chunkIds.length = n;
    out.length = n;
    for (let i = 0; i < n; i++) chunkIds[i] = ids[(from + i) % ids.length] ?? "";
    hasher.many!(chunkIds, out);
    for (let i = 0; i < n; i++) hashed += out[i]!.length;
  }
  const hmacBatchMs = performance.now() - b0;
  if (hashed !== p.rows * 64) throw new Error("hash length");
  if (floor2.rows !== p.rows) throw new Error("row count mismatch");
  const floorMs = Math.min(...floors);
  const ratios = runs.map((ms) => ms / floorMs);
  return {
    mode,
    units: p.reporting.length,
    rows: p.rows,
    bodyMiB: bodyBytes / MiB,
    generateMs,
    jsonParseMs: floors,
    pipelineMs: median(runs),
    pipelineRunsMs: runs,
    phases,
    gcMs: pipelineGcMs,
    hmacOnlyMs,
    hmacBatchMs,
    jsonParseRowsPerSec: p.rows / (floorMs / 1000),
    pipelineRowsPerSec: p.rows / (median(runs) / 1000),
    ratio: median(ratios),
    ratioRange: [Math.min(...ratios), Math.max(...ratios)],
    stealShare: { floor: floorSteal, pipeline: pipelineSteal },
    hmacInRunsNsPerId: hmacInRuns,
    objectsMs: objectRuns.length > 0 ? median(objectRuns) : null,
    objectsRunsMs: objectRuns,
    objectsRatio:
      objectRuns.length > 0 ? median(objectRuns.map((ms) => ms / Math.min(floorMs, ...objectsFloors))) : null,
    snapshots,
    indentedParseMs,
    indentedMiB: indentedChars / MiB,
    entries,
    issues: issues.length,
    errors: issues.filter((i) => i.severity === "error").length,
    duplicates,
    plantedInvalid: p.plantedInvalid,
    plantedDuplicates: p.plantedDuplicates,
    rankedUnits,
    peakRssMiB: pipelinePeakRss / MiB,
    maxRssMiB: pipelineMaxRss / 1024,
    baselineRssMiB: baselineRss / MiB,
    heapLimitMiB: (process.constrainedMemory?.() ?? 0) / MiB,
  };
}

// ---------- section: sync cycle ----------

interface CycleFigures {
  label: string;
  wallMs: number;
  sheetsReads: number;
  sheetsWrites: number;
  sheetsByMethod: Record<string, number>;
  driveRequests: number;
  driveByMethod: Record<string, number>;
  firestoreWritten: number;
  unitsRead: number;
  skippedUnchanged: number;
  /** Bytes of the fake's Sheets answers, and how many it sent indented (none: every request asks compact). */
  sheetsBytes: number;
  indentedAnswers: number;
  /** Entry documents the store loaded (each a billed Firestore read), and unit snapshots it loaded. */
  entriesRead: number;
  snapshotsRead: number;
  /** Whether the cycle recomputed the standings and published the leaders' tabs (false: the stored ones stood). */
  republished: boolean;
}

interface SyncResult {
  units: number;
  rowsPerUnit: number;
  rows: number;
  cycles: CycleFigures[];
  notMeasured?: string;
}

/**
 * 100 units × 1,000 rows in the local Sheets/Drive server, the in-process Firestore emulator behind the real
 * client, and the lead's runSyncCycle wired as the sync function wires it: source, annotator and publisher on
 * the real @googleapis clients, a shared modification log so dondoc's own note writes are not "changes".
 */
async function syncSection(): Promise<SyncResult> {
  const units = Number(process.env.BENCH_SYNC_UNITS ?? 100);
  const rowsPerUnit = 1_000;
  const [fakeMod, fsMod, storeMod, syncMod, authMod, driveMod, sourceMod, annotateMod, summaryMod] =
    await Promise.all([
      import("../test/support/google-fake/server.ts"),
      import("../test/support/firestore.ts"),
      import("../functions/src/adapters/firestore/store.ts"),
      import("../functions/src/app/sync.ts"),
      import("../functions/src/adapters/google/auth.ts"),
      import("../functions/src/adapters/google/drive.ts"),
      import("../functions/src/adapters/google/sheets-source.ts"),
      import("../functions/src/adapters/google/sheets-annotate.ts"),
      import("../functions/src/adapters/google/sheets-summary.ts"),
    ]);
  const p = lineListProvince({ communes: units, rowsPerCommune: rowsPerUnit, seed: 7 });
  const serviceAccount = "dondoc@bench.iam.gserviceaccount.com";
  const fake = await fakeMod.startGoogleFake({ seed: 7, serviceAccount });
  const firestore = await fsMod.startTestFirestore("dondoc-bench");
  try {
    const folderId = fake.state.createFolder("Chiến dịch (bench)");
    const tab = sourceMod.INPUT_TAB;
    const valuesOf = (body: string) => (JSON.parse(body) as BatchGetBody).valueRanges[0]?.values ?? [];
    const sheetUnits: Unit[] = p.reporting.map((u, i) => {
      const sheetId = fake.state.createSpreadsheet({ title: u.name, tabs: [tab], parents: [folderId] });
      fake.state.setValues(sheetId, tab, valuesOf(p.bodies[i]!));
      return { ...u, sheetId };
    });
    const allUnits = [p.units[0]!, ...sheetUnits];
    const summaryId = fake.state.createSpreadsheet({ title: "Tổng hợp (bench)", parents: [folderId] });

    const auth = authMod.staticTokenAuth();
    const sheets = authMod.sheetsClient({ auth, rootUrl: fake.rootUrl });
    const drive = new driveMod.GoogleDrive({ drive: authMod.driveClient({ auth, rootUrl: fake.rootUrl }) });
    const log = new driveMod.SheetModificationLog(driveMod.memoryState());
    const source = new sourceMod.GoogleSheetSource({ sheets, drive, folderId, log });
    const annotator = new annotateMod.GoogleUnitAnnotator({ sheets, drive, log });
    const publisher = new summaryMod.GoogleSummaryPublisher({
      sheets,
      spreadsheetId: summaryId,
      state: driveMod.memoryState(),
      editorEmail: serviceAccount,
    });
    // The store, counting the documents it loads: entries one document each, snapshots one per unit.
    const reads = { entries: 0, snapshots: 0 };
    const firestoreStore = new storeMod.FirestoreStore(firestore.db, { root: "bench" });
    const store = new Proxy(firestoreStore, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target) as unknown;
        if (typeof value !== "function") return value;
        const f = value as (...args: unknown[]) => Promise<unknown>;
        if (prop === "loadUnitEntries" || prop === "loadCampaignEntries") {
          return async (...args: unknown[]) => {
            const entries = (await f.apply(target, args)) as unknown[];
            reads.entries += entries.length;
            return entries;
          };
        }
        if (prop === "loadUnitSnapshots") {
          return async (...args: unknown[]) => {
            const snapshots = (await f.apply(target, args)) as Map<string, unknown>;
            reads.snapshots += snapshots.size;
            return snapshots;
          };
        }
        return f.bind(target);
      },
    });
    const hashId = makeIdHasher(SECRET);

    const cycle = async (label: string): Promise<CycleFigures> => {
      fake.counts.reset();
      reads.entries = 0;
      reads.snapshots = 0;
      const t = performance.now();
      const r = await syncMod.runSyncCycle({
        campaign: p.campaign,
        units: allUnits,
        source,
        store,
        now: p.now,
        hashId,
        annotator,
        publisher,
        // As the scheduled function runs it: with no sheet changed, the stored standings stand and nothing is
        // published (the CLI leaves this unset and always recomputes and publishes).
        reuseStandingsWithinMs: syncMod.SCHEDULED_STANDINGS_REUSE_MS,
        onEvent: (e) => {
          if (e.type === "unit-done" && VERBOSE)
            process.stderr.write(
              `  [${label}] ${e.unit.id} ${e.result.status} +${e.result.written} docs ${fmt(performance.now() - t)} ms\n`,
            );
        },
      });
      const wallMs = performance.now() - t;
      sampleRss();
      const { read, write, ...sheetsByMethod } = fake.counts.sheets;
      const { total, ...driveByMethod } = fake.counts.drive;
      return {
        label,
        wallMs,
        sheetsReads: read,
        sheetsWrites: write,
        sheetsByMethod: Object.fromEntries(Object.entries(sheetsByMethod).filter(([, n]) => n > 0)),
        driveRequests: total,
        driveByMethod: Object.fromEntries(Object.entries(driveByMethod).filter(([, n]) => n > 0)),
        firestoreWritten: r.written,
        unitsRead: r.read,
        skippedUnchanged: r.skippedUnchanged,
        sheetsBytes: fake.counts.bytesSent.sheets,
        indentedAnswers: fake.counts.prettyPrinted,
        entriesRead: reads.entries,
        snapshotsRead: reads.snapshots,
        republished: !r.reused,
      };
    };

    const cycles: CycleFigures[] = [];
    cycles.push(await cycle("first sync"));
    cycles.push(await cycle("resync, nothing changed"));
    // One unit edits one row (a citizen's residence) and appends a new citizen.
    const changed = sheetUnits[Math.floor(sheetUnits.length / 2)]!;
    const values = valuesOf(p.bodies[Math.floor(sheetUnits.length / 2)]!);
    const edited = values[10]!.slice();
    edited[6] = "Thôn Mới";
    values[10] = edited;
    const appended = values[11]!.slice();
    appended[4] = "001190999999";
    values.push(appended);
    fake.state.setValues(changed.sheetId!, tab, values);
    cycles.push(await cycle("resync, one unit changed (1 row edited, 1 added)"));
    return { units, rowsPerUnit, rows: units * rowsPerUnit, cycles };
  } finally {
    await firestore.stop();
    await fake.close();
  }
}

// ---------- section: the host (on request) ----------

interface HostProbe {
  name: string;
  unit: string;
  /** One figure per round, in `unit`. */
  rounds: number[];
}

/**
 * What the host does to the ratio: three kinds of work timed in turn, a fraction of a second each, for ROUNDS
 * rounds in one process — `JSON.parse` of a commune's body (what (a) is), the pipeline's read of a commune's
 * sheet (what most of (b) is: parse, decode, validate, hash), and the batch HMAC alone (pure arithmetic on its
 * own 64 KB). On the shared development machine the last two slow down together (the read by ~20 %, the HMAC by
 * ~50 %), while the first hardly moves: (b) is exposed to whatever the host runs beside this core, (a) much less. Nothing is asserted.
 */
function hostSection(): HostProbe[] {
  const ROUNDS = Math.max(4, Number(process.env.BENCH_HOST_ROUNDS ?? 20));
  const p = lineListProvince({ communes: 8, rowsPerCommune: Math.round(10_000 * SCALE) });
  const hashId = makeIdHasher(SECRET);
  const values = new Float64Array(10_000);
  for (let i = 0; i < values.length; i++) values[i] = 100_000_000_000 + i * 7919;
  const probes: HostProbe[] = [
    { name: "JSON.parse of a commune's body", unit: "ms", rounds: [] },
    { name: "the pipeline's read of a commune's sheet", unit: "ms", rounds: [] },
    { name: "the batch HMAC alone", unit: "ns/id", rounds: [] },
  ];
  const sheetsPerRound = 3 * p.bodies.length;
  for (let r = 0; r < ROUNDS; r++) {
    let t = performance.now();
    for (let i = 0; i < sheetsPerRound; i++) parsedRows(p.bodies[i % p.bodies.length]!);
    probes[0]!.rounds.push((performance.now() - t) / sheetsPerRound);
    t = performance.now();
    for (let i = 0; i < sheetsPerRound; i++) {
      const unit = p.reporting[i % p.bodies.length]!;
      const sheet = decodeBatchGet(JSON.parse(p.bodies[i % p.bodies.length]!) as BatchGetBody, unit);
      parseSheetColumns({ campaign: p.campaign, unit, sheet, now: p.now, hashId });
    }
    probes[1]!.rounds.push((performance.now() - t) / sheetsPerRound);
    t = performance.now();
    const batches = 40;
    for (let i = 0; i < batches; i++) hashId.manyValuesText!(values);
    probes[2]!.rounds.push(((performance.now() - t) * 1e6) / (batches * values.length));
  }
  // The first round warms up the compiler; it says nothing about the host.
  for (const probe of probes) probe.rounds.shift();
  return probes;
}

function printHost(probes: HostProbe[]): void {
  console.log("\nhost: the same work timed in turn, round after round, in one process (BENCH_HOST_ROUNDS)");
  for (const { name, unit, rounds } of probes) {
    const sorted = [...rounds].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.round(q * (sorted.length - 1))]!;
    const digits = unit === "ms" ? 2 : 0;
    const range = (lo: number, hi: number) => `${fmt(lo, digits)}–${fmt(hi, digits)}`;
    console.log(
      `  ${name.padEnd(42)} median ${fmt(median(rounds), digits)} ${unit}; 10th–90th percentile ${range(at(0.1), at(0.9))} (+${fmt(100 * (at(0.9) / at(0.1) - 1))} %); all ${range(sorted[0]!, sorted.at(-1)!)}`,
    );
    if (VERBOSE) console.log(`      ${rounds.map((x) => fmt(x, digits)).join(" ")}`);
  }
}

// ---------- runner ----------

function runChild(section: string, nodeArgs: string[] = []): unknown {
  const out = execFileSync(process.execPath, [...nodeArgs, import.meta.filename, `--section=${section}`], {
    encoding: "utf8",
    cwd: resolve(import.meta.dirname, ".."),
    maxBuffer: 64 * MiB,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const last = out.trim().split("\n").at(-1) ?? "";
  return JSON.parse(last);
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function stealList(shares: (number | null)[]): string {
  return shares.map((x) => (x === null ? "?" : `${fmt(100 * x, 1)} %`)).join(", ");
}

function printCore(r: CoreResult): void {
  console.log(
    `\n${r.mode}: ${fmt(r.units)} units, ${fmt(r.rows)} rows, ${fmt(r.bodyMiB, 1)} MiB of batchGet JSON`,
  );
  const rows: [string, string][] = [
    [
      "(a) JSON.parse only",
      `${fmt(Math.min(...r.jsonParseMs))} ms  ${fmt(r.jsonParseRowsPerSec)} rows/s  (runs: ${r.jsonParseMs.map((x) => fmt(x)).join(", ")} ms)`,
    ],
    [
      "(b) full pipeline (median)",
      `${fmt(r.pipelineMs)} ms  ${fmt(r.pipelineRowsPerSec)} rows/s  (runs: ${r.pipelineRunsMs.map((x) => fmt(x)).join(", ")} ms)`,
    ],
    ["    last run: JSON.parse", `${fmt(r.phases.jsonParse!)} ms`],
    ["    decode to RawSheet", `${fmt(r.phases.decode!)} ms`],
    ["    header + validate + hash", `${fmt(r.phases.validate!)} ms`],
    ["    dedupe+aggregate+rollup+rank", `${fmt(r.phases.standings!)} ms`],
    ["    garbage collection (within the above)", `${fmt(r.gcMs)} ms`],
    [
      "(b)/(a) (median; lowest–highest)",
      `${fmt(r.ratio, 2)}  (${fmt(r.ratioRange[0], 2)}–${fmt(r.ratioRange[1], 2)})`,
    ],
    [
      "host: CPU steal during (a) / (b) runs",
      r.stealShare.pipeline.every((x) => x === null)
        ? "unknown (no /proc/stat)"
        : `${stealList(r.stealShare.floor)} / ${stealList(r.stealShare.pipeline)}  (time the hypervisor gave to other guests)`,
    ],
    // Only where (b) hashed ids (aggregate reports carry none).
    ...(r.hmacInRunsNsPerId.some((x) => x !== null)
      ? [
          [
            "host: the HMAC inside each (b) run",
            `${r.hmacInRunsNsPerId.map((x) => (x === null ? "?" : fmt(x / 1000, 2))).join(", ")} µs/id  (the same work each run: a slower one got less of the core)`,
          ] as [string, string],
        ]
      : []),
    [
      "diagnostic: (b) with entry objects",
      r.objectsMs === null
        ? ""
        : `${fmt(r.objectsMs)} ms, ratio ${fmt(r.objectsRatio!, 2)}  (runs: ${r.objectsRunsMs.map((x) => fmt(x)).join(", ")} ms)`,
    ],
    [
      "diagnostic: the cycle's recompute",
      r.snapshots === null
        ? ""
        : `from ${fmt(r.units)} unit snapshots (${fmt(r.snapshots.mib, 1)} MiB): decode ${fmt(r.snapshots.decodeMs)} ms + standings ${fmt(r.snapshots.standingsMs)} ms; packing them ${fmt(r.snapshots.encodeMs)} ms (${fmt(r.snapshots.encodeMs / r.units)} ms a unit)`,
    ],
    [
      "diagnostic: (a) on indented bodies",
      `${fmt(r.indentedParseMs)} ms for ${fmt(r.indentedMiB, 1)} MiB (Google's answer without prettyPrint=false)`,
    ],
    [
      "diagnostic: HMAC alone, one per row",
      `${fmt(r.hmacOnlyMs)} ms  (${fmt((r.hmacOnlyMs * 1000) / r.rows, 2)} µs/row)`,
    ],
    [
      "diagnostic: HMAC alone, 10,000 per call",
      `${fmt(r.hmacBatchMs)} ms  (${fmt((r.hmacBatchMs * 1000) / r.rows, 2)} µs/row; what parseSheet uses)`,
    ],
    [
      "peak RSS (sampled / maxRSS)",
      `${fmt(r.peakRssMiB)} MiB / ${fmt(r.maxRssMiB)} MiB (start ${fmt(r.baselineRssMiB)} MiB)`,
    ],
    [
      "entries / issues / errors / duplicates",
      `${fmt(r.entries)} / ${fmt(r.issues)} / ${fmt(r.errors)} / ${fmt(r.duplicates)}`,
    ],
    ["planted invalid / duplicate rows", `${fmt(r.plantedInvalid)} / ${fmt(r.plantedDuplicates)}`],
  ];
  // Aggregate reports carry no citizen ids, so there is nothing to hash and the HMAC diagnostics say nothing.
  const shown = r.mode === "aggregate" ? rows.filter(([k]) => !k.startsWith("diagnostic")) : rows;
  for (const [k, v] of shown) console.log(`  ${k.padEnd(40)} ${v}`);
}

function printSync(r: SyncResult): void {
  console.log(
    `\nsync cycle: ${fmt(r.units)} units × ${fmt(r.rowsPerUnit)} rows (local Sheets/Drive server, Firestore emulator)`,
  );
  if (r.notMeasured) {
    console.log(`  not measured: ${r.notMeasured}`);
    return;
  }
  console.log(
    `  ${"cycle".padEnd(50)} ${"wall".padStart(9)} ${"units read".padStart(10)} ${"Sheets R".padStart(8)} ${"Sheets W".padStart(8)} ${"Drive".padStart(6)} ${"FS docs".padStart(8)}`,
  );
  for (const c of r.cycles) {
    console.log(
      `  ${c.label.padEnd(50)} ${`${fmt(c.wallMs)} ms`.padStart(9)} ${fmt(c.unitsRead).padStart(10)} ${fmt(c.sheetsReads).padStart(8)} ${fmt(c.sheetsWrites).padStart(8)} ${fmt(c.driveRequests).padStart(6)} ${fmt(c.firestoreWritten).padStart(8)}`,
    );
    console.log(
      `      Sheets ${JSON.stringify(c.sheetsByMethod)}, ${fmt(c.sheetsBytes / MiB, 1)} MiB received (${fmt(c.indentedAnswers)} indented)  Drive ${JSON.stringify(c.driveByMethod)}`,
    );
    console.log(
      `      Firestore: ${fmt(c.entriesRead ?? 0)} entry documents read, ${fmt(c.snapshotsRead ?? 0)} unit snapshots read; ${c.republished === false ? "stored standings kept, nothing published" : "standings recomputed and published"}`,
    );
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { section: { type: "string" }, only: { type: "string" }, "sync-result": { type: "string" } },
  });
  if (values.section === "sync") {
    process.stdout.write(`${JSON.stringify(await syncSection())}\n`);
    return;
  }
  if (values.section === "host") {
    process.stdout.write(`${JSON.stringify(hostSection())}\n`);
    return;
  }
  if (values.section === "core-line-list" || values.section === "core-aggregate") {
    const r = await coreSection(values.section === "core-line-list" ? "line-list" : "aggregate");
    process.stdout.write(`${JSON.stringify(r)}\n`);
    return;
  }
  const only = values.only?.split(",");
  const want = (s: string) => !only || only.includes(s);
  const results: Record<string, unknown> = {
    node: process.version,
    scale: SCALE,
    at: new Date().toISOString(),
  };
  if (want("line-list")) {
    const r = runChild("core-line-list", ["--expose-gc"]) as CoreResult;
    results.coreLineList = r;
    printCore(r);
  }
  if (want("aggregate")) {
    const r = runChild("core-aggregate", ["--expose-gc"]) as CoreResult;
    results.coreAggregate = r;
    printCore(r);
  }
  if (want("sync")) {
    let r: SyncResult;
    try {
      // The sync section takes many minutes; a measurement made apart (`--section=sync > file`) can be reused.
      const saved = values["sync-result"];
      r = saved
        ? (JSON.parse(readFileSync(saved, "utf8").trim().split("\n").at(-1)!) as SyncResult)
        : (runChild("sync") as SyncResult);
    } catch (error) {
      r = {
        units: 100,
        rowsPerUnit: 1000,
        rows: 100_000,
        cycles: [],
        notMeasured: String(error).slice(0, 500),
      };
    }
    results.sync = r;
    printSync(r);
  }
  if (want("coldstart")) {
    try {
      const { measureColdStart } = await import("./coldstart.ts");
      const rows = await measureColdStart();
      results.coldStart = rows;
      console.log("\ncold start: module import time, median of fresh processes");
      for (const r of rows) {
        const flag = r.name.includes("bundle")
          ? r.medianMs < 250
            ? "  (goal < 250 ms: met)"
            : "  (goal < 250 ms: NOT met)"
          : "";
        console.log(`  ${r.name.padEnd(44)} ${`${fmt(r.medianMs)} ms`.padStart(9)}${flag}`);
      }
    } catch (error) {
      results.coldStart = { notMeasured: String(error).slice(0, 500) };
      console.log(`\ncold start: not measured: ${String(error).slice(0, 300)}`);
    }
  }
  // Only on request (`--only=host`): it describes the machine, not the product.
  if (only?.includes("host")) {
    const r = runChild("host") as HostProbe[];
    results.host = r;
    printHost(r);
  }
  writeFileSync(resolve(import.meta.dirname, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
}

if (import.meta.filename === resolve(process.argv[1] ?? "")) await main();
