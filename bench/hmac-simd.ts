// node bench/hmac-simd.ts — ns per citizen id for the HMAC of "citizen-id:" + a 12-digit id, a million ids,
// four ways: node:crypto createHmac, the pure-TypeScript makeIdHasher, and the WebAssembly SIMD batch
// (createHmacSha256Batch) fed 256 ids a call or the whole million in one call. Nothing is asserted.
//
// Columns: "kept" stores every hash into a million-long array, as a province run keeps them (the garbage
// collector then moves a million 64-character strings out of the young generation); "used once" lets each
// hash die young (the per-id hashers' results are only measured, the batch of 256 writes into a reused
// array); "Map set+get" puts the kept hashes in a Map and finds each again — strings that were ropes, or
// slices pinning a bigger string, would cost more there. Each variant runs in its own process (so one's
// garbage is not another's cost), every figure the best of REPS runs; the machine is noisy, so compare
// figures from one run.
import { execFileSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { fileURLToPath } from "node:url";
import { makeIdHasher } from "../functions/src/adapters/crypto/hmac.ts";
import {
  createHmacSha256Batch,
  hmacSha256SimdAvailable,
} from "../functions/src/adapters/crypto/sha256-simd.ts";
import { createRng } from "./province.ts";

const SECRET = "bench-secret-0123456789abcdef0123456789abcdef";
const N = 1_000_000;
const BATCH = 256;
const REPS = Number(process.env.REPS ?? 3);

interface Variant {
  name: string;
  /** Hashes all ids into a fresh array, filled in order. */
  kept: (ids: string[]) => string[];
  /** Hashes all ids, keeping none; returns the total length as a check. */
  usedOnce: ((ids: string[]) => number) | null;
}

function perId(name: string, hash: (id: string) => string): Variant {
  return {
    name,
    kept: (ids) => {
      const out: string[] = [];
      for (let i = 0; i < ids.length; i++) out.push(hash(ids[i]!));
      return out;
    },
    usedOnce: (ids) => {
      let length = 0;
      for (let i = 0; i < ids.length; i++) length += hash(ids[i]!).length;
      return length;
    },
  };
}

const nodeHash = (id: string): string =>
  createHmac("sha256", SECRET).update(`citizen-id:${id}`, "utf8").digest("hex");

function variants(): Variant[] {
  const batch = createHmacSha256Batch(SECRET, "citizen-id:");
  return [
    perId("node:crypto createHmac", nodeHash),
    perId("makeIdHasher (pure TypeScript)", makeIdHasher(SECRET)),
    {
      name: `SIMD batch, ${BATCH} ids a call`,
      kept: (ids) => {
        const out: string[] = [];
        for (let from = 0; from < ids.length; from += BATCH)
          batch.hexMany(ids, out, from, Math.min(ids.length, from + BATCH));
        return out;
      },
      usedOnce: (ids) => {
        const out = new Array<string>(BATCH).fill("");
        const group = new Array<string>(BATCH).fill("");
        let length = 0;
        for (let from = 0; from < ids.length; from += BATCH) {
          const count = Math.min(BATCH, ids.length - from);
          for (let i = 0; i < count; i++) group[i] = ids[from + i]!;
          batch.hexMany(group, out, 0, count);
          for (let i = 0; i < count; i++) length += out[i]!.length;
        }
        return length;
      },
    },
    {
      name: "SIMD batch, the million in one call",
      kept: (ids) => {
        const out: string[] = [];
        batch.hexMany(ids, out);
        return out;
      },
      usedOnce: null,
    },
  ];
}

/** One variant, in this process: prints its row as JSON. */
function measure(index: number): void {
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
  const random = createRng(2025);
  const ids = Array.from({ length: N }, () => String(Math.floor(random() * 1e12)).padStart(12, "0"));
  const v = variants()[index]!;
  const time = (run: () => unknown): number => {
    gc();
    const start = performance.now();
    run();
    return ((performance.now() - start) * 1e6) / N;
  };
  // Warm up (the module tiers up) on a tenth of the ids, and check against node:crypto.
  const warm = v.kept(ids.slice(0, N / 10));
  for (let i = 0; i < 2_000; i++) if (warm[i] !== nodeHash(ids[i]!)) throw new Error(`${v.name}: wrong hash`);
  const row = { name: v.name, kept: Infinity, usedOnce: Infinity, map: Infinity };
  for (let rep = 0; rep < REPS; rep++) {
    let hashes: string[] = [];
    row.kept = Math.min(
      row.kept,
      time(() => (hashes = v.kept(ids))),
    );
    row.map = Math.min(
      row.map,
      time(() => {
        const map = new Map<string, number>();
        for (let i = 0; i < hashes.length; i++) map.set(hashes[i]!, i);
        let found = 0;
        for (let i = 0; i < hashes.length; i++) if (map.get(hashes[i]!) !== undefined) found++;
        if (found !== N) throw new Error("map round trip");
      }),
    );
    hashes = [];
    const usedOnce = v.usedOnce;
    if (usedOnce)
      row.usedOnce = Math.min(
        row.usedOnce,
        time(() => {
          if (usedOnce(ids) !== N * 64) throw new Error("hash length");
        }),
      );
  }
  console.log(JSON.stringify(row, (_, value) => (value === Infinity ? null : value)));
}

const variantArg = process.argv.find((arg) => arg.startsWith("--variant="));
if (variantArg) measure(Number(variantArg.slice("--variant=".length)));
else {
  console.log(
    `HMAC-SHA256("citizen-id:" + 12-digit id), ${N.toLocaleString("en")} ids, ns per id, best of ${REPS}` +
      ` (node ${process.version}, WebAssembly SIMD ${hmacSha256SimdAvailable() ? "on" : "UNAVAILABLE"})`,
  );
  console.log(
    `${"".padEnd(38)}${"kept".padStart(8)}${"used once".padStart(12)}${"Map set+get".padStart(14)}`,
  );
  const self = fileURLToPath(import.meta.url);
  for (let index = 0; index < variants().length; index++) {
    const output = execFileSync(process.execPath, ["--expose-gc", self, `--variant=${index}`], {
      encoding: "utf8",
    });
    const row = JSON.parse(output.trim().split("\n").pop()!) as Record<string, number | string | null>;
    const cell = (ns: unknown, width: number) =>
      (typeof ns === "number" ? ns.toFixed(0) : "-").padStart(width);
    console.log(
      `${String(row.name).padEnd(38)}${cell(row.kept, 8)}${cell(row.usedOnce, 12)}${cell(row.map, 14)}`,
    );
  }
}
