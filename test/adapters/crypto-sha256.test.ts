// The pure-TypeScript SHA-256 / HMAC-SHA256 against the published vectors and against node:crypto on random keys
// and messages. Citizen-id hashes already stored must keep matching, so "equal to node:crypto" is the contract,
// byte for byte, for every input a string can hold (lone surrogates included). Seeds are fixed.
import { createHash, createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { makeIdHasher } from "../../functions/src/adapters/crypto/hmac.ts";
import { createHmacSha256, sha256, sha256Hex } from "../../functions/src/adapters/crypto/sha256.ts";
import { DondocError } from "../../functions/src/core/errors.ts";
import { prng, textOfBytes } from "../support/seeded-text.ts";

const SEED = 20_250_415;

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");
const fill = (byte: number, length: number): Uint8Array => new Uint8Array(length).fill(byte);
const ascii = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, "latin1"));

function nodeHmac(key: string | Uint8Array, message: string | Uint8Array): string {
  return createHmac("sha256", key).update(message).digest("hex");
}

/** The formula makeIdHasher used before it left node:crypto; stored hashes were made with it. */
function oldIdHash(secret: string, citizenId: string): string {
  return createHmac("sha256", secret).update(`citizen-id:${citizenId}`, "utf8").digest("hex");
}

/** Pieces of 1 to 4 UTF-8 bytes (a lone surrogate encodes as 3), and ASCII ones. */
const MIXED = ["a", "đ", "ệ", "😀", "\ud800", "7"];
const ASCII = ["a", "7", "-", "Z"];

const VIETNAMESE = [..."ạảãàáâậầấẩẫăắằặẳẵđĐêềếểễệôồốổỗộơờớởỡợưừứửữựỳýỵỷỹ", "e\u0301", "Ư\u0323"];
const EMOJI = ["👍🏽", "🇻🇳", "👨‍👩‍👧", "😀", "✔"];
/** Code units of every kind: ASCII (controls too), Vietnamese, emoji pairs, lone surrogates, any BMP unit. */
const codeUnit = fc.oneof(
  fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)),
  fc.constantFrom(...VIETNAMESE),
  fc.constantFrom(...EMOJI),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
  fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
);
const anyText = (maxLength: number) => fc.string({ unit: codeUnit, maxLength });
const asciiText = (maxLength: number) => fc.string({ unit: "binary-ascii", maxLength });

describe("sha256 (FIPS 180-4 / NIST vectors)", () => {
  const vectors: [string, string][] = [
    ["", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
    ["abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
    [
      "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    ],
    [
      "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
      "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1",
    ],
  ];
  it.each(vectors)("hashes %j", (message, expected) => {
    expect(sha256Hex(message)).toBe(expected);
    expect(hex(sha256(ascii(message)))).toBe(expected);
  });

  it("hashes one million 'a'", () => {
    expect(sha256Hex("a".repeat(1_000_000))).toBe(
      "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
    );
  });

  it("equals node:crypto for every length from 0 to 300 bytes", () => {
    const random = prng(SEED);
    for (let length = 0; length <= 300; length++) {
      const bytes = new Uint8Array(length).map(() => Math.floor(random() * 256));
      expect(hex(sha256(bytes)), `length ${length}`).toBe(createHash("sha256").update(bytes).digest("hex"));
    }
  });

  it("hashes strings as Node's UTF-8 (lone surrogates become U+FFFD)", () => {
    fc.assert(
      fc.property(anyText(300), (text) => {
        expect(sha256Hex(text)).toBe(createHash("sha256").update(text, "utf8").digest("hex"));
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe("createHmacSha256 (RFC 4231 vectors)", () => {
  const key4 = Uint8Array.from({ length: 25 }, (_, i) => i + 1);
  const cases: [string, Uint8Array, Uint8Array, string][] = [
    [
      "1",
      fill(0x0b, 20),
      ascii("Hi There"),
      "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
    ],
    [
      "2",
      ascii("Jefe"),
      ascii("what do ya want for nothing?"),
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    ],
    ["3", fill(0xaa, 20), fill(0xdd, 50), "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"],
    ["4", key4, fill(0xcd, 50), "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"],
    // Test case 5 publishes only the first 128 bits.
    ["5", fill(0x0c, 20), ascii("Test With Truncation"), "a3b6167473100ee06e0c796c2955552b"],
    [
      "6",
      fill(0xaa, 131),
      ascii("Test Using Larger Than Block-Size Key - Hash Key First"),
      "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
    ],
    [
      "7",
      fill(0xaa, 131),
      ascii(
        "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.",
      ),
      "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
    ],
  ];
  it.each(cases)("test case %s", (_, key, data, expected) => {
    const hmac = createHmacSha256(key);
    expect(hex(hmac.digest(data)).slice(0, expected.length)).toBe(expected);
    // The string path: every RFC message is ASCII except the 0xdd and 0xcd fillers.
    if (data.every((byte) => byte < 0x80)) {
      const text = Buffer.from(data).toString("latin1");
      expect(hmac.hex(text).slice(0, expected.length)).toBe(expected);
      expect(hex(hmac.digest(text)).slice(0, expected.length)).toBe(expected);
    }
  });
});

describe("createHmacSha256 equals node:crypto", () => {
  it("for every key length 0..200 bytes, on messages around the block boundaries", () => {
    const random = prng(SEED + 1);
    const messageBytes = [0, 1, 9, 54, 55, 56, 57, 63, 64, 65, 118, 119, 120, 127, 128, 129, 191, 192, 300];
    for (let keyLength = 0; keyLength <= 200; keyLength++) {
      const key = new Uint8Array(keyLength).map(() => Math.floor(random() * 256));
      const hmac = createHmacSha256(key);
      for (const bytes of messageBytes) {
        for (const mixed of [false, true]) {
          const text = textOfBytes(bytes, mixed ? MIXED : ASCII, random);
          expect(hmac.hex(text), `key ${keyLength}, message ${JSON.stringify(text)}`).toBe(
            nodeHmac(key, text),
          );
        }
      }
    }
  });

  it("for every message length 0..300 bytes under keys of 0, 55, 56, 63, 64, 65, 131 and 200 bytes", () => {
    const random = prng(SEED + 2);
    for (const keyLength of [0, 55, 56, 63, 64, 65, 131, 200]) {
      const key = new Uint8Array(keyLength).map(() => Math.floor(random() * 256));
      const hmac = createHmacSha256(key);
      for (let bytes = 0; bytes <= 300; bytes++) {
        const text = textOfBytes(bytes, bytes % 2 === 1 ? MIXED : ASCII, random);
        expect(hmac.hex(text), `key ${keyLength}, message ${JSON.stringify(text)}`).toBe(nodeHmac(key, text));
        const data = new Uint8Array(bytes).map(() => Math.floor(random() * 256));
        expect(hex(hmac.digest(data)), `key ${keyLength}, ${bytes} bytes`).toBe(nodeHmac(key, data));
      }
    }
  });

  it("on random byte keys and random text (ASCII, Vietnamese, emoji, lone surrogates)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), anyText(300), (key, text) => {
        expect(createHmacSha256(key).hex(text)).toBe(nodeHmac(key, text));
      }),
      { seed: SEED + 3, numRuns: 500 },
    );
  });

  it("on random string keys, taken as UTF-8 like node:crypto takes them", () => {
    fc.assert(
      fc.property(anyText(120), asciiText(80), anyText(80), (key, short, text) => {
        const hmac = createHmacSha256(key);
        expect(hmac.hex(short)).toBe(nodeHmac(key, short));
        expect(hmac.hex(text)).toBe(nodeHmac(key, text));
        expect(hex(hmac.digest(text))).toBe(nodeHmac(key, text));
      }),
      { seed: SEED + 4, numRuns: 300 },
    );
  });

  it("with a prefix, as the HMAC of prefix + message", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 100 }),
        fc.oneof(asciiText(70), anyText(70)),
        fc.oneof(asciiText(70), anyText(70)),
        fc.uint8Array({ maxLength: 100 }),
        (key, prefix, text, data) => {
          const hmac = createHmacSha256(key, prefix);
          expect(hmac.hex(text)).toBe(nodeHmac(key, prefix + text));
          const prefixed = Buffer.concat([Buffer.from(prefix, "utf8"), data]);
          expect(hex(hmac.digest(data))).toBe(nodeHmac(key, prefixed));
        },
      ),
      { seed: SEED + 5, numRuns: 500 },
    );
  });

  it("gives the same answer when one instance is reused across paths and lengths", () => {
    const key = "khóa-bí-mật-".repeat(4);
    const hmac = createHmacSha256(key, "citizen-id:");
    const inputs = ["001234567890", "ệ".repeat(40), "", "x".repeat(500), "001234567890", "\udc00", "0"];
    for (const input of inputs) expect(hmac.hex(input)).toBe(nodeHmac(key, `citizen-id:${input}`));
  });
});

describe("makeIdHasher", () => {
  const secret = "dondoc-test-secret-0123456789abcdef";

  it("gives the same hashes as the node:crypto formula for 12-digit ids", () => {
    const hashId = makeIdHasher(secret);
    fc.assert(
      fc.property(fc.stringMatching(/^\d{12}$/), (id) => {
        expect(hashId(id)).toBe(oldIdHash(secret, id));
      }),
      { seed: SEED + 6, numRuns: 2_000 },
    );
  });

  it("gives the same hashes as the node:crypto formula for odd ids and secrets", () => {
    const odd = [
      "",
      "0",
      "079 203 000 123",
      "x".repeat(44), // "citizen-id:" + 44 bytes = 55, the longest one-block message
      "x".repeat(45),
      "x".repeat(53),
      "x".repeat(1_000),
      "ệ".repeat(15),
      "Nguyễn Thị Hằng",
      "🇻🇳012345678901",
      "\ud83d",
      "12345\udfff67890",
      "\u0000\u007f\u0080",
    ];
    const secrets = [secret, "é".repeat(32), "s".repeat(64), "s".repeat(65), "🔑".repeat(20)];
    for (const s of secrets) {
      const hashId = makeIdHasher(s);
      for (const id of odd)
        expect(hashId(id), `${JSON.stringify(s)} / ${JSON.stringify(id)}`).toBe(oldIdHash(s, id));
    }
    fc.assert(
      fc.property(anyText(100), (id) => {
        expect(makeIdHasher(secret)(id)).toBe(oldIdHash(secret, id));
      }),
      { seed: SEED + 7, numRuns: 300 },
    );
  });

  it("hashes a batch (many, manyText as parseSheet calls it) exactly as one id at a time and the node:crypto formula", () => {
    const odd = ["", "0", "079 203 000 123", "x".repeat(45), "Nguyễn Thị Hằng", "\ud83d"];
    for (const s of [secret, "é".repeat(32), "s".repeat(65)]) {
      const hashId = makeIdHasher(s);
      expect(hashId.many).toBeTypeOf("function");
      const random = prng(s.length);
      const ids = Array.from({ length: 1_001 }, () => String(Math.floor(random() * 1e12)).padStart(12, "0"));
      ids.splice(500, 0, ...odd);
      const out: string[] = new Array<string>(ids.length);
      hashId.many!(ids, out);
      ids.forEach((id, i) => {
        expect(out[i], `${JSON.stringify(s)} / ${JSON.stringify(id)}`).toBe(oldIdHash(s, id));
        expect(out[i]).toBe(hashId(id));
      });
      // The same hashes as one string, odd ids (hashed one at a time) in their places.
      expect(hashId.manyText!(ids)).toBe(out.join(""));
      expect(hashId.manyText!(ids.slice(0, 4 * 3 + 1))).toBe(out.slice(0, 13).join(""));
      // Twelve-digit ids given as their values: the same hashes.
      const twelve = ids.filter((id) => /^\d{12}$/.test(id));
      expect(hashId.manyValuesText!(Float64Array.from(twelve, Number))).toBe(
        twelve.map((id) => hashId(id)).join(""),
      );
    }
  });

  it("refuses a secret shorter than 32 characters", () => {
    expect(() => makeIdHasher("s".repeat(31))).toThrow(DondocError);
    try {
      makeIdHasher("short");
      expect.unreachable();
    } catch (error) {
      expect((error as DondocError).code).toBe("secret-too-short");
    }
    expect(makeIdHasher("s".repeat(32))("012345678901")).toBe(oldIdHash("s".repeat(32), "012345678901"));
  });
});
