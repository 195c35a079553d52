import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BuiltFunction, buildFunctions, FUNCTION_NAMES } from "../../scripts/build-functions.ts";

// A function's cold start is its module's import: only the Functions Framework may load then. The Firestore
// client, google-auth-library, the Google API clients and nodemailer wait for the first request that needs
// them (bench/coldstart.ts measures both).
describe("function bundles", () => {
  let outRoot: string;
  let built: Record<string, BuiltFunction>;

  beforeAll(async () => {
    // Inside the checkout, so that the bundles resolve their packages from its node_modules.
    outRoot = await mkdtemp(join(process.cwd(), ".build-test-"));
    built = await buildFunctions({ campaignDir: "examples/cho-don", outRoot });
  }, 120_000);
  afterAll(async () => {
    await rm(outRoot, { recursive: true, force: true });
  });

  it("load only the Functions Framework when imported", () => {
    for (const name of FUNCTION_NAMES) {
      expect(built[name]!.loadedAtImport, name).toEqual(["@google-cloud/functions-framework"]);
    }
  });

  it("each use only the packages its own requests need", () => {
    // What a function's file wires (cloud/runtime.ts RuntimeWiring) is all its bundle holds: `ingest` is
    // authenticated by the push signature and neither reads sheets nor mails.
    const base = ["@google-cloud/firestore", "@google-cloud/functions-framework"];
    expect(built.ingest!.dependencies).toEqual(base);
    expect(built.sync!.dependencies).toEqual(
      [...base, "@googleapis/drive", "@googleapis/sheets", "google-auth-library"].sort(),
    );
    expect(built.remind!.dependencies).toEqual(
      [...base, "@googleapis/gmail", "google-auth-library", "nodemailer"].sort(),
    );
  });

  it("list in their package.json the packages they use", async () => {
    for (const name of FUNCTION_NAMES) {
      const pkg = JSON.parse(await readFile(join(outRoot, name, "package.json"), "utf8")) as {
        dependencies: Record<string, string>;
      };
      expect(Object.keys(pkg.dependencies).sort(), name).toEqual(built[name]!.dependencies);
    }
  });

  it("import in a fresh process without loading the packages that wait for a request", () => {
    // What a new Node process has in its CommonJS cache after importing the bundle: the framework's files, and
    // none of google-auth-library's or the Firestore client's.
    const code = `import { createRequire } from "node:module";
      await import(${JSON.stringify(join(outRoot, "sync", "index.js"))});
      const loaded = Object.keys(createRequire(import.meta.url).cache);
      process.stdout.write(JSON.stringify(loaded));`;
    const loaded = JSON.parse(
      execFileSync(process.execPath, ["--input-type=module", "-e", code], { encoding: "utf8" }),
    ) as string[];
    const fromPackage = (pkg: string) => loaded.some((file) => file.includes(`/node_modules/${pkg}/`));
    expect(fromPackage("@google-cloud/functions-framework")).toBe(true);
    expect(fromPackage("google-auth-library")).toBe(false);
    expect(fromPackage("@google-cloud/firestore")).toBe(false);
    expect(fromPackage("@googleapis/sheets")).toBe(false);
  });
});
