// The Sheets/Drive edges of the `sync` function, built lazily on first use (they are the heaviest imports).
// Small pieces of adapter state (own-write log, leaders' tab layout) live in Firestore meta documents so a new
// instance neither re-reads annotated sheets nor rebuilds the leaders' tabs from scratch.
import type { Campaign } from "../../../schemas/index.ts";
import {
  driveClient,
  type GoogleAuthClient,
  productionAuth,
  serviceAccountEmail,
  sheetsClient,
} from "../adapters/google/auth.ts";
import { GoogleDrive, type PersistedState, SheetModificationLog } from "../adapters/google/drive.ts";
import { TokenBucketQuota } from "../adapters/google/quota.ts";
import { GoogleUnitAnnotator } from "../adapters/google/sheets-annotate.ts";
import { GoogleSheetSource } from "../adapters/google/sheets-source.ts";
import { GoogleSummaryPublisher, type PublisherState } from "../adapters/google/sheets-summary.ts";
import type { Store } from "../core/ports.ts";
import type { CloudConfig } from "./config.ts";
import type { GoogleEdges } from "./runtime.ts";

export function metaState<T>(store: Store, campaignId: string, key: string): PersistedState<T> {
  return {
    load: () => store.loadMeta<T>(campaignId, key),
    save: async (value) => {
      await store.saveMeta(campaignId, key, value);
    },
  };
}

export interface GoogleEdgeOverrides {
  /** Tests: a static-token client and the local Sheets/Drive server. */
  auth?: GoogleAuthClient;
  rootUrl?: string;
  editorEmail?: string;
}

export async function googleEdges(
  config: CloudConfig,
  campaign: Campaign,
  store: Store,
  overrides: GoogleEdgeOverrides = {},
): Promise<GoogleEdges> {
  const production = overrides.auth ? null : productionAuth();
  const auth = overrides.auth ?? production!;
  const client = { auth, ...(overrides.rootUrl ? { rootUrl: overrides.rootUrl } : {}) };
  const sheets = sheetsClient(client);
  const quota = new TokenBucketQuota({
    limits: {
      read: [config.DONDOC_SHEETS_READS_PER_MINUTE],
      write: [config.DONDOC_SHEETS_WRITES_PER_MINUTE],
    },
  });
  const drive = new GoogleDrive({ drive: driveClient(client), quota });
  const log = new SheetModificationLog(metaState(store, campaign.id, "sheets-own-writes"));
  const leaders =
    config.DONDOC_LEADERS_SPREADSHEET_ID ?? (await store.loadMeta<string>(campaign.id, "leadersSpreadsheet"));
  const publisher = leaders
    ? new GoogleSummaryPublisher({
        sheets,
        spreadsheetId: leaders,
        state: metaState<PublisherState>(store, campaign.id, "leaders-publisher"),
        // Only the functions' own service account may edit the generated tabs.
        editorEmail:
          overrides.editorEmail ?? (production ? await serviceAccountEmail(production) : "dondoc@localhost"),
        quota,
      })
    : undefined;
  return {
    source: new GoogleSheetSource({ sheets, drive, log, quota }),
    annotator: new GoogleUnitAnnotator({ sheets, drive, log, quota }),
    publisher,
  };
}
