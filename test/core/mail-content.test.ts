import { describe, expect, it } from "vitest";
import {
  deadlineText,
  digestMail,
  escapeHtml,
  missedTwoInARow,
  redactDigits,
  reminderMail,
  sheetUrl,
  subjectTag,
} from "../../functions/src/core/mail-content.ts";
import { closingInstant, periodByIndex } from "../../functions/src/core/periods.ts";
import { type PlannedReminder, planReminders } from "../../functions/src/core/reminders.ts";
import { Unit } from "../../schemas/index.ts";
import {
  at,
  campaignWith,
  choDon,
  choDonUnits,
  emptyState,
  helped,
  issue,
  standingsAt,
  ZONE,
} from "../support/cho-don-mail.ts";

const unit = (id: string) => choDonUnits.find((u) => u.id === id)!;

const entries = [
  // Bản Tàm: 2 in period 0, 12 more in period 1 → 14 of its 30 (46,7%).
  ...Array.from({ length: 2 }, () => helped("thon-ban-tam", "2025-07-29T09:00")),
  ...Array.from({ length: 12 }, () => helped("thon-ban-tam", "2025-08-01T09:00")),
  helped("truong-thcs", "2025-08-02T10:00"),
  helped("thon-na-pan", "2025-07-30T10:00"),
];

function reminderFor(unitId: string, now = at("2025-08-04T12:00"), states = [emptyState(unitId)]) {
  const standings = standingsAt(now, entries, { states });
  const plan = planReminders({
    campaign: choDon,
    units: choDonUnits,
    standings,
    unitStates: states,
    now,
    ledger: [],
  });
  const planned = plan.due.find((p): p is PlannedReminder => p.kind === "reminder" && p.unitId === unitId);
  if (!planned) throw new Error(`no reminder for ${unitId}`);
  return {
    mail: reminderMail({ campaign: choDon, unit: unit(unitId), standings, planned }),
    planned,
    standings,
  };
}

describe("reminderMail", () => {
  it("says who, by when (as people write it), the unit's figures against target and pace", () => {
    const { mail } = reminderFor("thon-na-pan");
    expect(mail.subject).toBe("[Chợ Đồn] Nhắc báo cáo trước 14:00 thứ Hai, 04/08/2025");
    expect(mail.to).toEqual(["napan@example.vn"]);
    expect(mail.messageId).toBe("<reminder~p1~thon-na-pan~2h.cho-don-2025@dondoc.local>");
    expect(mail.fromName).toBe("UBND xã Chợ Đồn");
    expect(mail.text).toContain("Kính gửi: Thôn Nà Pán,");
    expect(mail.text).toContain("trước 14:00 thứ Hai, 04/08/2025 (hạn chốt kỳ 2)");
    expect(mail.text).toContain("Đơn vị chưa báo cáo trong kỳ 2 (từ 14:00 thứ Năm, 31/07/2025)");
    expect(mail.text).toContain("- Chữ ký số công cộng: trong kỳ 0; lũy kế 1");
    // 1 of 30 = 3,3%; the pace at 12:00 Mon 04/08 is (7 days 12 h) / 22 days = 34,1%.
    expect(mail.text).toContain("- Chỉ tiêu: đạt 3,3% chỉ tiêu (1/30); tiến độ yêu cầu 34,1%.");
    expect(mail.html).toContain("<b>14:00 thứ Hai, 04/08/2025</b>");
    expect(mail.html).toContain("đạt 3,3% chỉ tiêu (1/30); tiến độ yêu cầu 34,1%");
    // No sheet id: no link.
    expect(mail.text).not.toContain("docs.google.com");
  });

  it("lists the unit's errors with row and column, links its sheet, and hides ids and phones", () => {
    const states = [
      emptyState("thon-ban-tam", {
        issues: [
          issue("thon-ban-tam", 7, "E", "Số định danh cá nhân", "Số định danh 001203004567 sai mã tỉnh."),
          issue("thon-ban-tam", 3, "F", "Số điện thoại", "Số điện thoại 0912 345 678 không hợp lệ."),
          issue("thon-ban-tam", 0, "", "", 'Thiếu cột <Ngày hỗ trợ> & "Người hỗ trợ".'),
        ],
      }),
    ];
    const { mail } = reminderFor("thon-ban-tam", at("2025-08-04T12:00"), states);
    expect(mail.subject).toBe("[Chợ Đồn] Nhắc sửa lỗi số liệu trước 14:00 thứ Hai, 04/08/2025");
    expect(mail.text).toContain("Bảng nhập liệu của đơn vị còn 3 lỗi cần sửa.");
    expect(mail.text).not.toContain("chưa báo cáo trong kỳ");
    expect(mail.text).toContain('- Toàn bảng: Thiếu cột <Ngày hỗ trợ> & "Người hỗ trợ".');
    expect(mail.text).toContain("- Dòng 3, cột F (Số điện thoại): Số điện thoại 091*****78 không hợp lệ.");
    expect(mail.text).toContain(
      "- Dòng 7, cột E (Số định danh cá nhân): Số định danh 001*******67 sai mã tỉnh.",
    );
    expect(mail.text.indexOf("Toàn bảng")).toBeLessThan(mail.text.indexOf("Dòng 3"));
    expect(mail.text).toContain("đạt 46,7% chỉ tiêu (14/30)");
    expect(mail.text).toContain(
      "Bảng nhập liệu của đơn vị: https://docs.google.com/spreadsheets/d/1AbC-sheet_BanTam/edit",
    );
    expect(mail.html).toContain('<a href="https://docs.google.com/spreadsheets/d/1AbC-sheet_BanTam/edit">');
    expect(mail.html).toContain("Thiếu cột &lt;Ngày hỗ trợ&gt; &amp; &quot;Người hỗ trợ&quot;.");
    expect(mail.html).not.toContain("<Ngày hỗ trợ>");
    for (const body of [mail.text, mail.html]) {
      expect(body).not.toMatch(/\d{12}/);
      expect(body).not.toMatch(/0\d{9}/);
      expect(body).not.toContain("0912 345 678");
    }
  });

  it("escapes a unit name typed with markup", () => {
    const hostile = Unit.parse({
      id: "thon-na-pan",
      name: 'Thôn <script>alert("x")</script>',
      kind: "village",
      emails: ["napan@example.vn"],
      staff: 2,
    });
    const units = choDonUnits.map((u) => (u.id === hostile.id ? hostile : u));
    const now = at("2025-08-04T12:00");
    const standings = standingsAt(now, entries, { units });
    const planned = planReminders({
      campaign: choDon,
      units,
      standings,
      unitStates: [],
      now,
      ledger: [],
    }).due.find((p): p is PlannedReminder => p.kind === "reminder" && p.unitId === hostile.id)!;
    const mail = reminderMail({ campaign: choDon, unit: hostile, standings, planned });
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).toContain("Thôn &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
  });

  it("caps a long error list and says how many more", () => {
    const many = Array.from({ length: 45 }, (_, i) => issue("thon-ban-tam", i + 2, "B", "Ngày", "Ngày sai."));
    const { mail } = reminderFor("thon-ban-tam", at("2025-08-04T12:00"), [
      emptyState("thon-ban-tam", { issues: many }),
    ]);
    expect(mail.text.match(/^- Dòng \d+, cột B/gm)).toHaveLength(30);
    expect(mail.text).toContain("… và 15 lỗi khác");
  });
});

describe("digestMail", () => {
  const c = campaignWith({ bands: { praise: 1, criticise: 1 } });

  function digest(periodIndex: number, extra: { states?: ReturnType<typeof emptyState>[] } = {}) {
    const closed = standingsAt(closingInstant(periodByIndex(c, periodIndex)!), entries, {
      campaign: c,
      ...extra,
    });
    const previous =
      periodIndex > 0
        ? standingsAt(closingInstant(periodByIndex(c, periodIndex - 1)!), entries, { campaign: c, ...extra })
        : null;
    // Eight hours on: past the final digest's move out of quiet hours, before any next cutoff.
    const after = new Date(Date.parse(periodByIndex(c, periodIndex)!.end) + 8 * 3_600_000);
    const now = standingsAt(after, entries, { campaign: c, ...extra });
    const planned = planReminders({
      campaign: c,
      units: choDonUnits,
      standings: now,
      unitStates: [],
      now: after,
      ledger: [],
    }).due.find((p) => p.kind === "digest");
    if (planned?.kind !== "digest") throw new Error("no digest");
    return digestMail({ campaign: c, units: choDonUnits, planned, closed, previous });
  }

  it("totals, ranking by kind with bands, who did not report (twice in a row), unreachable units, the draft", () => {
    const problem = {
      code: "mass-delete-held",
      message: "Đồng bộ tạm dừng: 80% số dòng bị xóa.",
      at: "2025-08-03T10:00:00+07:00",
    };
    const mail = digest(1, { states: [emptyState("cong-an-xa", { problem })] });
    expect(mail.subject).toBe("[Chợ Đồn] Tổng hợp kỳ 2, hạn 14:00 thứ Hai, 04/08/2025");
    expect(mail.to).toEqual(["chutich@chodon.example.vn", "vanphong@chodon.example.vn"]);
    expect(mail.messageId).toBe("<digest~p1.cho-don-2025@dondoc.local>");
    expect(mail.text).toContain("Tổng hợp kỳ 2: từ 14:00 thứ Năm, 31/07/2025 đến 14:00 thứ Hai, 04/08/2025");
    expect(mail.text).toContain("- Chữ ký số công cộng: trong kỳ 13; lũy kế 16");
    expect(mail.text).toContain("- Đơn vị đã báo cáo trong kỳ: 2/5.");
    expect(mail.text).toMatch(
      /Thôn:\n {2}1\. Thôn Bản Tàm: trong kỳ 12, lũy kế 14\/30 \(46,7%\) — Biểu dương/,
    );
    expect(mail.text).toMatch(
      /ĐƠN VỊ CHƯA BÁO CÁO KỲ 2 \(3\)\n- Công an xã: Công an\n- Thôn Cốc Pái: Thôn\n- Thôn Nà Pán: Thôn/,
    );
    // Nà Pán reported in period 1 (30/07), so only Cốc Pái and the police missed both.
    expect(mail.text).toMatch(/HAI KỲ LIÊN TIẾP \(2\)\n- Công an xã: Công an\n- Thôn Cốc Pái: Thôn\n/);
    expect(mail.text).toMatch(/TẠM DỪNG ĐỒNG BỘ \(1\)\n- Công an xã: Đồng bộ tạm dừng: 80% số dòng bị xóa\./);
    expect(mail.text).toMatch(/CHƯA CÓ ĐỊA CHỈ E-MAIL NHẬN NHẮC NHỞ \(1\)\n- Thôn Cốc Pái/);
    expect(mail.text).toContain("DỰ THẢO NỘI DUNG BÁO CÁO\nTính đến 14h00 ngày 04/08/2025");
    expect(mail.html).toContain('bgcolor="#C6EFCE"');
    expect(mail.html).toContain("<h3>Đơn vị chưa báo cáo hai kỳ liên tiếp (2)</h3>");
  });

  it("the first period has nobody missing two in a row", () => {
    expect(digest(0).text).toMatch(/HAI KỲ LIÊN TIẾP \(0\)\n- Không có\./);
  });

  it("the final digest after the campaign's closing midnight says so", () => {
    const mail = digest(6);
    expect(mail.subject).toBe("[Chợ Đồn] Tổng hợp kết quả cuối chiến dịch (hết ngày 18/08/2025)");
    expect(mail.text).toContain("đến hết ngày 18/08/2025");
  });

  it("refuses standings of another period", () => {
    const closed = standingsAt(at("2025-08-01T10:00"), entries, { campaign: c });
    const planned = {
      kind: "digest" as const,
      ledgerId: "digest~p0",
      messageId: "<digest~p0.cho-don-2025@dondoc.local>",
      periodIndex: 0,
      cutoff: "2025-07-31T14:00:00.000+07:00",
      scheduledAt: "2025-07-31T14:00:00.000+07:00",
      to: ["a@example.vn"],
      pending: false,
      final: false,
    };
    expect(() => digestMail({ campaign: c, units: choDonUnits, planned, closed, previous: null })).toThrow(
      expect.objectContaining({ code: "digest-standings-period" }),
    );
  });

  it("missedTwoInARow needs both periods", () => {
    const closed = standingsAt(closingInstant(periodByIndex(c, 2)!), entries, { campaign: c });
    expect(missedTwoInARow(closed, null)).toEqual([]);
  });
});

describe("helpers", () => {
  it.each([
    ["Số 001203004567", "Số 001*******67"],
    ["ĐT 0912345678.", "ĐT 091*****78."],
    ["ĐT +84 912 345 678", "ĐT 849******78"],
    ["Mã 1234567890123", "Mã 123********23"],
    ["19.662 người, ngày 04/08/2025", "19.662 người, ngày 04/08/2025"],
    ["12345678", "12345678"],
  ])("redactDigits(%s) = %s", (input, expected) => {
    expect(redactDigits(input)).toBe(expected);
  });

  it("escapes HTML", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });

  it.each([
    ["UBND xã Chợ Đồn", "Chợ Đồn"],
    ["UBND thành phố Từ Sơn", "Từ Sơn"],
    ["Ủy ban nhân dân phường Hà Khẩu", "Hà Khẩu"],
    ["Sở Thông tin và Truyền thông", "Sở Thông tin và Truyền thông"],
  ])("subjectTag(%s) = %s", (issuer, tag) => {
    expect(subjectTag(campaignWith({ issuer }))).toBe(tag);
  });

  it("deadline text and sheet link", () => {
    expect(deadlineText("2025-08-04T07:00:00.000Z", ZONE)).toBe("14:00 thứ Hai, 04/08/2025");
    expect(deadlineText("2025-08-19T00:00:00.000+07:00", ZONE, true)).toBe("hết ngày 18/08/2025");
    expect(sheetUrl(unit("thon-ban-tam"))).toBe(
      "https://docs.google.com/spreadsheets/d/1AbC-sheet_BanTam/edit",
    );
    expect(sheetUrl(unit("thon-na-pan"))).toBeNull();
  });
});
