// The local server's developer metadata (spreadsheets.batchUpdate create/update/deleteDeveloperMetadata, read
// back through spreadsheets.get) and Drive permissions.delete, driven by the real clients: provisioning relies
// on both, so the fake must refuse what Google refuses.
import { drive as driveApi } from "@googleapis/drive";
import { sheets as sheetsApi } from "@googleapis/sheets";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { staticTokenAuth } from "../../functions/src/adapters/google/auth.ts";
import { type GoogleFake, startGoogleFake } from "../support/google-fake/server.ts";

let fake: GoogleFake;
let sheets: ReturnType<typeof sheetsApi>;
let drive: ReturnType<typeof driveApi>;

beforeEach(async () => {
  fake = await startGoogleFake({ seed: 11 });
  const auth = staticTokenAuth();
  sheets = sheetsApi({ version: "v4", auth, rootUrl: fake.rootUrl, retry: false });
  drive = driveApi({ version: "v3", auth, rootUrl: fake.rootUrl, retry: false });
});
afterEach(async () => {
  await fake.close();
});

async function refusal(p: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as { status?: number; response?: { data?: { error?: { message?: string } } } };
    return { status: err.status ?? 0, message: err.response?.data?.error?.message ?? "" };
  }
  throw new Error("expected the request to be refused");
}

const atSpreadsheet = { spreadsheet: true };

describe("developer metadata", () => {
  it("creates spreadsheet-level metadata, answers it in replies and in spreadsheets.get, and lists none as absent", async () => {
    const id = fake.state.createSpreadsheet({ title: "u", tabs: ["Nhập liệu"] });
    const before = await sheets.spreadsheets.get({ spreadsheetId: id, fields: "developerMetadata" });
    expect(before.data).toEqual({});

    const res = await sheets.spreadsheets.batchUpdate({
      spreadsheetId: id,
      requestBody: {
        requests: [
          {
            createDeveloperMetadata: {
              developerMetadata: {
                metadataKey: "dondoc.unitId",
                metadataValue: "thon-ban-duong",
                location: atSpreadsheet,
                visibility: "DOCUMENT",
              },
            },
          },
          {
            createDeveloperMetadata: {
              developerMetadata: {
                metadataKey: "tab-note",
                metadataValue: "x",
                location: { sheetId: 0 },
                visibility: "PROJECT",
              },
            },
          },
        ],
      },
    });
    const created = res.data.replies?.[0]?.createDeveloperMetadata?.developerMetadata;
    expect(created).toMatchObject({
      metadataKey: "dondoc.unitId",
      metadataValue: "thon-ban-duong",
      location: { locationType: "SPREADSHEET", spreadsheet: true },
      visibility: "DOCUMENT",
    });
    expect(created?.metadataId).toBeGreaterThan(0);

    const got = await sheets.spreadsheets.get({
      spreadsheetId: id,
      fields:
        "developerMetadata(metadataId,metadataKey,metadataValue),sheets(developerMetadata(metadataKey))",
    });
    expect(got.data.developerMetadata).toEqual([
      { metadataId: created?.metadataId, metadataKey: "dondoc.unitId", metadataValue: "thon-ban-duong" },
    ]);
    expect(got.data.sheets).toEqual([{ developerMetadata: [{ metadataKey: "tab-note" }] }]);
  });

  it("refuses a missing key, visibility or location, two locations, a taken id, and more than 30,000 characters", async () => {
    const id = fake.state.createSpreadsheet({ title: "u" });
    const create = (developerMetadata: Record<string, unknown>) =>
      sheets.spreadsheets.batchUpdate({
        spreadsheetId: id,
        requestBody: { requests: [{ createDeveloperMetadata: { developerMetadata } }] },
      });
    const cases: Record<string, unknown>[] = [
      { metadataValue: "v", location: atSpreadsheet, visibility: "DOCUMENT" },
      { metadataKey: "k", location: atSpreadsheet },
      { metadataKey: "k", location: atSpreadsheet, visibility: "DEVELOPER_METADATA_VISIBILITY_UNSPECIFIED" },
      { metadataKey: "k", visibility: "DOCUMENT" },
      { metadataKey: "k", location: { spreadsheet: true, sheetId: 0 }, visibility: "DOCUMENT" },
      { metadataKey: "k", location: { sheetId: 42 }, visibility: "DOCUMENT" },
      {
        metadataKey: "k",
        metadataValue: "x".repeat(30_000),
        location: atSpreadsheet,
        visibility: "DOCUMENT",
      },
    ];
    for (const c of cases) {
      const r = await refusal(create(c));
      expect(r.status, JSON.stringify(c).slice(0, 80)).toBe(400);
      expect(r.message).toMatch(/^Invalid requests\[0\]\.createDeveloperMetadata: /);
    }
    await create({ metadataId: 7, metadataKey: "k", location: atSpreadsheet, visibility: "DOCUMENT" });
    const taken = await refusal(
      create({ metadataId: 7, metadataKey: "j", location: atSpreadsheet, visibility: "DOCUMENT" }),
    );
    expect(taken.message).toContain("already exists");
    expect(fake.state.spreadsheet(id).developerMetadata.map((m) => m.metadataKey)).toEqual(["k"]);
  });

  it("updates and deletes by lookup, in one atomic batch", async () => {
    const id = fake.state.createSpreadsheet({ title: "u" });
    const make = (metadataKey: string, metadataValue: string) => ({
      createDeveloperMetadata: {
        developerMetadata: { metadataKey, metadataValue, location: atSpreadsheet, visibility: "DOCUMENT" },
      },
    });
    const res = await sheets.spreadsheets.batchUpdate({
      spreadsheetId: id,
      requestBody: { requests: [make("a", "1"), make("b", "2"), make("b", "3")] },
    });
    const idOf = (i: number) => res.data.replies?.[i]?.createDeveloperMetadata?.developerMetadata?.metadataId;

    const changed = await sheets.spreadsheets.batchUpdate({
      spreadsheetId: id,
      requestBody: {
        requests: [
          {
            updateDeveloperMetadata: {
              dataFilters: [{ developerMetadataLookup: { metadataId: idOf(0) } }],
              developerMetadata: { metadataValue: "10" },
              fields: "metadataValue",
            },
          },
          { deleteDeveloperMetadata: { dataFilter: { developerMetadataLookup: { metadataKey: "b" } } } },
        ],
      },
    });
    expect(changed.data.replies?.[1]?.deleteDeveloperMetadata?.deletedDeveloperMetadata).toHaveLength(2);
    expect(
      fake.state.spreadsheet(id).developerMetadata.map((m) => [m.metadataId, m.metadataKey, m.metadataValue]),
    ).toEqual([[idOf(0), "a", "10"]]);

    // A refused request anywhere in the batch leaves every piece of metadata as it was.
    const refused = await refusal(
      sheets.spreadsheets.batchUpdate({
        spreadsheetId: id,
        requestBody: {
          requests: [
            { deleteDeveloperMetadata: { dataFilter: { developerMetadataLookup: { metadataKey: "a" } } } },
            { deleteDeveloperMetadata: { dataFilter: { a1Range: "A1" } } },
          ],
        },
      }),
    );
    expect(refused.status).toBe(400);
    expect(refused.message).toContain("developerMetadataLookup");
    expect(fake.state.spreadsheet(id).developerMetadata).toHaveLength(1);

    const noMask = await refusal(
      sheets.spreadsheets.batchUpdate({
        spreadsheetId: id,
        requestBody: {
          requests: [
            {
              updateDeveloperMetadata: {
                dataFilters: [{ developerMetadataLookup: { metadataKey: "a" } }],
                developerMetadata: { metadataValue: "x" },
              },
            },
          ],
        },
      }),
    );
    expect(noMask.message).toContain("'fields'");
  });

  it("travels with a Drive copy of the spreadsheet", async () => {
    const id = fake.state.createSpreadsheet({ title: "mẫu" });
    await sheets.spreadsheets.batchUpdate({
      spreadsheetId: id,
      requestBody: {
        requests: [
          {
            createDeveloperMetadata: {
              developerMetadata: { metadataKey: "k", location: atSpreadsheet, visibility: "DOCUMENT" },
            },
          },
        ],
      },
    });
    const copy = await drive.files.copy({ fileId: id, requestBody: { name: "bản sao" } });
    expect(fake.state.spreadsheet(copy.data.id!).developerMetadata.map((m) => m.metadataKey)).toEqual(["k"]);
  });
});

describe("Drive permissions.delete", () => {
  it("removes a grant with 204, refuses the owner and unknown ids", async () => {
    const id = fake.state.createSpreadsheet({ title: "u" });
    const anyone = await drive.permissions.create({
      fileId: id,
      requestBody: { type: "anyone", role: "reader" },
    });
    const res = await drive.permissions.delete({ fileId: id, permissionId: anyone.data.id! });
    expect(res.status).toBe(204);
    expect(fake.state.file(id).permissions.map((p) => p.type)).toEqual(["user"]);
    expect(fake.counts.drive.permissionsDelete).toBe(1);

    const owner = fake.state.file(id).permissions[0]!.id;
    expect((await refusal(drive.permissions.delete({ fileId: id, permissionId: owner }))).status).toBe(403);
    expect((await refusal(drive.permissions.delete({ fileId: id, permissionId: "perm-x" }))).status).toBe(
      404,
    );
  });
});
