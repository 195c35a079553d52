// The deployment as a list of commands a district IT officer could type, built from a few options.
// `npm run deploy -- --dry-run` prints them; without it scripts/deploy.ts runs them in order.

export interface DeployOptions {
  project: string;
  /** asia-southeast1 (Singapore) is the closest region to Vietnam with Cloud Functions, Scheduler and Firestore. */
  region: string;
  campaignDir: string;
  leadersSpreadsheetId: string | null;
  /** How often the scheduled sync runs, in minutes. */
  syncEveryMinutes: number;
  mailer: "gmail" | "smtp";
  mailFrom: string;
}

export interface PlannedCommand {
  /** What the step is for, in English for the IT officer's log; the README explains each in Vietnamese too. */
  why: string;
  argv: string[];
  /** Steps that may fail harmlessly when re-run (already exists). */
  idempotentIfExists?: boolean;
  /** Reads a secret from the officer's terminal (never put on the command line). */
  stdinSecret?: string;
}

export const FUNCTIONS = ["ingest", "sync", "remind"] as const;

export function functionUrl(o: DeployOptions, name: string): string {
  return `https://${o.region}-${o.project}.cloudfunctions.net/dondoc-${name}`;
}

export function deployPlan(o: DeployOptions): PlannedCommand[] {
  const fnSa = `dondoc-functions@${o.project}.iam.gserviceaccount.com`;
  const schedSa = `dondoc-scheduler@${o.project}.iam.gserviceaccount.com`;
  const p = `--project=${o.project}`;
  const plan: PlannedCommand[] = [
    {
      why: "Build and bundle the three functions with the campaign folder",
      argv: ["npm", "run", "build", "--", `--campaign=${o.campaignDir}`],
    },
    {
      why: "Enable the Google Cloud APIs dondoc uses",
      argv: [
        "gcloud",
        "services",
        "enable",
        "cloudfunctions.googleapis.com",
        "run.googleapis.com",
        "cloudbuild.googleapis.com",
        "artifactregistry.googleapis.com",
        "cloudscheduler.googleapis.com",
        "firestore.googleapis.com",
        "secretmanager.googleapis.com",
        "sheets.googleapis.com",
        "drive.googleapis.com",
        "gmail.googleapis.com",
        p,
      ],
    },
    {
      why: "Create the Firestore database (native mode) once",
      argv: [
        "gcloud",
        "firestore",
        "databases",
        "create",
        `--location=${o.region}`,
        "--type=firestore-native",
        p,
      ],
      idempotentIfExists: true,
    },
    {
      why: "Service account the functions run as",
      argv: [
        "gcloud",
        "iam",
        "service-accounts",
        "create",
        "dondoc-functions",
        "--display-name=dondoc functions",
        p,
      ],
      idempotentIfExists: true,
    },
    {
      why: "Service account Cloud Scheduler signs its OIDC tokens as",
      argv: [
        "gcloud",
        "iam",
        "service-accounts",
        "create",
        "dondoc-scheduler",
        "--display-name=dondoc scheduler",
        p,
      ],
      idempotentIfExists: true,
    },
    {
      why: "Let the functions use Firestore",
      argv: [
        "gcloud",
        "projects",
        "add-iam-policy-binding",
        o.project,
        `--member=serviceAccount:${fnSa}`,
        "--role=roles/datastore.user",
      ],
    },
    ...["dondoc-id-secret", "dondoc-push-secret"].map((name) => ({
      why: `Secret ${name} (at least 32 random characters; type it or pipe it in, e.g. openssl rand -hex 32)`,
      argv: ["gcloud", "secrets", "create", name, "--data-file=-", "--replication-policy=automatic", p],
      idempotentIfExists: true,
      stdinSecret: name,
    })),
    ...["dondoc-id-secret", "dondoc-push-secret"].map((name) => ({
      why: `Let the functions read ${name}`,
      argv: [
        "gcloud",
        "secrets",
        "add-iam-policy-binding",
        name,
        `--member=serviceAccount:${fnSa}`,
        "--role=roles/secretmanager.secretAccessor",
        p,
      ],
    })),
  ];

  const commonEnv = [
    "DONDOC_CAMPAIGN_DIR=campaign",
    `DONDOC_SCHEDULER_SA=${schedSa}`,
    `DONDOC_MAIL_TRANSPORT=${o.mailer}`,
    `DONDOC_MAIL_FROM=${o.mailFrom}`,
    ...(o.leadersSpreadsheetId ? [`DONDOC_LEADERS_SPREADSHEET_ID=${o.leadersSpreadsheetId}`] : []),
  ];
  for (const name of FUNCTIONS) {
    // ingest is called by Apps Script with a per-unit HMAC signature, so it must be reachable without a Google
    // identity; sync and remind are callable only by the scheduler's service account.
    const publicEndpoint = name === "ingest";
    plan.push({
      why: `Deploy the ${name} function (2nd gen, Node.js 22)`,
      argv: [
        "gcloud",
        "functions",
        "deploy",
        `dondoc-${name}`,
        "--gen2",
        "--runtime=nodejs22",
        `--region=${o.region}`,
        `--source=functions/dist/${name}`,
        `--entry-point=${name}`,
        "--trigger-http",
        publicEndpoint ? "--allow-unauthenticated" : "--no-allow-unauthenticated",
        `--service-account=${fnSa}`,
        name === "ingest" ? "--memory=512Mi" : "--memory=1Gi",
        name === "sync" ? "--timeout=540s" : "--timeout=120s",
        "--max-instances=10",
        `--set-env-vars=${[...commonEnv, `DONDOC_FUNCTION_URL=${functionUrl(o, name)}`].join(",")}`,
        "--set-secrets=DONDOC_ID_SECRET=dondoc-id-secret:latest,DONDOC_PUSH_SECRET=dondoc-push-secret:latest",
        p,
      ],
    });
    if (!publicEndpoint) {
      plan.push({
        why: `Only the scheduler's service account may invoke dondoc-${name}`,
        argv: [
          "gcloud",
          "functions",
          "add-invoker-policy-binding",
          `dondoc-${name}`,
          `--region=${o.region}`,
          `--member=serviceAccount:${schedSa}`,
          p,
        ],
      });
    }
  }
  const job = (name: string, schedule: string, why: string): PlannedCommand => ({
    why,
    argv: [
      "gcloud",
      "scheduler",
      "jobs",
      "create",
      "http",
      `dondoc-${name}`,
      `--location=${o.region}`,
      `--schedule=${schedule}`,
      "--time-zone=Asia/Ho_Chi_Minh",
      `--uri=${functionUrl(o, name)}`,
      "--http-method=POST",
      `--oidc-service-account-email=${schedSa}`,
      `--oidc-token-audience=${functionUrl(o, name)}`,
      "--attempt-deadline=540s",
      p,
    ],
    idempotentIfExists: true,
  });
  plan.push(
    job(
      "sync",
      `*/${o.syncEveryMinutes} * * * *`,
      `Sync every ${o.syncEveryMinutes} minutes (Asia/Ho_Chi_Minh)`,
    ),
    job(
      "remind",
      "5 * * * *",
      "Reminder step at minute 5 of every hour; the ledger makes each message go once",
    ),
    {
      why: "Firestore rules (deny all client access) and index settings from firebase.json",
      argv: ["npx", "--yes", "firebase-tools", "deploy", "--only", "firestore:rules,firestore:indexes", p],
    },
  );
  return plan;
}

/** Shell-quoted, one command per line, for --dry-run and the README. */
export function renderPlan(plan: PlannedCommand[]): string {
  const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`);
  return plan
    .map((c) => `# ${c.why}\n${c.stdinSecret ? "openssl rand -hex 32 | " : ""}${c.argv.map(quote).join(" ")}`)
    .join("\n\n");
}
