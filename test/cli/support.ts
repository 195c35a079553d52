// Running the dondoc CLI in-process, with its output captured, on throw-away copies of the examples.
import { cp, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Writable } from "node:stream";
import { main } from "../../functions/src/cli/main.ts";

export class Capture extends Writable {
  text = "";
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

export async function dondoc(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = new Capture();
  const err = new Capture();
  const code = await main(argv, { out, err });
  return { code, out: out.text, err: err.text };
}

/** A copy of examples/<name> (campaign.json, units.csv, sheets/) plus empty out/ and data/ folders beside it. */
export async function exampleCopy(
  name: string,
): Promise<{ campaign: string; out: string; data: string; root: string }> {
  const root = await mkdtemp(join(tmpdir(), `dondoc-${name}-`));
  const campaign = join(root, name);
  await cp(resolve("examples", name), campaign, { recursive: true });
  return { campaign, out: join(root, "out"), data: join(root, "data"), root };
}
