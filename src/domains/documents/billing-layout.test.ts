// Issue 10 point 5: the billing statement PDF lays out long component names and durations inside
// their cells. Measured with pdfkit's own font metrics (doc.widthOfString, same font and size as
// drawn): no line of any cell is wider than its column, and no text is lost.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import PDFDocument from "pdfkit";
import type { BillingStatement } from "../ledger/use-cases.ts";
import { BILLING_COLUMNS, billingPdf, billingPdfRows } from "./billing-files.ts";
import { CELL_PADDING, layoutTable, measureWith } from "./pdf.ts";

type Line = BillingStatement["lines"][number];
const realised = (m: number) => ({ inPerson: m, positioning: 59, gathering: 0, distance: m, selfStudy: m, selfStudyRemote: 0, company: m, total: 4 * m });
const line = (componentTitle: string, minutes: number, eFormation = false) =>
  ({ orderLineId: "l", componentTitle, eFormation, realised: realised(minutes), basisMinutes: minutes * 4, amountCents: 123_456_789_01, declaredMinutes: 0, groupMinutes: 0 }) as unknown as Line;

const LONG = "Préparation opérationnelle à l'emploi — conducteur·rice de transport en commun sur route, titre professionnel (RNCP37274), avec le permis D";
const statement = { lines: [line(LONG, 123_456 * 60 + 59), line("Anticonstitutionnellementdésinstitutionnalisation", 999_999, true), line("Court", 5)] };

describe("billing statement PDF: every cell's text inside its column", () => {
  test("issue 10 point 5: long component names and durations wrap or shrink, never wider than the column (pdfkit metrics)", () => {
    const doc = new PDFDocument({ size: "A4", margin: 50 });
    const rows = billingPdfRows(statement);
    const layout = layoutTable(BILLING_COLUMNS, rows, measureWith(doc));
    assert.equal(layout.rows.length, rows.length + 1, "header + one row per line");
    layout.rows.forEach((row, r) => {
      row.cells.forEach((cell, c) => {
        const col = BILLING_COLUMNS[c];
        assert.equal(cell.width, col.width);
        for (const l of cell.lines) {
          // Measured again here, with the font and size the cell is drawn in.
          const width = doc.font(cell.font).fontSize(cell.size).widthOfString(l.text);
          assert.ok(width <= col.width - 2 * CELL_PADDING, `row ${r} col « ${col.title} »: « ${l.text} » is ${width.toFixed(1)} pt wide in a ${col.width} pt column`);
          assert.ok(l.x >= cell.x + CELL_PADDING - 1e-6 && l.x + width <= cell.x + cell.width - CELL_PADDING + 1e-6, `« ${l.text} » starts and ends inside its cell`);
          assert.ok(l.y >= row.y && l.y + cell.size <= row.y + row.height, `« ${l.text} » stays inside its row`);
        }
        const expected = (r === 0 ? col.title : rows[r - 1][c]).replace(/[ \u202f\u00a0]+/g, "");
        assert.equal(cell.lines.map((l) => l.text).join("").replace(/[ \u00a0]+/g, ""), expected, "every character is drawn");
      });
    });
    const name = layout.rows[1].cells[0];
    assert.ok(name.lines.length > 1, "the long component name wraps over several lines");
    assert.ok(layout.rows[1].height > 18, "and its row grows");
    assert.ok(layout.rows[2].cells[0].size < 9 || layout.rows[2].cells[0].lines.length > 1, "a word longer than the column shrinks or is cut");
    assert.equal(layout.rows[3].height, 18, "a short row keeps its height");
  });

  test("issue 10 point 5: the PDF is drawn from that layout (the long name's lines are in the file)", async () => {
    const s = {
      ...statement,
      order: { number: "2026-OCC-0001", plannedStart: "2026-01-01", plannedEnd: "2026-12-31", providerName: "Organisme", siret: "12345678900011", unitPriceCents: 1200 },
      period: { from: "2026-03-01", to: "2026-03-31" },
      realisedMinutes: 0,
      uncappedAmountCents: 0,
      orderedMinutes: 0,
      billableBeforeMinutes: 0,
      cappedMinutes: 0,
      billableMinutes: 0,
      amountCents: 0,
    } as unknown as BillingStatement;
    const raw = (await billingPdf(s, { compress: false })).toString("latin1");
    const text = [...raw.matchAll(/<([0-9a-f]+)>/g)].map((m) => Buffer.from(m[1], "hex").toString("latin1")).join("");
    assert.match(text, /Préparation/);
    assert.match(text, /123456 h/);
    assert.match(text, /123\u00a0456\u00a0789,01 \u0080/, "amounts keep their no-break spaces (WinAnsi), not a stray glyph");
  });
});
