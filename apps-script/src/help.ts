// The guide (docs/huong-dan.md, embedded at build time) rendered for the sidebar. A small renderer for the
// Markdown the guide uses — headings, paragraphs, lists, tables, emphasis, code and links — so the bundle needs
// no Markdown library; everything else is shown as escaped text, never as HTML.

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

const SAFE_URL = /^(https:\/\/|mailto:|#)/i;

/** Emphasis, code and links inside one line; the text is escaped before any tag is added. */
export function renderInline(text: string): string {
  const codes: string[] = [];
  let out = text.replace(/`([^`]+)`/g, (_, code: string) => {
    codes.push(`<code>${escapeHtml(code)}</code>`);
    return `\uE000${codes.length - 1}\uE000`;
  });
  out = escapeHtml(out);
  out = out.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (whole, label: string, url: string) => {
    const raw = url.replace(/&amp;/g, "&");
    return SAFE_URL.test(raw) ? `<a href="${url}" target="_blank" rel="noopener">${label}</a>` : whole;
  });
  out = out.replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>");
  out = out.replace(/(^|[^\w*])\*([^*\s][^*]*)\*(?!\w)/g, "$1<em>$2</em>");
  out = out.replace(/(^|[^\w])_([^_\s][^_]*)_(?!\w)/g, "$1<em>$2</em>");
  return out.replace(/\uE000(\d+)\uE000/g, (_, i: string) => codes[Number(i)] ?? "");
}

function tableCells(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, "")
    .replace(/\|$/, "")
    .split("|")
    .map((c) => c.trim());
}

const TABLE_RULE = /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/;

export function markdownToHtml(markdown: string): string {
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  const out: string[] = [];
  let paragraph: string[] = [];
  let list: { tag: "ul" | "ol"; items: string[] } | null = null;

  const flushParagraph = () => {
    if (paragraph.length > 0) out.push(`<p>${renderInline(paragraph.join(" "))}</p>`);
    paragraph = [];
  };
  const flushList = () => {
    if (list !== null)
      out.push(`<${list.tag}>${list.items.map((i) => `<li>${i}</li>`).join("")}</${list.tag}>`);
    list = null;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heading = /^(#{1,4})\s+(.*)$/.exec(line);
    const bullet = /^\s*[-*]\s+(.*)$/.exec(line);
    const numbered = /^\s*\d+[.)]\s+(.*)$/.exec(line);
    if (line.trim() === "") {
      flushParagraph();
      flushList();
    } else if (heading !== null) {
      flushParagraph();
      flushList();
      const level = heading[1]!.length;
      out.push(`<h${level}>${renderInline(heading[2]!)}</h${level}>`);
    } else if (/^\s*(---|\*\*\*)\s*$/.test(line)) {
      flushParagraph();
      flushList();
      out.push("<hr>");
    } else if (line.trim().startsWith("|") && TABLE_RULE.test(lines[i + 1] ?? "")) {
      flushParagraph();
      flushList();
      const head = tableCells(line);
      const body: string[][] = [];
      i += 2;
      while (i < lines.length && lines[i]!.trim().startsWith("|")) body.push(tableCells(lines[i++]!));
      i--;
      const th = head.map((c) => `<th>${renderInline(c)}</th>`).join("");
      const trs = body
        .map((r) => `<tr>${r.map((c) => `<td>${renderInline(c)}</td>`).join("")}</tr>`)
        .join("");
      out.push(`<table><thead><tr>${th}</tr></thead><tbody>${trs}</tbody></table>`);
    } else if (bullet !== null || numbered !== null) {
      flushParagraph();
      const tag = bullet !== null ? "ul" : "ol";
      if (list !== null && list.tag !== tag) flushList();
      list ??= { tag, items: [] };
      list.items.push(renderInline((bullet ?? numbered)![1]!));
    } else if (list !== null && /^\s{2,}\S/.test(line)) {
      // A wrapped list item continues the previous item.
      list.items[list.items.length - 1] += ` ${renderInline(line.trim())}`;
    } else {
      flushList();
      paragraph.push(line.trim());
    }
  }
  flushParagraph();
  flushList();
  return out.join("\n");
}

const STYLE = `body{font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.5;color:#202124;margin:0 12px}
h1{font-size:20px}h2{font-size:17px;margin-top:20px}h3{font-size:15px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:4px 6px;vertical-align:top}
th{background:#DDEBF7}code{background:#f1f3f4;padding:0 3px;border-radius:3px}li{margin:2px 0}`;

/** A complete page for HtmlService. */
export function guidePage(markdown: string): string {
  return `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><style>${STYLE}</style></head><body>${markdownToHtml(markdown)}</body></html>`;
}

export const HELP_TITLE = "Hướng dẫn sử dụng dondoc";
