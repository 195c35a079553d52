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
});
