// Vietnamese names for synthetic people. Built by combining common surnames, middle and given names, so every
// name is ordinary and none is anyone in particular; lists are in NFC like everything the project writes.
import type { Rng } from "./prng.ts";

export const SURNAMES = [
  "Nguyễn",
  "Trần",
  "Lê",
  "Phạm",
  "Hoàng",
  "Vũ",
  "Đặng",
  "Bùi",
  "Đỗ",
  "Hồ",
  "Ngô",
  "Dương",
  "Lý",
  "Đinh",
  "Triệu",
  "Nông",
  "Lương",
  "Ma",
  "Hà",
  "Lục",
  "Mai",
  "Tạ",
  "Đàm",
  "Trịnh",
] as const;

const MALE_MIDDLE = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Xuân", "Công", "Thanh", "Tiến", "Ngọc"] as const;
const FEMALE_MIDDLE = [
  "Thị",
  "Thu",
  "Ngọc",
  "Thanh",
  "Minh",
  "Hồng",
  "Kim",
  "Thùy",
  "Phương",
  "Mai",
] as const;

const MALE_GIVEN = [
  "An",
  "Bình",
  "Cường",
  "Dũng",
  "Đạt",
  "Giang",
  "Hải",
  "Hiếu",
  "Hoàng",
  "Hùng",
  "Huy",
  "Khánh",
  "Khoa",
  "Kiên",
  "Long",
  "Mạnh",
  "Nam",
  "Nghĩa",
  "Phong",
  "Phúc",
  "Quân",
  "Sơn",
  "Tài",
  "Thắng",
  "Thành",
  "Toàn",
  "Trung",
  "Tuấn",
  "Tùng",
  "Việt",
  "Vinh",
] as const;
const FEMALE_GIVEN = [
  "Anh",
  "Bích",
  "Chi",
  "Dung",
  "Duyên",
  "Giang",
  "Hà",
  "Hạnh",
  "Hằng",
  "Hiền",
  "Hoa",
  "Huyền",
  "Hương",
  "Lan",
  "Liên",
  "Linh",
  "Loan",
  "Mai",
  "Nga",
  "Ngân",
  "Nhung",
  "Oanh",
  "Phương",
  "Quỳnh",
  "Thảo",
  "Thủy",
  "Trang",
  "Tuyết",
  "Vân",
  "Yến",
] as const;

export type Gender = "male" | "female";

export function personName(rng: Rng, gender: Gender): string {
  const middle = gender === "male" ? MALE_MIDDLE : FEMALE_MIDDLE;
  const given = gender === "male" ? MALE_GIVEN : FEMALE_GIVEN;
  return `${rng.pick(SURNAMES)} ${rng.pick(middle)} ${rng.pick(given)}`;
}

/** `count` distinct names (staff of one unit must be told apart in the "Người hỗ trợ" column). */
export function distinctNames(rng: Rng, count: number): string[] {
  const out = new Set<string>();
  while (out.size < count) out.add(personName(rng, rng.chance(0.55) ? "female" : "male"));
  return [...out];
}
