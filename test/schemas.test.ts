// schemas/ is the single source of types; schemas/json/ is its JSON Schema export and must stay current.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Campaign, Standings } from "../schemas/index.ts";
import { jsonSchemas } from "../schemas/json-schemas.ts";

describe("schemas/json", () => {
  const schemas = jsonSchemas();

  it.each(Object.keys(schemas))(
    "%s.schema.json equals the zod schema's export (npm run schemas:export)",
    (name) => {
      const committed = JSON.parse(readFileSync(`schemas/json/${name}.schema.json`, "utf8"));
      expect(committed).toEqual(JSON.parse(JSON.stringify(schemas[name])));
    },
  );

  it("has no file without a schema", () => {
    const files = readdirSync("schemas/json").map((f) => f.replace(/\.schema\.json$/, ""));
    expect(files.sort()).toEqual(Object.keys(schemas).sort());
  });

  it("describes what the schemas accept: every example campaign parses", () => {
    for (const dir of readdirSync("examples")) {
      expect(() =>
        Campaign.parse(JSON.parse(readFileSync(`examples/${dir}/campaign.json`, "utf8"))),
      ).not.toThrow();
    }
    expect(schemas.standings).toMatchObject({ type: "object" });
    expect(Standings.shape.units).toBeDefined();
  });

  it("refuses a campaign of more than 30 indicators (a row's ticks are the bits of one integer)", () => {
    const example = JSON.parse(readFileSync("examples/cho-don/campaign.json", "utf8"));
    const many = (n: number) => ({
      ...example,
      indicators: Array.from({ length: n }, (_, i) => ({ key: `i${i}`, label: `Chỉ tiêu ${i}` })),
      ranking: { ...example.ranking, indicator: "i0" },
    });
    expect(Campaign.safeParse(many(30)).success).toBe(true);
    const refused = Campaign.safeParse(many(31));
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((i) => i.message)).toContain("Chiến dịch có tối đa 30 chỉ tiêu.");
  });
});
