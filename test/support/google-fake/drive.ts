// The Drive v3 subset the adapters and provisioning use: files (list with the query language's common terms,
// get, create, copy, update), permissions (create, list, delete), appProperties.
import { driveError, FakeHttpError } from "./faults.ts";

export const SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet";
export const FOLDER_MIME = "application/vnd.google-apps.folder";

export interface FakePermission {
  kind: "drive#permission";
  id: string;
  type: "user" | "group" | "domain" | "anyone";
  role: "owner" | "organizer" | "fileOrganizer" | "writer" | "commenter" | "reader";
  emailAddress?: string;
  domain?: string;
  /** Whether Drive would have mailed the grantee (tests assert no mail storm). */
  notified: boolean;
}

export interface FakeFile {
  kind: "drive#file";
  id: string;
  name: string;
  mimeType: string;
  parents: string[];
  createdTime: string;
  modifiedTime: string;
  trashed: boolean;
  appProperties: Record<string, string>;
  permissions: FakePermission[];
  /** Simulates a file the caller lost access to (answers 403). */
  forbidden?: boolean;
}

function bad(message: string, location?: string): FakeHttpError {
  return new FakeHttpError(400, driveError(400, message, "invalid", "global", location));
}

export function notFound(fileId: string): FakeHttpError {
  return new FakeHttpError(
    404,
    driveError(404, `File not found: ${fileId}.`, "notFound", "global", "fileId"),
  );
}

// ---------------------------------------------------------------------------------------------------------
// The query language (https://developers.google.com/drive/api/guides/search-files), the common part.

type Pred = (f: FakeFile) => boolean;

interface Tok {
  t: "str" | "word" | "op" | "(" | ")" | "{" | "}";
  v: string;
}

function tokenize(q: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < q.length) {
    const ch = q[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === "'") {
      let s = "";
      i++;
      for (;;) {
        if (i >= q.length) throw bad("Invalid Value", "q");
        const c = q[i]!;
        if (c === "\\" && i + 1 < q.length) {
          s += q[i + 1];
          i += 2;
          continue;
        }
        if (c === "'") break;
        s += c;
        i++;
      }
      i++;
      out.push({ t: "str", v: s });
      continue;
    }
    if ("(){}".includes(ch)) {
      out.push({ t: ch as Tok["t"], v: ch });
      i++;
      continue;
    }
    const op = /^(!=|<=|>=|=|<|>)/.exec(q.slice(i));
    if (op) {
      out.push({ t: "op", v: op[0] });
      i += op[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(q.slice(i));
    if (!word) throw bad("Invalid Value", "q");
    out.push({ t: "word", v: word[0] });
    i += word[0].length;
  }
  return out;
}

export function parseQuery(q: string): Pred {
  const toks = tokenize(q);
  let pos = 0;
  const peek = (): Tok | undefined => toks[pos];
  const take = (): Tok => {
    const t = toks[pos++];
    if (!t) throw bad("Invalid Value", "q");
    return t;
  };
  const isWord = (t: Tok | undefined, w: string): boolean => t?.t === "word" && t.v.toLowerCase() === w;

  function orExpr(): Pred {
    let left = andExpr();
    while (isWord(peek(), "or")) {
      pos++;
      const l = left;
      const r = andExpr();
      left = (f) => l(f) || r(f);
    }
    return left;
  }
  function andExpr(): Pred {
    let left = unary();
    while (isWord(peek(), "and")) {
      pos++;
      const l = left;
      const r = unary();
      left = (f) => l(f) && r(f);
    }
    return left;
  }
  function unary(): Pred {
    if (isWord(peek(), "not")) {
      pos++;
      const inner = unary();
      return (f) => !inner(f);
    }
    if (peek()?.t === "(") {
      pos++;
      const inner = orExpr();
      if (take().t !== ")") throw bad("Invalid Value", "q");
      return inner;
    }
    return term();
  }
  function term(): Pred {
    const first = take();
    // 'folderId' in parents
    if (first.t === "str") {
      if (!isWord(take(), "in")) throw bad("Invalid Value", "q");
      const field = take();
      if (field.t !== "word" || field.v !== "parents") throw bad("Invalid Value", "q");
      return (f) => f.parents.includes(first.v);
    }
    if (first.t !== "word") throw bad("Invalid Value", "q");
    const field = first.v;
    if (field === "appProperties" || field === "properties") {
      if (!isWord(take(), "has")) throw bad("Invalid Value", "q");
      if (take().t !== "{") throw bad("Invalid Value", "q");
      const expect = (w: string): void => {
        if (!isWord(take(), w)) throw bad("Invalid Value", "q");
      };
      expect("key");
      if (take().v !== "=") throw bad("Invalid Value", "q");
      const key = take();
      expect("and");
      expect("value");
      if (take().v !== "=") throw bad("Invalid Value", "q");
      const value = take();
      if (take().t !== "}" || key.t !== "str" || value.t !== "str") throw bad("Invalid Value", "q");
      if (field === "properties") return () => false;
      return (f) => f.appProperties[key.v] === value.v;
    }
    const op = take();
    const value = take();
    if (field === "trashed") {
      if (value.t !== "word" || !["true", "false"].includes(value.v) || !["=", "!="].includes(op.v)) {
        throw bad("Invalid Value", "q");
      }
      const want = value.v === "true";
      return op.v === "=" ? (f) => f.trashed === want : (f) => f.trashed !== want;
    }
    if (value.t !== "str") throw bad("Invalid Value", "q");
    if (field === "name" || field === "mimeType") {
      const get = (f: FakeFile): string => (field === "name" ? f.name : f.mimeType);
      if (op.t === "word" && op.v === "contains") return (f) => get(f).includes(value.v);
      if (op.v === "=") return (f) => get(f) === value.v;
      if (op.v === "!=") return (f) => get(f) !== value.v;
      throw bad("Invalid Value", "q");
    }
    if (field === "modifiedTime" || field === "createdTime") {
      const t = Date.parse(value.v);
      if (Number.isNaN(t) || !/^\d{4}-\d{2}-\d{2}T/.test(value.v)) throw bad("Invalid Value", "q");
      const get = (f: FakeFile): number =>
        Date.parse(field === "modifiedTime" ? f.modifiedTime : f.createdTime);
      const cmp: Record<string, (a: number) => boolean> = {
        "=": (a) => a === t,
        "!=": (a) => a !== t,
        "<": (a) => a < t,
        "<=": (a) => a <= t,
        ">": (a) => a > t,
        ">=": (a) => a >= t,
      };
      const c = cmp[op.v];
      if (!c) throw bad("Invalid Value", "q");
      return (f) => c(get(f));
    }
    throw bad("Invalid Value", "q");
  }

  if (toks.length === 0) return () => true;
  const pred = orExpr();
  if (pos !== toks.length) throw bad("Invalid Value", "q");
  return pred;
}

// ---------------------------------------------------------------------------------------------------------

const ROLES = ["owner", "organizer", "fileOrganizer", "writer", "commenter", "reader"];
const TYPES = ["user", "group", "domain", "anyone"];

export class DriveStore {
  readonly files = new Map<string, FakeFile>();
  private permissionSeq = 0;

  private readonly now: () => string;
  private readonly newId: () => string;
  private readonly owner: string;

  constructor(now: () => string, newId: () => string, owner: string) {
    this.now = now;
    this.newId = newId;
    this.owner = owner;
  }

  require(fileId: string): FakeFile {
    const f = this.files.get(fileId);
    if (!f) throw notFound(fileId);
    if (f.forbidden) {
      throw new FakeHttpError(
        403,
        driveError(
          403,
          "The user does not have sufficient permissions for this file.",
          "insufficientFilePermissions",
        ),
      );
    }
    return f;
  }

  add(meta: {
    id?: string;
    name: string;
    mimeType: string;
    parents?: string[];
    appProperties?: Record<string, string>;
  }): FakeFile {
    const at = this.now();
    const file: FakeFile = {
      kind: "drive#file",
      id: meta.id ?? this.newId(),
      name: meta.name,
      mimeType: meta.mimeType,
      parents: meta.parents && meta.parents.length > 0 ? [...meta.parents] : ["root"],
      createdTime: at,
      modifiedTime: at,
      trashed: false,
      appProperties: { ...meta.appProperties },
      permissions: [
        {
          kind: "drive#permission",
          id: this.nextPermissionId(),
          type: "user",
          role: "owner",
          emailAddress: this.owner,
          notified: false,
        },
      ],
    };
    this.files.set(file.id, file);
    return file;
  }

  touch(fileId: string): void {
    const f = this.files.get(fileId);
    if (f) f.modifiedTime = this.now();
  }

  list(params: URLSearchParams): { files: FakeFile[]; nextPageToken?: string } {
    const q = params.get("q") ?? "";
    const pred = parseQuery(q);
    const sizeParam = params.get("pageSize");
    const pageSize = sizeParam === null ? 100 : Number(sizeParam);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000)
      throw bad("Invalid Value", "pageSize");
    let offset = 0;
    const token = params.get("pageToken");
    if (token) {
      try {
        const decoded = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as {
          q: string;
          o: number;
        };
        if (decoded.q !== q || !Number.isInteger(decoded.o)) throw new Error("mismatch");
        offset = decoded.o;
      } catch {
        throw bad("Invalid Value", "pageToken");
      }
    }
    const matching = [...this.files.values()].filter((f) => !f.forbidden && pred(f));
    const page = matching.slice(offset, offset + pageSize);
    const next = offset + pageSize;
    return next < matching.length
      ? { files: page, nextPageToken: Buffer.from(JSON.stringify({ q, o: next })).toString("base64url") }
      : { files: page };
  }

  copy(sourceId: string, body: Record<string, unknown>): FakeFile {
    const src = this.require(sourceId);
    if (src.mimeType === FOLDER_MIME) throw bad("Folders cannot be copied.", "fileId");
    const parents = Array.isArray(body.parents) ? (body.parents as string[]) : src.parents;
    for (const p of parents) if (p !== "root") this.require(p);
    return this.add({
      name: typeof body.name === "string" ? body.name : `Copy of ${src.name}`,
      mimeType: src.mimeType,
      parents,
      appProperties: { ...(body.appProperties as Record<string, string> | undefined) },
    });
  }

  update(fileId: string, body: Record<string, unknown>, params: URLSearchParams): FakeFile {
    const f = this.require(fileId);
    if (typeof body.name === "string") f.name = body.name;
    if (typeof body.trashed === "boolean") f.trashed = body.trashed;
    const app = body.appProperties as Record<string, string | null> | undefined;
    if (app) {
      for (const [k, v] of Object.entries(app)) {
        if (v === null) delete f.appProperties[k];
        else f.appProperties[k] = String(v);
      }
    }
    const add = params.get("addParents");
    const remove = params.get("removeParents");
    for (const p of add ? add.split(",") : []) {
      if (f.parents.includes(p)) continue;
      this.require(p);
      f.parents.push(p);
    }
    if (remove) f.parents = f.parents.filter((p) => !remove.split(",").includes(p));
    f.modifiedTime = this.now();
    return f;
  }

  createPermission(fileId: string, body: Record<string, unknown>, params: URLSearchParams): FakePermission {
    const f = this.require(fileId);
    const role = body.role;
    const type = body.type;
    if (typeof role !== "string" || !ROLES.includes(role))
      throw bad("The permission role field is required.", "permission.role");
    if (typeof type !== "string" || !TYPES.includes(type))
      throw bad("The permission type field is required.", "permission.type");
    const email = body.emailAddress;
    if ((type === "user" || type === "group") && (typeof email !== "string" || !email.includes("@"))) {
      throw bad("The permission emailAddress field is required.", "permission.emailAddress");
    }
    if (type === "domain" && typeof body.domain !== "string")
      throw bad("The permission domain field is required.", "permission.domain");
    if (role === "owner" && params.get("transferOwnership") !== "true") {
      throw new FakeHttpError(
        403,
        driveError(
          403,
          "The transferOwnership parameter must be enabled when the permission role is 'owner'.",
          "forbidden",
        ),
      );
    }
    // Drive keeps one permission per grantee: granting again updates the role.
    const existing = f.permissions.find(
      (p) =>
        p.type === type &&
        (p.emailAddress ?? p.domain ?? "") ===
          ((email as string | undefined) ?? (body.domain as string | undefined) ?? ""),
    );
    const notify =
      type === "user" || type === "group" ? params.get("sendNotificationEmail") !== "false" : false;
    if (existing) {
      existing.role = role as FakePermission["role"];
      existing.notified ||= notify;
      return existing;
    }
    const perm: FakePermission = {
      kind: "drive#permission",
      id: this.nextPermissionId(),
      type: type as FakePermission["type"],
      role: role as FakePermission["role"],
      notified: notify,
    };
    if (typeof email === "string") perm.emailAddress = email.toLowerCase();
    if (typeof body.domain === "string") perm.domain = body.domain;
    f.permissions.push(perm);
    return perm;
  }

  deletePermission(fileId: string, permissionId: string): void {
    const f = this.require(fileId);
    const perm = f.permissions.find((p) => p.id === permissionId);
    if (!perm) {
      throw new FakeHttpError(
        404,
        driveError(404, `Permission not found: ${permissionId}.`, "notFound", "global", "permissionId"),
      );
    }
    if (perm.role === "owner") {
      throw new FakeHttpError(
        403,
        driveError(403, "The owner of a file cannot be removed.", "cannotRemoveOwner"),
      );
    }
    f.permissions = f.permissions.filter((p) => p !== perm);
  }

  private nextPermissionId(): string {
    return `perm${String(++this.permissionSeq).padStart(8, "0")}`;
  }
}

/** The Drive JSON of a file (what `fields` then filters). */
export function fileResource(f: FakeFile): Record<string, unknown> {
  return {
    kind: f.kind,
    id: f.id,
    name: f.name,
    mimeType: f.mimeType,
    parents: f.parents,
    createdTime: f.createdTime,
    modifiedTime: f.modifiedTime,
    trashed: f.trashed,
    appProperties: f.appProperties,
  };
}

export function permissionResource(p: FakePermission): Record<string, unknown> {
  const { notified: _notified, ...rest } = p;
  return rest;
}
