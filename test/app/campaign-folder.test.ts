import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadCampaignFolder, parseCampaignJson } from "../../functions/src/app/campaign-folder.ts";
import { formatUnitsCsv, parseCount, parseUnitsCsv } from "../../functions/src/app/units-csv.ts";
import { DondocError } from "../../functions/src/core/errors.ts";
import type { CampaignInput, Unit } from "../../schemas/index.ts";

const HEADER = "id,name,kind,parent,target,emails,households,staff,adults,sheetId";

function thrown(f: () => unknown): DondocError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DondocError);
    return e as DondocError;
  }
  throw new Error("expected a DondocError");
}

async function rejected(p: Promise<unknown>): Promise<DondocError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(DondocError);
    return e as DondocError;
  }
  throw new Error("expected a DondocError");
}

describe("parseUnitsCsv", () => {
  it("reads quoted fields with commas, doubled quotes, CRLF and a BOM", () => {
    const text =
      "\uFEFF" +
      `${HEADER}\r\n` +
      `huyen,"Huyện Vĩnh Lộc, Thanh Hóa",district,,,"a@x.example, b@x.example",,,,\r\n` +
      `xa-a,"Xã ""Vĩnh"" Phúc",commune,huyen,"1.467",c@x.example;d@x.example,"3.214",12,"10.500",sheet-1\r\n`;
    const units = parseUnitsCsv(text, "units.csv");
    expect(units).toEqual<Unit[]>([
      {
        id: "huyen",
        name: "Huyện Vĩnh Lộc, Thanh Hóa",
        kind: "district",
        emails: ["a@x.example", "b@x.example"],
      },
      {
        id: "xa-a",
        name: 'Xã "Vĩnh" Phúc',
        kind: "commune",
        parent: "huyen",
        target: 1467,
        emails: ["c@x.example", "d@x.example"],
        households: 3214,
        staff: 12,
        adults: 10500,
        sheetId: "sheet-1",
      },
    ]);
  });

  it("accepts any column order, optional columns left out, blank lines and a missing final newline", () => {
    const text = "kind,name,id\n\nward,Phường Đình Bảng,dinh-bang\n  \nward,Phường Châu Khê,chau-khe";
    expect(parseUnitsCsv(text, "u.csv").map((u) => [u.id, u.name, u.kind])).toEqual([
      ["dinh-bang", "Phường Đình Bảng", "ward"],
      ["chau-khe", "Phường Châu Khê", "ward"],
    ]);
  });

  it("keeps a line break inside a quoted name and counts lines physically for later errors", () => {
    const text = `id,name,kind\na,"Tổ dân phố\nsố 1",residential-group\nb,Tổ 2,wrong-kind\n`;
    const e = thrown(() => parseUnitsCsv(text, "u.csv"));
    expect(e.code).toBe("units-csv-invalid");
    expect(e.message).toContain('u.csv, dòng 4, cột "kind": loại đơn vị "wrong-kind" không hợp lệ');
  });

  it("normalises NFD names to NFC", () => {
    const nfd = "Phường Đình Bảng".normalize("NFD");
    const [u] = parseUnitsCsv(`id,name,kind\ndinh-bang,${nfd},ward\n`, "u.csv");
    expect(u!.name).toBe("Phường Đình Bảng".normalize("NFC"));
  });

  it("rejects unknown and missing columns in the header", () => {
    const e = thrown(() => parseUnitsCsv("id,name,phone\na,A,0912345678\n", "units.csv"));
    expect(e.code).toBe("units-csv-invalid");
    expect(e.message).toContain('units.csv, dòng 1, cột "phone": cột không được hỗ trợ');
    expect(e.message).toContain('units.csv, dòng 1, cột "kind": thiếu cột bắt buộc trong dòng tiêu đề.');
  });

  it("reports every bad cell at once, with line and column", () => {
    const text = [
      HEADER,
      "Bad Id,Đơn vị A,ward,,,,,,,",
      "b,,ward,,-3,not-an-email,2,5,,",
      'c,Đơn vị C,ward,,"2,5",,1.5,,,',
    ].join("\n");
    const e = thrown(() => parseUnitsCsv(text, "units.csv"));
    expect(e.message.split("\n")).toEqual([
      "Tệp danh sách đơn vị units.csv có 6 lỗi:",
      '- units.csv, dòng 2, cột "id": mã đơn vị "Bad Id" không hợp lệ: chỉ dùng chữ thường không dấu, chữ số và dấu gạch ngang (ví dụ dinh-bang).',
      '- units.csv, dòng 3, cột "name": thiếu tên đơn vị.',
      '- units.csv, dòng 3, cột "target": "-3" là số âm; số lượng phải từ 0 trở lên.',
      '- units.csv, dòng 3, cột "emails": địa chỉ e-mail "not-an-email" không hợp lệ.',
      '- units.csv, dòng 4, cột "target": "2,5" không phải số nguyên; số lượng phải là số nguyên (ví dụ 3.214).',
      '- units.csv, dòng 4, cột "households": "1.5" không phải số nguyên hợp lệ (viết 3214 hoặc 3.214).',
    ]);
    expect((e.details.problems as unknown[]).length).toBe(6);
  });

  it("rejects a record whose field count differs from the header (an unquoted comma)", () => {
    const e = thrown(() => parseUnitsCsv("id,name,kind\na,Huyện A, Thanh Hóa,district\n", "u.csv"));
    expect(e.message).toContain("u.csv, dòng 2: dòng có 4 ô nhưng dòng tiêu đề có 3 cột");
  });

  it("rejects malformed quoting", () => {
    expect(thrown(() => parseUnitsCsv('id,name,kind\na,"Xã A,commune\n', "u.csv")).message).toContain(
      "u.csv, dòng 2: dấu ngoặc kép mở nhưng không được đóng",
    );
    expect(thrown(() => parseUnitsCsv('id,name,kind\na,"Xã" A,commune\n', "u.csv")).message).toContain(
      "u.csv, dòng 2: có ký tự ngay sau dấu ngoặc kép đóng",
    );
    expect(thrown(() => parseUnitsCsv('id,name,kind\na,Xã "A",commune\n', "u.csv")).message).toContain(
      "u.csv, dòng 2: dấu ngoặc kép nằm giữa ô",
    );
  });

  it("checks the tree: unique ids, existing parents, no self-parent, no cycles", () => {
    const text = [
      "id,name,kind,parent",
      "root,Gốc,district,",
      "a,A,ward,root",
      "a,A lặp,ward,root",
      "b,B,ward,ghost",
      "c,C,ward,c",
      "d,D,ward,e",
      "e,E,ward,d",
    ].join("\n");
    const lines = thrown(() => parseUnitsCsv(text, "u.csv")).message.split("\n");
    expect(lines).toContain(
      '- u.csv, dòng 4, cột "id": mã đơn vị "a" đã dùng ở dòng 3; mỗi đơn vị một mã riêng.',
    );
    expect(lines).toContain('- u.csv, dòng 5, cột "parent": không có đơn vị nào mang mã "ghost".');
    expect(lines).toContain(
      '- u.csv, dòng 6, cột "parent": đơn vị không thể là đơn vị cấp trên của chính nó.',
    );
    expect(lines).toContain(
      '- u.csv, dòng 7, cột "parent": các đơn vị tạo thành vòng lặp cấp trên: d → e → d; cây đơn vị phải có gốc.',
    );
    // The cycle is reported once, not again from e.
    expect(lines.filter((l) => l.includes("vòng lặp"))).toHaveLength(1);
  });

  it("requires a target on every leaf unit only when the campaign's rule is explicit", () => {
    const text = "id,name,kind,parent,target\nroot,Gốc,district,,\na,A,ward,root,10\nb,B,ward,root,\n";
    const e = thrown(() => parseUnitsCsv(text, "u.csv", { target: { rule: "explicit" } }));
    // The root falls back to its children's targets; only b is missing one.
    expect(e.message.split("\n")).toEqual([
      "Tệp danh sách đơn vị u.csv có 1 lỗi:",
      '- u.csv, dòng 4, cột "target": thiếu chỉ tiêu: chiến dịch giao chỉ tiêu theo từng đơn vị (target).',
    ]);
    expect(parseUnitsCsv(text, "u.csv", { target: { rule: "per-staff", perStaff: 15 } })).toHaveLength(3);
  });

  it("rejects an empty file and a header without units", () => {
    expect(thrown(() => parseUnitsCsv("\uFEFF", "u.csv")).message).toContain("u.csv, dòng 1: tệp trống");
    expect(thrown(() => parseUnitsCsv(`${HEADER}\n`, "u.csv")).message).toContain(
      "tệp không có đơn vị nào dưới dòng tiêu đề",
    );
  });

  it("reads counts the Vietnamese way and refuses anything ambiguous", () => {
    expect(parseCount("3.214")).toBe(3214);
    expect(parseCount("14.206")).toBe(14206);
    expect(parseCount("1.234.567")).toBe(1234567);
    expect(parseCount(" 280 ")).toBe(280);
    expect(parseCount("")).toBeNull();
    for (const bad of ["3.21", "1.2345", "2,5", "-3", "abc", "3e3"]) expect(() => parseCount(bad)).toThrow();
  });

  it("formatUnitsCsv reads back to the same units, quoting what needs it", () => {
    const units: Unit[] = [
      { id: "root", name: "Xã Chợ Đồn", kind: "commune", emails: ["lanhdao@cho-don.example"] },
      {
        id: "thon-1",
        name: 'Thôn "Bản Lác", Chợ Đồn',
        kind: "village",
        parent: "root",
        emails: ["a@cho-don.example", "b@cho-don.example"],
        staff: 7,
        households: 120,
        adults: 300,
        target: 105,
      },
    ];
    const text = formatUnitsCsv(units);
    expect(text.split("\n")[0]).toBe(HEADER);
    expect(text).toContain('"Thôn ""Bản Lác"", Chợ Đồn"');
    expect(parseUnitsCsv(text, "u.csv")).toEqual(units);
  });
});

const validCampaign: CampaignInput = {
  id: "thu-nghiem",
  title: "Chiến dịch thử nghiệm",
  issuer: "UBND xã Thử Nghiệm",
  start: "2025-07-28",
  end: "2025-08-18",
  schedule: { kind: "weekly", weekdays: [1, 4], time: "14:00" },
  mode: "line-list",
  indicators: [{ key: "signature", label: "Chữ ký số công cộng" }],
  ranking: { indicator: "signature", measure: "percent" },
  bands: { praise: 1, criticise: 1 },
  target: { rule: "explicit" },
};

describe("parseCampaignJson", () => {
  it("applies the schema's defaults", () => {
    const c = parseCampaignJson({ $schema: "x.json", ...validCampaign }, "campaign.json");
    expect(c.timezone).toBe("Asia/Ho_Chi_Minh");
    expect(c.reminders.offsetsHours).toEqual([24, 2]);
  });

  it("lists each problem with its JSON path in Vietnamese", () => {
    const raw = {
      ...validCampaign,
      shedule: {},
      title: "",
      start: "28/07/2025",
      mode: "list",
      schedule: { kind: "weekly", weekdays: [1, 8], time: "25:00" },
      leaders: [{ name: "A", email: "khong-phai-email" }],
      target: { rule: "per-person" },
    };
    delete (raw as Partial<CampaignInput>).issuer;
    const e = thrown(() => parseCampaignJson(raw, "examples/x/campaign.json"));
    expect(e.code).toBe("campaign-invalid");
    const lines = e.message.split("\n");
    expect(lines[0]).toBe("Tệp cấu hình chiến dịch examples/x/campaign.json có 9 lỗi:");
    expect(lines.slice(1)).toEqual(
      expect.arrayContaining([
        "- shedule: khóa không được hỗ trợ (gõ sai tên?).",
        "- title: không được để trống.",
        "- issuer: thiếu trường bắt buộc.",
        '- start: ngày phải viết dạng YYYY-MM-DD (ví dụ 2025-07-28); đang là "28/07/2025".',
        "- schedule.weekdays[1]: phải không quá 7, đang là 8.",
        '- schedule.time: giờ phải viết dạng HH:mm, 24 giờ (ví dụ 14:00); đang là "25:00".',
        '- mode: giá trị "list" không hợp lệ; dùng một trong: "line-list", "aggregate".',
        '- leaders[0].email: địa chỉ e-mail không hợp lệ: "khong-phai-email".',
        '- target.rule: giá trị "per-person" không hợp lệ; dùng một trong: "explicit", "per-staff", "per-household", "percent-of-adults".',
      ]),
    );
  });

  it("checks what the schema cannot: dates on the calendar, order, indicator references, zone", () => {
    const e = thrown(() =>
      parseCampaignJson(
        {
          ...validCampaign,
          timezone: "Asia/Ha_Noi",
          start: "2025-02-30",
          end: "2025-01-01",
          indicators: [
            { key: "signature", label: "A" },
            { key: "signature", label: "B" },
          ],
          ranking: { indicator: "vneid", measure: "percent", kinds: ["ward", "hamlet"] },
          target: { rule: "percent-of-adults" },
        },
        "c.json",
      ),
    );
    const lines = e.message.split("\n").slice(1);
    expect(lines).toEqual([
      '- timezone: múi giờ "Asia/Ha_Noi" không tồn tại (dùng Asia/Ho_Chi_Minh).',
      '- start: ngày "2025-02-30" không có trên lịch.',
      '- indicators[1].key: mã chỉ số "signature" trùng với indicators[0].',
      '- ranking.indicator: chỉ số "vneid" không có trong indicators; dùng một trong: signature.',
      '- ranking.kinds[1]: loại đơn vị "hamlet" không hợp lệ; dùng một trong: district, ward, commune, town, village, residential-group, school, police, department, association, digital-team, telecom, agency.',
      "- target: quy tắc percent-of-adults cần percent hoặc percentByYear.",
    ]);
  });

  it("rejects an end before the start", () => {
    const e = thrown(() => parseCampaignJson({ ...validCampaign, end: "2025-07-01" }, "c.json"));
    expect(e.message).toContain("- end: ngày kết thúc 2025-07-01 trước ngày bắt đầu 2025-07-28.");
  });
});

describe("loadCampaignFolder", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "dondoc-folder-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("loads campaign.json and units.csv and points at sheets/", async () => {
    await writeFile(join(dir, "campaign.json"), JSON.stringify(validCampaign));
    await writeFile(join(dir, "units.csv"), "id,name,kind,target\nxa,Xã Thử Nghiệm,commune,100\n");
    const folder = await loadCampaignFolder(dir);
    expect(folder.dir).toBe(dir);
    expect(folder.campaign.id).toBe("thu-nghiem");
    expect(folder.units).toEqual([
      { id: "xa", name: "Xã Thử Nghiệm", kind: "commune", target: 100, emails: [] },
    ]);
    expect(folder.sheetsDir).toBe(join(dir, "sheets"));
  });

  it("names the missing folder or file", async () => {
    const missing = join(dir, "khong-co");
    let e = await rejected(loadCampaignFolder(missing));
    expect(e.code).toBe("campaign-folder-not-found");
    expect(e.message).toBe(`Không tìm thấy thư mục chiến dịch: ${missing}.`);

    await writeFile(join(dir, "file.txt"), "");
    e = await rejected(loadCampaignFolder(join(dir, "file.txt")));
    expect(e.message).toContain("không phải là thư mục");

    e = await rejected(loadCampaignFolder(dir));
    expect(e.code).toBe("campaign-file-not-found");
    expect(e.message).toBe(
      `Không tìm thấy tệp cấu hình chiến dịch campaign.json: ${join(dir, "campaign.json")}.`,
    );

    await writeFile(join(dir, "campaign.json"), JSON.stringify(validCampaign));
    e = await rejected(loadCampaignFolder(dir));
    expect(e.message).toBe(`Không tìm thấy tệp danh sách đơn vị units.csv: ${join(dir, "units.csv")}.`);
  });

  it("reports a JSON syntax error with its line", async () => {
    await writeFile(join(dir, "campaign.json"), '{\n  "id": "x",\n  "title": "T",,\n}');
    const e = await rejected(loadCampaignFolder(dir));
    expect(e.code).toBe("campaign-invalid");
    expect(e.message).toContain("không phải JSON hợp lệ tại dòng 3");
  });

  it("applies the campaign's explicit target rule to units.csv", async () => {
    await writeFile(join(dir, "campaign.json"), JSON.stringify(validCampaign));
    await mkdir(join(dir, "sheets"));
    await writeFile(join(dir, "units.csv"), "id,name,kind\nxa,Xã Thử Nghiệm,commune\n");
    const e = await rejected(loadCampaignFolder(dir));
    expect(e.code).toBe("units-csv-invalid");
    expect(e.message).toContain(`${join(dir, "units.csv")}, dòng 2, cột "target": thiếu chỉ tiêu`);
  });
});
