// Sheets wants colours as 0–1 floats; the core shares its fills as RGB hex with the .xlsx writer.

export interface SheetsColor {
  red: number;
  green: number;
  blue: number;
}

export function hexToColor(hex: string): SheetsColor {
  const m = /^#?([0-9a-fA-F]{2})([0-9a-fA-F]{2})([0-9a-fA-F]{2})$/.exec(hex);
  if (!m) throw new RangeError(`not an RGB hex colour: ${hex}`);
  // Three decimals keep the JSON short and still map back to the same byte.
  const channel = (h: string): number => Math.round((Number.parseInt(h, 16) / 255) * 1000) / 1000;
  return { red: channel(m[1]!), green: channel(m[2]!), blue: channel(m[3]!) };
}

/** The byte-exact hex a Sheets colour stands for (tests compare fills this way). */
export function colorToHex(c: Partial<SheetsColor> | undefined): string | null {
  if (!c) return null;
  const byte = (v: number | undefined): string =>
    Math.round((v ?? 0) * 255)
      .toString(16)
      .padStart(2, "0")
      .toUpperCase();
  return `${byte(c.red)}${byte(c.green)}${byte(c.blue)}`;
}
