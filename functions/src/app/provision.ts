// Provisioning a campaign on Google Drive: one input spreadsheet per unit, copied from a template that carries the
// bound Apps Script, shared with that unit's addresses only; one leaders' summary spreadsheet shared read-only;
// every id recorded in Firestore. Everything is found again before anything is created (appProperties on the
// files, ids in the store), so a re-run creates nothing twice and repairs what drifted: missing grants, public
// links, the script's settings.
//
// The script's settings travel as spreadsheet-level developer metadata with DOCUMENT visibility: script
// properties cannot be written from outside Apps Script, and PROJECT-visible metadata would be invisible to the
// script, which runs under its own Cloud project.
import type { drive_v3 } from "@googleapis/drive";
import type { sheets_v4 } from "@googleapis/sheets";
import type { Campaign, Unit } from "../../../schemas/index.ts";
import { deriveUnitKey } from "../adapters/crypto/hmac.ts";
import { CALL_OPTIONS } from "../adapters/google/auth.ts";
import {
  type DriveFileInfo,
  FOLDER_MIME,
  type GoogleDrive,
  SPREADSHEET_MIME,
} from "../adapters/google/drive.ts";
import { type CallPolicy, guardedCall, type QuotaKind } from "../adapters/google/quota.ts";
import { googleErrorStatus, googleFailure } from "../adapters/google/retry.ts";
import { DondocError } from "../core/errors.ts";
import { formatViNumber } from "../core/format.ts";
import type { Store } from "../core/ports.ts";

/** Developer metadata keys the unit's script reads (apps-script/src/config.ts, METADATA). */
export const METADATA_KEYS = {
  unitId: "dondoc.unitId",
  unitKey: "dondoc.unitKey",
  unitName: "dondoc.unitName",
  ingestUrl: "dondoc.ingestUrl",
  campaign: "dondoc.campaign",
} as const;

/** appProperties that tag what provisioning created, so it is found again instead of created twice. */
export const APP_PROPERTIES = {
  campaign: "dondocCampaign",
  unit: "dondocUnit",
  role: "dondocRole",
} as const;

/** Store.saveMeta keys (functions/src/cloud/runtime.ts reads "spreadsheets"). */
export const META_KEYS = { spreadsheets: "spreadsheets", leaders: "leadersSpreadsheet" } as const;

export const MIN_PUSH_SECRET_CHARS = 32;

export interface ProvisionDeps {
  campaign: Campaign;
  units: Unit[];
  drive: GoogleDrive;
  /** The raw Drive client, for what the wrapper does not offer (typed permissions, creating a spreadsheet). */
  driveApi: drive_v3.Drive;
  sheets: sheets_v4.Sheets;
  store: Store;
  /** DONDOC_PUSH_SECRET: each unit's key is derived from it (deriveUnitKey). */
  pushSecret: string;
  /** Written to the script's settings when given; otherwise the script keeps the build's address. */
  ingestUrl: string | null;
  /** Spreadsheet carrying the bound script; needed only when something has to be created. */
  templateId: string | null;
  /** Drive folder for the new files; without it "dondoc — <title>" is created once and found again. */
  folderId?: string | null;
  dryRun: boolean;
  /** Let Drive mail the people a file is newly shared with. */
  notify: boolean;
  log: (line: string) => void;
  /** Retry and quota for the raw clients (the Drive wrapper has its own). */
  policy?: CallPolicy;
}

export type FileAction = "created" | "existing" | "would-create" | "failed";

export interface FileOutcome {
  action: FileAction;
  spreadsheetId: string | null;
  /** Addresses granted access by this run (or that would be, in a dry run). */
  granted: string[];
  /** Public ("anyone") and domain-wide grants removed (or that would be). */
  removedPublic: string[];
  /** Other people with access that provisioning did not grant; reported, left alone. */
  otherAccess: string[];
  /** Further spreadsheets tagged for the same unit (e.g. from two runs at once); reported, left alone. */
  duplicates?: string[];
  /** Developer metadata requests sent (or that would be); 0 when the settings were already right. */
  metadataChanges: number;
  error?: DondocError;
}

export interface UnitOutcome extends FileOutcome {
  unitId: string;
  name: string;
}

export interface ProvisionResult {
  dryRun: boolean;
  /** "not-needed": nothing was created, so the folder was not looked for (its id is known or null). */
  folder: { id: string | null; action: "created" | "existing" | "given" | "would-create" | "not-needed" };
  units: UnitOutcome[];
  leaders: FileOutcome;
  /** Firestore documents written. */
  storeWrites: number;
}

const WORDING = {
  unreachable: {
    code: "provision-unreachable",
    message:
      "Không truy cập được tệp trên Google Drive: tệp đã bị xóa hoặc chưa được chia sẻ cho tài khoản hệ thống.",
  },
  unavailable: "Google Drive/Sheets tạm thời không phản hồi; hãy chạy lại lệnh sau ít phút.",
  rejected: "Google từ chối yêu cầu",
};

export function sheetUrl(id: string): string {
  return `https://docs.google.com/spreadsheets/d/${id}/edit`;
}

export function unitSheetName(campaign: Campaign, unit: Unit): string {
  return `${unit.name} — nhập liệu — ${campaign.title}`;
}

export function leadersSheetName(campaign: Campaign): string {
  return `Tổng hợp — ${campaign.title}`;
}

export function folderName(campaign: Campaign): string {
  return `dondoc — ${campaign.title}`;
}

/** The settings the unit's script reads, as developer metadata key → value. */
export function unitSettings(deps: Pick<ProvisionDeps, "campaign" | "pushSecret" | "ingestUrl">, unit: Unit) {
  const out: Record<string, string> = {
    [METADATA_KEYS.unitId]: unit.id,
    [METADATA_KEYS.unitKey]: deriveUnitKey(deps.pushSecret, unit.id),
    [METADATA_KEYS.unitName]: unit.name,
    [METADATA_KEYS.campaign]: JSON.stringify(deps.campaign),
  };
  if (deps.ingestUrl) out[METADATA_KEYS.ingestUrl] = deps.ingestUrl;
  return out;
}

/**
 * The batchUpdate requests that make the spreadsheet-level metadata hold exactly `wanted` for its keys: one
 * DOCUMENT-visible entry per key with the right value. Wrong values, PROJECT-visible entries and duplicates are
 * deleted and missing keys created; keys not in `wanted` are left alone (an ingest URL set by an earlier run
 * survives a run without --ingest-url).
 */
export function metadataRequests(
  existing: readonly sheets_v4.Schema$DeveloperMetadata[],
  wanted: Readonly<Record<string, string>>,
): sheets_v4.Schema$Request[] {
  const deletes: sheets_v4.Schema$Request[] = [];
  const creates: sheets_v4.Schema$Request[] = [];
  for (const [key, value] of Object.entries(wanted)) {
    const entries = existing.filter(
      (m) =>
        m.metadataKey === key &&
        (m.location?.spreadsheet === true || m.location?.locationType === "SPREADSHEET"),
    );
    const keep = entries.find((m) => m.visibility === "DOCUMENT" && (m.metadataValue ?? "") === value);
    for (const m of entries) {
      if (m === keep) continue;
      deletes.push({
        deleteDeveloperMetadata: { dataFilter: { developerMetadataLookup: { metadataId: m.metadataId } } },
      });
    }
    if (!keep) {
      creates.push({
        createDeveloperMetadata: {
          developerMetadata: {
            metadataKey: key,
            metadataValue: value,
            location: { spreadsheet: true },
            visibility: "DOCUMENT",
          },
        },
      });
    }
  }
  return [...deletes, ...creates];
}

interface Grant {
  id: string;
  type: string;
  role: string;
  email: string | null;
}

function uniqueEmails(emails: readonly string[]): string[] {
  return [...new Set(emails.map((e) => e.trim().toLowerCase()).filter((e) => e !== ""))];
}

const WRITE_ROLES = new Set(["owner", "organizer", "fileOrganizer", "writer"]);

/** Provisions (or, with dryRun, only describes) every unit's spreadsheet and the leaders' one. */
export async function provisionCampaign(deps: ProvisionDeps): Promise<ProvisionResult> {
  const { campaign, log } = deps;
  checkSecret(deps.pushSecret);
  if (deps.ingestUrl !== null && !/^https:\/\/\S+$/.test(deps.ingestUrl)) {
    throw new DondocError(
      "bad-option",
      `--ingest-url "${deps.ingestUrl}" không hợp lệ: cần địa chỉ https:// của hàm ingest.`,
    );
  }
  const g = new GoogleCalls(deps);

  // What exists already: files tagged with this campaign, and the ids an earlier run recorded.
  const tagged = await deps.drive.findByAppProperty(APP_PROPERTIES.campaign, campaign.id);
  const stored =
    (await deps.store.loadMeta<Record<string, string>>(campaign.id, META_KEYS.spreadsheets)) ?? {};
  const storedLeaders = await deps.store.loadMeta<string>(campaign.id, META_KEYS.leaders);
  const byRole = (role: string) => tagged.filter((f) => f.appProperties[APP_PROPERTIES.role] === role);

  // Which units already have a spreadsheet; a template is needed only when one has to be created, and a bad one
  // is refused before anything at all is written.
  const unitFiles = tagged.filter((f) => f.appProperties[APP_PROPERTIES.unit] !== undefined);
  const found = new Map<string, { id: string | null; tagged: boolean; duplicates: string[] }>();
  for (const unit of deps.units) {
    const candidates = unitFiles.filter((f) => f.appProperties[APP_PROPERTIES.unit] === unit.id);
    const id = await existingFile(g, candidates, stored[unit.id] ?? null);
    const duplicates = candidates.map((f) => f.id).filter((other) => other !== id);
    found.set(unit.id, { id, tagged: candidates.some((f) => f.id === id), duplicates });
  }
  const leadersFiles = byRole("leaders");
  const leadersId = await existingFile(g, leadersFiles, storedLeaders);
  const unitMissing = [...found.values()].some((f) => f.id === null);
  const template = !deps.dryRun && unitMissing ? await checkTemplate(deps, g) : null;

  // The folder matters only to new files: a run that creates nothing neither needs nor creates one.
  const folder =
    unitMissing || leadersId === null
      ? await resolveFolder(deps, g, byRole("folder"))
      : { id: deps.folderId || byRole("folder")[0]?.id || null, action: "not-needed" as const };
  const units: UnitOutcome[] = [];
  for (const unit of deps.units) {
    const { duplicates, ...known } = found.get(unit.id)!;
    const outcome = await provisionUnit(deps, g, unit, { ...known, folderId: folder.id, template });
    if (duplicates.length > 0) outcome.duplicates = duplicates;
    units.push(outcome);
    log(describeUnit(unit, outcome, deps.dryRun));
  }

  const leaders = await provisionLeaders(deps, g, {
    id: leadersId,
    tagged: leadersFiles.some((f) => f.id === leadersId),
    folderId: folder.id,
  });
  log(describeLeaders(campaign, leaders, deps.dryRun));

  let storeWrites = 0;
  if (!deps.dryRun) {
    const ids: Record<string, string> = { ...stored };
    for (const u of units) if (u.spreadsheetId) ids[u.unitId] = u.spreadsheetId;
    storeWrites += await deps.store.saveMeta(campaign.id, META_KEYS.spreadsheets, ids);
    if (leaders.spreadsheetId)
      storeWrites += await deps.store.saveMeta(campaign.id, META_KEYS.leaders, leaders.spreadsheetId);
  }
  const result: ProvisionResult = { dryRun: deps.dryRun, folder, units, leaders, storeWrites };
  log(describeSummary(result));
  return result;
}

async function checkTemplate(deps: ProvisionDeps, g: GoogleCalls): Promise<string> {
  if (!deps.templateId) {
    throw new DondocError(
      "template-missing",
      "Cần --template <mã bảng tính mẫu> (bảng tính có gắn Apps Script) để tạo bảng tính cho các đơn vị chưa có.",
    );
  }
  const t = await g.getFile(deps.templateId);
  if (t === null || t.trashed || t.mimeType !== SPREADSHEET_MIME) {
    throw new DondocError(
      "template-invalid",
      `Bảng tính mẫu ${deps.templateId} không tồn tại, đã bị xóa hoặc không phải Google Sheets.`,
    );
  }
  return deps.templateId;
}

function checkSecret(secret: string): void {
  if (secret.length < MIN_PUSH_SECRET_CHARS) {
    throw new DondocError(
      "push-secret-invalid",
      `Khóa DONDOC_PUSH_SECRET phải dài ít nhất ${MIN_PUSH_SECRET_CHARS} ký tự (dùng đúng khóa đã cấu hình cho hàm ingest).`,
    );
  }
}

// -----------------------------------------------------------------------------------------------------------

async function resolveFolder(
  deps: ProvisionDeps,
  g: GoogleCalls,
  tagged: DriveFileInfo[],
): Promise<ProvisionResult["folder"]> {
  if (deps.folderId) {
    const f = await g.getFile(deps.folderId);
    if (f === null || f.trashed || f.mimeType !== FOLDER_MIME) {
      throw new DondocError(
        "folder-invalid",
        `Thư mục ${deps.folderId} không tồn tại, đã bị xóa hoặc không phải thư mục Google Drive.`,
      );
    }
    return { id: deps.folderId, action: "given" };
  }
  const found = tagged[0];
  if (found) return { id: found.id, action: "existing" };
  if (deps.dryRun) {
    deps.log(`+ sẽ tạo thư mục "${folderName(deps.campaign)}" trên Google Drive`);
    return { id: null, action: "would-create" };
  }
  const created = await deps.drive.createFolder(folderName(deps.campaign), undefined, {
    [APP_PROPERTIES.campaign]: deps.campaign.id,
    [APP_PROPERTIES.role]: "folder",
  });
  deps.log(`✓ đã tạo thư mục "${created.name}" (${created.id})`);
  return { id: created.id, action: "created" };
}

/**
 * The existing spreadsheet: the one the store recorded if it still exists, else the first tagged one Drive lists.
 * Drive's search index can lag behind a file created moments ago, so the stored id is checked directly.
 */
async function existingFile(
  g: GoogleCalls,
  candidates: DriveFileInfo[],
  storedId: string | null,
): Promise<string | null> {
  if (storedId && candidates.some((f) => f.id === storedId)) return storedId;
  if (storedId) {
    const f = await g.getFile(storedId);
    if (f !== null && !f.trashed && f.mimeType === SPREADSHEET_MIME) return storedId;
  }
  return candidates[0]?.id ?? null;
}

async function provisionUnit(
  deps: ProvisionDeps,
  g: GoogleCalls,
  unit: Unit,
  ctx: { id: string | null; tagged: boolean; folderId: string | null; template: string | null },
): Promise<UnitOutcome> {
  const base = { unitId: unit.id, name: unit.name };
  const emails = uniqueEmails(unit.emails);
  const settings = unitSettings(deps, unit);
  const tags = {
    [APP_PROPERTIES.campaign]: deps.campaign.id,
    [APP_PROPERTIES.unit]: unit.id,
    [APP_PROPERTIES.role]: "unit",
  };
  // Kept when a later step fails, so the store still records a copy that was made.
  let id = ctx.id;
  try {
    if (id === null) {
      if (deps.dryRun) {
        return {
          ...base,
          ...emptyOutcome("would-create", null),
          granted: emails,
          metadataChanges: Object.keys(settings).length,
        };
      }
      if (ctx.folderId === null || ctx.template === null) throw new Error("folder and template come first");
      id = (await deps.drive.copyFile(ctx.template, unitSheetName(deps.campaign, unit), ctx.folderId, tags))
        .id;
      const outcome = await reconcile(deps, g, id, emails, "writer", settings);
      return { ...base, ...outcome, action: "created" };
    }
    // Found by the store alone (Drive search lagging, or tags lost): tag it so the next run finds it by search.
    if (!ctx.tagged && !deps.dryRun) await g.tag(id, tags);
    const outcome = await reconcile(deps, g, id, emails, "writer", settings);
    return { ...base, ...outcome, action: "existing" };
  } catch (error) {
    if (!(error instanceof DondocError)) throw error;
    return { ...base, ...emptyOutcome("failed", id), error };
  }
}

async function provisionLeaders(
  deps: ProvisionDeps,
  g: GoogleCalls,
  ctx: { id: string | null; tagged: boolean; folderId: string | null },
): Promise<FileOutcome> {
  const emails = uniqueEmails(deps.campaign.leaders.map((p) => p.email));
  const tags = { [APP_PROPERTIES.campaign]: deps.campaign.id, [APP_PROPERTIES.role]: "leaders" };
  let id = ctx.id;
  try {
    if (id === null) {
      if (deps.dryRun) return { ...emptyOutcome("would-create", null), granted: emails };
      if (ctx.folderId === null) throw new Error("folder must exist before creating");
      // Created through Drive so that it is born inside the folder and tagged: no untagged orphan can result.
      id = await g.createSpreadsheet(leadersSheetName(deps.campaign), ctx.folderId, tags);
      await g.localise(id, deps.campaign.timezone);
      const outcome = await reconcile(deps, g, id, emails, "reader", null);
      return { ...outcome, action: "created" };
    }
    if (!ctx.tagged && !deps.dryRun) await g.tag(id, tags);
    const outcome = await reconcile(deps, g, id, emails, "reader", null);
    return { ...outcome, action: "existing" };
  } catch (error) {
    if (!(error instanceof DondocError)) throw error;
    return { ...emptyOutcome("failed", id), error };
  }
}

function emptyOutcome(action: FileAction, id: string | null): FileOutcome {
  return { action, spreadsheetId: id, granted: [], removedPublic: [], otherAccess: [], metadataChanges: 0 };
}

/**
 * Brings one file's sharing and settings to what they should be: grants the missing addresses, removes public and
 * domain-wide links (units' sheets hold personal data), and rewrites the script's settings if they drifted.
 * Nothing is written when nothing differs; in a dry run nothing is written at all.
 */
async function reconcile(
  deps: ProvisionDeps,
  g: GoogleCalls,
  id: string,
  emails: string[],
  role: "writer" | "reader",
  settings: Record<string, string> | null,
): Promise<FileOutcome> {
  const grants = await g.permissions(id);
  const byEmail = new Map(grants.filter((p) => p.email !== null).map((p) => [p.email!, p]));
  const granted = emails.filter((e) => {
    const has = byEmail.get(e);
    if (!has) return true;
    return role === "writer" && !WRITE_ROLES.has(has.role);
  });
  const publicGrants = grants.filter((p) => p.type === "anyone" || p.type === "domain");
  const wanted = new Set(emails);
  const otherAccess = grants
    .filter((p) => (p.type === "user" || p.type === "group") && p.role !== "owner")
    .filter((p) => p.email !== null && !wanted.has(p.email))
    .map((p) => `${p.email} (${p.role})`);
  let metadataChanges = 0;
  let requests: sheets_v4.Schema$Request[] = [];
  if (settings) {
    requests = metadataRequests(await g.developerMetadata(id), settings);
    metadataChanges = requests.length;
  }
  if (!deps.dryRun) {
    if (granted.length > 0) {
      await deps.drive.share(id, granted, role, {
        notify: deps.notify,
        message: `Bảng tính "${deps.campaign.title}" đã được chia sẻ cho anh/chị.`,
      });
    }
    for (const p of publicGrants) await g.deletePermission(id, p.id);
    if (requests.length > 0) await g.batchUpdate(id, requests);
  }
  return {
    action: "existing",
    spreadsheetId: id,
    granted,
    removedPublic: publicGrants.map((p) =>
      p.type === "anyone" ? "bất kỳ ai có đường liên kết" : "cả tên miền",
    ),
    otherAccess,
    metadataChanges,
  };
}

// -----------------------------------------------------------------------------------------------------------

/** Raw Sheets/Drive calls with the same retry, quota and error mapping as the adapters. */
class GoogleCalls {
  private readonly deps: ProvisionDeps;
  constructor(deps: ProvisionDeps) {
    this.deps = deps;
  }

  private async call<T>(kind: QuotaKind, fn: () => Promise<T>): Promise<T> {
    try {
      return await guardedCall(kind, fn, this.deps.policy ?? {});
    } catch (e) {
      throw googleFailure(e, WORDING);
    }
  }

  /** null when the file does not exist (404); other failures throw. */
  async getFile(id: string): Promise<{ mimeType: string; trashed: boolean } | null> {
    try {
      const res = await guardedCall(
        "drive",
        () =>
          this.deps.driveApi.files.get(
            { fileId: id, fields: "id,mimeType,trashed", supportsAllDrives: true },
            CALL_OPTIONS,
          ),
        this.deps.policy ?? {},
      );
      return { mimeType: res.data.mimeType ?? "", trashed: res.data.trashed === true };
    } catch (e) {
      if (googleErrorStatus(e) === 404) return null;
      throw googleFailure(e, WORDING);
    }
  }

  async tag(id: string, appProperties: Record<string, string>): Promise<void> {
    await this.call("drive", () =>
      this.deps.driveApi.files.update(
        { fileId: id, fields: "id", supportsAllDrives: true, requestBody: { appProperties } },
        CALL_OPTIONS,
      ),
    );
  }

  async createSpreadsheet(
    name: string,
    folderId: string,
    appProperties: Record<string, string>,
  ): Promise<string> {
    const res = await this.call("drive", () =>
      this.deps.driveApi.files.create(
        {
          fields: "id",
          supportsAllDrives: true,
          requestBody: { name, mimeType: SPREADSHEET_MIME, parents: [folderId], appProperties },
        },
        CALL_OPTIONS,
      ),
    );
    if (!res.data.id) throw new DondocError("drive-no-id", "Google Drive trả về tệp không có mã.");
    return res.data.id;
  }

  /** Vietnamese number and date formats, and the campaign's time zone, for the leaders' summary. */
  async localise(id: string, timeZone: string): Promise<void> {
    await this.batchUpdate(id, [
      {
        updateSpreadsheetProperties: {
          properties: { locale: "vi_VN", timeZone },
          fields: "locale,timeZone",
        },
      },
    ]);
  }

  async permissions(id: string): Promise<Grant[]> {
    const out: Grant[] = [];
    let pageToken: string | undefined;
    do {
      const token = pageToken;
      const res = await this.call("drive", () =>
        this.deps.driveApi.permissions.list(
          {
            fileId: id,
            supportsAllDrives: true,
            fields: "nextPageToken,permissions(id,type,role,emailAddress)",
            ...(token ? { pageToken: token } : {}),
          },
          CALL_OPTIONS,
        ),
      );
      for (const p of res.data.permissions ?? []) {
        if (!p.id) continue;
        out.push({
          id: p.id,
          type: p.type ?? "",
          role: p.role ?? "",
          email: p.emailAddress ? p.emailAddress.toLowerCase() : null,
        });
      }
      pageToken = res.data.nextPageToken ?? undefined;
    } while (pageToken);
    return out;
  }

  async deletePermission(id: string, permissionId: string): Promise<void> {
    await this.call("drive", () =>
      this.deps.driveApi.permissions.delete(
        { fileId: id, permissionId, supportsAllDrives: true },
        CALL_OPTIONS,
      ),
    );
  }

  async developerMetadata(id: string): Promise<sheets_v4.Schema$DeveloperMetadata[]> {
    const res = await this.call("read", () =>
      this.deps.sheets.spreadsheets.get(
        {
          spreadsheetId: id,
          fields:
            "developerMetadata(metadataId,metadataKey,metadataValue,location(locationType,spreadsheet),visibility)",
        },
        CALL_OPTIONS,
      ),
    );
    return res.data.developerMetadata ?? [];
  }

  async batchUpdate(id: string, requests: sheets_v4.Schema$Request[]): Promise<void> {
    await this.call("write", () =>
      this.deps.sheets.spreadsheets.batchUpdate(
        { spreadsheetId: id, requestBody: { requests } },
        CALL_OPTIONS,
      ),
    );
  }
}

// -----------------------------------------------------------------------------------------------------------
// What the run prints. Never a unit key: settings are described, not shown.

function describeAccess(o: FileOutcome, dryRun: boolean, verb: string): string[] {
  const parts: string[] = [];
  if (o.granted.length > 0) parts.push(`${dryRun ? "sẽ " : ""}${verb} ${o.granted.join(", ")}`);
  if (o.removedPublic.length > 0)
    parts.push(`${dryRun ? "sẽ gỡ" : "đã gỡ"} quyền công khai (${o.removedPublic.join(", ")})`);
  if (o.metadataChanges > 0 && o.action !== "would-create" && o.action !== "created")
    parts.push(`${dryRun ? "sẽ sửa" : "đã sửa"} thông tin kết nối của Apps Script`);
  return parts;
}

const LABELS: Record<FileAction, string> = {
  created: "✓ tạo mới",
  existing: "= đã có",
  "would-create": "+ sẽ tạo",
  failed: "✗ lỗi",
};

function describeUnit(unit: Unit, o: UnitOutcome, dryRun: boolean): string {
  const head = `${LABELS[o.action]}  ${unit.name} (${unit.id})`;
  if (o.action === "failed") return `${head}: ${o.error?.message ?? ""}`;
  const lines = [o.spreadsheetId ? `${head}: ${sheetUrl(o.spreadsheetId)}` : head];
  const parts = describeAccess(o, dryRun, "chia sẻ cho");
  if (o.granted.length === 0 && o.removedPublic.length === 0 && o.action !== "would-create")
    parts.unshift("chia sẻ: không đổi");
  if (parts.length > 0) lines[0] += `; ${parts.join("; ")}`;
  if (unit.emails.length === 0)
    lines.push(`    ! ${unit.name} chưa có địa chỉ thư trong units.csv: bảng tính chưa chia sẻ cho ai.`);
  if (o.otherAccess.length > 0)
    lines.push(`    ! Người khác đang có quyền (giữ nguyên, hãy kiểm tra): ${o.otherAccess.join(", ")}`);
  if (o.duplicates)
    lines.push(
      `    ! Có thêm ${o.duplicates.length} bảng tính gắn với đơn vị này (không dùng, hãy xem và xóa nếu thừa): ${o.duplicates.map(sheetUrl).join(", ")}`,
    );
  return lines.join("\n");
}

function describeLeaders(campaign: Campaign, o: FileOutcome, dryRun: boolean): string {
  const head = `${LABELS[o.action]}  Bảng tổng hợp cho lãnh đạo`;
  if (o.action === "failed") return `${head}: ${o.error?.message ?? ""}`;
  const lines = [o.spreadsheetId ? `${head}: ${sheetUrl(o.spreadsheetId)}` : head];
  const parts = describeAccess(o, dryRun, "chia sẻ (chỉ xem) cho");
  if (o.granted.length === 0 && o.removedPublic.length === 0 && o.action !== "would-create")
    parts.unshift("chia sẻ: không đổi");
  if (parts.length > 0) lines[0] += `; ${parts.join("; ")}`;
  if (campaign.leaders.length === 0)
    lines.push("    ! campaign.json chưa có lãnh đạo (leaders): bảng tổng hợp chưa chia sẻ cho ai.");
  if (o.otherAccess.length > 0)
    lines.push(`    ! Người khác đang có quyền (giữ nguyên, hãy kiểm tra): ${o.otherAccess.join(", ")}`);
  return lines.join("\n");
}

function describeSummary(r: ProvisionResult): string {
  const count = (a: FileAction) => formatViNumber(r.units.filter((u) => u.action === a).length);
  const shared = formatViNumber(r.units.reduce((n, u) => n + u.granted.length, 0) + r.leaders.granted.length);
  const leaders =
    r.leaders.action === "created"
      ? "tạo mới"
      : r.leaders.action === "would-create"
        ? "sẽ tạo"
        : r.leaders.action === "failed"
          ? "lỗi"
          : "đã có";
  if (r.dryRun) {
    return `Chạy thử (không thay đổi gì): ${formatViNumber(r.units.length)} đơn vị — sẽ tạo ${count("would-create")}, đã có ${count("existing")}, lỗi ${count("failed")}; sẽ chia sẻ thêm cho ${shared} địa chỉ; bảng tổng hợp: ${leaders}.`;
  }
  return `Tổng: ${formatViNumber(r.units.length)} đơn vị — tạo mới ${count("created")}, đã có ${count("existing")}, lỗi ${count("failed")}; đã chia sẻ thêm cho ${shared} địa chỉ; bảng tổng hợp: ${leaders}; Firestore: ghi ${formatViNumber(r.storeWrites)} tài liệu.`;
}
