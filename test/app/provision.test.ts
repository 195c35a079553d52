// `dondoc provision` against the local Sheets/Drive server and a real Firestore emulator: 20 units get 20 copies of
// the template, each shared only with its unit and carrying the script's settings; the leaders get one read-only
// summary spreadsheet; a second run creates and changes nothing; a dry run writes nothing; drift is repaired.
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resolveCampaign, unitCredentials, withProvisionedSettings } from "../../apps-script/src/config.ts";
import { deriveUnitKey, hmacHex } from "../../functions/src/adapters/crypto/hmac.ts";
import { FirestoreStore } from "../../functions/src/adapters/firestore/store.ts";
import { driveClient, sheetsClient, staticTokenAuth } from "../../functions/src/adapters/google/auth.ts";
import { GoogleDrive } from "../../functions/src/adapters/google/drive.ts";
import {
  APP_PROPERTIES,
  META_KEYS,
  METADATA_KEYS,
  metadataRequests,
  type ProvisionDeps,
  type ProvisionResult,
  provisionCampaign,
} from "../../functions/src/app/provision.ts";
import { provisionCommand } from "../../functions/src/cli/commands/provision.ts";
import { authenticatePush } from "../../functions/src/cloud/push-auth.ts";
import { canonicalPushString, formatSignatureHeader } from "../../functions/src/core/push-protocol.ts";
import { Campaign, type Unit } from "../../schemas/index.ts";
import { startTestFirestore, type TestFirestore } from "../support/firestore.ts";
import { type GoogleFake, startGoogleFake } from "../support/google-fake/server.ts";

const SECRET = "bí-mật-đẩy-số-liệu-của-xã-chợ-đồn-0123456789";
const INGEST = "https://asia-southeast1-dondoc-test.cloudfunctions.net/ingest";
const BASE_CAMPAIGN = Campaign.parse(JSON.parse(readFileSync("examples/cho-don/campaign.json", "utf8")));
const LEADERS = BASE_CAMPAIGN.leaders.map((p) => p.email);

/** 20 units: villages with one address, schools with two, one unit with none. */
const UNITS: Unit[] = Array.from({ length: 20 }, (_, i) => {
  const n = String(i + 1).padStart(2, "0");
  if (i === 19)
    return { id: "to-cong-nghe-so", name: "Tổ công nghệ số cộng đồng", kind: "digital-team", emails: [] };
  return i % 3 === 0
    ? {
        id: `truong-${n}`,
        name: `Trường Tiểu học số ${n}`,
        kind: "school",
        emails: [`hieutruong.${n}@chodon.example`, `Van.Thu.${n}@ChoDon.example`],
      }
    : { id: `thon-${n}`, name: `Thôn Bản Pài ${n}`, kind: "village", emails: [`thon-${n}@chodon.example`] };
});

let firestore: TestFirestore;
let fake: GoogleFake;
let templateId: string;
let seq = 0;

beforeAll(async () => {
  firestore = await startTestFirestore();
});
afterAll(async () => {
  await firestore.stop();
});
beforeEach(async () => {
  fake = await startGoogleFake({ seed: 3 });
  templateId = fake.state.createSpreadsheet({ title: "Mẫu nhập liệu (có Apps Script)", tabs: ["Nhập liệu"] });
  fake.state.setValues(templateId, "Nhập liệu", [["Ngày hỗ trợ", "Người hỗ trợ"]]);
  // A template someone once tried the script on: its stale setting travels with every copy and must be replaced.
  fake.state.spreadsheet(templateId).developerMetadata.push({
    metadataId: 99,
    metadataKey: METADATA_KEYS.unitId,
    metadataValue: "mau",
    location: { locationType: "SPREADSHEET", spreadsheet: true },
    visibility: "DOCUMENT",
  });
});
afterEach(async () => {
  await fake.close();
});

function setup(overrides: Partial<ProvisionDeps> = {}) {
  // Each test its own campaign id, so the shared emulator's documents never meet.
  const campaign = { ...BASE_CAMPAIGN, id: `cho-don-${++seq}` };
  const auth = staticTokenAuth();
  const driveApi = driveClient({ auth, rootUrl: fake.rootUrl });
  const lines: string[] = [];
  const store = new FirestoreStore(firestore.db);
  const deps: ProvisionDeps = {
    campaign,
    units: UNITS,
    drive: new GoogleDrive({ drive: driveApi, retry: { sleep: async () => {} } }),
    driveApi,
    sheets: sheetsClient({ auth, rootUrl: fake.rootUrl }),
    store,
    pushSecret: SECRET,
    ingestUrl: INGEST,
    templateId,
    dryRun: false,
    notify: false,
    log: (line) => lines.push(line),
    policy: { retry: { sleep: async () => {} } },
    ...overrides,
  };
  return {
    deps,
    campaign,
    store,
    lines,
    run: (more: Partial<ProvisionDeps> = {}) => provisionCampaign({ ...deps, ...more }),
  };
}

function metadataOf(id: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const m of fake.state.spreadsheet(id).developerMetadata) {
    expect(m.location.locationType).toBe("SPREADSHEET");
    expect(m.visibility).toBe("DOCUMENT");
    out.set(m.metadataKey, [...(out.get(m.metadataKey) ?? []), m.metadataValue ?? ""]);
  }
  return out;
}

function writeRequests(): number {
  const d = fake.counts.drive;
  return fake.counts.sheets.write + d.create + d.copy + d.update + d.permissionsCreate + d.permissionsDelete;
}

/** Everything a run could change, for before/after comparison. */
function snapshot(): string {
  return JSON.stringify({
    files: [...fake.state.drive.files.values()],
    sheets: [...fake.state.sheets.spreadsheets.values()],
  });
}

function unitIds(result: ProvisionResult): Map<string, string> {
  return new Map(result.units.map((u) => [u.unitId, u.spreadsheetId!]));
}

describe("provisionCampaign", () => {
  it("creates 20 unit copies shared only with each unit, with the script's settings, and a read-only leaders' sheet", async () => {
    const { run, campaign, store, lines } = setup();
    const result = await run();

    expect(result.units.map((u) => u.action)).toEqual(UNITS.map(() => "created"));
    expect(fake.counts.drive.copy).toBe(20);
    expect(fake.counts.drive.create).toBe(2); // the campaign folder and the leaders' spreadsheet
    const ids = unitIds(result);
    expect(new Set(ids.values()).size).toBe(20);

    const folderId = result.folder.id!;
    expect(fake.state.file(folderId)).toMatchObject({
      name: `dondoc — ${campaign.title}`,
      appProperties: { [APP_PROPERTIES.campaign]: campaign.id, [APP_PROPERTIES.role]: "folder" },
    });

    for (const unit of UNITS) {
      const id = ids.get(unit.id)!;
      const file = fake.state.file(id);
      expect(file.parents).toEqual([folderId]);
      expect(file.appProperties).toMatchObject({
        [APP_PROPERTIES.campaign]: campaign.id,
        [APP_PROPERTIES.unit]: unit.id,
      });
      // A copy of the template: same tabs and content (and, on Google, the bound script).
      expect(fake.state.values(id, "Nhập liệu")).toEqual([["Ngày hỗ trợ", "Người hỗ trợ"]]);

      // Exactly the unit's addresses as writers, plus the owner; nobody else, no link sharing, no mail sent.
      const perms = file.permissions.map((p) => [p.type, p.role, p.emailAddress]);
      expect(perms).toEqual([
        ["user", "owner", fake.state.serviceAccount],
        ...unit.emails.map((e) => ["user", "writer", e.toLowerCase()]),
      ]);
      expect(file.permissions.some((p) => p.type === "anyone" || p.type === "domain")).toBe(false);
      expect(file.permissions.some((p) => p.notified)).toBe(false);

      const meta = metadataOf(id);
      expect(meta.get(METADATA_KEYS.unitId)).toEqual([unit.id]);
      expect(meta.get(METADATA_KEYS.unitName)).toEqual([unit.name]);
      expect(meta.get(METADATA_KEYS.ingestUrl)).toEqual([INGEST]);
      expect(JSON.parse(meta.get(METADATA_KEYS.campaign)![0]!)).toEqual(campaign);
      expect(meta.get(METADATA_KEYS.unitKey)).toEqual([deriveUnitKey(SECRET, unit.id)]);
    }

    // The stored key is accepted by the server's verifier for its own unit, and for no other.
    const keyFor = (id: string) => (UNITS.some((u) => u.id === id) ? deriveUnitKey(SECRET, id) : null);
    const now = new Date("2025-08-04T06:00:00Z");
    const ts = Math.floor(now.getTime() / 1000);
    const body = JSON.stringify({ requestId: "req-00000001", header: ["Ngày hỗ trợ"], rows: [] });
    const signedAs = (claimed: string, sheetOf: string) => {
      const key = metadataOf(ids.get(sheetOf)!).get(METADATA_KEYS.unitKey)![0]!;
      return {
        headers: {
          "x-dondoc-unit": claimed,
          "x-dondoc-timestamp": String(ts),
          "x-dondoc-signature": formatSignatureHeader(hmacHex(key, canonicalPushString(claimed, ts, body))),
        },
        rawBody: Buffer.from(body, "utf8"),
        now,
        keyFor,
      };
    };
    expect(authenticatePush(signedAs("thon-02", "thon-02"))).toMatchObject({ ok: true, unitId: "thon-02" });
    expect(authenticatePush(signedAs("thon-03", "thon-02"))).toMatchObject({ ok: false });

    // The leaders' summary: one spreadsheet, Vietnamese locale, read-only for the leaders.
    const leadersId = result.leaders.spreadsheetId!;
    expect(result.leaders.action).toBe("created");
    const leaders = fake.state.file(leadersId);
    expect(leaders.appProperties).toMatchObject({ [APP_PROPERTIES.role]: "leaders" });
    expect(leaders.parents).toEqual([folderId]);
    expect(leaders.permissions.map((p) => [p.type, p.role, p.emailAddress])).toEqual([
      ["user", "owner", fake.state.serviceAccount],
      ...LEADERS.map((e) => ["user", "reader", e]),
    ]);
    expect(fake.state.spreadsheet(leadersId).properties).toMatchObject({
      locale: "vi_VN",
      timeZone: "Asia/Ho_Chi_Minh",
    });

    // Firestore holds all 21 ids.
    expect(await store.loadMeta(campaign.id, META_KEYS.spreadsheets)).toEqual(Object.fromEntries(ids));
    expect(await store.loadMeta(campaign.id, META_KEYS.leaders)).toBe(leadersId);
    expect(result.storeWrites).toBe(2);

    // The printout says what happened per unit, and never shows a key.
    const text = lines.join("\n");
    expect(text).toContain("✓ tạo mới  Thôn Bản Pài 02 (thon-02)");
    expect(text).toContain("chia sẻ cho hieutruong.01@chodon.example, van.thu.01@chodon.example");
    expect(text).toContain("Tổ công nghệ số cộng đồng chưa có địa chỉ thư");
    expect(text).toContain("Tổng: 20 đơn vị — tạo mới 20, đã có 0, lỗi 0");
    for (const unit of UNITS) expect(text).not.toContain(deriveUnitKey(SECRET, unit.id));
    expect(text).not.toContain(SECRET);
  });

  it("creates nothing and changes nothing on a second run", async () => {
    const { run, campaign, store, lines } = setup();
    const first = await run();
    const before = snapshot();
    fake.counts.reset();
    lines.length = 0;

    const second = await run();
    expect(second.units.map((u) => u.action)).toEqual(UNITS.map(() => "existing"));
    expect(unitIds(second)).toEqual(unitIds(first));
    expect(second.leaders).toMatchObject({ action: "existing", spreadsheetId: first.leaders.spreadsheetId });
    expect(second.folder).toEqual({ id: first.folder.id, action: "not-needed" });
    expect(fake.counts.drive.copy + fake.counts.drive.create).toBe(0);
    expect(writeRequests()).toBe(0);
    expect(snapshot()).toBe(before);
    expect(second.storeWrites).toBe(0);
    expect(await store.loadMeta<Record<string, string>>(campaign.id, META_KEYS.spreadsheets)).toEqual(
      Object.fromEntries(unitIds(first)),
    );
    expect(lines.join("\n")).toContain("= đã có  Thôn Bản Pài 02 (thon-02)");
    expect(lines.join("\n")).toContain("chia sẻ: không đổi");
    expect(lines.at(-1)).toContain("tạo mới 0, đã có 20");
  });

  it("--dry-run makes no write request and stores nothing, listing what it would do", async () => {
    const { run, campaign, store, lines } = setup();
    const before = snapshot();
    const result = await run({ dryRun: true, templateId: null });
    expect(writeRequests()).toBe(0);
    expect(snapshot()).toBe(before);
    expect(result.units.every((u) => u.action === "would-create")).toBe(true);
    expect(result.folder.action).toBe("would-create");
    expect(result.leaders.action).toBe("would-create");
    expect(await store.loadMeta(campaign.id, META_KEYS.spreadsheets)).toBeNull();
    const text = lines.join("\n");
    expect(text).toContain("+ sẽ tạo  Thôn Bản Pài 02 (thon-02); sẽ chia sẻ cho thon-02@chodon.example");
    expect(text).toContain("Chạy thử (không thay đổi gì): 20 đơn vị — sẽ tạo 20");

    // After a real run, a dry run finds everything and still writes nothing.
    await run();
    fake.counts.reset();
    const dry = await run({ dryRun: true });
    expect(writeRequests()).toBe(0);
    expect(dry.units.every((u) => u.action === "existing")).toBe(true);
  });

  it("repairs drift on a re-run: lost settings, a public link, a removed grant, a file Drive search misses", async () => {
    const { run, lines } = setup();
    const first = await run();
    const ids = unitIds(first);
    const [a, b, c, d] = ["thon-02", "thon-03", "truong-04", "thon-05"].map((u) => ids.get(u)!);
    fake.state.spreadsheet(a!).developerMetadata.length = 0;
    fake.state.drive.createPermission(b!, { type: "anyone", role: "reader" }, new URLSearchParams());
    const cFile = fake.state.file(c!);
    cFile.permissions = cFile.permissions.filter((p) => p.emailAddress !== "hieutruong.04@chodon.example");
    fake.state.file(d!).appProperties = {}; // untagged: only the store still knows it
    fake.state.drive.createPermission(
      d!,
      { type: "user", role: "writer", emailAddress: "ban-be@example.com" },
      new URLSearchParams("sendNotificationEmail=false"),
    );
    fake.counts.reset();
    lines.length = 0;

    const second = await run();
    expect(fake.counts.drive.copy + fake.counts.drive.create).toBe(0);
    expect(unitIds(second)).toEqual(ids);
    expect(metadataOf(a!).get(METADATA_KEYS.unitKey)).toEqual([deriveUnitKey(SECRET, "thon-02")]);
    expect(fake.state.file(b!).permissions.some((p) => p.type === "anyone")).toBe(false);
    expect(fake.state.file(c!).permissions.map((p) => p.emailAddress)).toContain(
      "hieutruong.04@chodon.example",
    );
    expect(fake.state.file(d!).appProperties[APP_PROPERTIES.unit]).toBe("thon-05");
    expect(fake.counts.drive).toMatchObject({ permissionsCreate: 1, permissionsDelete: 1, update: 1 });
    expect(fake.counts.sheets.batchUpdate).toBe(1);
    const text = lines.join("\n");
    expect(text).toContain("đã sửa thông tin kết nối của Apps Script");
    expect(text).toContain("đã gỡ quyền công khai");
    expect(text).toContain(
      "Người khác đang có quyền (giữ nguyên, hãy kiểm tra): ban-be@example.com (writer)",
    );

    // …and after the repair, a third run is quiet again.
    fake.counts.reset();
    await run();
    expect(writeRequests()).toBe(0);
  });

  it("refuses a short push secret, a non-https ingest URL and a missing template before writing anything", async () => {
    const { run } = setup();
    await expect(run({ pushSecret: "ngắn" })).rejects.toMatchObject({ code: "push-secret-invalid" });
    await expect(run({ ingestUrl: "http://x" })).rejects.toMatchObject({ code: "bad-option" });
    await expect(run({ templateId: null })).rejects.toMatchObject({ code: "template-missing" });
    await expect(run({ templateId: fake.state.createFolder("không phải bảng tính") })).rejects.toMatchObject({
      code: "template-invalid",
    });
    await expect(run({ templateId: "khong-co" })).rejects.toMatchObject({ code: "template-invalid" });
    expect(writeRequests()).toBe(0);
  });

  it("what provisioning writes is what the unit's script reads", async () => {
    const { run, campaign } = setup();
    const result = await run();
    const id = unitIds(result).get("truong-01")!;
    const meta = new Map([...metadataOf(id)].map(([k, v]) => [k, v[0]!]));
    const props = withProvisionedSettings(
      { get: () => null, set: () => {}, delete: () => {}, keys: () => [] },
      () => meta,
    );
    expect(unitCredentials(props, null)).toEqual({
      unitId: "truong-01",
      unitKey: deriveUnitKey(SECRET, "truong-01"),
      ingestUrl: INGEST,
      unitName: "Trường Tiểu học số 01",
    });
    expect(resolveCampaign(props, null)).toEqual(campaign);
  });
});

describe("metadataRequests", () => {
  const at = { locationType: "SPREADSHEET", spreadsheet: true };
  it("keeps one right DOCUMENT entry per key, deletes wrong values, PROJECT entries and duplicates", () => {
    const requests = metadataRequests(
      [
        { metadataId: 1, metadataKey: "k", metadataValue: "v", location: at, visibility: "DOCUMENT" },
        { metadataId: 2, metadataKey: "k", metadataValue: "v", location: at, visibility: "DOCUMENT" },
        { metadataId: 3, metadataKey: "j", metadataValue: "v", location: at, visibility: "PROJECT" },
        { metadataId: 4, metadataKey: "other", metadataValue: "x", location: at, visibility: "DOCUMENT" },
      ],
      { k: "v", j: "v", n: "new" },
    );
    expect(requests.map((r) => Object.keys(r)[0])).toEqual([
      "deleteDeveloperMetadata",
      "deleteDeveloperMetadata",
      "createDeveloperMetadata",
      "createDeveloperMetadata",
    ]);
    expect(requests[0]?.deleteDeveloperMetadata?.dataFilter?.developerMetadataLookup?.metadataId).toBe(2);
    expect(requests[1]?.deleteDeveloperMetadata?.dataFilter?.developerMetadataLookup?.metadataId).toBe(3);
    expect(requests.slice(2).map((r) => r.createDeveloperMetadata?.developerMetadata?.metadataKey)).toEqual([
      "j",
      "n",
    ]);
  });
});

describe("dondoc provision (CLI wiring)", () => {
  function sink() {
    let text = "";
    const stream = new Writable({
      write(chunk, _enc, done) {
        text += String(chunk);
        done();
      },
    });
    return { stream, text: () => text };
  }
  const env = { DONDOC_PUSH_SECRET: SECRET, DONDOC_ID_SECRET: "i".repeat(40) };

  it("refuses to run without DONDOC_PUSH_SECRET or, outside a dry run, without --template", async () => {
    const out = sink();
    const io = { out: out.stream, err: out.stream };
    const wiring = { auth: staticTokenAuth(), rootUrl: fake.rootUrl };
    await expect(
      provisionCommand(["--campaign", "examples/cho-don", "--template", templateId], io, {}, wiring),
    ).rejects.toMatchObject({
      code: "push-secret-missing",
      message: expect.stringContaining("DONDOC_PUSH_SECRET"),
    });
    await expect(provisionCommand(["--campaign", "examples/cho-don"], io, env, wiring)).rejects.toMatchObject(
      {
        code: "bad-option",
        message: expect.stringContaining("--template"),
      },
    );
    expect(writeRequests()).toBe(0);
  });

  it("provisions examples/cho-don into the embedded store, then finds everything again", async () => {
    const data = await mkdtemp(join(tmpdir(), "dondoc-provision-"));
    try {
      const wiring = { auth: staticTokenAuth(), rootUrl: fake.rootUrl };
      const args = ["--campaign", "examples/cho-don", "--data", data, "--ingest-url", INGEST];
      const first = sink();
      const io1 = { out: first.stream, err: first.stream };
      expect(await provisionCommand([...args, "--template", templateId], io1, env, wiring)).toBe(0);
      const units = fake.counts.drive.copy;
      expect(units).toBeGreaterThan(5);
      expect(first.text()).toContain(`tạo mới ${units}, đã có 0, lỗi 0`);
      expect(first.text()).toContain("✓ tạo mới  Xã Chợ Đồn (xa-cho-don)");

      fake.counts.reset();
      const dry = sink();
      const io2 = { out: dry.stream, err: dry.stream };
      expect(await provisionCommand([...args, "--dry-run"], io2, env, wiring)).toBe(0);
      expect(writeRequests()).toBe(0);
      expect(dry.text()).toContain("CHẠY THỬ");
      expect(dry.text()).toContain(`sẽ tạo 0, đã có ${units}`);

      const again = sink();
      const io3 = { out: again.stream, err: again.stream };
      expect(await provisionCommand([...args, "--template", templateId], io3, env, wiring)).toBe(0);
      expect(writeRequests()).toBe(0);
      expect(again.text()).toContain(`tạo mới 0, đã có ${units}, lỗi 0`);
      expect(again.text()).toContain("Firestore: ghi 0 tài liệu");
    } finally {
      await rm(data, { recursive: true, force: true });
    }
  });
});

describe("duplicates", () => {
  it("keeps using the recorded spreadsheet when two are tagged for a unit, and reports the other", async () => {
    const { run, lines } = setup();
    const first = await run();
    const kept = unitIds(first).get("thon-02")!;
    const extra = await new GoogleDrive({
      drive: driveClient({ auth: staticTokenAuth(), rootUrl: fake.rootUrl }),
    }).copyFile(templateId, "bản chạy song song", first.folder.id!, {
      ...fake.state.file(kept).appProperties,
    });
    fake.counts.reset();
    lines.length = 0;
    const second = await run();
    expect(unitIds(second).get("thon-02")).toBe(kept);
    expect(second.units.find((u) => u.unitId === "thon-02")?.duplicates).toEqual([extra.id]);
    expect(writeRequests()).toBe(0);
    expect(lines.join("\n")).toContain(`Có thêm 1 bảng tính gắn với đơn vị này`);
  });
});

describe("growing a campaign", () => {
  it("creates only a newly listed unit's spreadsheet, in the folder found again by its tag", async () => {
    const { run } = setup();
    const first = await run({ units: UNITS.slice(0, 19) });
    expect(fake.counts.drive.copy).toBe(19);
    fake.counts.reset();
    const second = await run();
    expect(fake.counts.drive.copy).toBe(1);
    expect(fake.counts.drive.create).toBe(0);
    expect(second.folder).toEqual({ id: first.folder.id, action: "existing" });
    const added = second.units.find((u) => u.unitId === "to-cong-nghe-so")!;
    expect(added.action).toBe("created");
    expect(fake.state.file(added.spreadsheetId!).parents).toEqual([first.folder.id]);
  });

  it("puts new files in a --folder given, creating no folder of its own", async () => {
    const given = fake.state.createFolder("Thư mục của xã");
    const { run } = setup();
    const result = await run({ folderId: given, units: UNITS.slice(0, 3) });
    expect(result.folder).toEqual({ id: given, action: "given" });
    expect(fake.counts.drive.create).toBe(1); // the leaders' spreadsheet only
    for (const u of result.units) expect(fake.state.file(u.spreadsheetId!).parents).toEqual([given]);
    await expect(run({ folderId: templateId, units: [UNITS[3]!] })).rejects.toMatchObject({
      code: "folder-invalid",
    });
  });
});
