// A clustered column chart added to a saved .xlsx package. exceljs cannot write charts, so the DrawingML
// parts are written here by hand: the chart part, a drawing anchoring it on the sheet, the relationships
// tying sheet → drawing → chart, the sheet's <drawing> element and the content types. The series reference
// the sheet's cells (so the chart follows edits) and carry caches of the values (so viewers that do not
// recalculate, and previews, still draw the bars).
import type JSZip from "jszip";
import { DondocError } from "../../core/errors.ts";
import { columnLetter } from "./cells.ts";

const NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const REL_DRAWING = `${NS_REL}/drawing`;
const REL_CHART = `${NS_REL}/chart`;
const CT_CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml";
const CT_DRAWING = "application/vnd.openxmlformats-officedocument.drawing+xml";

/** Office's default series colours (blue, orange, grey, gold), readable in print and for most colour vision. */
const SERIES_COLORS = ["4472C4", "ED7D31", "A5A5A5", "FFC000", "5B9BD5", "70AD47"];

/** A column of cells on the chart's sheet: 1-based column, rows inclusive. */
export interface ColumnRange {
  column: number;
  firstRow: number;
  lastRow: number;
}

export interface ChartSeries {
  /** The header cell naming the series, and its text for the cache. */
  nameCell: { column: number; row: number };
  name: string;
  values: ColumnRange;
  /** Cached values, one per category; null leaves a gap. */
  cache: (number | null)[];
}

export interface BarChartSpec {
  /** Worksheet (tab) name the chart is placed on and whose cells it references. */
  sheetName: string;
  title: string;
  categories: ColumnRange;
  categoryCache: string[];
  series: ChartSeries[];
  /** Zero-based cell corners of the chart's frame (DrawingML anchors count from 0). */
  anchor: { fromCol: number; fromRow: number; toCol: number; toRow: number };
}

export function escapeXml(s: string): string {
  return s
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&apos;");
}

function unescapeXml(s: string): string {
  return s
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&apos;", "'")
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replaceAll("&amp;", "&");
}

/**
 * A sheet name as formulas write it. Always quoted (valid for every name, required for "Xếp hạng" with its
 * space and non-ASCII letters); an apostrophe inside is doubled.
 */
export function quoteSheetName(name: string): string {
  return `'${name.replaceAll("'", "''")}'`;
}

export function absoluteRef(sheetName: string, column: number, row: number): string {
  return `${quoteSheetName(sheetName)}!$${columnLetter(column)}$${row}`;
}

export function rangeRef(sheetName: string, r: ColumnRange): string {
  const col = columnLetter(r.column);
  return `${quoteSheetName(sheetName)}!$${col}$${r.firstRow}:$${col}$${r.lastRow}`;
}

function strCache(values: string[]): string {
  const pts = values.map((v, i) => `<c:pt idx="${i}"><c:v>${escapeXml(v)}</c:v></c:pt>`).join("");
  return `<c:strCache><c:ptCount val="${values.length}"/>${pts}</c:strCache>`;
}

function numCache(values: (number | null)[]): string {
  const pts = values
    .map((v, i) => (v === null || !Number.isFinite(v) ? "" : `<c:pt idx="${i}"><c:v>${v}</c:v></c:pt>`))
    .join("");
  return `<c:numCache><c:formatCode>General</c:formatCode><c:ptCount val="${values.length}"/>${pts}</c:numCache>`;
}

function richText(text: string, size: number, bold: boolean): string {
  const b = bold ? ' b="1"' : ' b="0"';
  return (
    `<c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="${size}"${b}/></a:pPr>` +
    `<a:r><a:rPr lang="vi-VN" sz="${size}"${b}/><a:t>${escapeXml(text)}</a:t></a:r></a:p></c:rich></c:tx>`
  );
}

/** The chart part (c:chartSpace) for `spec`. */
export function barChartXml(spec: BarChartSpec): string {
  const cat = `<c:cat><c:strRef><c:f>${escapeXml(rangeRef(spec.sheetName, spec.categories))}</c:f>${strCache(spec.categoryCache)}</c:strRef></c:cat>`;
  const series = spec.series
    .map((s, i) => {
      const color = SERIES_COLORS[i % SERIES_COLORS.length];
      const name = escapeXml(absoluteRef(spec.sheetName, s.nameCell.column, s.nameCell.row));
      return (
        `<c:ser><c:idx val="${i}"/><c:order val="${i}"/>` +
        `<c:tx><c:strRef><c:f>${name}</c:f>${strCache([s.name])}</c:strRef></c:tx>` +
        `<c:spPr><a:solidFill><a:srgbClr val="${color}"/></a:solidFill></c:spPr>` +
        `<c:invertIfNegative val="0"/>${cat}` +
        `<c:val><c:numRef><c:f>${escapeXml(rangeRef(spec.sheetName, s.values))}</c:f>${numCache(s.cache)}</c:numRef></c:val>` +
        "</c:ser>"
      );
    })
    .join("");
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" ' +
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" ' +
    `xmlns:r="${NS_REL}">` +
    '<c:lang val="vi-VN"/><c:roundedCorners val="0"/>' +
    `<c:chart><c:title>${richText(spec.title, 1400, true)}<c:overlay val="0"/></c:title>` +
    '<c:autoTitleDeleted val="0"/><c:plotArea><c:layout/>' +
    '<c:barChart><c:barDir val="col"/><c:grouping val="clustered"/><c:varyColors val="0"/>' +
    series +
    '<c:gapWidth val="60"/><c:axId val="500000001"/><c:axId val="500000002"/></c:barChart>' +
    '<c:catAx><c:axId val="500000001"/><c:scaling><c:orientation val="minMax"/></c:scaling>' +
    '<c:delete val="0"/><c:axPos val="b"/><c:numFmt formatCode="General" sourceLinked="0"/>' +
    '<c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>' +
    '<c:crossAx val="500000002"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/>' +
    '<c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>' +
    '<c:valAx><c:axId val="500000002"/><c:scaling><c:orientation val="minMax"/></c:scaling>' +
    '<c:delete val="0"/><c:axPos val="l"/><c:majorGridlines/>' +
    // Same Vietnamese-locale integer format as the cells: a vi-VN reader sees 19.662 on the axis too.
    '<c:numFmt formatCode="[$-42A]#,##0" sourceLinked="0"/>' +
    '<c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>' +
    '<c:crossAx val="500000001"/><c:crosses val="autoZero"/><c:crossBetween val="between"/></c:valAx>' +
    "</c:plotArea>" +
    '<c:legend><c:legendPos val="b"/><c:overlay val="0"/></c:legend>' +
    '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart></c:chartSpace>'
  );
}

/** The drawing part anchoring the chart (relationship `chartRelId`) between two cell corners. */
export function drawingXml(spec: BarChartSpec, chartRelId: string, name: string): string {
  const { fromCol, fromRow, toCol, toRow } = spec.anchor;
  const corner = (tag: string, col: number, row: number) =>
    `<xdr:${tag}><xdr:col>${col}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>${row}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:${tag}>`;
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" ' +
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">' +
    '<xdr:twoCellAnchor editAs="oneCell">' +
    corner("from", fromCol, fromRow) +
    corner("to", toCol, toRow) +
    '<xdr:graphicFrame macro="">' +
    `<xdr:nvGraphicFramePr><xdr:cNvPr id="2" name="${escapeXml(name)}"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>` +
    '<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm>' +
    '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">' +
    `<c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:r="${NS_REL}" r:id="${chartRelId}"/>` +
    "</a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor></xdr:wsDr>"
  );
}

function relationshipsXml(rels: { id: string; type: string; target: string }[]): string {
  const body = rels
    .map((r) => `<Relationship Id="${r.id}" Type="${r.type}" Target="${escapeXml(r.target)}"/>`)
    .join("");
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${body}</Relationships>`
  );
}

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m?.[1] === undefined ? undefined : unescapeXml(m[1]);
}

async function text(zip: JSZip, path: string): Promise<string> {
  const file = zip.file(path);
  if (file === null) throw new DondocError("xlsx-part-missing", `Tệp .xlsx thiếu phần ${path}.`, { path });
  return file.async("string");
}

/** The worksheet part ("xl/worksheets/sheet1.xml") of the tab named `sheetName`. */
async function worksheetPart(zip: JSZip, sheetName: string): Promise<string> {
  const workbook = await text(zip, "xl/workbook.xml");
  const sheetTag = [...workbook.matchAll(/<sheet\b[^>]*\/?>/g)]
    .map((m) => m[0])
    .find((tag) => attr(tag, "name") === sheetName);
  const relId = sheetTag === undefined ? undefined : attr(sheetTag, "r:id");
  if (relId === undefined) {
    throw new DondocError("xlsx-sheet-missing", `Không có trang tính "${sheetName}" để vẽ biểu đồ.`, {
      sheetName,
    });
  }
  const rels = await text(zip, "xl/_rels/workbook.xml.rels");
  const relTag = [...rels.matchAll(/<Relationship\b[^>]*\/?>/g)]
    .map((m) => m[0])
    .find((t) => attr(t, "Id") === relId);
  const target = relTag === undefined ? undefined : attr(relTag, "Target");
  if (target === undefined) {
    throw new DondocError("xlsx-part-missing", `Không tìm thấy phần dữ liệu của trang "${sheetName}".`, {
      relId,
    });
  }
  return target.startsWith("/") ? target.slice(1) : `xl/${target}`;
}

function relsPathOf(part: string): string {
  const slash = part.lastIndexOf("/");
  return `${part.slice(0, slash)}/_rels/${part.slice(slash + 1)}.rels`;
}

function nextFree(zip: JSZip, pattern: (n: number) => string): { n: number; path: string } {
  for (let n = 1; ; n++) {
    const path = pattern(n);
    if (zip.file(path) === null) return { n, path };
  }
}

/** Elements that must follow <drawing> in a worksheet (CT_Worksheet's sequence). */
const AFTER_DRAWING = [
  "legacyDrawing",
  "legacyDrawingHF",
  "drawingHF",
  "picture",
  "oleObjects",
  "controls",
  "webPublishItems",
  "tableParts",
  "extLst",
];

function insertDrawingElement(sheetXml: string, relId: string): string {
  if (/<drawing\b/.test(sheetXml)) {
    throw new DondocError("xlsx-drawing-exists", "Trang tính đã có bản vẽ; không thể thêm biểu đồ thứ hai.");
  }
  const element = `<drawing r:id="${relId}"/>`;
  let at = sheetXml.lastIndexOf("</worksheet>");
  for (const name of AFTER_DRAWING) {
    const i = sheetXml.search(new RegExp(`<${name}\\b`));
    if (i >= 0 && i < at) at = i;
  }
  let xml = `${sheetXml.slice(0, at)}${element}${sheetXml.slice(at)}`;
  if (!/<worksheet\b[^>]*\sxmlns:r=/.test(xml))
    xml = xml.replace("<worksheet", `<worksheet xmlns:r="${NS_REL}"`);
  return xml;
}

function addOverride(contentTypes: string, partName: string, contentType: string): string {
  const override = `<Override PartName="${partName}" ContentType="${contentType}"/>`;
  return contentTypes.replace("</Types>", `${override}</Types>`);
}

/** Adds the chart to the package in place. */
export async function addBarChart(zip: JSZip, spec: BarChartSpec): Promise<void> {
  if (spec.series.length === 0)
    throw new DondocError("chart-no-series", "Biểu đồ cần ít nhất một chuỗi số liệu.");
  const sheetPart = await worksheetPart(zip, spec.sheetName);
  const chart = nextFree(zip, (n) => `xl/charts/chart${n}.xml`);
  const drawing = nextFree(zip, (n) => `xl/drawings/drawing${n}.xml`);

  zip.file(chart.path, barChartXml(spec));
  zip.file(drawing.path, drawingXml(spec, "rId1", `Biểu đồ ${chart.n}`));
  zip.file(
    relsPathOf(drawing.path),
    relationshipsXml([{ id: "rId1", type: REL_CHART, target: `../charts/chart${chart.n}.xml` }]),
  );

  const sheetRelsPath = relsPathOf(sheetPart);
  const existing = zip.file(sheetRelsPath) === null ? null : await text(zip, sheetRelsPath);
  const usedIds = new Set([...(existing ?? "").matchAll(/\sId="([^"]*)"/g)].map((m) => m[1]));
  let k = 1;
  while (usedIds.has(`rId${k}`)) k++;
  const relId = `rId${k}`;
  const rel = `<Relationship Id="${relId}" Type="${REL_DRAWING}" Target="../drawings/drawing${drawing.n}.xml"/>`;
  zip.file(
    sheetRelsPath,
    existing === null
      ? relationshipsXml([{ id: relId, type: REL_DRAWING, target: `../drawings/drawing${drawing.n}.xml` }])
      : existing.replace("</Relationships>", `${rel}</Relationships>`),
  );

  zip.file(sheetPart, insertDrawingElement(await text(zip, sheetPart), relId));

  let types = await text(zip, "[Content_Types].xml");
  types = addOverride(types, `/${chart.path}`, CT_CHART);
  types = addOverride(types, `/${drawing.path}`, CT_DRAWING);
  zip.file("[Content_Types].xml", types);
}
