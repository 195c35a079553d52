// The four-lane WebAssembly SIMD HMAC-SHA256 against node:crypto. The contract is the same as the
// pure-TypeScript one's: out[i] is createHmac("sha256", key).update(prefix + messages[i]).digest("hex"), byte
// for byte, whatever the batch size, sub-range, lane or chunk a message lands in, and whichever path (SIMD or
// the pure-TypeScript fallback for long or non-ASCII messages) answers it. Messages within a batch are always
// distinct, so a result written to the wrong lane or slot cannot go unnoticed. Seeds are fixed.
import { createHmac } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { makeIdHasher } from "../../functions/src/adapters/crypto/hmac.ts";
import {
  createHmacSha256Batch,
  hmacSha256SimdAvailable,
} from "../../functions/src/adapters/crypto/sha256-simd.ts";
import { prng, textOfBytes } from "../support/seeded-text.ts";

const SEED = 20_250_416;
const CITIZEN = "citizen-id:";
/** Pieces of 1 to 4 UTF-8 bytes, and ASCII ones including controls. */
const MIXED = ["a", "đ", "ệ", "😀", "7", "ư"];
const ASCII = ["a", "7", "-", "Z", " ", "~", "\u0000", "\u007f"];

function nodeHmac(key: string | Uint8Array, message: string): string {
  return createHmac("sha256", key).update(message, "utf8").digest("hex");
}

function twelveDigits(random: () => number): string {
  return String(Math.floor(random() * 1e12)).padStart(12, "0");
}

/** hexMany over the whole batch, each result checked against node:crypto. */
function expectBatch(key: string | Uint8Array, prefix: string, messages: string[]): void {
  const out: string[] = [];
  createHmacSha256Batch(key, prefix).hexMany(messages, out);
  expect(out.length).toBe(messages.length);
  for (let i = 0; i < messages.length; i++)
    expect(out[i], `message ${i} ${JSON.stringify(messages[i])}`).toBe(nodeHmac(key, prefix + messages[i]));
}

const VIETNAMESE = [
  "Nguyễn Thị Hằng",
  "Trần Văn Đức",
  "ệ",
  "Phường Bến Nghé, Quận 1",
  "e\u0301",
  "Ư\u0323",
  "đ0123456789",
  "01234567890ạ",
];

describe("createHmacSha256Batch", () => {
  it("runs on WebAssembly SIMD here (else these tests would only check the fallback)", () => {
    expect(hmacSha256SimdAvailable()).toBe(true);
  });

  describe("RFC 4231 vectors", () => {
    // Cases 3 and 4 hash 0xdd / 0xcd bytes, which no string encodes to in UTF-8 (the messages are strings).
    const cases: [string, string | Uint8Array, string, string][] = [
      [
        "1",
        "\u000b".repeat(20),
        "Hi There",
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
      ],
      [
        "2",
        "Jefe",
        "what do ya want for nothing?",
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
      ],
      ["5", "\u000c".repeat(20), "Test With Truncation", "a3b6167473100ee06e0c796c2955552b"],
      [
        "6",
        new Uint8Array(131).fill(0xaa),
        "Test Using Larger Than Block-Size Key - Hash Key First",
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
      ],
      [
        "7",
        new Uint8Array(131).fill(0xaa),
        "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.",
        "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
      ],
    ];
    it.each(cases)("test case %s", (_, key, data, expected) => {
      const batch = createHmacSha256Batch(key, "");
      expect(batch.hex(data).slice(0, expected.length)).toBe(expected);
      // In lane 2 of a batch, between other messages, and split as prefix + message.
      const out: string[] = [];
      batch.hexMany(["a", "b", data, "c", "d"], out);
      expect(out[2]!.slice(0, expected.length)).toBe(expected);
      const out2: string[] = [];
      createHmacSha256Batch(key, data.slice(0, 5)).hexMany(["x", data.slice(5)], out2);
      expect(out2[1]!.slice(0, expected.length)).toBe(expected);
    });
  });

  it("equals node:crypto: keys of 0..130 bytes, prefix '' or 'citizen-id:', messages of 0..80 bytes", () => {
    const random = prng(SEED);
    for (let keyLength = 0; keyLength <= 130; keyLength++) {
      // Keys of exactly keyLength bytes: ASCII on even lengths, UTF-8 with multi-byte characters on odd ones.
      const key = textOfBytes(keyLength, keyLength % 2 === 1 ? MIXED : ASCII, random);
      expect(Buffer.byteLength(key)).toBe(keyLength);
      for (const prefix of ["", CITIZEN]) {
        const messages = Array.from({ length: 81 }, (_, bytes) => textOfBytes(bytes, ASCII, random));
        expectBatch(key, prefix, messages);
      }
    }
  });

  it("takes byte keys as node:crypto does, 0..130 bytes of any value", () => {
    const random = prng(SEED + 1);
    for (let keyLength = 0; keyLength <= 130; keyLength += 3) {
      const key = Uint8Array.from({ length: keyLength }, () => Math.floor(random() * 256));
      expectBatch(
        key,
        CITIZEN,
        Array.from({ length: 9 }, () => twelveDigits(random)),
      );
    }
  });

  it("answers messages around the one-block limit (prefix + message of 55 bytes) on either side", () => {
    const random = prng(SEED + 2);
    for (const prefix of ["", CITIZEN, "p".repeat(54), "p".repeat(55), "p".repeat(56), "q".repeat(70)]) {
      const messages: string[] = [];
      for (let bytes = 0; bytes <= 80; bytes++) messages.push(textOfBytes(bytes, ASCII, random));
      // Shuffled, so lanes hold long (fallback) and short (SIMD) messages side by side.
      for (let i = messages.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [messages[i], messages[j]] = [messages[j]!, messages[i]!];
      }
      expectBatch("khóa bí mật của tỉnh", prefix, messages);
    }
  });

  it("answers non-ASCII messages (Vietnamese, emoji, lone surrogates) mixed with ASCII ones", () => {
    const random = prng(SEED + 3);
    const messages: string[] = [];
    for (let i = 0; i < 300; i++) {
      if (i % 3 === 0) messages.push(VIETNAMESE[i % VIETNAMESE.length]! + i);
      else if (i % 7 === 1) messages.push(textOfBytes(1 + (i % 40), MIXED, random));
      else if (i % 11 === 2) messages.push(`0123\ud800${i}`);
      else messages.push(twelveDigits(random));
    }
    expectBatch("dondoc-test-secret-0123456789abcdef", CITIZEN, messages);
    expectBatch("🔑".repeat(20), "mã số:", messages);
  });

  it("writes exactly out[from..to) for every batch size and sub-range", () => {
    const random = prng(SEED + 4);
    const key = "dondoc-test-secret-0123456789abcdef";
    const batch = createHmacSha256Batch(key, CITIZEN);
    for (const size of [0, 1, 2, 3, 4, 5, 7, 8, 9, 1000, 1100]) {
      const messages = Array.from({ length: size }, () => twelveDigits(random));
      const expected = messages.map((m) => nodeHmac(key, CITIZEN + m));
      const ranges: [number, number][] = [
        [0, size],
        [0, 0],
        [size, size],
        [Math.min(1, size), size],
        [0, Math.max(0, size - 1)],
        [Math.floor(size / 3), Math.floor((2 * size) / 3)],
        [Math.min(3, size), Math.min(8, size)],
        [Math.min(5, size), Math.min(6, size)],
      ];
      for (const [from, to] of ranges) {
        const out = new Array<string>(size).fill("untouched");
        batch.hexMany(messages, out, from, to);
        for (let i = 0; i < size; i++)
          expect(out[i], `size ${size} [${from}, ${to}) index ${i}`).toBe(
            i >= from && i < to ? expected[i] : "untouched",
          );
      }
      const all: string[] = [];
      batch.hexMany(messages, all);
      expect(all).toEqual(expected);
    }
  });

  it("keeps each lane's result in its place: distinct messages, reversed order, every lane position", () => {
    const key = "lane-check-secret-0123456789abcdef";
    const batch = createHmacSha256Batch(key, CITIZEN);
    // Messages that differ only in one character, and in length, so any swap of lanes or words shows.
    const messages = [
      "000000000000",
      "000000000001",
      "100000000000",
      "00000000000",
      "0000000000000",
      "0",
      "",
    ];
    const forward: string[] = [];
    batch.hexMany(messages, forward);
    expect(new Set(forward).size).toBe(messages.length);
    const reversed: string[] = [];
    batch.hexMany([...messages].reverse(), reversed);
    expect([...reversed].reverse()).toEqual(forward);
    for (let shift = 0; shift < 4; shift++) {
      const padded = [...Array.from({ length: shift }, (_, i) => `pad${i}`), ...messages];
      const out: string[] = [];
      batch.hexMany(padded, out);
      expect(out.slice(shift)).toEqual(forward);
    }
    messages.forEach((m, i) => {
      expect(forward[i]).toBe(nodeHmac(key, CITIZEN + m));
    });
  });

  it("gives 10,000 random 12-digit ids the same hashes as node:crypto and makeIdHasher", () => {
    const random = prng(SEED + 5);
    const secret = "dondoc-test-secret-0123456789abcdef";
    const ids = Array.from({ length: 10_000 }, () => twelveDigits(random));
    const out: string[] = [];
    createHmacSha256Batch(secret, CITIZEN).hexMany(ids, out);
    const hashId = makeIdHasher(secret);
    for (let i = 0; i < ids.length; i++) {
      const expected = createHmac("sha256", secret).update(`citizen-id:${ids[i]}`, "utf8").digest("hex");
      expect(out[i], ids[i]).toBe(expected);
      expect(hashId(ids[i]!)).toBe(expected);
    }
  });

  it("hexTextOfValues hashes the twelve digits of each value as hexText hashes the digits as text", () => {
    const random = prng(SEED + 9);
    const key = "dondoc-test-secret-0123456789abcdef";
    // Leading zeros, the ends of the range, each group of four digits at its ends, and random ones.
    const values = [
      0, 1, 9_999, 10_000, 99_999_999, 100_000_000, 999_999_999_999, 1_234_567_890, 79_201_234_567,
    ];
    for (let i = 0; i < 1_500; i++) values.push(Math.floor(random() * 1e12));
    const texts = values.map((v) => String(v).padStart(12, "0"));
    // The prefix ends at each offset within a word (the digits are shifted across words differently), and
    // prefixes that leave no room for twelve digits in one block (answered one at a time).
    for (const prefix of [
      "",
      "a",
      "ab",
      "abc",
      "abcd",
      CITIZEN,
      "x".repeat(43),
      "x".repeat(44),
      "x".repeat(60),
    ]) {
      const batch = createHmacSha256Batch(key, prefix);
      const text = batch.hexTextOfValues(Float64Array.from(values));
      expect(text, `prefix of ${prefix.length}`).toBe(batch.hexText(texts));
      expect(text.slice(0, 64)).toBe(nodeHmac(key, `${prefix}000000000000`));
      expect(text.slice(64 * 6, 64 * 7)).toBe(nodeHmac(key, `${prefix}999999999999`));
    }
    // After other messages left words in the slots.
    const batch = createHmacSha256Batch(key, CITIZEN);
    batch.hexText(["x".repeat(40), "Nguyễn", "0"]);
    expect(batch.hexTextOfValues(Float64Array.of(42, 7))).toBe(
      nodeHmac(key, `${CITIZEN}000000000042`) + nodeHmac(key, `${CITIZEN}000000000007`),
    );
  });

  it("hexTextOfValues refuses a value that is not twelve digits' worth", () => {
    const batch = createHmacSha256Batch("k", CITIZEN);
    for (const bad of [1e12, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])
      expect(() => batch.hexTextOfValues(Float64Array.of(1, bad)), String(bad)).toThrow(RangeError);
  });

  it("stays right when instances with other keys, prefixes and message lengths take turns", () => {
    const random = prng(SEED + 6);
    const a = { key: "secret-a-0123456789abcdef0123456789", prefix: CITIZEN };
    const b = { key: "s".repeat(65), prefix: "" };
    const c = { key: "khóa-c", prefix: "mã-số-công-dân:" };
    const batches = [a, b, c].map((p) => ({ ...p, batch: createHmacSha256Batch(p.key, p.prefix) }));
    for (let turn = 0; turn < 30; turn++) {
      const { key, prefix, batch } = batches[turn % 3]!;
      // Long messages then short ones in the same slots: what a long one leaves behind must not leak.
      const bytes = turn % 2 === 0 ? 40 : turn % 5;
      const messages = Array.from(
        { length: 1 + (turn % 13) * 50 },
        (_, i) => `${i}:${textOfBytes(bytes, ASCII, random)}`,
      );
      if (turn % 4 === 3) messages[1] = "Lê Thị Ánh"; // a non-ASCII one, abandoned half-packed
      const out: string[] = [];
      batch.hexMany(messages, out);
      messages.forEach((m, i) => {
        expect(out[i], `turn ${turn} message ${i}`).toBe(nodeHmac(key, prefix + m));
      });
    }
  });

  it("leaves nothing of a message abandoned half-packed (non-ASCII at its end) to the next one", () => {
    const key = "dondoc-test-secret-0123456789abcdef";
    const batch = createHmacSha256Batch(key, CITIZEN);
    const short = ["001234567890", "001234567891", "001234567892", "001234567893", "001234567894"];
    batch.hexMany(short, []); // the slots now hold short messages
    const messages = [
      `${"a".repeat(40)}ệ`,
      short[0]!,
      `${"b".repeat(43)}đ`,
      short[1]!,
      short[2]!,
      `${"9".repeat(30)}ư`,
    ];
    const out: string[] = [];
    batch.hexMany(messages, out);
    messages.forEach((m, i) => {
      expect(out[i], `message ${i}`).toBe(nodeHmac(key, CITIZEN + m));
    });
  });

  it("hex(message) equals node:crypto for short, long and non-ASCII messages", () => {
    const key = "dondoc-test-secret-0123456789abcdef";
    const batch = createHmacSha256Batch(key, CITIZEN);
    for (const message of [
      "",
      "001234567890",
      "x".repeat(44),
      "x".repeat(45),
      "x".repeat(500),
      ...VIETNAMESE,
    ])
      expect(batch.hex(message)).toBe(nodeHmac(key, CITIZEN + message));
  });

  it("returns lowercase hex strings of 64 characters", () => {
    const out: string[] = [];
    createHmacSha256Batch("k", "").hexMany(["a", "b", "c", "d", "e"], out);
    for (const hex of out) expect(hex).toMatch(/^[0-9a-f]{64}$/);
  });

  it("may write the hashes over the messages themselves", () => {
    const random = prng(SEED + 8);
    const key = "dondoc-test-secret-0123456789abcdef";
    const messages = Array.from({ length: 1300 }, (_, i) => (i % 97 === 0 ? "Đặng" : twelveDigits(random)));
    const expected = messages.map((m) => nodeHmac(key, CITIZEN + m));
    createHmacSha256Batch(key, CITIZEN).hexMany(messages, messages);
    expect(messages).toEqual(expected);
  });

  it("refuses a range outside the messages", () => {
    const batch = createHmacSha256Batch("k", "");
    expect(() => batch.hexMany(["a"], [], 0, 2)).toThrow(RangeError);
    expect(() => batch.hexMany(["a"], [], -1, 1)).toThrow(RangeError);
    expect(() => batch.hexMany(["a"], [], 0.5, 1)).toThrow(RangeError);
  });

  it("falls back to the pure-TypeScript HMAC when WebAssembly SIMD does not validate", async () => {
    vi.resetModules();
    const wasm = (globalThis as unknown as { WebAssembly: { validate: (bytes: Uint8Array) => boolean } })
      .WebAssembly;
    const validate = vi.spyOn(wasm, "validate").mockReturnValue(false);
    try {
      const fresh = await import("../../functions/src/adapters/crypto/sha256-simd.ts");
      expect(fresh.hmacSha256SimdAvailable()).toBe(false);
      expect(validate).toHaveBeenCalled();
      const random = prng(SEED + 7);
      const key = "dondoc-test-secret-0123456789abcdef";
      const messages = [
        ...Array.from({ length: 50 }, () => twelveDigits(random)),
        ...VIETNAMESE,
        "x".repeat(90),
      ];
      const out = new Array<string>(messages.length).fill("untouched");
      fresh.createHmacSha256Batch(key, CITIZEN).hexMany(messages, out, 1);
      expect(out[0]).toBe("untouched");
      for (let i = 1; i < messages.length; i++) expect(out[i]).toBe(nodeHmac(key, CITIZEN + messages[i]));
      expect(fresh.createHmacSha256Batch(key, CITIZEN).hex("001234567890")).toBe(
        nodeHmac(key, `${CITIZEN}001234567890`),
      );
      expect(
        fresh.createHmacSha256Batch(key, CITIZEN).hexTextOfValues(Float64Array.of(1_234_567_890, 5)),
      ).toBe(nodeHmac(key, `${CITIZEN}001234567890`) + nodeHmac(key, `${CITIZEN}000000000005`));
      expect(() => fresh.createHmacSha256Batch(key, CITIZEN).hexTextOfValues(Float64Array.of(1e12))).toThrow(
        RangeError,
      );
    } finally {
      validate.mockRestore();
    }
  });
});
