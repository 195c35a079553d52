// The Drive wrapper provisioning builds on: copies with appProperties, idempotent sharing, lookups by
// appProperties, and listing by modifiedTime — all through the real client against the local fake.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { driveClient, staticTokenAuth } from "../../functions/src/adapters/google/auth.ts";
import { GoogleDrive } from "../../functions/src/adapters/google/drive.ts";
import { type GoogleFake, startGoogleFake } from "../support/google-fake/server.ts";

let fake: GoogleFake;
let drive: GoogleDrive;

beforeEach(async () => {
  fake = await startGoogleFake({ seed: 5 });
  drive = new GoogleDrive({
    drive: driveClient({ auth: staticTokenAuth(), rootUrl: fake.rootUrl }),
    retry: { sleep: async () => {} },
  });
});
afterEach(async () => {
  await fake.close();
});

describe("GoogleDrive", () => {
  it("copies the template into the folder with appProperties and finds it again by them", async () => {
    const folder = fake.state.createFolder("Chiến dịch");
    const template = fake.state.createSpreadsheet({ title: "Mẫu nhập liệu", tabs: ["Nhập liệu"] });
    fake.state.setValues(template, "Nhập liệu", [["Họ và tên"]]);
    const copy = await drive.copyFile(template, "Thôn Bản Cuôn – nhập liệu", folder, {
      dondocUnit: "ban-cuon",
    });
    expect(copy).toMatchObject({
      name: "Thôn Bản Cuôn – nhập liệu",
      appProperties: { dondocUnit: "ban-cuon" },
    });
    expect(fake.state.file(copy.id).parents).toEqual([folder]);
    expect(fake.state.values(copy.id, "Nhập liệu")).toEqual([["Họ và tên"]]);

    expect((await drive.findByAppProperty("dondocUnit", "ban-cuon")).map((f) => f.id)).toEqual([copy.id]);
    expect(await drive.findByAppProperty("dondocUnit", "ban-cuon", { folderId: template })).toEqual([]);
    expect(await drive.findByAppProperty("dondocUnit", "it's-other")).toEqual([]);
  });

  it("shares idempotently: a second run grants nothing and mails nobody", async () => {
    const id = fake.state.createSpreadsheet({ title: "u" });
    const first = await drive.share(id, ["A@x.vn", "b@x.vn", " "], "writer");
    expect(first).toEqual({ granted: ["a@x.vn", "b@x.vn"], unchanged: [] });
    fake.counts.reset();
    const second = await drive.share(id, ["a@x.vn", "B@x.vn"], "writer");
    expect(second).toEqual({ granted: [], unchanged: ["a@x.vn", "b@x.vn"] });
    expect(fake.counts.drive).toMatchObject({ permissionsList: 1, permissionsCreate: 0 });
    const perms = fake.state.file(id).permissions;
    expect(perms.map((p) => [p.emailAddress, p.role, p.notified])).toEqual([
      [fake.state.serviceAccount, "owner", false],
      ["a@x.vn", "writer", false],
      ["b@x.vn", "writer", false],
    ]);
  });

  it("lists modified spreadsheets since an instant, and reports a missing file as drive-unreachable", async () => {
    const folder = fake.state.createFolder("c");
    const a = fake.state.createSpreadsheet({ title: "a", parents: [folder] });
    const b = fake.state.createSpreadsheet({ title: "b", parents: [folder] });
    const since = fake.state.file(b).modifiedTime;
    fake.state.setValues(a, "Sheet1", [["x"]]);
    const changed = await drive.listModified({ folderId: folder }, since);
    expect([...changed.keys()]).toEqual([a]);
    expect(changed.get(a)).toBe(await drive.modifiedTime(a));
    await expect(drive.modifiedTime("missing")).rejects.toMatchObject({ code: "drive-unreachable" });
  });
});
