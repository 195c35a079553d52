// Where the script finds its settings: the developer metadata `dondoc provision` writes on the spreadsheet, with a
// non-empty script property of the same setting taking precedence. Exercised through the real gas.ts adapter.
import { describe, expect, it } from "vitest";
import { PUSH_HEADERS } from "../../functions/src/core/push-protocol.ts";
import * as app from "../src/app.ts";
import { METADATA, PROP, resolveCampaign, unitCredentials, withProvisionedSettings } from "../src/config.ts";
import { INPUT_TAB } from "../src/layout.ts";
import { FLUSH_DELAY_MS } from "../src/push.ts";
import { CHO_DON, createFakes, type Fakes } from "./fakes.ts";
import {
  INGEST_URL,
  ingestLike,
  portsOf,
  UNIT_ID,
  UNIT_KEY,
  validLineRow,
  verifySignature,
} from "./helpers.ts";

/** What provisioning writes, as the Sheets API would have stored it on the spreadsheet. */
function provisionByMetadata(f: Fakes): void {
  f.ss.addDeveloperMetadata("dondoc.unitId", UNIT_ID);
  f.ss.addDeveloperMetadata("dondoc.unitKey", UNIT_KEY);
  f.ss.addDeveloperMetadata("dondoc.unitName", "Thôn Bản Duồng");
  f.ss.addDeveloperMetadata("dondoc.ingestUrl", INGEST_URL);
  f.ss.addDeveloperMetadata("dondoc.campaign", JSON.stringify(CHO_DON));
}

describe("settings from developer metadata", () => {
  it("reads the unit, its key, the ingest URL and the campaign from the spreadsheet's metadata", () => {
    const f = createFakes();
    provisionByMetadata(f);
    f.ss.addDeveloperMetadata("other.tool", "ignored");
    const ports = portsOf(f);
    expect(unitCredentials(ports.props, null)).toEqual({
      unitId: UNIT_ID,
      unitKey: UNIT_KEY,
      ingestUrl: INGEST_URL,
      unitName: "Thôn Bản Duồng",
    });
    expect(resolveCampaign(ports.props, null)).toEqual(CHO_DON);
    // Read once per execution, however many settings are asked for.
    expect(f.ss.metadataReads).toBe(1);
    // Nothing was copied into script properties.
    expect(f.props.getKeys()).toEqual([]);
  });

  it("lets a non-empty script property override one setting; an empty one does not hide the metadata", () => {
    const f = createFakes();
    provisionByMetadata(f);
    f.props.setProperty(PROP.ingestUrl, "https://asia-southeast1-other.cloudfunctions.net/ingest");
    f.props.setProperty(PROP.unitKey, "  ");
    const creds = unitCredentials(portsOf(f).props, null);
    expect(creds.ingestUrl).toBe("https://asia-southeast1-other.cloudfunctions.net/ingest");
    expect(creds.unitKey).toBe(UNIT_KEY);
  });

  it("uses the first entry of a key and never consults metadata for the script's own bookkeeping", () => {
    const f = createFakes();
    provisionByMetadata(f);
    f.ss.addDeveloperMetadata("dondoc.unitId", "a-later-duplicate");
    const props = portsOf(f).props;
    expect(props.get(PROP.pending)).toBeNull();
    expect(f.ss.metadataReads).toBe(0);
    expect(props.get(PROP.unitId)).toBe(UNIT_ID);
  });

  it("refuses to push from a sheet with neither metadata nor properties", () => {
    const f = createFakes();
    expect(() => unitCredentials(portsOf(f).props, null)).toThrow(
      expect.objectContaining({ code: "unit-not-provisioned" }),
    );
    expect(() => resolveCampaign(portsOf(f).props, null)).toThrow(
      expect.objectContaining({ code: "campaign-missing" }),
    );
  });

  it("signs a push with the key from the metadata, accepted by the server's check", () => {
    const f = createFakes();
    provisionByMetadata(f);
    const ports = portsOf(f);
    app.setup(ports, null);
    f.fetch.responder = ingestLike(CHO_DON, f.clock.now);
    f.ss.getSheetByName(INPUT_TAB)!.type(2, validLineRow(1));
    app.edited(portsOf(f, false), null, { tabName: INPUT_TAB, firstRow: 2, lastRow: 2 });
    f.clock.advance(FLUSH_DELAY_MS);
    const trigger = f.scriptApp.timeTriggers()[0]!;
    app.flushFromTrigger(portsOf(f, false), null, trigger.id);
    expect(f.fetch.requests).toHaveLength(1);
    const req = f.fetch.requests[0]!;
    expect(req.url).toBe(INGEST_URL);
    expect(req.headers[PUSH_HEADERS.unit]).toBe(UNIT_ID);
    expect(verifySignature(req, UNIT_KEY)).toBe(true);
  });

  it("maps exactly the provisioned settings to metadata keys", () => {
    expect(Object.keys(METADATA).sort()).toEqual(
      [PROP.unitId, PROP.unitKey, PROP.unitName, PROP.ingestUrl, PROP.campaign].sort(),
    );
    const seen: string[] = [];
    const props = withProvisionedSettings(
      { get: () => null, set: () => {}, delete: () => {}, keys: () => [] },
      () => {
        seen.push("read");
        return new Map([["dondoc.unitName", "Tổ dân phố 1"]]);
      },
    );
    expect(props.get(PROP.unitName)).toBe("Tổ dân phố 1");
    expect(props.get(PROP.unitId)).toBeNull();
    expect(seen).toEqual(["read"]);
  });
});
