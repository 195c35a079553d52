// A local HTTP server speaking the Sheets v4 / Drive v3 subset dondoc uses, so tests drive the real
// @googleapis clients (rootUrl pointed here) end to end: auth header, query serialisation, error mapping.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { MaskError, parseMask, pickFields } from "./a1.ts";
import {
  DriveStore,
  type FakeFile,
  FOLDER_MIME,
  fileResource,
  permissionResource,
  SPREADSHEET_MIME,
} from "./drive.ts";
import {
  driveError,
  FakeHttpError,
  type FaultConfig,
  FaultInjector,
  googleError,
  seededRandom,
  sheetsFailure,
} from "./faults.ts";
import {
  type CellData,
  type DateRender,
  type FakeInput,
  type FakeSheet,
  type FakeSpreadsheet,
  fakeInputCell,
  newSpreadsheet,
  renderCell,
  SheetsStore,
  type ValueRender,
} from "./sheets.ts";

export { FOLDER_MIME, SPREADSHEET_MIME } from "./drive.ts";
export type { FakeInput } from "./sheets.ts";

export interface GoogleFakeOptions extends FaultConfig {
  /** The identity the fake acts as (owner of what it creates). */
  serviceAccount?: string;
}

const SHEETS_METHODS = [
  "get",
  "create",
  "valuesGet",
  "valuesBatchGet",
  "valuesUpdate",
  "valuesBatchUpdate",
  "batchUpdate",
] as const;
const DRIVE_METHODS = [
  "list",
  "get",
  "create",
  "copy",
  "update",
  "permissionsCreate",
  "permissionsList",
  "permissionsDelete",
] as const;
type SheetsMethod = (typeof SHEETS_METHODS)[number];
type DriveMethod = (typeof DRIVE_METHODS)[number];
const SHEETS_READS: ReadonlySet<SheetsMethod> = new Set(["get", "valuesGet", "valuesBatchGet"]);

/** Requests the fake answered, by API and method; injected faults are counted apart and not as calls. */
export class RequestCounts {
  sheets = RequestCounts.zeroSheets();
  drive = RequestCounts.zeroDrive();
  faults = { total: 0, byStatus: {} as Record<string, number> };
  unauthorized = 0;
  /** Sheets reads per spreadsheet id (which units were read, not only how many). */
  readsBySpreadsheet = new Map<string, number>();
  writesBySpreadsheet = new Map<string, number>();
  /** Bytes of the bodies the fake answered with (successes), by API. */
  bytesSent = { sheets: 0, drive: 0 };
  /**
   * Answers sent indented, as Google sends them to a request that does not ask for prettyPrint=false: about
   * twice the bytes of a values response, for the network and for JSON.parse.
   */
  prettyPrinted = 0;

  private static zeroSheets(): Record<SheetsMethod | "read" | "write", number> {
    return Object.fromEntries([...SHEETS_METHODS, "read", "write"].map((m) => [m, 0])) as Record<
      SheetsMethod | "read" | "write",
      number
    >;
  }

  private static zeroDrive(): Record<DriveMethod | "total", number> {
    return Object.fromEntries([...DRIVE_METHODS, "total"].map((m) => [m, 0])) as Record<
      DriveMethod | "total",
      number
    >;
  }

  reset(): void {
    this.sheets = RequestCounts.zeroSheets();
    this.drive = RequestCounts.zeroDrive();
    this.faults = { total: 0, byStatus: {} };
    this.unauthorized = 0;
    this.readsBySpreadsheet.clear();
    this.writesBySpreadsheet.clear();
    this.bytesSent = { sheets: 0, drive: 0 };
    this.prettyPrinted = 0;
  }

  countSheets(method: SheetsMethod, spreadsheetId: string | null): void {
    this.sheets[method]++;
    const read = SHEETS_READS.has(method);
    if (read) this.sheets.read++;
    else this.sheets.write++;
    if (spreadsheetId) {
      const map = read ? this.readsBySpreadsheet : this.writesBySpreadsheet;
      map.set(spreadsheetId, (map.get(spreadsheetId) ?? 0) + 1);
    }
  }

  countDrive(method: DriveMethod): void {
    this.drive[method]++;
    this.drive.total++;
  }
}

/** The fake's data, with helpers for tests to arrange and inspect it without going through HTTP. */
export class FakeState {
  readonly serviceAccount: string;
  readonly sheets: SheetsStore;
  readonly drive: DriveStore;
  private lastMs = 0;
  private idSeq = 0;
  private readonly idRandom: () => number;

  constructor(seed: number, serviceAccount: string) {
    this.serviceAccount = serviceAccount;
    this.idRandom = seededRandom(seed ^ 0x51d);
    this.drive = new DriveStore(
      () => this.now(),
      () => this.newId(),
      serviceAccount,
    );
    this.sheets = new SheetsStore((id) => this.drive.touch(id));
  }

  /** Strictly increasing, so two edits in the same millisecond still give two modifiedTimes. */
  now(): string {
    this.lastMs = Math.max(Date.now(), this.lastMs + 1);
    return new Date(this.lastMs).toISOString();
  }

  /** 44 characters like a real Drive id, deterministic for a seed. */
  newId(): string {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let s = `1F${String(++this.idSeq).padStart(6, "0")}`;
    while (s.length < 44) s += alphabet[Math.floor(this.idRandom() * alphabet.length)];
    return s;
  }

  createFolder(name: string, parents: string[] = []): string {
    return this.drive.add({ name, mimeType: FOLDER_MIME, parents }).id;
  }

  createSpreadsheet(opts: {
    title: string;
    tabs?: string[];
    parents?: string[];
    appProperties?: Record<string, string>;
    locale?: string;
  }): string {
    const file = this.drive.add({
      name: opts.title,
      mimeType: SPREADSHEET_MIME,
      parents: opts.parents ?? [],
      appProperties: opts.appProperties ?? {},
    });
    const ss = newSpreadsheet(file.id, opts.title, opts.tabs);
    if (opts.locale) ss.properties.locale = opts.locale;
    this.sheets.spreadsheets.set(file.id, ss);
    return file.id;
  }

  spreadsheet(id: string): FakeSpreadsheet {
    const ss = this.sheets.spreadsheets.get(id);
    if (!ss) throw new Error(`no spreadsheet ${id}`);
    return ss;
  }

  sheet(id: string, tab: string): FakeSheet {
    const sheet = this.spreadsheet(id).sheets.find((s) => s.properties.title === tab);
    if (!sheet) throw new Error(`no tab ${tab} in ${id}`);
    return sheet;
  }

  file(id: string): FakeFile {
    const f = this.drive.files.get(id);
    if (!f) throw new Error(`no file ${id}`);
    return f;
  }

  /** Replaces a tab's values as a user typing would (notes and formats stay); bumps modifiedTime. */
  setValues(id: string, tab: string, rows: FakeInput[][]): void {
    const sheet = this.sheet(id, tab);
    // Rebuilt rather than edited in place: deleting keys from thousands of cells is what made this slow.
    const kept: (CellData | undefined)[][] = sheet.rows.map((line) =>
      (line ?? []).map((cell) => (cell && !cell.userEnteredValue ? cell : keepWithoutValue(cell))),
    );
    rows.forEach((row, r) => {
      row.forEach((v, c) => {
        const input = fakeInputCell(v);
        if (!input) return;
        const line = kept[r] ?? [];
        kept[r] = line;
        const old = line[c];
        line[c] = old
          ? { ...old, ...input, userEnteredFormat: { ...old.userEnteredFormat, ...input.userEnteredFormat } }
          : input;
      });
    });
    sheet.rows = kept;
    const grid = sheet.properties.gridProperties;
    grid.rowCount = Math.max(grid.rowCount, rows.length);
    grid.columnCount = Math.max(grid.columnCount, ...rows.map((r) => r.length));
    this.drive.touch(id);
  }

  /** A tab's values as the FORMULA rendering shows them (formulas as text), trailing empties trimmed. */
  values(id: string, tab: string): (string | number | boolean)[][] {
    const locale = this.spreadsheet(id).properties.locale;
    const out = this.sheet(id, tab).rows.map((line) => {
      const row = (line ?? []).map((c) => renderCell(c, "FORMULA", "SERIAL_NUMBER", locale) ?? "");
      while (row.length > 0 && row[row.length - 1] === "") row.pop();
      return row;
    });
    while (out.length > 0 && out[out.length - 1]!.length === 0) out.pop();
    return Array.from(out, (r) => r ?? []);
  }

  cell(id: string, tab: string, row: number, col: number): CellData | undefined {
    return this.sheet(id, tab).rows[row]?.[col];
  }

  /** Every cell holding a formula, as "Tab!R1C1" — the tests expect none from dondoc's writes. */
  formulaCells(id: string): string[] {
    const out: string[] = [];
    for (const sheet of this.spreadsheet(id).sheets) {
      sheet.rows.forEach((line, r) => {
        line?.forEach((cell, c) => {
          if (cell?.userEnteredValue?.formulaValue !== undefined)
            out.push(`${sheet.properties.title}!R${r + 1}C${c + 1}`);
        });
      });
    }
    return out;
  }

  /** The caller loses access to the file (Drive and Sheets answer 403). */
  revoke(id: string): void {
    this.file(id).forbidden = true;
  }

  remove(id: string): void {
    this.drive.files.delete(id);
    this.sheets.spreadsheets.delete(id);
  }
}

/** A cell's note, format and validation without its value (and without a date format that came with it). */
function keepWithoutValue(cell: CellData | undefined): CellData | undefined {
  if (!cell) return undefined;
  const { userEnteredValue: _value, userEnteredFormat, ...rest } = cell;
  const out: CellData = { ...rest };
  if (userEnteredFormat) {
    const { numberFormat: _date, ...format } = userEnteredFormat;
    if (Object.keys(format).length > 0) out.userEnteredFormat = format;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

export interface GoogleFake {
  rootUrl: string;
  state: FakeState;
  counts: RequestCounts;
  setFaults(config: FaultConfig): void;
  close(): Promise<void>;
}

const UNAUTHENTICATED = googleError(
  401,
  "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential.",
  "UNAUTHENTICATED",
);

const ENUMS: Record<string, readonly string[]> = {
  valueRenderOption: ["FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA"],
  dateTimeRenderOption: ["SERIAL_NUMBER", "FORMATTED_STRING"],
  majorDimension: ["ROWS", "COLUMNS", "DIMENSION_UNSPECIFIED"],
  valueInputOption: ["RAW", "USER_ENTERED"],
};

function enumParam(params: URLSearchParams, name: string, fallback: string): string {
  const v = params.get(name);
  if (v === null) return fallback;
  if (!ENUMS[name]!.includes(v)) {
    throw sheetsFailure(
      400,
      `Invalid value at '${name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}' (${name}), "${v}"`,
    );
  }
  return v === "DIMENSION_UNSPECIFIED" ? "ROWS" : v;
}

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("error", reject);
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      if (text === "") return resolve(undefined);
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(sheetsFailure(400, "Invalid JSON payload received."));
      }
    });
  });
}

/**
 * Writes a JSON answer; returns its length in bytes. `pretty`: indented, as Google answers unless the request
 * says prettyPrint=false (the system parameter's default is true).
 */
function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  pretty = false,
): number {
  const text = pretty ? JSON.stringify(body, null, 2) : JSON.stringify(body);
  const bytes = Buffer.byteLength(text);
  res.writeHead(status, {
    "content-type": "application/json; charset=UTF-8",
    "content-length": bytes,
    ...headers,
  });
  res.end(text);
  return bytes;
}

function withFields(body: unknown, params: URLSearchParams, api: "sheets" | "drive"): unknown {
  const fields = params.get("fields");
  if (fields === null) return body;
  try {
    return pickFields(body, parseMask(fields));
  } catch (e) {
    if (!(e instanceof MaskError)) throw e;
    throw api === "sheets"
      ? sheetsFailure(400, `Request contains an invalid argument: invalid field mask '${fields}'.`)
      : new FakeHttpError(
          400,
          driveError(400, "Invalid field selection", "invalidParameter", "global", "fields"),
        );
  }
}

/** What a route returns for a 204 answer (Drive's deletes have no body). */
const NO_CONTENT = Symbol("no content");

const DRIVE_FILE_DEFAULT = "kind,id,name,mimeType";
const DRIVE_PERMISSION_DEFAULT = "kind,id,type,role";

export async function startGoogleFake(opts: GoogleFakeOptions = {}): Promise<GoogleFake> {
  const state = new FakeState(
    opts.seed ?? 1,
    opts.serviceAccount ?? "dondoc@fake-project.iam.gserviceaccount.com",
  );
  const counts = new RequestCounts();
  const faults = new FaultInjector(opts);

  async function sheetsRoute(
    method: string,
    path: string,
    params: URLSearchParams,
    req: IncomingMessage,
  ): Promise<unknown> {
    // Paths: /v4/spreadsheets[/{id}[:batchUpdate | /values:batchGet | /values:batchUpdate | /values/{range}]]
    const rest = path.slice("/v4/spreadsheets".length);
    if (rest === "" && method === "POST") {
      const body = ((await readBody(req)) ?? {}) as Record<string, unknown>;
      counts.countSheets("create", null);
      const props = (body.properties ?? {}) as { title?: string };
      const file = state.drive.add({
        name: props.title ?? "Untitled spreadsheet",
        mimeType: SPREADSHEET_MIME,
      });
      const ss = state.sheets.createFromResource(file.id, body);
      return state.sheets.resource(ss, [], false);
    }
    const m = /^\/([^/:]+)(.*)$/.exec(rest);
    if (!m) throw sheetsFailure(404, "Requested entity was not found.");
    const id = decodeURIComponent(m[1]!);
    const tail = m[2]!;
    const file = state.drive.files.get(id);
    if (file?.forbidden) throw sheetsFailure(403, "The caller does not have permission");
    if (tail === "" && method === "GET") {
      counts.countSheets("get", id);
      const ss = state.sheets.require(id);
      const ranges = params.getAll("ranges");
      const grid =
        params.get("includeGridData") === "true" ||
        /(^|[,(/])data([,)/(]|$)/.test(params.get("fields") ?? "");
      return state.sheets.resource(ss, ranges, grid);
    }
    if (tail === ":batchUpdate" && method === "POST") {
      const body = await readBody(req);
      counts.countSheets("batchUpdate", id);
      return state.sheets.batchUpdate(id, body);
    }
    if (tail === "/values:batchGet" && method === "GET") {
      counts.countSheets("valuesBatchGet", id);
      const ss = state.sheets.require(id);
      const opts = readOptions(params);
      return {
        spreadsheetId: id,
        valueRanges: params.getAll("ranges").map((r) => state.sheets.readValues(ss, r, opts)),
      };
    }
    if (tail === "/values:batchUpdate" && method === "POST") {
      const body = ((await readBody(req)) ?? {}) as Record<string, unknown>;
      counts.countSheets("valuesBatchUpdate", id);
      const ss = state.sheets.require(id);
      const input = body.valueInputOption;
      if (input === undefined) throw sheetsFailure(400, "'valueInputOption' is required but not specified");
      if (!ENUMS.valueInputOption!.includes(String(input))) {
        throw sheetsFailure(
          400,
          `Invalid value at 'value_input_option' (ValueInputOption), "${String(input)}"`,
        );
      }
      const data = Array.isArray(body.data) ? (body.data as Record<string, unknown>[]) : [];
      // Atomic like every batch: write into a copy and swap it in at the end.
      const copy = structuredClone(ss);
      const responses = data.map((d) => ({
        spreadsheetId: id,
        ...state.sheets.writeValues(
          copy,
          String(d.range ?? ""),
          d.values,
          String(input),
          String(d.majorDimension ?? "ROWS"),
        ),
      }));
      state.sheets.spreadsheets.set(id, copy);
      if (responses.length > 0) state.drive.touch(id);
      return {
        spreadsheetId: id,
        totalUpdatedRows: responses.reduce((n, r) => n + r.updatedRows, 0),
        totalUpdatedColumns: Math.max(0, ...responses.map((r) => r.updatedColumns)),
        totalUpdatedCells: responses.reduce((n, r) => n + r.updatedCells, 0),
        totalUpdatedSheets: new Set(responses.map((r) => r.updatedRange.split("!")[0])).size,
        responses,
      };
    }
    const values = /^\/values\/(.+)$/.exec(tail);
    if (values) {
      const range = decodeURIComponent(values[1]!);
      const ss = state.sheets.require(id);
      if (method === "GET") {
        counts.countSheets("valuesGet", id);
        return state.sheets.readValues(ss, range, readOptions(params));
      }
      if (method === "PUT") {
        const body = ((await readBody(req)) ?? {}) as Record<string, unknown>;
        counts.countSheets("valuesUpdate", id);
        const input = params.get("valueInputOption");
        if (input === null) throw sheetsFailure(400, "'valueInputOption' is required but not specified");
        enumParam(params, "valueInputOption", "RAW");
        if (typeof body.range === "string" && body.range !== range) {
          throw sheetsFailure(
            400,
            `Requested writing within range [${range}], but tried writing to [${body.range}]`,
          );
        }
        const copy = structuredClone(ss);
        const result = state.sheets.writeValues(
          copy,
          range,
          body.values ?? [],
          input,
          String(body.majorDimension ?? "ROWS"),
        );
        state.sheets.spreadsheets.set(id, copy);
        state.drive.touch(id);
        return { spreadsheetId: id, ...result };
      }
    }
    throw sheetsFailure(404, "Requested entity was not found.");
  }

  function readOptions(params: URLSearchParams): {
    majorDimension: string;
    valueRender: ValueRender;
    dateRender: DateRender;
  } {
    return {
      majorDimension: enumParam(params, "majorDimension", "ROWS"),
      valueRender: enumParam(params, "valueRenderOption", "FORMATTED_VALUE") as ValueRender,
      dateRender: enumParam(params, "dateTimeRenderOption", "SERIAL_NUMBER") as DateRender,
    };
  }

  async function driveRoute(
    method: string,
    path: string,
    params: URLSearchParams,
    req: IncomingMessage,
  ): Promise<unknown> {
    const rest = path.slice("/drive/v3/files".length);
    const fields = (fallback: string): void => {
      if (!params.has("fields")) params.set("fields", fallback);
    };
    if (rest === "" && method === "GET") {
      counts.countDrive("list");
      const { files, nextPageToken } = state.drive.list(params);
      fields(`kind,incompleteSearch,nextPageToken,files(${DRIVE_FILE_DEFAULT})`);
      const out: Record<string, unknown> = {
        kind: "drive#fileList",
        incompleteSearch: false,
        files: files.map(fileResource),
      };
      if (nextPageToken) out.nextPageToken = nextPageToken;
      return out;
    }
    if (rest === "" && method === "POST") {
      const body = ((await readBody(req)) ?? {}) as Record<string, unknown>;
      counts.countDrive("create");
      const mimeType = typeof body.mimeType === "string" ? body.mimeType : "application/octet-stream";
      if (mimeType !== FOLDER_MIME && mimeType !== SPREADSHEET_MIME) {
        throw new FakeHttpError(
          501,
          googleError(501, "The fake creates folders and spreadsheets only.", "UNIMPLEMENTED"),
        );
      }
      const parents = Array.isArray(body.parents) ? (body.parents as string[]) : [];
      for (const p of parents) state.drive.require(p);
      const file = state.drive.add({
        name: typeof body.name === "string" ? body.name : "Untitled",
        mimeType,
        parents,
        appProperties: (body.appProperties as Record<string, string> | undefined) ?? {},
      });
      if (mimeType === SPREADSHEET_MIME)
        state.sheets.spreadsheets.set(file.id, newSpreadsheet(file.id, file.name));
      fields(DRIVE_FILE_DEFAULT);
      return fileResource(file);
    }
    const one = /^\/([^/]+)\/permissions\/([^/]+)$/.exec(rest);
    if (one && method === "DELETE") {
      counts.countDrive("permissionsDelete");
      state.drive.deletePermission(decodeURIComponent(one[1]!), decodeURIComponent(one[2]!));
      return NO_CONTENT;
    }
    const m = /^\/([^/]+)(\/copy|\/permissions)?$/.exec(rest);
    if (!m) throw new FakeHttpError(404, driveError(404, "Not Found", "notFound"));
    const id = decodeURIComponent(m[1]!);
    const sub = m[2];
    if (sub === undefined && method === "GET") {
      counts.countDrive("get");
      fields(DRIVE_FILE_DEFAULT);
      return fileResource(state.drive.require(id));
    }
    if (sub === undefined && method === "PATCH") {
      const body = ((await readBody(req)) ?? {}) as Record<string, unknown>;
      counts.countDrive("update");
      fields(DRIVE_FILE_DEFAULT);
      return fileResource(state.drive.update(id, body, params));
    }
    if (sub === "/copy" && method === "POST") {
      const body = ((await readBody(req)) ?? {}) as Record<string, unknown>;
      counts.countDrive("copy");
      const copy = state.drive.copy(id, body);
      const src = state.sheets.spreadsheets.get(id);
      if (src) {
        // The copy keeps every tab with its sheetId, cells, notes, protections and charts, as Drive does.
        const ss = structuredClone(src);
        ss.spreadsheetId = copy.id;
        ss.properties.title = copy.name;
        state.sheets.spreadsheets.set(copy.id, ss);
      }
      fields(DRIVE_FILE_DEFAULT);
      return fileResource(copy);
    }
    if (sub === "/permissions" && method === "POST") {
      const body = ((await readBody(req)) ?? {}) as Record<string, unknown>;
      counts.countDrive("permissionsCreate");
      fields(DRIVE_PERMISSION_DEFAULT);
      return permissionResource(state.drive.createPermission(id, body, params));
    }
    if (sub === "/permissions" && method === "GET") {
      counts.countDrive("permissionsList");
      const file = state.drive.require(id);
      fields(`kind,nextPageToken,permissions(${DRIVE_PERMISSION_DEFAULT})`);
      return { kind: "drive#permissionList", permissions: file.permissions.map(permissionResource) };
    }
    throw new FakeHttpError(404, driveError(404, "Not Found", "notFound"));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://fake");
    const path = url.pathname;
    // Google indents every answer, errors included, unless the request says prettyPrint=false.
    const pretty = url.searchParams.get("prettyPrint") !== "false";
    const api = path.startsWith("/v4/spreadsheets")
      ? "sheets"
      : path.startsWith("/drive/v3/files")
        ? "drive"
        : null;
    if (!api) {
      send(res, 404, googleError(404, `Not found: ${path}`, "NOT_FOUND"), {}, pretty);
      return;
    }
    const auth = req.headers.authorization ?? "";
    if (!/^Bearer \S+$/.test(auth)) {
      counts.unauthorized++;
      req.resume();
      send(
        res,
        401,
        UNAUTHENTICATED,
        { "www-authenticate": 'Bearer realm="https://accounts.google.com/"' },
        pretty,
      );
      return;
    }
    const fault = faults.next(api);
    if (fault) {
      counts.faults.total++;
      counts.faults.byStatus[fault.status] = (counts.faults.byStatus[fault.status] ?? 0) + 1;
      req.resume();
      if (fault.status === 0) {
        req.socket.destroy();
        return;
      }
      send(res, fault.status, fault.body, fault.headers, pretty);
      return;
    }
    const method = req.method ?? "GET";
    const params = url.searchParams;
    try {
      const body =
        api === "sheets"
          ? await sheetsRoute(method, path, params, req)
          : await driveRoute(method, path, params, req);
      if (body === NO_CONTENT) {
        res.writeHead(204);
        res.end();
        return;
      }
      counts.bytesSent[api] += send(res, 200, withFields(body, params, api), {}, pretty);
      if (pretty) counts.prettyPrinted++;
    } catch (e) {
      if (e instanceof FakeHttpError) {
        req.resume();
        send(res, e.status, e.body, {}, pretty);
        return;
      }
      send(
        res,
        500,
        googleError(500, `fake: ${e instanceof Error ? e.stack : String(e)}`, "INTERNAL"),
        {},
        pretty,
      );
    }
  }

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    rootUrl: `http://127.0.0.1:${port}/`,
    state,
    counts,
    setFaults: (config) => faults.configure(config),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
