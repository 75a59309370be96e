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

/**
 * Helvetica's WinAnsi encoding has no narrow no-break space (U+202F, which Intl puts in « 1 234,00 € »):
 * it would print as a stray glyph. The no-break space it has keeps the figures together.
 */
export const winAnsi = (text: string) => text.replace(/[\u202f\u2009]/g, "\u00a0");

export function labelValue(doc: Doc, label: string, value: string) {
  doc.font(FONT_BOLD).text(`${label} : `, { continued: true }).font(FONT).text(winAnsi(value));
}

export type Measure = (text: string, font: string, size: number) => number;
export interface Column {
  title: string;
  width: number;
  align?: "left" | "right";
}
/** One line of a cell, placed: `x`, `y` from the table's top-left corner; `width` as measured. */
export interface PlacedLine {
  text: string;
  x: number;
  y: number;
  width: number;
}
export interface CellBox {
  x: number;
  y: number;
  width: number;
  height: number;
  font: string;
  size: number;
  lines: PlacedLine[];
}

export const CELL_PADDING = 3;
const TABLE_SIZE = 9;
const MIN_SIZE = 6;
const LINE_HEIGHT = 1.2;

/**
 * A cell's text wrapped into lines no wider than `width`: at the table's size if every word fits,
 * else at a smaller size (down to 6 pt); a word still too wide is cut between characters.
 */
export function wrapCell(text: string, width: number, font: string, measure: Measure): { size: number; lines: string[] } {
  const words = text.split(/ +/).filter(Boolean);
  let size = TABLE_SIZE;
  while (size > MIN_SIZE && words.some((w) => measure(w, font, size) > width)) size -= 0.5;
  const pieces = words.flatMap((w) => (measure(w, font, size) <= width ? [w] : cutWord(w, width, font, size, measure)));
  const lines: string[] = [];
  for (const w of pieces) {
    const last = lines.length ? lines[lines.length - 1] : undefined;
    if (last !== undefined && measure(`${last} ${w}`, font, size) <= width) lines[lines.length - 1] = `${last} ${w}`;
    else lines.push(w);
  }
  return { size, lines: lines.length ? lines : [""] };
}

function cutWord(word: string, width: number, font: string, size: number, measure: Measure): string[] {
  const out: string[] = [];
  let cur = "";
  for (const ch of word) {
    if (cur && measure(cur + ch, font, size) > width) {
      out.push(cur);
      cur = ch;
    } else cur += ch;
  }
  if (cur) out.push(cur);
  return out;
}

/**
 * Lays out a table (header row in bold, then `rows`) as cell boxes, pure: no text ever leaves its
 * column (issue 10 point 5) — long texts wrap and the row grows, a long word shrinks. Positions are
 * relative to the table's top-left corner; `measure` is pdfkit's own metrics (doc.widthOfString).
 */
export function layoutTable(columns: Column[], rows: string[][], measure: Measure, minRowHeight = 18): { rows: { y: number; height: number; cells: CellBox[] }[] } {
  const out: { y: number; height: number; cells: CellBox[] }[] = [];
  let y = 0;
  [columns.map((c) => c.title), ...rows].forEach((cells, r) => {
    const font = r === 0 ? FONT_BOLD : FONT;
    let x = 0;
    const wrapped = columns.map((col, i) => {
      const inner = col.width - 2 * CELL_PADDING;
      const w = wrapCell(winAnsi(cells[i] ?? ""), inner, font, measure);
      const cell = { x, col, inner, ...w };
      x += col.width;
      return cell;
    });
    const height = Math.max(minRowHeight, ...wrapped.map((w) => w.lines.length * w.size * LINE_HEIGHT + 2 * CELL_PADDING + 1));
    out.push({
      y,
      height,
      cells: wrapped.map((w) => ({
        x: w.x,
        y,
        width: w.col.width,
        height,
        font,
        size: w.size,
        lines: w.lines.map((text, i) => {
          const width = measure(text, font, w.size);
          return { text, width, y: y + CELL_PADDING + 1 + i * w.size * LINE_HEIGHT, x: w.col.align === "right" ? w.x + w.col.width - CELL_PADDING - width : w.x + CELL_PADDING };
        }),
      })),
    });
    y += height;
  });
  return { rows: out };
}

/** pdfkit's width of a text in a font and size (restores nothing: callers set their font after). */
export const measureWith =
  (doc: Doc): Measure =>
  (text, font, size) =>
    doc.font(font).fontSize(size).widthOfString(text);

/** A table from `layoutTable`: borders, each line at its place; a new page when a row would cross the bottom (header repeated). */
export function table(doc: Doc, columns: Column[], rows: string[][]) {
  const x0 = doc.page.margins.left;
  const layout = layoutTable(columns, rows, measureWith(doc));
  const [header] = layout.rows;
  const drawRow = (row: (typeof layout.rows)[number], top: number) => {
    for (const cell of row.cells) {
      doc.rect(x0 + cell.x, top, cell.width, row.height).stroke("#999999");
      doc.font(cell.font).fontSize(cell.size);
      for (const line of cell.lines) doc.text(line.text, x0 + line.x, top + (line.y - row.y), { lineBreak: false });
    }
  };
  let top = doc.y;
  for (const row of layout.rows) {
    if (top + row.height > doc.page.height - doc.page.margins.bottom) {
      doc.addPage();
      top = doc.y;
      if (row !== header) {
        drawRow(header, top);
        top += header.height;
      }
    }
    drawRow(row, top);
    top += row.height;
  }
  doc.x = x0;
  doc.y = top;
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
