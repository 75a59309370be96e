// The attendance sheet (feuille d'émargement) of one slot — a half-day — as PDF: title, date and
// times, place, trainer and countersignature, each trainee's signature or absence, with the
// evidence hash that proves each line (CP-ATTENDANCE, CP-ABSENCE-DECLARED).
import { formatDateFr } from "../../core/time.ts";
import { drawSignature, FONT, FONT_BOLD, heading, hours, labelValue, renderPdf } from "./pdf.ts";
import { dateTimeSecondsFr } from "../../core/french.ts";

export interface SheetData {
  slot: {
    id: string;
    date: string;
    start: string;
    end: string;
    modality: string;
    place: string;
    title: string;
    componentTitle: string;
    orderNumber: string;
    providerName: string;
    trainerName: string | null;
    status: string;
  };
  countersignature: { signature: string; signedAt: Date; hash: string | null } | null;
  trainees: {
    name: string;
    status: "present" | "late" | "absent" | "excused" | null;
    lateMinutes: number;
    realisedMinutes: number;
    method: string | null;
    signedAt: Date | null;
    /** The server's receipt, when it came after the slot's end (a signature queued offline). */
    receivedAfterEnd: Date | null;
    signature: string | null;
    /** Proved (signature, countersigned paper scan) or only declared by the trainer (attendance's proofState). */
    proof: "proved" | "declared" | "absence" | null;
    evidenceHash: string | null;
  }[];
}

const modalityFr: Record<string, string> = {
  centre: "En centre (présentiel)",
  company: "En entreprise",
  distance: "À distance (synchrone)",
  self_study: "Autoformation",
  gathering: "Regroupement (e-formation)",
};
const methodFr: Record<string, string> = {
  qr: "QR code sur téléphone",
  kiosk: "sur l'appareil du formateur",
  paper: "feuille papier numérisée",
  remote: "lien à distance",
  self_study: "autoformation",
  tutor: "attestation du tuteur",
  trainer: "saisie du formateur",
};
const statusFr = { present: "Présent·e", late: "En retard", absent: "Absent·e", excused: "Absence justifiée" } as const;


export function sheetPdf(s: SheetData, opts: { compress?: boolean } = {}): Promise<Buffer> {
  return renderPdf({ title: `Feuille d'émargement — ${s.slot.title} — ${formatDateFr(s.slot.date)}` }, (doc) => {
    heading(doc, "FEUILLE D'ÉMARGEMENT");
    labelValue(doc, "Action", `${s.slot.componentTitle} — ${s.slot.title}`);
    labelValue(doc, "Organisme", `${s.slot.providerName} (bon de commande n° ${s.slot.orderNumber})`);
    labelValue(doc, "Date et horaires", `${formatDateFr(s.slot.date)}, de ${s.slot.start} à ${s.slot.end}`);
    labelValue(doc, "Modalité", modalityFr[s.slot.modality] ?? s.slot.modality);
    labelValue(doc, "Lieu", s.slot.place);
    labelValue(doc, "Formateur·rice", s.slot.trainerName ?? "—");
    if (s.slot.status === "cancelled") doc.font(FONT_BOLD).fillColor("#a00000").text("Créneau annulé").fillColor("black").font(FONT);
    doc.moveDown(0.8);

    const x0 = doc.page.margins.left;
    const widths = [150, 120, 225];
    const rowHeight = 58;
    const header = ["Stagiaire", "Présence", "Signature"];
    let y = doc.y;
    doc.font(FONT_BOLD).fontSize(9);
    let x = x0;
    header.forEach((h, i) => {
      doc.rect(x, y, widths[i], 18).stroke("#999999");
      doc.text(h, x + 4, y + 5, { width: widths[i] - 8 });
      x += widths[i];
    });
    y += 18;
    doc.font(FONT).fontSize(8);
    for (const t of s.trainees) {
      if (y + rowHeight > doc.page.height - doc.page.margins.bottom - 120) {
        doc.addPage();
        y = doc.page.margins.top;
      }
      x = x0;
      widths.forEach((w) => {
        doc.rect(x, y, w, rowHeight).stroke("#999999");
        x += w;
      });
      doc.font(FONT_BOLD).fontSize(9).text(t.name, x0 + 4, y + 5, { width: widths[0] - 8 }).font(FONT).fontSize(8);
      const presence = t.status
        ? `${statusFr[t.status]}${t.status === "late" ? ` (${t.lateMinutes} min)` : ""}${t.proof === "proved" ? ` — ${hours(t.realisedMinutes)}` : t.proof === "declared" ? " — déclarée, preuve en attente" : ""}`
        : "Non signé";
      doc.text(presence, x0 + widths[0] + 4, y + 5, { width: widths[1] - 8 });
      const sx = x0 + widths[0] + widths[1];
      if (t.status === "absent" || t.status === "excused") {
        doc.font(FONT_BOLD).fontSize(11).text(t.status === "absent" ? "ABSENT·E" : "ABSENCE JUSTIFIÉE", sx + 4, y + 8, { width: widths[2] - 8 }).font(FONT).fontSize(8);
      } else if (t.proof === "declared") {
        doc.text("Présence déclarée par le·la formateur·rice — preuve en attente (signature ou feuille papier scannée et contresignée) : ni réalisée ni facturée.", sx + 4, y + 4, { width: widths[2] - 8 });
      } else if (t.status && !t.signature) {
        doc.text("Présence prouvée par la feuille papier scannée, contresignée par le·la formateur·rice.", sx + 4, y + 4, { width: widths[2] - 8 });
      } else if (t.status) {
        const drawn = drawSignature(doc, t.signature, { x: sx + 4, y: y + 3, width: 110, height: 32 });
        const line = `Signé électroniquement${t.signedAt ? ` le ${dateTimeSecondsFr(t.signedAt)}` : ""} (${methodFr[t.method ?? ""] ?? t.method ?? "—"})${t.receivedAfterEnd ? `, hors ligne : reçu par la plateforme le ${dateTimeSecondsFr(t.receivedAfterEnd)}` : ""}`;
        doc.text(line, sx + (drawn ? 118 : 4), y + 4, { width: widths[2] - (drawn ? 122 : 8) });
      }
      if (t.evidenceHash) doc.fontSize(6).fillColor("#555555").text(`Preuve : ${t.evidenceHash}`, sx + 4, y + rowHeight - 16, { width: widths[2] - 8 }).fillColor("black").fontSize(8);
      y += rowHeight;
    }
    doc.x = x0;
    doc.y = y + 15;
    doc.fontSize(10).font(FONT_BOLD).text("Contre-signature du formateur·rice").font(FONT).fontSize(9);
    if (s.countersignature) {
      const cy = doc.y + 4;
      const drawn = drawSignature(doc, s.countersignature.signature, { x: x0, y: cy, width: 160, height: 50 });
      doc.text(`${s.slot.trainerName ?? "Formateur·rice"} — contre-signé le ${dateTimeSecondsFr(s.countersignature.signedAt)}`, drawn ? x0 + 170 : x0, cy + (drawn ? 15 : 0));
      if (s.countersignature.hash) doc.fontSize(6).fillColor("#555555").text(`Preuve : ${s.countersignature.hash}`).fillColor("black");
      doc.x = x0;
      doc.y = Math.max(doc.y, cy + 55);
    } else {
      doc.text("Feuille non encore contre-signée.");
    }
    doc.moveDown(1).fontSize(7).fillColor("#555555").text("Chaque ligne est prouvée par une entrée de la chaîne de preuves de ce créneau (empreintes SHA-256 chaînées), vérifiable par la Région.").fillColor("black");
  }, opts);
}
