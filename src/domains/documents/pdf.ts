// pdfkit helpers shared by every document. No OFL TrueType font ships with the installed packages,
// so documents use pdfkit's standard Helvetica (WinAnsi encoding: é è à ç œ € « » render).
import type PDFKitDocument from "pdfkit";
import { formatMinutes } from "../../core/rules.ts";

export type Doc = PDFKit.PDFDocument;

export const FONT = "Helvetica";
export const FONT_BOLD = "Helvetica-Bold";

/**
 * pdfkit re-reads and re-parses the standard fonts' metrics (AFM files) for every document: about
 * half of a certificate's time (measured, 5 ms of 10). The parsed metrics are never written after
 * parsing, so each file is parsed once per process and its tables shared. If pdfkit's internals
 * change shape, documents stay correct, only slower.
 */
/** pdfkit (and its fonts) is loaded on the first document, not at start (docs/adr/0020). */
let pdfkit: Promise<typeof PDFKitDocument> | undefined;
const loadPdfkit = () => (pdfkit ??= import("pdfkit").then((m) => m.default));

let metricsShared = false;
function parseStandardFontMetricsOnce(PDFDocument: typeof PDFKitDocument) {
  if (metricsShared) return;
  metricsShared = true;
  const probe = new PDFDocument({ autoFirstPage: false });
  probe.font(FONT);
  const afm = (probe as unknown as { _font?: { font?: { constructor: { prototype: { parse?: (contents: string) => void } } } } })._font?.font?.constructor.prototype;
  const parse = afm?.parse;
  if (!afm || !parse) return;
  type Tables = { attributes: unknown; glyphWidths: unknown; boundingBoxes: unknown; kernPairs: unknown };
  const parsed = new Map<string, Tables>();
  afm.parse = function (this: Tables, contents: string) {
    const hit = parsed.get(contents);
    if (hit) {
      Object.assign(this, hit);
      return;
    }
    parse.call(this, contents);
    parsed.set(contents, { attributes: this.attributes, glyphWidths: this.glyphWidths, boundingBoxes: this.boundingBoxes, kernPairs: this.kernPairs });
  };
}

/** Builds a PDF in memory. `compress` is off in tests only to read the text back. */
export async function renderPdf(meta: { title: string; subject?: string }, build: (doc: Doc) => void, opts: { compress?: boolean } = {}): Promise<Buffer> {
  const PDFDocument = await loadPdfkit();
  parseStandardFontMetricsOnce(PDFDocument);
  const doc = new PDFDocument({ size: "A4", margin: 50, compress: opts.compress ?? true, info: { Title: meta.title, Subject: meta.subject ?? meta.title, Author: "Compétences Plus — Région Occitanie", Creator: "Compétences Plus" }, lang: "fr-FR", bufferPages: true });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("data", (c: Buffer) => chunks.push(c));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  doc.font(FONT);
  build(doc);
  doc.end();
  return done;
}

export const hours = (minutes: number) => formatMinutes(minutes);

/** "1 234,50" for the CSV and PDFs (hours with a decimal comma). */
export const decimalHours = (minutes: number) => (minutes / 60).toFixed(2).replace(".", ",");

export function heading(doc: Doc, text: string, size = 16) {
  doc.font(FONT_BOLD).fontSize(size).text(text, { align: "center" }).moveDown(0.5).font(FONT).fontSize(10);
}

export function labelValue(doc: Doc, label: string, value: string) {
  doc.font(FONT_BOLD).text(`${label} : `, { continued: true }).font(FONT).text(value);
}

/** A simple table: fixed column widths, header row in bold, new page when the bottom is reached. */
export function table(doc: Doc, columns: { title: string; width: number; align?: "left" | "right" }[], rows: string[][], opts: { rowHeight?: number } = {}) {
  const x0 = doc.page.margins.left;
  const rowHeight = opts.rowHeight ?? 18;
  const drawRow = (cells: string[], bold: boolean) => {
    if (doc.y + rowHeight > doc.page.height - doc.page.margins.bottom) doc.addPage();
    const y = doc.y;
    let x = x0;
    doc.font(bold ? FONT_BOLD : FONT).fontSize(9);
    cells.forEach((cell, i) => {
      const col = columns[i];
      doc.text(cell, x + 3, y + 4, { width: col.width - 6, align: col.align ?? "left", lineBreak: false, ellipsis: true });
      doc.rect(x, y, col.width, rowHeight).stroke("#999999");
      x += col.width;
    });
    doc.x = x0;
    doc.y = y + rowHeight;
  };
  drawRow(columns.map((c) => c.title), true);
  for (const r of rows) drawRow(r, false);
  doc.font(FONT).fontSize(10).moveDown(0.5);
}

/**
 * Draws a stored signature into a box: an SVG from the signature pad (its paths, scaled to the
 * box), a PNG data URL, or nothing (returns false: the caller prints the electronic-signature line).
 */
export function drawSignature(doc: Doc, signature: string | null, box: { x: number; y: number; width: number; height: number }): boolean {
  if (!signature) return false;
  try {
    let svg = signature;
    const png = /^data:image\/png;base64,(.+)$/.exec(signature);
    if (png) {
      doc.image(Buffer.from(png[1], "base64"), box.x, box.y, { fit: [box.width, box.height] });
      return true;
    }
    const svgData = /^data:image\/svg\+xml;base64,(.+)$/.exec(signature);
    if (svgData) svg = Buffer.from(svgData[1], "base64").toString("utf8");
    if (!svg.includes("<svg")) return false;
    const paths = [...svg.matchAll(/<path[^>]*\sd=["']([^"']+)["']/g)].map((m) => m[1]);
    if (paths.length === 0) return false;
    const vb = /viewBox=["']([\d.\s-]+)["']/.exec(svg)?.[1].trim().split(/\s+/).map(Number);
    const w = vb?.[2] || Number(/width=["']([\d.]+)/.exec(svg)?.[1] ?? 300);
    const h = vb?.[3] || Number(/height=["']([\d.]+)/.exec(svg)?.[1] ?? 150);
    const scale = Math.min(box.width / w, box.height / h);
    doc.save().translate(box.x, box.y).scale(scale);
    for (const d of paths) doc.path(d).lineWidth(1.5 / scale).stroke("#1a1a1a");
    doc.restore();
    return true;
  } catch {
    return false;
  }
}
