// The script's global functions, and nothing else. build.ts turns every export into a top-level function
// declaration, which is how Apps Script finds menu handlers and triggers. Entry points are the only place that
// catches broadly: menu actions show the message to the unit; triggers log and rethrow, so the failure is
// recorded in the executions log and mailed to the trigger's owner.
import * as app from "./app.ts";
import { embeddedBuild } from "./config.ts";
import { createPorts, createUi, editedRange, globalServices } from "./gas.ts";
import type { Ports } from "./ports.ts";

function userMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function fromMenu(action: (ports: Ports) => string | null | undefined): void {
  const ports = createPorts(globalServices(), { withUi: true });
  try {
    const message = action(ports);
    if (typeof message === "string") ports.ui?.alert(app.APP_TITLE, message);
  } catch (err) {
    console.error(err);
    ports.ui?.alert(app.APP_TITLE, userMessage(err));
  }
}

/** A simple trigger: it runs with limited authorisation, so it touches nothing but the menu. */
export function onOpen(_e?: GoogleAppsScript.Events.SheetsOnOpen): void {
  app.onOpen({ ui: createUi(globalServices()) });
}

export function dondocSetup(): void {
  fromMenu((ports) => app.setup(ports, embeddedBuild()));
}

export function dondocCheckNow(): void {
  fromMenu((ports) => app.check(ports, embeddedBuild()));
}

export function dondocSendNow(): void {
  fromMenu((ports) => app.sendNow(ports, embeddedBuild()));
}

export function dondocConfirmNothingNew(): void {
  fromMenu((ports) => app.confirm(ports, embeddedBuild()));
}

export function dondocHelp(): void {
  fromMenu((ports) => {
    app.help(ports, embeddedBuild());
    return null;
  });
}

export function dondocOnEdit(e: GoogleAppsScript.Events.SheetsOnEdit): void {
  try {
    app.edited(createPorts(globalServices(), { withUi: false }), embeddedBuild(), editedRange(e));
  } catch (err) {
    console.error(err);
    throw err;
  }
}

export function dondocFlush(e?: GoogleAppsScript.Events.TimeDriven): void {
  try {
    app.flushFromTrigger(createPorts(globalServices(), { withUi: false }), embeddedBuild(), e?.triggerUid);
  } catch (err) {
    console.error(err);
    throw err;
  }
}
