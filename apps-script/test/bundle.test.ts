import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import vm from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PushBody } from "../../functions/src/core/push-protocol.ts";
import { TREND_SYMBOL } from "../../functions/src/core/summary-build.ts";
import { type BuildResult, buildAppsScript, leftoverModuleSyntax } from "../build.ts";
import { PROP } from "../src/config.ts";
import { HANDLERS, MENU_ITEMS, MENU_TITLE } from "../src/menu.ts";
import { CHO_DON, createFakes } from "./fakes.ts";
import { INGEST_URL, ingestLike, UNIT_ID, UNIT_KEY, validLineRow, verifySignature } from "./helpers.ts";

let dir: string;
let built: BuildResult;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "dondoc-apps-script-"));
  const campaignFile = path.join(dir, "campaign.json");
  writeFileSync(campaignFile, JSON.stringify(CHO_DON));
  built = await buildAppsScript({
    campaign: campaignFile,
    ingestUrl: INGEST_URL,
    outDir: path.join(dir, "dist"),
    log: () => {},
  });
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function load() {
  const f = createFakes();
  const logged: unknown[][] = [];
  const quiet = { log: () => {}, warn: () => {}, error: (...args: unknown[]) => logged.push(args) };
  const context = vm.createContext({ ...f.globals, console: quiet });
  vm.runInContext(readFileSync(path.join(built.outDir, "Code.js"), "utf8"), context, { filename: "Code.js" });
  return { f, logged, g: context as unknown as Record<string, (e?: unknown) => unknown> };
}

describe("the built bundle", () => {
  it("is one classic script: no import, export or require left", () => {
    const code = readFileSync(path.join(built.outDir, "Code.js"), "utf8");
    expect(leftoverModuleSyntax(code)).toEqual([]);
    expect(() => new vm.Script(code)).not.toThrow();
    expect(leftoverModuleSyntax("export function onOpen() {}")).not.toEqual([]);
  });

  it("declares the trigger and menu handlers as top-level functions", () => {
    const code = readFileSync(path.join(built.outDir, "Code.js"), "utf8");
    for (const name of Object.values(HANDLERS)) expect(code).toMatch(new RegExp(`^function ${name}\\(`, "m"));
    expect(code).toMatch(/^function onOpen\(/m);
    expect(code).toMatch(/^function dondocOnEdit\(/m);
    expect(built.globals.sort()).toEqual([...Object.values(HANDLERS)].sort());
  });

  it("writes a V8 manifest for Vietnam with narrow scopes and the ingest address whitelisted", () => {
    const manifest = JSON.parse(readFileSync(path.join(built.outDir, "appsscript.json"), "utf8"));
    expect(manifest).toMatchObject({
      runtimeVersion: "V8",
      timeZone: "Asia/Ho_Chi_Minh",
      exceptionLogging: "STACKDRIVER",
      urlFetchWhitelist: ["https://asia-southeast1-dondoc-test.cloudfunctions.net/"],
    });
    expect(manifest.oauthScopes.sort()).toEqual([
      "https://www.googleapis.com/auth/script.container.ui",
      "https://www.googleapis.com/auth/script.external_request",
      "https://www.googleapis.com/auth/script.scriptapp",
      "https://www.googleapis.com/auth/spreadsheets.currentonly",
    ]);
  });

  it("runs in a fresh V8 context: onOpen adds the Vietnamese menu whose items name real globals", () => {
    const { f, g } = load();
    g.onOpen!({});
    expect(f.ui.menus).toHaveLength(1);
    const menu = f.ui.menus[0]!;
    expect(menu.title).toBe(MENU_TITLE);
    expect(menu.items.map((i) => i.label)).toEqual([
      "Thiết lập / sửa bảng nhập liệu",
      "Kiểm tra dữ liệu ngay",
      "Gửi số liệu ngay",
      "Xác nhận: kỳ này không có số liệu mới",
      "Hướng dẫn",
    ]);
    expect(menu.items.map((i) => i.fn)).toEqual(MENU_ITEMS.map((i) => i.handler));
    for (const item of menu.items) expect(typeof g[item.fn]).toBe("function");
  });

  it("uses the embedded campaign and URL end to end: setup, edit trigger, one signed push", () => {
    const { f, g } = load();
    f.props.setProperty(PROP.unitId, UNIT_ID);
    f.props.setProperty(PROP.unitKey, UNIT_KEY);
    f.fetch.responder = ingestLike(CHO_DON, f.clock.now);
    g.dondocSetup!();
    expect(f.ui.alerts.at(-1)?.message).toContain('Đã tạo trang "Nhập liệu" với 12 cột');
    const sheet = f.ss.getSheetByName("Nhập liệu")!;
    sheet.type(2, validLineRow(0));
    g.dondocOnEdit!({ range: sheet.getRange(2, 1, 1, 12) });
    expect(String(sheet.peek("A2").value)).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/);
    const trigger = f.scriptApp.timeTriggers()[0]!;
    g.dondocFlush!({ triggerUid: trigger.id });
    expect(f.fetch.requests).toHaveLength(1);
    expect(f.fetch.requests[0]!.url).toBe(INGEST_URL);
    expect(verifySignature(f.fetch.requests[0]!, UNIT_KEY)).toBe(true);
    expect(PushBody.parse(JSON.parse(f.fetch.requests[0]!.payload)).rows).toHaveLength(1);
  });

  it("shows the embedded guide, and a menu error as a message rather than a crash", () => {
    const { f, g, logged } = load();
    g.dondocHelp!();
    expect(f.ui.sidebars[0]?.title).toBe("Hướng dẫn sử dụng dondoc");
    expect(f.ui.sidebars[0]?.html).toContain("<h2>Phần 1. Dành cho đơn vị nhập số liệu</h2>");
    g.dondocSendNow!();
    expect(f.ui.alerts.at(-1)?.message).toContain("chưa được cấp mã đơn vị");
    expect(logged).toHaveLength(1);
  });
});

describe("the guide", () => {
  const guide = readFileSync(path.join(import.meta.dirname, "../docs/huong-dan.md"), "utf8");
  it("explains the trend symbols the leaders' tabs actually use", () => {
    for (const symbol of Object.values(TREND_SYMBOL))
      expect(guide).toMatch(new RegExp(`\\|\\s*${symbol}\\s*\\|`));
  });
  it("names every menu item and every leaders' tab", () => {
    for (const item of MENU_ITEMS) expect(guide).toContain(item.label);
    for (const tab of ["Xếp hạng", "Tổng hợp", "Chưa báo cáo", "Lỗi dữ liệu"])
      expect(guide).toContain(`**${tab}**`);
  });
});
