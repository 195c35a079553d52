// The local Sheets/Drive server is the referee of the Google adapters, so it is tested on its own: driven by
// the real generated clients, it must answer and refuse the way Google does.
import { drive as driveApi } from "@googleapis/drive";
import { sheets as sheetsApi } from "@googleapis/sheets";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { staticTokenAuth } from "../../functions/src/adapters/google/auth.ts";
import { type GoogleFake, SPREADSHEET_MIME, startGoogleFake } from "../support/google-fake/server.ts";

let fake: GoogleFake;
let sheets: ReturnType<typeof sheetsApi>;
let drive: ReturnType<typeof driveApi>;

beforeEach(async () => {
  fake = await startGoogleFake({ seed: 7 });
  const auth = staticTokenAuth();
  sheets = sheetsApi({ version: "v4", auth, rootUrl: fake.rootUrl, retry: false });
  drive = driveApi({ version: "v3", auth, rootUrl: fake.rootUrl, retry: false });
});
afterEach(async () => {
  await fake.close();
});

/** Runs a client call that must fail and returns Google's status and message. */
async function refusal(p: Promise<unknown>): Promise<{ status: number; message: string; body: unknown }> {
  try {
    await p;
  } catch (e) {
    const err = e as { status?: number; response?: { data?: { error?: { message?: string } } } };
    return {
      status: err.status ?? 0,
      message: err.response?.data?.error?.message ?? "",
      body: err.response?.data,
    };
  }
  throw new Error("expected the request to be refused");
}

describe("authentication", () => {
  it("refuses requests without a Bearer token with 401 UNAUTHENTICATED", async () => {
    const id = fake.state.createSpreadsheet({ title: "x" });
    const res = await fetch(`${fake.rootUrl}v4/spreadsheets/${id}`);
    expect(res.status).toBe(401);
    const body = (await res.json()) as { error: { code: number; status: string } };
    expect(body.error).toMatchObject({ code: 401, status: "UNAUTHENTICATED" });
    expect(fake.counts.unauthorized).toBe(1);
    expect(fake.counts.sheets.get).toBe(0);
  });
});

describe("Sheets values", () => {
  it("renders unformatted numbers, booleans, serial dates, formulas as text, and trims trailing empties", async () => {
    const id = fake.state.createSpreadsheet({ title: "u", tabs: ["Nhập liệu"] });
    fake.state.setValues(id, "Nhập liệu", [
      ["Ngày", "Số", "Có", "Ghi chú", null],
      [{ date: "2025-08-04" }, 1012, true, { formula: '=IMPORTXML("http://x","//a")' }, null],
      [],
      [null, 3],
      [],
    ]);
    const base = { spreadsheetId: id, ranges: ["'Nhập liệu'"], majorDimension: "ROWS" };
    const unformatted = await sheets.spreadsheets.values.batchGet({
      ...base,
      valueRenderOption: "UNFORMATTED_VALUE",
      dateTimeRenderOption: "SERIAL_NUMBER",
    });
    expect(unformatted.data.valueRanges?.[0]?.values).toEqual([
      ["Ngày", "Số", "Có", "Ghi chú"],
      [45873, 1012, true],
      [],
      ["", 3],
    ]);
    const formula = await sheets.spreadsheets.values.batchGet({ ...base, valueRenderOption: "FORMULA" });
    expect(formula.data.valueRanges?.[0]?.values?.[1]).toEqual([
      45873,
      1012,
      true,
      '=IMPORTXML("http://x","//a")',
    ]);
    const formatted = await sheets.spreadsheets.values.batchGet({
      ...base,
      valueRenderOption: "UNFORMATTED_VALUE",
      dateTimeRenderOption: "FORMATTED_STRING",
    });
    expect(formatted.data.valueRanges?.[0]?.values?.[1]?.[0]).toBe("8/4/2025");
    expect(fake.counts.sheets.read).toBe(3);
    expect(fake.counts.readsBySpreadsheet.get(id)).toBe(3);
  });

  it("answers a sub-range with its A1 address", async () => {
    const id = fake.state.createSpreadsheet({ title: "u", tabs: ["Nhập liệu"] });
    fake.state.setValues(id, "Nhập liệu", [
      ["a", "b", "c"],
      ["d", "e", "f"],
    ]);
    const res = await sheets.spreadsheets.values.get({ spreadsheetId: id, range: "'Nhập liệu'!B1:C5" });
    expect(res.data).toMatchObject({
      range: "'Nhập liệu'!B1:C5",
      values: [
        ["b", "c"],
        ["e", "f"],
      ],
    });
  });

  it("requires valueInputOption and stores RAW text starting with '=' as text, USER_ENTERED as a formula", async () => {
    const id = fake.state.createSpreadsheet({ title: "u" });
    const missing = await refusal(
      sheets.spreadsheets.values.update({
        spreadsheetId: id,
        range: "Sheet1!A1",
        requestBody: { values: [["x"]] },
      }),
    );
    expect(missing).toMatchObject({
      status: 400,
      message: "'valueInputOption' is required but not specified",
    });

    await sheets.spreadsheets.values.update({
      spreadsheetId: id,
      range: "Sheet1!A1",
      valueInputOption: "RAW",
      requestBody: { values: [['=IMPORTXML("http://x","//a")', "12"]] },
    });
    expect(fake.state.formulaCells(id)).toEqual([]);
    expect(fake.state.cell(id, "Sheet1", 0, 1)?.userEnteredValue).toEqual({ stringValue: "12" });

    await sheets.spreadsheets.values.update({
      spreadsheetId: id,
      range: "Sheet1!A2",
      valueInputOption: "USER_ENTERED",
      requestBody: { values: [["=1+1", "12"]] },
    });
    expect(fake.state.formulaCells(id)).toEqual(["Sheet1!R2C1"]);
    expect(fake.state.cell(id, "Sheet1", 1, 1)?.userEnteredValue).toEqual({ numberValue: 12 });
  });

  it("refuses ranges it cannot parse or whose tab does not exist", async () => {
    const id = fake.state.createSpreadsheet({ title: "u", tabs: ["Nhập liệu"] });
    for (const range of ["Khác!A1", "'Nhập liệu'!A1:B2:C3", "'Nhập liệu'!1A", "'Nhập liệu'!A:1"]) {
      const r = await refusal(sheets.spreadsheets.values.get({ spreadsheetId: id, range }));
      expect(r).toMatchObject({ status: 400, message: `Unable to parse range: ${range}` });
    }
  });

  it("answers 404 NOT_FOUND for an unknown spreadsheet and 403 for a revoked one", async () => {
    const notFound = await refusal(sheets.spreadsheets.get({ spreadsheetId: "nope" }));
    expect(notFound.status).toBe(404);
    expect(notFound.body).toMatchObject({ error: { code: 404, status: "NOT_FOUND" } });
    const id = fake.state.createSpreadsheet({ title: "u" });
    fake.state.revoke(id);
    expect((await refusal(sheets.spreadsheets.get({ spreadsheetId: id }))).status).toBe(403);
  });
});

describe("Sheets batchUpdate validation", () => {
  let id: string;
  beforeEach(() => {
    id = fake.state.createSpreadsheet({ title: "s", tabs: ["Sheet1"] });
  });
  const batch = (requests: object[]) =>
    sheets.spreadsheets.batchUpdate({ spreadsheetId: id, requestBody: { requests } });

  it("refuses update requests without a fields mask", async () => {
    const cases: [object, string][] = [
      [{ updateCells: { start: { sheetId: 0 }, rows: [{ values: [{ note: "x" }] }] } }, "updateCells"],
      [{ repeatCell: { range: { sheetId: 0 }, cell: { note: "x" } } }, "repeatCell"],
      [{ updateSheetProperties: { properties: { sheetId: 0, title: "T" } } }, "updateSheetProperties"],
      [{ updateSpreadsheetProperties: { properties: { locale: "vi_VN" } } }, "updateSpreadsheetProperties"],
    ];
    for (const [request, kind] of cases) {
      const r = await refusal(batch([request]));
      expect(r.status).toBe(400);
      expect(r.message).toBe(
        `Invalid requests[0].${kind}: At least one field must be listed in 'fields'. (Use '*' to indicate all fields.)`,
      );
    }
    expect(fake.counts.sheets.batchUpdate).toBe(4);
  });

  it("refuses unknown sheet ids, duplicate titles, grid overflows and unknown request kinds", async () => {
    const unknown = await refusal(
      batch([{ repeatCell: { range: { sheetId: 42 }, cell: {}, fields: "note" } }]),
    );
    expect(unknown.message).toBe("Invalid requests[0].repeatCell: No grid with id: 42");
    const dup = await refusal(
      batch([{ addSheet: { properties: { title: "X" } } }, { addSheet: { properties: { title: "x" } } }]),
    );
    expect(dup.message).toBe(
      'Invalid requests[1].addSheet: A sheet with the name "x" already exists. Please enter another name.',
    );
    const overflow = await refusal(
      batch([
        {
          updateCells: {
            start: { sheetId: 0, rowIndex: 1000 },
            rows: [{ values: [{ note: "x" }] }],
            fields: "note",
          },
        },
      ]),
    );
    expect(overflow.message).toBe(
      "Invalid requests[0].updateCells: Range (Sheet1!A1001:A1001) exceeds grid limits. Max rows: 1000, max columns: 26",
    );
    const kind = await refusal(batch([{ frobnicate: {} }]));
    expect(kind.message).toContain('Unknown name "frobnicate"');
    const empty = await refusal(batch([]));
    expect(empty.message).toBe("Must specify at least one request.");
  });

  it("is atomic: a failing request leaves the spreadsheet exactly as it was", async () => {
    const before = structuredClone(fake.state.spreadsheet(id));
    const r = await refusal(
      batch([
        { addSheet: { properties: { sheetId: 5, title: "Mới" } } },
        {
          updateCells: {
            start: { sheetId: 0 },
            rows: [{ values: [{ userEnteredValue: { stringValue: "x" } }] }],
            fields: "userEnteredValue",
          },
        },
        { deleteEmbeddedObject: { objectId: 999 } },
      ]),
    );
    expect(r.message).toBe("Invalid requests[2].deleteEmbeddedObject: No object with id: 999");
    expect(fake.state.spreadsheet(id)).toEqual(before);
  });

  it("applies requests in order and answers with replies", async () => {
    const res = await batch([
      {
        addSheet: {
          properties: {
            sheetId: 7,
            title: "Xếp hạng",
            index: 0,
            gridProperties: { rowCount: 5, columnCount: 3 },
          },
        },
      },
      {
        updateCells: {
          range: { sheetId: 7 },
          rows: [{ values: [{ userEnteredValue: { stringValue: "=SUM(A1)" }, note: "n" }] }],
          fields: "userEnteredValue,note",
        },
      },
      {
        updateSheetProperties: {
          properties: { sheetId: 7, gridProperties: { frozenRowCount: 1 } },
          fields: "gridProperties.frozenRowCount",
        },
      },
    ]);
    expect(res.data.replies?.[0]).toMatchObject({
      addSheet: { properties: { sheetId: 7, title: "Xếp hạng", index: 0 } },
    });
    expect(res.data.replies?.slice(1)).toEqual([{}, {}]);
    const tab = fake.state.sheet(id, "Xếp hạng");
    // The mask touched only frozenRowCount: the grid size set by addSheet stays.
    expect(tab.properties.gridProperties).toEqual({ rowCount: 5, columnCount: 3, frozenRowCount: 1 });
    expect(fake.state.formulaCells(id)).toEqual([]);
    expect(fake.state.cell(id, "Xếp hạng", 0, 0)).toEqual({
      userEnteredValue: { stringValue: "=SUM(A1)" },
      note: "n",
    });
    const stored = await sheets.spreadsheets.get({
      spreadsheetId: id,
      fields: "sheets(properties(sheetId,title,index))",
    });
    expect(stored.data).toEqual({
      sheets: [
        { properties: { sheetId: 7, title: "Xếp hạng", index: 0 } },
        { properties: { sheetId: 0, title: "Sheet1", index: 1 } },
      ],
    });
  });

  it("clears masked fields a cell does not carry (how notes and fills are removed)", async () => {
    await batch([
      {
        repeatCell: {
          range: { sheetId: 0, startRowIndex: 0, endRowIndex: 2, startColumnIndex: 0, endColumnIndex: 1 },
          cell: {
            note: "sai",
            userEnteredFormat: { backgroundColor: { red: 1 }, textFormat: { bold: true } },
          },
          fields: "note,userEnteredFormat(backgroundColor,textFormat)",
        },
      },
    ]);
    await batch([
      {
        updateCells: {
          start: { sheetId: 0, rowIndex: 1 },
          rows: [{ values: [{}] }],
          fields: "note,userEnteredFormat.backgroundColor",
        },
      },
    ]);
    expect(fake.state.cell(id, "Sheet1", 0, 0)?.note).toBe("sai");
    expect(fake.state.cell(id, "Sheet1", 1, 0)).toEqual({
      userEnteredFormat: { textFormat: { bold: true } },
    });
  });
});

describe("Sheets get", () => {
  it("honours fields, ranges and includeGridData", async () => {
    const id = fake.state.createSpreadsheet({ title: "u", tabs: ["Nhập liệu", "Hướng dẫn"] });
    fake.state.setValues(id, "Nhập liệu", [["a", 1]]);
    const res = await sheets.spreadsheets.get({
      spreadsheetId: id,
      ranges: ["'Nhập liệu'!A1:B1"],
      includeGridData: true,
      fields: "sheets(properties(title),data(rowData(values(userEnteredValue,effectiveValue))))",
    });
    expect(res.data).toEqual({
      sheets: [
        {
          properties: { title: "Nhập liệu" },
          data: [
            {
              rowData: [
                {
                  values: [
                    { userEnteredValue: { stringValue: "a" }, effectiveValue: { stringValue: "a" } },
                    { userEnteredValue: { numberValue: 1 }, effectiveValue: { numberValue: 1 } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
  });
});

describe("Drive", () => {
  it("lists with the query language, fields and paging, and setValues moves modifiedTime", async () => {
    const folder = fake.state.createFolder("Chiến dịch");
    const other = fake.state.createFolder("Khác");
    const ids = Array.from({ length: 5 }, (_, i) =>
      fake.state.createSpreadsheet({ title: `Đơn vị ${i}`, parents: [folder], tabs: ["Nhập liệu"] }),
    );
    fake.state.createSpreadsheet({ title: "ngoài", parents: [other] });
    const t0 = fake.state.file(ids[4]!).modifiedTime;
    fake.state.setValues(ids[2]!, "Nhập liệu", [["x"]]);
    const t1 = fake.state.file(ids[2]!).modifiedTime;
    expect(Date.parse(t1)).toBeGreaterThan(Date.parse(t0));

    const q = `'${folder}' in parents and mimeType = '${SPREADSHEET_MIME}' and trashed = false`;
    const seen: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const res = await drive.files.list({
        q,
        pageSize: 2,
        fields: "files(id,modifiedTime),nextPageToken",
        ...(pageToken ? { pageToken } : {}),
      });
      pages++;
      for (const f of res.data.files ?? []) {
        expect(Object.keys(f).sort()).toEqual(["id", "modifiedTime"]);
        seen.push(f.id!);
      }
      pageToken = res.data.nextPageToken ?? undefined;
    } while (pageToken);
    expect(pages).toBe(3);
    expect(seen).toEqual(ids);
    expect(fake.counts.drive.list).toBe(3);

    const since = await drive.files.list({ q: `${q} and modifiedTime > '${t0}'`, fields: "files(id)" });
    expect(since.data.files?.map((f) => f.id)).toEqual([ids[2]]);

    const invalid = await refusal(drive.files.list({ q: "name === 'x'" }));
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ error: { errors: [{ reason: "invalid", location: "q" }] } });
  });

  it("copies a spreadsheet with its content and appProperties, findable by appProperties", async () => {
    const folder = fake.state.createFolder("Chiến dịch");
    const template = fake.state.createSpreadsheet({ title: "Mẫu", tabs: ["Nhập liệu", "Hướng dẫn"] });
    fake.state.setValues(template, "Nhập liệu", [["Họ tên", "Số định danh"]]);
    const copy = await drive.files.copy({
      fileId: template,
      fields: "id,name,parents,appProperties",
      requestBody: { name: "Thôn Bản Cuôn", parents: [folder], appProperties: { dondocUnit: "ban-cuon" } },
    });
    expect(copy.data).toMatchObject({
      name: "Thôn Bản Cuôn",
      parents: [folder],
      appProperties: { dondocUnit: "ban-cuon" },
    });
    expect(copy.data.id).not.toBe(template);
    expect(fake.state.values(copy.data.id!, "Nhập liệu")).toEqual([["Họ tên", "Số định danh"]]);
    expect(fake.state.sheet(copy.data.id!, "Nhập liệu").properties.sheetId).toBe(0);
    const found = await drive.files.list({
      q: "appProperties has { key='dondocUnit' and value='ban-cuon' } and trashed = false",
      fields: "files(id)",
    });
    expect(found.data.files).toEqual([{ id: copy.data.id }]);
  });

  it("creates and lists permissions, validating role, type and e-mail", async () => {
    const id = fake.state.createSpreadsheet({ title: "u" });
    await drive.permissions.create({
      fileId: id,
      sendNotificationEmail: false,
      requestBody: { type: "user", role: "writer", emailAddress: "Thon.BanCuon@example.vn" },
    });
    const bad = await refusal(
      drive.permissions.create({ fileId: id, requestBody: { type: "user", role: "writer" } }),
    );
    expect(bad.status).toBe(400);
    const list = await drive.permissions.list({ fileId: id, fields: "permissions(role,emailAddress)" });
    expect(list.data.permissions).toEqual([
      { role: "owner", emailAddress: fake.state.serviceAccount },
      { role: "writer", emailAddress: "thon.bancuon@example.vn" },
    ]);
    expect(fake.state.file(id).permissions[1]?.notified).toBe(false);
  });
});

describe("faults", () => {
  it("answers injected 429s with Google's body, counted apart from the calls", async () => {
    const id = fake.state.createSpreadsheet({ title: "u" });
    fake.setFaults({ faultRate: 1, faultStatuses: [429] });
    const r = await refusal(sheets.spreadsheets.get({ spreadsheetId: id }));
    expect(r.status).toBe(429);
    expect(r.body).toMatchObject({
      error: { code: 429, status: "RESOURCE_EXHAUSTED", details: [{ reason: "RATE_LIMIT_EXCEEDED" }] },
    });
    expect(fake.counts.faults).toEqual({ total: 1, byStatus: { 429: 1 } });
    expect(fake.counts.sheets.get).toBe(0);
    fake.counts.reset();
    expect(fake.counts.faults.total).toBe(0);
  });

  it("injects the same faults for the same seed", async () => {
    async function pattern(seed: number): Promise<number[]> {
      const f = await startGoogleFake({ seed, faultRate: 0.5, faultStatuses: [429, 503] });
      const client = sheetsApi({ version: "v4", auth: staticTokenAuth(), rootUrl: f.rootUrl, retry: false });
      const id = f.state.createSpreadsheet({ title: "u" });
      const out: number[] = [];
      for (let i = 0; i < 20; i++) {
        out.push(
          await client.spreadsheets.get({ spreadsheetId: id }).then(
            () => 200,
            (e: { status: number }) => e.status,
          ),
        );
      }
      await f.close();
      return out;
    }
    const a = await pattern(3);
    expect(await pattern(3)).toEqual(a);
    expect(new Set(a)).toEqual(new Set([200, 429, 503]));
  });
});
