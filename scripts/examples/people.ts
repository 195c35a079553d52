// Synthetic citizen ids and phones that pass validation yet belong to no one: the random part is drawn from a
// seeded generator, and the examples' READMEs say so. They follow the structure of Circular 07/2016/TT-BCA
// (PPP province of birth registration, G gender/century, YY birth year, 6 random digits) and the 2018 mobile
// prefixes, because examples that fail validation everywhere would demonstrate nothing.
import type { Gender } from "./names.ts";
import type { Rng } from "./prng.ts";

/** The province codes the examples use (Circular 07/2016 list). */
export const PROVINCE = {
  haNoi: "001",
  bacKan: "006",
  thaiNguyen: "019",
  bacNinh: "027",
  thanhHoa: "038",
} as const;

/** Mobile prefixes in service after the 2018 renumbering. */
export const MOBILE_PREFIXES = [
  "032",
  "033",
  "034",
  "035",
  "036",
  "037",
  "038",
  "039",
  "052",
  "055",
  "056",
  "058",
  "059",
  "070",
  "076",
  "077",
  "078",
  "079",
  "081",
  "082",
  "083",
  "084",
  "085",
  "086",
  "087",
  "088",
  "089",
  "090",
  "091",
  "092",
  "093",
  "094",
  "095",
  "096",
  "097",
  "098",
  "099",
] as const;

/** 0/1 for the 1900s, 2/3 for the 2000s; even is male. */
function genderCenturyDigit(gender: Gender, birthYear: number): number {
  const century = birthYear >= 2000 ? 2 : 0;
  return century + (gender === "male" ? 0 : 1);
}

export function citizenId(rng: Rng, province: string, birthYear: number, gender: Gender): string {
  const g = genderCenturyDigit(gender, birthYear);
  const yy = String(birthYear % 100).padStart(2, "0");
  const random = String(rng.int(0, 999_999)).padStart(6, "0");
  return `${province}${g}${yy}${random}`;
}

/** Draws ids until one not in `used` comes up, and records it, so no two synthetic citizens collide by chance. */
export function uniqueCitizenId(
  rng: Rng,
  used: Set<string>,
  province: string,
  birthYear: number,
  gender: Gender,
): string {
  for (;;) {
    const id = citizenId(rng, province, birthYear, gender);
    if (!used.has(id)) {
      used.add(id);
      return id;
    }
  }
}

export function mobilePhone(rng: Rng): string {
  return `${rng.pick(MOBILE_PREFIXES)}${String(rng.int(0, 9_999_999)).padStart(7, "0")}`;
}
