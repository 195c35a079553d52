// Keyed hashing: citizen ids are stored only as HMACs, and each unit's push credential is
// derived from one master secret so no per-unit secret has to be stored server-side.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DondocError } from "../../core/errors.ts";
import type { IdHasher } from "../../core/ports.ts";
import { createHmacSha256 } from "./sha256.ts";
import { createHmacSha256Batch, type HmacSha256Batch } from "./sha256-simd.ts";

export function hmacHex(key: string, value: string): string {
  return createHmac("sha256", key).update(value, "utf8").digest("hex");
}

/**
 * The citizen-id hasher the core is given. The same id hashes the same across runs and units: the result is
 * `hmacHex(secret, "citizen-id:" + id)` to the byte, which stored hashes depend on. One id at a time runs on the
 * pure-TypeScript HMAC (node:crypto's per-call overhead was most of the cost of a province's million ids);
 * `many`, which parseSheet uses for a whole sheet, on WebAssembly SIMD four ids at a time (sha256-simd.ts).
 */
export function makeIdHasher(secret: string): IdHasher {
  if (secret.length < 32)
    throw new DondocError("secret-too-short", "Khóa bí mật băm số định danh phải dài ít nhất 32 ký tự.");
  const hmac = createHmacSha256(secret, CITIZEN_ID_PREFIX);
  let batch: HmacSha256Batch | undefined;
  const hasher: IdHasher = (citizenId) => hmac.hex(citizenId);
  hasher.many = (ids, out) => {
    batch ??= createHmacSha256Batch(secret, CITIZEN_ID_PREFIX);
    batch.hexMany(ids, out);
  };
  hasher.manyText = (ids) => {
    batch ??= createHmacSha256Batch(secret, CITIZEN_ID_PREFIX);
    return batch.hexText(ids);
  };
  hasher.manyValuesText = (values) => {
    batch ??= createHmacSha256Batch(secret, CITIZEN_ID_PREFIX);
    return batch.hexTextOfValues(values);
  };
  return hasher;
}

const CITIZEN_ID_PREFIX = "citizen-id:";

/** A unit's push credential (hex), derived from the master secret; provisioning stores it in the unit's sheet. */
export function deriveUnitKey(masterSecret: string, unitId: string): string {
  return hmacHex(masterSecret, `dondoc-unit:${unitId}`);
}

export function safeEqualHex(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The embedded default keeps its secret beside its data (mode 0600), created on first use. Losing it means
 * stored hashes can no longer be matched, so it is never regenerated when present.
 */
export async function loadOrCreateLocalSecret(dataDir: string): Promise<string> {
  const path = join(dataDir, "id-secret");
  try {
    const text = (await readFile(path, "utf8")).trim();
    if (text.length >= 32) return text;
    throw new DondocError(
      "secret-invalid",
      `Tệp khóa bí mật ${path} bị hỏng (quá ngắn). Hãy khôi phục từ bản sao lưu.`,
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  await mkdir(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("hex");
  await writeFile(path, `${secret}\n`, { mode: 0o600, flag: "wx" });
  await chmod(path, 0o600);
  return secret;
}
