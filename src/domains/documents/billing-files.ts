// The monthly billing statement of an order (CP-BILLING-REALISED, CP-EFORM-BILLING) as PDF, CSV for
// French Excel (UTF-8 with BOM, ';' separator, decimal comma) and XLSX.
import { stringify } from "csv-stringify/sync";
import { formatEuros } from "../../core/rules.ts";
import { formatDateFr } from "../../core/time.ts";
import type { BillingStatement } from "../ledger/use-cases.ts";
import { type Column, decimalHours, heading, hours, labelValue, renderPdf, table } from "./pdf.ts";

const euros = (cents: number) => (cents / 100).toFixed(2).replace(".", ",");
const unitOf = (l: BillingStatement["lines"][number]) => (l.eFormation ? "heures-groupe (synchrones signées)" : "heures-stagiaire réalisées");

export function billingRows(s: BillingStatement): string[][] {
  const header = [
    "Composante",
    "Unité facturée",
    "Présentiel (h)",
    "Positionnement (h)",
    "Regroupement (h)",
    "Distance (h)",
    "Autoformation (h)",
    "Entreprise (h)",
    "Heures réalisées (h)",
    "Heures-groupe (h)",
    "Heures facturables avant plafond (h)",
    "Prix horaire (€)",
    "Montant avant plafond (€)",
    "Présences déclarées, preuve en attente, non facturées (h)",
  ];
  const rows = s.lines.map((l) => [
    l.componentTitle,
    unitOf(l),
    decimalHours(l.realised.inPerson),
    decimalHours(l.realised.positioning),
    decimalHours(l.realised.gathering),
    decimalHours(l.realised.distance),
    decimalHours(l.realised.selfStudy),
    decimalHours(l.realised.company),
    decimalHours(l.realised.total),
    l.eFormation ? decimalHours(l.groupMinutes) : "",
    decimalHours(l.basisMinutes),
    euros(s.order.unitPriceCents),
    euros(l.amountCents),
    decimalHours(l.declaredMinutes),
  ]);
  const blank = (label: string, minutes: number | "", cents: number | "") => [label, "", "", "", "", "", "", "", "", "", minutes === "" ? "" : decimalHours(minutes), "", cents === "" ? "" : euros(cents), ""];
  return [
    header,
    ...rows,
    blank("Total du mois avant plafond", s.realisedMinutes, s.uncappedAmountCents),
    blank("Volume commandé", s.orderedMinutes, ""),
    blank("Déjà facturable les mois précédents", s.billableBeforeMinutes, ""),
    blank("Écrêté (au-delà du volume commandé)", s.cappedMinutes, ""),
    blank("Total facturable du mois (plafonné)", s.billableMinutes, s.amountCents),
  ];
}

/** UTF-8 with BOM and ';' so French Excel opens it with accents and columns right. */
export function billingCsv(s: BillingStatement): Buffer {
  const body = stringify(billingRows(s), { delimiter: ";", record_delimiter: "\r\n" });
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body, "utf8")]);
}

export async function billingXlsx(s: BillingStatement): Promise<Buffer> {
  const { default: ExcelJS } = await import("exceljs"); // loaded on first use, not at start
  const wb = new ExcelJS.Workbook();
  wb.creator = "Compétences Plus";
  const ws = wb.addWorksheet(`Relevé ${s.month}`);
  ws.addRow([`Relevé de facturation — commande ${s.order.number} — ${s.order.providerName} — ${s.month}`]).font = { bold: true };
  ws.addRow([]);
  const header = ws.addRow(["Composante", "Unité", "Présentiel (h)", "Positionnement (h)", "Regroupement (h)", "Distance (h)", "Autoformation (h)", "Entreprise (h)", "Réalisé (h)", "Heures-groupe (h)", "Facturable avant plafond (h)", "Prix horaire (€)", "Montant avant plafond (€)", "Déclarées, preuve en attente (h)"]);
  header.font = { bold: true };
  const h = (m: number) => Math.round((m / 60) * 100) / 100;
  for (const l of s.lines) {
    ws.addRow([l.componentTitle, unitOf(l), h(l.realised.inPerson), h(l.realised.positioning), h(l.realised.gathering), h(l.realised.distance), h(l.realised.selfStudy), h(l.realised.company), h(l.realised.total), l.eFormation ? h(l.groupMinutes) : null, h(l.basisMinutes), s.order.unitPriceCents / 100, l.amountCents / 100, h(l.declaredMinutes)]);
  }
  ws.addRow([]);
  const total = (label: string, minutes: number, cents?: number) => ws.addRow([label, null, null, null, null, null, null, null, null, null, h(minutes), null, cents === undefined ? null : cents / 100]);
  total("Total du mois avant plafond", s.realisedMinutes, s.uncappedAmountCents);
  total("Volume commandé", s.orderedMinutes);
  total("Déjà facturable les mois précédents", s.billableBeforeMinutes);
  total("Écrêté (au-delà du volume commandé)", s.cappedMinutes);
  total("Total facturable du mois (plafonné)", s.billableMinutes, s.amountCents).font = { bold: true };
  for (const col of [3, 4, 5, 6, 7, 8, 9, 10, 11, 14]) ws.getColumn(col).numFmt = "0.00";
  for (const col of [12, 13]) ws.getColumn(col).numFmt = '#,##0.00 "€"';
  ws.getColumn(1).width = 42;
  ws.getColumn(2).width = 30;
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The billing PDF's table: its columns (points, they add up to the A4 page's 495) and its rows (laid out by `layoutTable`). */
export const BILLING_COLUMNS: Column[] = [
  { title: "Composante", width: 150 },
  { title: "Présentiel", width: 50, align: "right" },
  { title: "Distance", width: 50, align: "right" },
  { title: "Autoform.", width: 50, align: "right" },
  { title: "Entreprise", width: 50, align: "right" },
  { title: "Facturable", width: 65, align: "right" },
  { title: "Montant", width: 80, align: "right" },
];

export const billingPdfRows = (s: Pick<BillingStatement, "lines">): string[][] =>
  s.lines.map((l) => [
    `${l.componentTitle}${l.eFormation ? " (heures-groupe)" : ""}`,
    hours(l.realised.inPerson + l.realised.positioning + l.realised.gathering),
    hours(l.realised.distance),
    hours(l.realised.selfStudy),
    hours(l.realised.company),
    hours(l.basisMinutes),
    formatEuros(l.amountCents),
  ]);

export function billingPdf(s: BillingStatement, opts: { compress?: boolean } = {}): Promise<Buffer> {
  return renderPdf({ title: `Relevé de facturation ${s.order.number} ${s.month}` }, (doc) => {
    heading(doc, "RELEVÉ DE FACTURATION MENSUEL");
    labelValue(doc, "Commande", `${s.order.number} (du ${formatDateFr(s.order.plannedStart)} au ${formatDateFr(s.order.plannedEnd)})`);
    labelValue(doc, "Organisme", `${s.order.providerName} — SIRET ${s.order.siret}`);
    labelValue(doc, "Période", `du ${formatDateFr(s.period.from)} au ${formatDateFr(s.period.to)}`);
    labelValue(doc, "Prix de l'heure", formatEuros(s.order.unitPriceCents));
    doc.moveDown(0.5);
    table(doc, BILLING_COLUMNS, billingPdfRows(s));
    labelValue(doc, "Total du mois avant plafond", `${hours(s.realisedMinutes)} — ${formatEuros(s.uncappedAmountCents)}`);
    labelValue(doc, "Volume commandé", hours(s.orderedMinutes));
    labelValue(doc, "Déjà facturable les mois précédents", hours(s.billableBeforeMinutes));
    labelValue(doc, "Écrêté (au-delà du volume commandé)", hours(s.cappedMinutes));
    labelValue(doc, "Total facturable du mois (plafonné)", `${hours(s.billableMinutes)} — ${formatEuros(s.amountCents)}`);
    const declared = s.lines.reduce((sum, l) => sum + l.declaredMinutes, 0);
    if (declared > 0) labelValue(doc, "Présences déclarées, preuve en attente (non facturées)", hours(declared));
    doc.moveDown(1).fontSize(8).fillColor("#444444");
    doc.text("Heures réalisées = présences prouvées uniquement : signature du·de la stagiaire (du·de la tuteur·rice en entreprise) ou feuille papier scannée et contresignée ; une présence seulement marquée par le·la formateur·rice est déclarée, non facturée ; l'autoformation non signée n'est ni réalisée ni facturée (CP-SELFSTUDY-PRESENCE). Jamais au-delà du volume commandé, cumulé depuis le début de la commande (CP-BILLING-REALISED).");
    doc.text("E-formation : heures-groupe sur les seules heures synchrones (tutorat et regroupements) ; un créneau synchrone sans aucune présence prouvée n'est pas facturable (CP-EFORM-BILLING).");
    doc.fillColor("black");
  }, opts);
}
