// Credentials and clients for the Sheets and Drive edges. Production uses Application Default Credentials
// (the Cloud Function's service account); tests inject any auth client, since the local fake accepts any
// Bearer token. The per-API packages keep cold starts small (the full `googleapis` costs about a second).
import { drive, type drive_v3 } from "@googleapis/drive";
import { sheets, type sheets_v4 } from "@googleapis/sheets";
import { GoogleAuth, OAuth2Client } from "google-auth-library";
import { COMPACT_JSON } from "./compact-json.ts";

export const SHEETS_SCOPE = "https://www.googleapis.com/auth/spreadsheets";
/**
 * Full Drive scope: the service account lists the campaign folder, copies the template and shares the copies,
 * i.e. works on files it did not create through this app (drive.file would not see them).
 */
export const DRIVE_SCOPE = "https://www.googleapis.com/auth/drive";

export type GoogleAuthClient = GoogleAuth | OAuth2Client;

/** ADC with the scopes the Sheets and Drive edges need. */
export function productionAuth(scopes: string[] = [SHEETS_SCOPE, DRIVE_SCOPE]): GoogleAuth {
  return new GoogleAuth({ scopes });
}

/** An auth client that sends a fixed access token and never refreshes: for the local fake and for tests. */
export function staticTokenAuth(accessToken = "test"): OAuth2Client {
  const client = new OAuth2Client();
  client.setCredentials({ access_token: accessToken });
  return client;
}

/** The service account's e-mail (protected ranges name it as their only editor). */
export async function serviceAccountEmail(auth: GoogleAuth): Promise<string> {
  const credentials = await auth.getCredentials();
  if (!credentials.client_email) {
    throw new Error("The Application Default Credentials carry no client_email (not a service account).");
  }
  return credentials.client_email;
}

export interface GoogleClientOptions {
  auth: GoogleAuthClient;
  /** The local fake's address in tests; Google's endpoints when omitted. */
  rootUrl?: string;
}

/**
 * gaxios retries on its own by default (three times, fixed delays, GET/PUT only). Our withRetry owns retrying
 * for every method with jitter and bounds, so the client's own retry is switched off: two stacked retry loops
 * would multiply the attempts and hide them from the quota gate.
 */
const NO_CLIENT_RETRY = { retry: false } as const;

export function sheetsClient(opts: GoogleClientOptions): sheets_v4.Sheets {
  return sheets({
    version: "v4",
    auth: opts.auth,
    ...COMPACT_JSON,
    ...NO_CLIENT_RETRY,
    ...(opts.rootUrl ? { rootUrl: opts.rootUrl } : {}),
  });
}

export function driveClient(opts: GoogleClientOptions): drive_v3.Drive {
  return drive({
    version: "v3",
    auth: opts.auth,
    ...COMPACT_JSON,
    ...NO_CLIENT_RETRY,
    ...(opts.rootUrl ? { rootUrl: opts.rootUrl } : {}),
  });
}

/** Per-call options that keep the client from retrying even when it was built elsewhere. */
export const CALL_OPTIONS = NO_CLIENT_RETRY;
