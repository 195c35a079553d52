// Drive v3 for what Sheets cannot tell cheaply: which unit spreadsheets changed (modifiedTime), copying the
// template, sharing, and finding what provisioning already created (appProperties) so re-runs create nothing.
import type { drive_v3 } from "@googleapis/drive";
import { DondocError } from "../../core/errors.ts";
import { CALL_OPTIONS } from "./auth.ts";
import { type CallPolicy, guardedCall, type QuotaGate } from "./quota.ts";
import { googleFailure, type RetryOptions } from "./retry.ts";

export const SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet";
export const FOLDER_MIME = "application/vnd.google-apps.folder";

/** A small document adapters keep between runs (Store.loadMeta / saveMeta in production). */
export interface PersistedState<T> {
  load(): Promise<T | null>;
  save(value: T): Promise<void>;
}

export function memoryState<T>(initial: T | null = null): PersistedState<T> & { value: T | null } {
  const holder = {
    value: initial,
    load: async () => (holder.value === null ? null : structuredClone(holder.value)),
    save: async (v: T) => {
      holder.value = structuredClone(v);
    },
  };
  return holder;
}

export interface DriveFileInfo {
  id: string;
  name: string;
  modifiedTime: string;
  appProperties: Record<string, string>;
}

export type DriveRole = "reader" | "commenter" | "writer";

export interface GoogleDriveOptions extends CallPolicy {
  drive: drive_v3.Drive;
  quota?: QuotaGate;
  retry?: RetryOptions;
  /** Files per list page (Drive allows up to 1000). */
  pageSize?: number;
}

/** Drive's query strings quote with single quotes and escape with backslashes. */
export function driveQuote(value: string): string {
  return `'${value.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}

/** One instant, one spelling: Drive may answer "…:05.000Z" where we stored "…:05Z". */
export function sameInstant(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return false;
  const ta = Date.parse(a);
  return !Number.isNaN(ta) && ta === Date.parse(b);
}

const WORDING = {
  unreachable: {
    code: "drive-unreachable",
    message:
      "Không truy cập được tệp trên Google Drive: tệp đã bị xóa hoặc chưa được chia sẻ cho tài khoản hệ thống.",
  },
  unavailable: "Google Drive tạm thời không phản hồi; hệ thống sẽ thử lại ở lần chạy sau.",
  rejected: "Google Drive từ chối yêu cầu",
};

export class GoogleDrive {
  private readonly drive: drive_v3.Drive;
  private readonly policy: CallPolicy;
  private readonly pageSize: number;

  constructor(opts: GoogleDriveOptions) {
    this.drive = opts.drive;
    this.policy = { quota: opts.quota, retry: opts.retry };
    this.pageSize = opts.pageSize ?? 1000;
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await guardedCall("drive", fn, this.policy);
    } catch (e) {
      throw googleFailure(e, WORDING);
    }
  }

  private async listAll(q: string, fields: string): Promise<drive_v3.Schema$File[]> {
    const out: drive_v3.Schema$File[] = [];
    let pageToken: string | undefined;
    do {
      const token = pageToken;
      const res = await this.call(() =>
        this.drive.files.list(
          {
            q,
            fields: `nextPageToken,files(${fields})`,
            pageSize: this.pageSize,
            ...(token ? { pageToken: token } : {}),
            supportsAllDrives: true,
            includeItemsFromAllDrives: true,
          },
          CALL_OPTIONS,
        ),
      );
      out.push(...(res.data.files ?? []));
      pageToken = res.data.nextPageToken ?? undefined;
    } while (pageToken);
    return out;
  }

  /**
   * modifiedTime of spreadsheets, by id: all spreadsheets in a folder, or the given ids among the spreadsheets
   * the service account can see (Drive's query language cannot select by id). One paged listing either way.
   */
  async listModified(
    scope: { folderId: string } | { ids: readonly string[] },
    since?: string,
  ): Promise<Map<string, string>> {
    const terms = [`mimeType = ${driveQuote(SPREADSHEET_MIME)}`, "trashed = false"];
    if ("folderId" in scope) terms.unshift(`${driveQuote(scope.folderId)} in parents`);
    if (since) terms.push(`modifiedTime > ${driveQuote(new Date(since).toISOString())}`);
    const files = await this.listAll(terms.join(" and "), "id,modifiedTime");
    const wanted = "ids" in scope ? new Set(scope.ids) : null;
    const out = new Map<string, string>();
    for (const f of files) {
      if (!f.id || !f.modifiedTime) continue;
      if (wanted && !wanted.has(f.id)) continue;
      out.set(f.id, f.modifiedTime);
    }
    return out;
  }

  async modifiedTime(fileId: string): Promise<string> {
    const res = await this.call(() =>
      this.drive.files.get({ fileId, fields: "id,modifiedTime", supportsAllDrives: true }, CALL_OPTIONS),
    );
    if (!res.data.modifiedTime) {
      throw new DondocError(
        "drive-no-modified-time",
        "Google Drive không trả về thời điểm sửa đổi của tệp.",
        { fileId },
      );
    }
    return res.data.modifiedTime;
  }

  async copyFile(
    templateId: string,
    name: string,
    folderId: string,
    appProperties: Record<string, string> = {},
  ): Promise<DriveFileInfo> {
    const res = await this.call(() =>
      this.drive.files.copy(
        {
          fileId: templateId,
          fields: "id,name,modifiedTime,appProperties",
          supportsAllDrives: true,
          requestBody: { name, parents: [folderId], appProperties },
        },
        CALL_OPTIONS,
      ),
    );
    return toInfo(res.data);
  }

  async createFolder(
    name: string,
    parentId?: string,
    appProperties: Record<string, string> = {},
  ): Promise<DriveFileInfo> {
    const res = await this.call(() =>
      this.drive.files.create(
        {
          fields: "id,name,modifiedTime,appProperties",
          supportsAllDrives: true,
          requestBody: {
            name,
            mimeType: FOLDER_MIME,
            ...(parentId ? { parents: [parentId] } : {}),
            appProperties,
          },
        },
        CALL_OPTIONS,
      ),
    );
    return toInfo(res.data);
  }

  /**
   * Grants `role` to each e-mail that does not have it yet. Idempotent: existing grants are listed first, so a
   * re-run neither duplicates permissions nor mails people again.
   */
  async share(
    fileId: string,
    emails: readonly string[],
    role: DriveRole,
    opts: { notify?: boolean; message?: string } = {},
  ): Promise<{ granted: string[]; unchanged: string[] }> {
    const existing = await this.permissions(fileId);
    const granted: string[] = [];
    const unchanged: string[] = [];
    for (const raw of emails) {
      const email = raw.trim().toLowerCase();
      if (email === "") continue;
      if (existing.get(email) === role || (existing.get(email) === "writer" && role !== "writer")) {
        unchanged.push(email);
        continue;
      }
      await this.call(() =>
        this.drive.permissions.create(
          {
            fileId,
            supportsAllDrives: true,
            sendNotificationEmail: opts.notify ?? false,
            ...(opts.notify && opts.message ? { emailMessage: opts.message } : {}),
            fields: "id,role,type,emailAddress",
            requestBody: { type: "user", role, emailAddress: email },
          },
          CALL_OPTIONS,
        ),
      );
      granted.push(email);
    }
    return { granted, unchanged };
  }

  /** E-mail (lower case) → role, for user and group grants. */
  async permissions(fileId: string): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    let pageToken: string | undefined;
    do {
      const token = pageToken;
      const res = await this.call(() =>
        this.drive.permissions.list(
          {
            fileId,
            supportsAllDrives: true,
            fields: "nextPageToken,permissions(id,type,role,emailAddress)",
            ...(token ? { pageToken: token } : {}),
          },
          CALL_OPTIONS,
        ),
      );
      for (const p of res.data.permissions ?? []) {
        if (p.emailAddress && p.role) out.set(p.emailAddress.toLowerCase(), p.role);
      }
      pageToken = res.data.nextPageToken ?? undefined;
    } while (pageToken);
    return out;
  }

  /** Files (not trashed) carrying appProperties[key] = value, optionally within one folder. */
  async findByAppProperty(
    key: string,
    value: string,
    opts: { folderId?: string } = {},
  ): Promise<DriveFileInfo[]> {
    const terms = [
      `appProperties has { key=${driveQuote(key)} and value=${driveQuote(value)} }`,
      "trashed = false",
    ];
    if (opts.folderId) terms.unshift(`${driveQuote(opts.folderId)} in parents`);
    const files = await this.listAll(terms.join(" and "), "id,name,modifiedTime,appProperties");
    return files.map(toInfo);
  }
}

function toInfo(f: drive_v3.Schema$File): DriveFileInfo {
  if (!f.id) throw new DondocError("drive-no-id", "Google Drive trả về tệp không có mã.");
  return {
    id: f.id,
    name: f.name ?? "",
    modifiedTime: f.modifiedTime ?? "",
    appProperties: { ...(f.appProperties ?? {}) },
  };
}

// -----------------------------------------------------------------------------------------------------------

export interface OwnWrite {
  /** modifiedTime the sync recorded when it last read the unit's content. */
  base: string;
  /** modifiedTime right after dondoc's own annotation write. */
  after: string;
}

/**
 * Writing notes on a unit's sheet moves its modifiedTime, which would make the next cycle read it again for
 * nothing. The annotator records "the file at `after` holds the same user content as at `base`"; the source
 * then treats that pair as unchanged. Shared by GoogleSheetSource and GoogleUnitAnnotator.
 */
export class SheetModificationLog {
  private entries: Record<string, OwnWrite> | null = null;
  private readonly listed = new Map<string, string>();

  private readonly persisted: PersistedState<Record<string, OwnWrite>>;

  constructor(persisted: PersistedState<Record<string, OwnWrite>> = memoryState()) {
    this.persisted = persisted;
  }

  /** modifiedTimes seen in the latest listing (spreadsheet id → time). */
  noteListing(times: ReadonlyMap<string, string>): void {
    for (const [id, t] of times) this.listed.set(id, t);
  }

  listedTime(fileId: string): string | undefined {
    return this.listed.get(fileId);
  }

  private async load(): Promise<Record<string, OwnWrite>> {
    this.entries ??= (await this.persisted.load()) ?? {};
    return this.entries;
  }

  async ownWrite(fileId: string): Promise<OwnWrite | undefined> {
    return (await this.load())[fileId];
  }

  /** Whether a file now at `current` still holds what the sync saw at `lastSeen`. */
  async unchangedSince(fileId: string, lastSeen: string | null, current: string): Promise<boolean> {
    if (lastSeen === null) return false;
    if (sameInstant(lastSeen, current)) return true;
    const own = (await this.load())[fileId];
    return own !== undefined && sameInstant(own.base, lastSeen) && sameInstant(own.after, current);
  }

  async recordOwnWrite(fileId: string, write: OwnWrite): Promise<void> {
    const entries = await this.load();
    entries[fileId] = write;
    this.listed.set(fileId, write.after);
    await this.persisted.save(entries);
  }
}
