// The embedded emulator's state on disk: every document of one project as plain JSON, so consecutive runs
// accumulate like production and the file can be read, diffed and backed up by people.
//
// File format (version 1), one document per line, sorted by path, field names sorted:
//   {"version":1,"documents":{
//   "campaigns/x/entries/y": {"key":"...","row":3,...},
//   ...
//   }}
// Values are JSON where JSON can say it; the rest is tagged with a one-member object whose key starts with "$":
//   {"$timestamp":{"seconds":s,"nanos":n}}  {"$bytes":"<base64>"}  {"$ref":"a/b"}
//   {"$geo":{"latitude":x,"longitude":y}}   {"$double":"NaN"|"Infinity"|"-Infinity"}
//   {"$map":{...}}  a map that itself has a key starting with "$" (so tags stay unambiguous)
// Integers and doubles are both JSON numbers; the client writes whole numbers back as integers, which
// Firestore compares equal to the same double.
import { randomBytes } from "node:crypto";
import { open, readFile, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { FirestoreState, FirestoreStateCollection } from "@firestore-emulator/server";
import { type DocumentData, type Firestore, GeoPoint, Timestamp } from "@google-cloud/firestore";
import { DondocError } from "../../core/errors.ts";
import { MAX_BATCH_WRITES } from "./store.ts";

export const PERSIST_VERSION = 1;
export const DEFAULT_DATABASE = "(default)";

export type PersistedValue = null | boolean | number | string | PersistedValue[] | PersistedMap;
export interface PersistedMap {
  [key: string]: PersistedValue;
}

export interface PersistedFile {
  version: typeof PERSIST_VERSION;
  /** Document path relative to the database root → its fields. */
  documents: Record<string, PersistedMap>;
}

/** A field of the emulator's state as its toJSON() gives it. */
interface StateField {
  type: string;
  value: unknown;
}

interface StateDocumentJson {
  collections: Record<string, StateCollectionJson>;
  fields: Record<string, StateField>;
}

interface StateCollectionJson {
  documents: Record<string, StateDocumentJson>;
}

/** Thrown inside decoding; turned into one coded error naming the file by the caller. */
class FormatError extends Error {}

function fail(where: string, what: string): never {
  throw new FormatError(`${where}: ${what}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Emulator state → file

/**
 * Every existing document of the project's default database. The emulator's toJSON() also lists documents that
 * do not exist but have subcollections (a `campaigns/{id}` parent nobody wrote) with empty fields, so existence
 * is taken from the live objects, walked in step with the JSON.
 */
export function snapshotState(state: FirestoreState, projectId: string): PersistedFile {
  const database = state.getProject(projectId).getDatabase(DEFAULT_DATABASE);
  const documents: Record<string, PersistedMap> = {};
  const walk = (json: StateCollectionJson, live: FirestoreStateCollection, prefix: string) => {
    const liveDocs = new Map(live.getAllDocuments().map((d) => [d.name, d]));
    for (const [id, doc] of Object.entries(json.documents)) {
      const liveDoc = liveDocs.get(id);
      if (!liveDoc) continue;
      const path = `${prefix}${id}`;
      if (liveDoc.metadata.hasExist) documents[path] = encodeMap(doc.fields, path);
      for (const [name, sub] of Object.entries(doc.collections)) {
        walk(sub, liveDoc.getCollection(name), `${path}/${name}/`);
      }
    }
  };
  const json = database.toJSON() as unknown as { collections: Record<string, StateCollectionJson> };
  for (const [name, collection] of Object.entries(json.collections)) {
    walk(collection, database.getCollection(name), `${name}/`);
  }
  return { version: PERSIST_VERSION, documents };
}

function encodeMap(fields: Record<string, StateField>, where: string): PersistedMap {
  const out: PersistedMap = {};
  for (const key of Object.keys(fields).sort()) out[key] = encodeField(fields[key]!, `${where}.${key}`);
  return out;
}

function encodeField(field: StateField, where: string): PersistedValue {
  const { type, value } = field;
  switch (type) {
    case "null_value":
      return null;
    case "string_value":
    case "boolean_value":
      return value as string | boolean;
    case "integer_value":
      // protobuf JSON spells int64 as a string; this emulator keeps numbers, but accept both.
      return typeof value === "string" ? Number(value) : (value as number);
    case "double_value": {
      const n = value as number;
      return Number.isFinite(n) ? n : { $double: String(n) };
    }
    case "timestamp_value": {
      const t = value as { seconds: number | string; nanos: number };
      return { $timestamp: { seconds: Number(t.seconds), nanos: t.nanos ?? 0 } };
    }
    case "bytes_value":
      return { $bytes: Buffer.from(value as Uint8Array).toString("base64") };
    case "reference_value": {
      const name = value as string;
      const at = name.indexOf("/documents/");
      return { $ref: at >= 0 ? name.slice(at + "/documents/".length) : name };
    }
    case "geo_point_value": {
      const g = value as { latitude: number; longitude: number };
      return { $geo: { latitude: g.latitude, longitude: g.longitude } };
    }
    case "array_value":
      return (value as StateField[]).map((v, i) => encodeField(v, `${where}[${i}]`));
    case "map_value": {
      const map = encodeMap(value as Record<string, StateField>, where);
      return Object.keys(map).some((k) => k.startsWith("$")) ? { $map: map } : map;
    }
    default:
      throw new DondocError(
        "store-persist-unsupported",
        `Không lưu được giá trị kiểu ${type} tại ${where}.`,
        {
          type,
          where,
        },
      );
  }
}

/** The file's text: stable for equal content, one document per line so a diff shows what changed. */
export function formatPersisted(file: PersistedFile): string {
  const paths = Object.keys(file.documents).sort();
  const lines = paths.map((p) => `${JSON.stringify(p)}:${JSON.stringify(file.documents[p])}`);
  return `{"version":${file.version},"documents":{\n${lines.join(",\n")}${lines.length > 0 ? "\n" : ""}}}\n`;
}

// ---------------------------------------------------------------------------------------------------------------
// File → client writes

const TAGS = new Set(["$timestamp", "$bytes", "$ref", "$geo", "$double", "$map"]);

/** Parses and fully validates the file's text; any defect is a coded error naming the file. */
export function parsePersisted(text: string, file: string): PersistedFile {
  try {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      fail("JSON", (err as Error).message);
    }
    if (!isObject(parsed)) fail("tệp", "không phải một đối tượng JSON");
    if (parsed.version !== PERSIST_VERSION) fail("version", `phiên bản ${JSON.stringify(parsed.version)}`);
    if (!isObject(parsed.documents)) fail("documents", "thiếu hoặc không phải đối tượng");
    for (const [path, fields] of Object.entries(parsed.documents)) {
      checkDocumentPath(path);
      if (!isObject(fields)) fail(path, "tài liệu không phải đối tượng");
      for (const [key, value] of Object.entries(fields)) checkValue(value, `${path}.${key}`);
    }
    return parsed as unknown as PersistedFile;
  } catch (err) {
    if (!(err instanceof FormatError)) throw err;
    throw new DondocError(
      "store-data-corrupt",
      `Tệp dữ liệu ${file} bị hỏng hoặc không đúng định dạng (${err.message}). Hãy khôi phục tệp từ bản sao lưu, hoặc chuyển nó đi nơi khác để bắt đầu với dữ liệu trống.`,
      { file, reason: err.message },
    );
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function checkDocumentPath(path: string): void {
  const segments = path.split("/");
  if (segments.length % 2 !== 0 || segments.some((s) => s.length === 0)) fail(path, "đường dẫn tài liệu sai");
}

function tagOf(v: Record<string, unknown>): string | null {
  const keys = Object.keys(v);
  return keys.length === 1 && TAGS.has(keys[0]!) ? keys[0]! : null;
}

function checkValue(v: unknown, where: string): void {
  if (v === null || typeof v === "string" || typeof v === "boolean") return;
  if (typeof v === "number") return;
  if (Array.isArray(v)) {
    for (const [i, item] of v.entries()) checkValue(item, `${where}[${i}]`);
    return;
  }
  if (!isObject(v)) fail(where, "giá trị không hợp lệ");
  const tag = tagOf(v);
  if (tag === null) {
    for (const [k, item] of Object.entries(v)) {
      if (k.startsWith("$")) fail(where, `khóa ${k} chưa được bọc trong $map`);
      checkValue(item, `${where}.${k}`);
    }
    return;
  }
  const body = v[tag];
  switch (tag) {
    case "$timestamp":
      if (!isObject(body) || !Number.isInteger(body.seconds) || !Number.isInteger(body.nanos)) {
        fail(where, "$timestamp sai");
      }
      return;
    case "$bytes":
      if (typeof body !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(body)) fail(where, "$bytes sai");
      return;
    case "$ref":
      if (typeof body !== "string") fail(where, "$ref sai");
      checkDocumentPath(body);
      return;
    case "$geo":
      if (!isObject(body) || typeof body.latitude !== "number" || typeof body.longitude !== "number") {
        fail(where, "$geo sai");
      }
      return;
    case "$double":
      if (body !== "NaN" && body !== "Infinity" && body !== "-Infinity") fail(where, "$double sai");
      return;
    default:
      if (!isObject(body)) fail(where, "$map sai");
      for (const [k, item] of Object.entries(body)) checkValue(item, `${where}.${k}`);
  }
}

/** Client-side data for a persisted document (Timestamps, GeoPoints, Buffers and references restored). */
export function toClientData(fields: PersistedMap, db: Firestore): DocumentData {
  const out: DocumentData = {};
  for (const [k, v] of Object.entries(fields)) out[k] = decodeValue(v, db);
  return out;
}

function decodeValue(v: PersistedValue, db: Firestore): unknown {
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map((item) => decodeValue(item, db));
  const tag = tagOf(v);
  const body = tag === null ? null : (v[tag] as PersistedMap | string);
  switch (tag) {
    case null:
      return toClientData(v, db);
    case "$timestamp": {
      const t = body as { seconds: number; nanos: number };
      return new Timestamp(t.seconds, t.nanos);
    }
    case "$bytes":
      return Buffer.from(body as string, "base64");
    case "$ref":
      return db.doc(body as string);
    case "$geo": {
      const g = body as { latitude: number; longitude: number };
      return new GeoPoint(g.latitude, g.longitude);
    }
    case "$double":
      return Number(body);
    default:
      return toClientData(body as PersistedMap, db);
  }
}

/** Writes every document through the client, in commits of at most 500. */
export async function replayDocuments(db: Firestore, file: PersistedFile): Promise<number> {
  const paths = Object.keys(file.documents).sort();
  for (let i = 0; i < paths.length; i += MAX_BATCH_WRITES) {
    const batch = db.batch();
    for (const path of paths.slice(i, i + MAX_BATCH_WRITES)) {
      batch.set(db.doc(path), toClientData(file.documents[path]!, db));
    }
    await batch.commit();
  }
  return paths.length;
}

// ---------------------------------------------------------------------------------------------------------------
// Disk

/** The file's content, or null when there is none yet (a first run). */
export async function readPersisted(file: string): Promise<PersistedFile | null> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new DondocError(
      "store-data-unreadable",
      `Không đọc được tệp dữ liệu ${file}: ${(err as Error).message}`,
      {
        file,
      },
    );
  }
  return parsePersisted(text, file);
}

/**
 * Writes a temporary file next to the target, flushes it to disk and renames it over the target: a crash or a
 * full disk leaves either the old file or the new one, never half of one.
 */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    const handle = await open(tmp, "w");
    try {
      await handle.writeFile(text, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
