// Exports of the Region's views: CSV for French Excel (UTF-8 with BOM, ';' separator, decimal comma) and XLSX.
import { stringify } from "csv-stringify/sync";
import type { ComplianceLine } from "./compliance.ts";
import type { Dashboard } from "./dashboard.ts";
import type { Figure } from "./rules.ts";

export type Cell = string | number | null;
export interface Sheet {
  name: string;
  rows: Cell[][];
}

const frNumber = (v: Cell) => (typeof v === "number" ? String(v).replace(".", ",") : (v ?? ""));

/** UTF-8 with BOM and ';' so French Excel opens it with accents and columns right; numbers with a decimal comma. */
export function csvOf(rows: Cell[][]): Buffer {
  const body = stringify(
    rows.map((r) => r.map(frNumber)),
    { delimiter: ";", record_delimiter: "\r\n" },
  );
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body, "utf8")]);
}

export async function xlsxOf(sheets: Sheet[]): Promise<Buffer> {
  const { default: ExcelJS } = await import("exceljs"); // loaded on first use, not at start (ADR 0040)
  const wb = new ExcelJS.Workbook();
  wb.creator = "Compétences Plus";
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name.slice(0, 31));
    s.rows.forEach((r, i) => {
      const row = ws.addRow(r);
      if (i === 0) row.font = { bold: true };
    });
    ws.getColumn(1).width = 28;
    ws.getColumn(2).width = 48;
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const hours = (m: number) => Math.round((m / 60) * 100) / 100;

const cellOf = (f: Figure): Cell => {
  if (f.status === "no_data") return "pas encore de données";
  if (f.status === "small_base") return "masqué (moins de 5 personnes)";
  return f.unit === "minutes" ? hours(f.value ?? 0) : f.value;
};
const unitOf = (f: Figure) => ({ people: "personnes", minutes: "heures", percent: "%" })[f.unit];

/** The dashboard as one table: section, indicator, value, unit, base and what it counts, rule. */
export function dashboardRows(d: Dashboard): Cell[][] {
  const rows: Cell[][] = [["Rubrique", "Indicateur", "Valeur", "Unité", "Base", "Base : ce qui est compté", "Règle"]];
  const add = (section: string, figures: Figure[]) => {
    for (const f of figures) rows.push([section, f.label, cellOf(f), unitOf(f), f.base, f.baseLabel, f.rule]);
  };
  add("Organisation", d.organisation);
  add("Sorties", d.exits);
  add("Sorties par motif", d.exitReasons);
  add("Heures", d.hoursFigures);
  for (const [label, key] of [
    ["Présentiel en centre (positionnement compris)", "centre"],
    ["Entreprise", "company"],
    ["Distance (FAD)", "distance"],
    ["Autoformation", "selfStudy"],
  ] as const) {
    rows.push(["Heures prévues par modalité", label, hours(d.hours.planned[key]), "heures", null, "parcours entrés", "CP-KPI-ORGANISATION"]);
    rows.push(["Heures réalisées par modalité", label, hours(d.hours.realised[key]), "heures", null, "parcours entrés", "CP-ATTENDANCE-REALISED"]);
  }
  for (const m of d.entriesByMonth) rows.push(["Entrées par mois", m.month, m.entries, "personnes", m.entries, "parcours entrés ce mois", "CP-KPI-ORGANISATION"]);
  add("Examens", d.exams);
  add("VAE", d.vae);
  add("Emploi", d.employment);
  add("Satisfaction", d.satisfaction);
  return rows;
}

const severityLabel = (s: string) => (s === "error" ? "Erreur" : "Alerte");

export function complianceRows(lines: ComplianceLine[], baseUrl: string): Cell[][] {
  return [
    ["Règle", "Article", "Gravité", "Organisme", "Commande", "Objet", "Depuis", "Constat", "Lien"],
    ...lines.map((l) => [l.rule, l.article, severityLabel(l.severity), l.providerName, l.orderNumber, l.object, l.since, l.message, `${baseUrl}${l.href}`]),
  ];
}
