// Bundles each Cloud Function with esbuild into functions/dist/<name>/: index.js (+ chunks), a package.json
// listing only the packages left external, and the campaign folder the function serves.
// npm run build [-- --campaign DIR]
import { cp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { build, type Metafile } from "esbuild";

/**
 * Left to npm in the deployed function: Firestore and google-gax load .proto/.json files from their package
 * folders at run time, and the Google API clients are large generated code that bundles no smaller.
 */
export const EXTERNAL = [
  "@google-cloud/firestore",
  "@google-cloud/functions-framework",
  "@googleapis/sheets",
  "@googleapis/drive",
  "@googleapis/gmail",
  "google-auth-library",
  "nodemailer",
];

export const FUNCTION_NAMES = ["ingest", "sync", "remind"] as const;

/** The package of an external import ("@googleapis/sheets/build/…" → "@googleapis/sheets"); null for node: modules. */
function packageOf(path: string): string | null {
  return EXTERNAL.find((e) => path === e || path.startsWith(`${e}/`)) ?? null;
}

function externalsUsed(meta: Metafile): string[] {
  const used = new Set<string>();
  for (const output of Object.values(meta.outputs)) {
    for (const imp of output.imports) {
      const pkg = imp.external ? packageOf(imp.path) : null;
      if (pkg) used.add(pkg);
    }
  }
  return [...used].sort();
}

/**
 * The packages a function loads when its module is imported, before any request: the entry's static imports,
 * followed through the chunks those import statically. What is imported dynamically waits for a request.
 */
function externalsAtImport(meta: Metafile, entryPoint: string): string[] {
  const entry = Object.keys(meta.outputs).find((out) => meta.outputs[out]!.entryPoint === entryPoint);
  if (!entry) throw new Error(`no output for ${entryPoint}`);
  const used = new Set<string>();
  const seen = new Set<string>();
  const todo = [entry];
  while (todo.length > 0) {
    const out = todo.pop()!;
    if (seen.has(out)) continue;
    seen.add(out);
    for (const imp of meta.outputs[out]?.imports ?? []) {
      if (imp.kind !== "import-statement") continue;
      if (!imp.external) todo.push(imp.path);
      else {
        const pkg = packageOf(imp.path);
        if (pkg) used.add(pkg);
      }
    }
  }
  return [...used].sort();
}

export interface BuiltFunction {
  /** External packages the bundle uses: its package.json's dependencies. */
  dependencies: string[];
  /** Of those, the ones loaded when the module is imported (the rest wait for a request). */
  loadedAtImport: string[];
}

export async function buildFunctions(opts: {
  campaignDir: string;
  outRoot: string;
}): Promise<Record<string, BuiltFunction>> {
  const root = JSON.parse(await readFile("package.json", "utf8")) as { dependencies: Record<string, string> };
  const result: Record<string, BuiltFunction> = {};
  for (const name of FUNCTION_NAMES) {
    const outdir = join(opts.outRoot, name);
    await rm(outdir, { recursive: true, force: true });
    await mkdir(outdir, { recursive: true });
    const entryPoint = `functions/src/cloud/${name}.ts`;
    const { metafile } = await build({
      entryPoints: { index: entryPoint },
      outdir,
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "node",
      target: "node22",
      external: EXTERNAL,
      metafile: true,
      minify: true,
      sourcemap: "linked",
      legalComments: "linked",
      // Some bundled CommonJS code calls require(); give ESM output a real one.
      banner: {
        js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
      },
      logLevel: "warning",
    });
    const deps = externalsUsed(metafile);
    const dependencies = Object.fromEntries(deps.map((d) => [d, root.dependencies[d] ?? "*"]));
    await writeFile(
      join(outdir, "package.json"),
      `${JSON.stringify({ name: `dondoc-${name}`, private: true, type: "module", main: "index.js", engines: { node: "22" }, dependencies }, null, 2)}\n`,
    );
    const campaignOut = join(outdir, "campaign");
    await mkdir(campaignOut, { recursive: true });
    for (const file of ["campaign.json", "units.csv"])
      await cp(join(opts.campaignDir, file), join(campaignOut, file));
    result[name] = { dependencies: deps, loadedAtImport: externalsAtImport(metafile, entryPoint) };
  }
  return result;
}

if (import.meta.filename === resolve(process.argv[1] ?? "")) {
  const { values } = parseArgs({
    options: {
      campaign: { type: "string", default: "examples/cho-don" },
      out: { type: "string", default: "functions/dist" },
    },
  });
  const built = await buildFunctions({ campaignDir: values.campaign!, outRoot: values.out! });
  for (const [name, { dependencies, loadedAtImport }] of Object.entries(built)) {
    console.log(
      `functions/dist/${name}: external ${dependencies.join(", ") || "none"}; loaded at import: ${loadedAtImport.join(", ") || "none"}`,
    );
  }
}
