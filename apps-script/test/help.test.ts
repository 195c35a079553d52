import { describe, expect, it } from "vitest";
import { markdownToHtml, renderInline } from "../src/help.ts";

describe("guide rendering", () => {
  it("renders headings, lists, tables and emphasis", () => {
    const html = markdownToHtml(
      "## Cách nhập\n\n- **Ngày**: dạng `dd/mm/yyyy`\n- Số định danh\n  12 chữ số\n\n| Màu | Ý nghĩa |\n| --- | --- |\n| Đỏ  | Lỗi     |\n",
    );
    expect(html).toBe(
      [
        "<h2>Cách nhập</h2>",
        "<ul><li><strong>Ngày</strong>: dạng <code>dd/mm/yyyy</code></li><li>Số định danh 12 chữ số</li></ul>",
        "<table><thead><tr><th>Màu</th><th>Ý nghĩa</th></tr></thead><tbody><tr><td>Đỏ</td><td>Lỗi</td></tr></tbody></table>",
      ].join("\n"),
    );
  });

  it("never lets text through as HTML and links only to https", () => {
    expect(renderInline('<script>alert("x")</script> `<b>`')).toBe(
      "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; <code>&lt;b&gt;</code>",
    );
    expect(renderInline("[trang](https://example.gov.vn/a?b=1&c=2)")).toBe(
      '<a href="https://example.gov.vn/a?b=1&amp;c=2" target="_blank" rel="noopener">trang</a>',
    );
    expect(renderInline("[x](javascript:alert(1))")).not.toContain("<a");
  });
});
