// The Vietnamese menu and the names of every global function Apps Script calls. build.ts checks that index.ts
// exports exactly these, so a renamed handler cannot leave a menu item pointing at nothing.
import type { MenuItem, Ui } from "./ports.ts";
import { FLUSH_HANDLER } from "./push.ts";

export const MENU_TITLE = "Dondoc";

export const HANDLERS = {
  open: "onOpen",
  setup: "dondocSetup",
  check: "dondocCheckNow",
  send: "dondocSendNow",
  confirm: "dondocConfirmNothingNew",
  help: "dondocHelp",
  /**
   * The installable on-edit trigger. Deliberately not named onEdit: Apps Script would also run a function of
   * that name as a simple trigger, which cannot fetch URLs, and every edit would be handled twice.
   */
  edit: "dondocOnEdit",
  flush: FLUSH_HANDLER,
} as const;

export const MENU_ITEMS: MenuItem[] = [
  { label: "Thiết lập / sửa bảng nhập liệu", handler: HANDLERS.setup },
  { label: "Kiểm tra dữ liệu ngay", handler: HANDLERS.check },
  { label: "Gửi số liệu ngay", handler: HANDLERS.send },
  { label: "Xác nhận: kỳ này không có số liệu mới", handler: HANDLERS.confirm },
  { label: "Hướng dẫn", handler: HANDLERS.help },
];

export function installMenu(ui: Pick<Ui, "addMenu">): void {
  ui.addMenu(MENU_TITLE, MENU_ITEMS);
}
