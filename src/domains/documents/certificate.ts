// CP-CERTIFICATE-OF-COMPLETION: the certificate's content (a snapshot taken from the ledger when it
// is issued, hashed so the verification page can prove it unchanged) and its PDF, after the
// Ministry of Labour's model "certificat de réalisation".
import { createHash, randomBytes } from "node:crypto";
import QRCode from "qrcode";
import { formatDateFr } from "../../core/time.ts";
import type { PathRealised } from "../ledger/use-cases.ts";
import { FONT, FONT_BOLD, heading, hours, renderPdf, table } from "./pdf.ts";

export interface CertificateContent {
  provider: { name: string; siret: string; nda: string | null; address: string | null; legalRepresentative: string | null };
  trainee: { firstName: string; lastName: string };
  action: { title: string; orderNumber: string; nature: string };
  period: { from: string; to: string };
  site: { name: string; commune: string };
  minutes: {
    inPerson: number;
    gathering: number;
    distance: number;
    selfStudyRemote: number;
    selfStudyCentre: number;
    company: number;
    total: number;
  };
  absences: { absent: number; excused: number; minutes: number };
  issuedOn: string;
  /** A replacement (CP-CERTIFICATE-OF-COMPLETION): the version it replaces and why; this one is version + 1. */
  replaces?: { version: number; reason: string };
  /**
   * Set when the holder was erased (ADR 0021): the names are gone, so the content no longer hashes
   * to the printed fingerprint; `hash` is the fingerprint of the pseudonymised content.
   */
  pseudonymised?: { on: string; hash: string };
}

export const NATURE = "Action de formation (article L. 6313-1, 1° du code du travail)";

export function certificateContent(
  facts: Omit<CertificateContent, "minutes" | "absences" | "action"> & { action: Omit<CertificateContent["action"], "nature"> },
  realised: PathRealised,
): CertificateContent {
  const t = realised.totals;
  return {
    ...facts,
    action: { ...facts.action, nature: NATURE },
    minutes: {
      inPerson: t.inPerson + t.positioning,
      gathering: t.gathering,
      distance: t.distance,
      selfStudyRemote: t.selfStudyRemote,
      selfStudyCentre: t.selfStudy - t.selfStudyRemote,
      company: t.company,
      total: t.total,
    },
    absences: { absent: realised.absences.absent, excused: realised.absences.excused, minutes: realised.absences.minutes },
  };
}

/** Keys sorted at every level, so the same content always hashes the same (jsonb reorders keys). */
export function canonical(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
}

export const contentHash = (c: CertificateContent) => createHash("sha256").update(canonical(c)).digest("hex");

/** Unchanged since issued, or since its holder's erasure (then against the pseudonymised fingerprint). */
export function contentIntact(c: CertificateContent, issuedHash: string): boolean {
  if (contentHash(c) === issuedHash) return true;
  if (!c.pseudonymised) return false;
  const { pseudonymised, ...rest } = c;
  return contentHash(rest) === pseudonymised.hash;
}

/** 120 random bits, URL-safe: unguessable, so the public page reveals a certificate only to its holder. */
export const newVerificationCode = () => randomBytes(15).toString("base64url");

export const modalityRows = (m: CertificateContent["minutes"]): [string, number][] => [
  ["En présentiel (centre de formation, positionnement compris)", m.inPerson],
  ["Regroupements en présentiel (e-formation)", m.gathering],
  ["À distance, en synchrone (tutorat)", m.distance],
  ["Autoformation à distance", m.selfStudyRemote],
  ["Autoformation au centre", m.selfStudyCentre],
  ["En entreprise (période d'application)", m.company],
];

export interface IssuedCertificate {
  verificationCode: string;
  contentHash: string;
  content: CertificateContent;
  issuedAt: Date;
}

/** Draws one certificate on the current page of `doc` (batches put several in one file). */
export function drawCertificate(doc: PDFKit.PDFDocument, cert: IssuedCertificate, verifyUrl: string) {
  const c = cert.content;
  heading(doc, "CERTIFICAT DE RÉALISATION", 18);
  doc.fontSize(9).fillColor("#444444").text("Action concourant au développement des compétences — dispositif régional Compétences Plus, Région Occitanie", { align: "center" }).fillColor("black").moveDown(1.2);
  if (c.replaces) {
    doc.fontSize(9).font(FONT_BOLD).text(`Version ${c.replaces.version + 1} — remplace la version ${c.replaces.version}, motif : ${c.replaces.reason}`, { align: "center" }).font(FONT).moveDown(0.8);
  }
  doc.fontSize(11);
  doc.text(`Je soussigné·e, ${c.provider.legalRepresentative ?? "………………………………"}, représentant·e légal·e du dispensateur de l'action concourant au développement des compétences`, { align: "justify" });
  doc.font(FONT_BOLD).text(`${c.provider.name}`, { continued: true }).font(FONT).text(` (SIRET ${c.provider.siret}${c.provider.nda ? `, déclaration d'activité n° ${c.provider.nda}` : ""})${c.provider.address ? `, ${c.provider.address}` : ""},`);
  doc.moveDown(0.5).text("atteste que :").moveDown(0.5);
  doc.font(FONT_BOLD).text(`${c.trainee.firstName} ${c.trainee.lastName}`, { align: "center" }).font(FONT).moveDown(0.5);
  doc.text("a suivi l'action : ", { continued: true }).font(FONT_BOLD).text(c.action.title).font(FONT);
  doc.text(`Bon de commande de la Région Occitanie n° ${c.action.orderNumber}`);
  doc.text("Nature de l'action : ", { continued: true }).font(FONT_BOLD).text(c.action.nature).font(FONT);
  doc.text(`qui s'est déroulée du ${formatDateFr(c.period.from)} au ${formatDateFr(c.period.to)}, à ${c.site.name} (${c.site.commune}),`);
  doc.text("pour une durée réalisée de ", { continued: true }).font(FONT_BOLD).text(hours(c.minutes.total), { continued: true }).font(FONT).text(", établie à partir des émargements signés, répartie ainsi :");
  doc.moveDown(0.5);
  table(
    doc,
    [
      { title: "Modalité", width: 330 },
      { title: "Heures réalisées", width: 150, align: "right" },
    ],
    [...modalityRows(c.minutes).map(([label, m]) => [label, hours(m)]), ["Total", hours(c.minutes.total)]],
  );
  if (c.absences.absent + c.absences.excused > 0) {
    doc.fontSize(10).text(`Absences enregistrées sur la période : ${c.absences.absent} non justifiée(s), ${c.absences.excused} justifiée(s), soit ${hours(c.absences.minutes)} non réalisées.`);
  }
  doc.moveDown(1).fontSize(11).text(`Fait à ${c.site.commune}, le ${formatDateFr(c.issuedOn)}.`);
  doc.moveDown(0.5).text("Signature du représentant légal du dispensateur de l'action et cachet :");
  const y = doc.y + 5;
  doc.rect(doc.page.margins.left, y, 250, 70).stroke("#999999");
  drawQr(doc, verifyUrl, doc.page.width - doc.page.margins.right - 100, y - 5, 100);
  doc.y = y + 80;
  doc.fontSize(8).fillColor("#444444");
  doc.text(`Vérification de l'authenticité : ${verifyUrl}`, doc.page.margins.left);
  doc.text(`Code de vérification : ${cert.verificationCode} — empreinte SHA-256 du contenu : ${cert.contentHash}`);
  doc.text("Durées en heures et minutes, dérivées des seules feuilles d'émargement signées (CP-ATTENDANCE-REALISED) ; l'autoformation non signée n'est pas comptée (CP-SELFSTUDY-PRESENCE).");
  doc.fillColor("black").font(FONT).fontSize(10);
}

/**
 * The verification QR code as vector squares (one filled path; runs of dark modules merged): no PNG
 * to encode and decode again per document, and it stays sharp when printed. One-module quiet zone.
 */
function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number, width: number) {
  const { size, data } = QRCode.create(text, { errorCorrectionLevel: "M" }).modules;
  const m = width / (size + 2);
  doc.save().rect(x, y, width, width).fill("white");
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      if (!data[r * size + c]) continue;
      const start = c;
      while (c + 1 < size && data[r * size + c + 1]) c++;
      doc.rect(x + (start + 1) * m, y + (r + 1) * m, (c - start + 1) * m, m);
    }
  }
  doc.fill("black").restore();
}

/** One PDF holding the given certificates, one per page. */
export async function certificatePdf(certs: { cert: IssuedCertificate; verifyUrl: string }[], opts: { compress?: boolean } = {}): Promise<Buffer> {
  const title = certs.length === 1 ? `Certificat de réalisation — ${certs[0].cert.content.trainee.firstName} ${certs[0].cert.content.trainee.lastName}` : "Certificats de réalisation";
  return renderPdf(
    { title },
    (doc) => {
      certs.forEach((x, i) => {
        if (i > 0) doc.addPage();
        drawCertificate(doc, x.cert, x.verifyUrl);
      });
    },
    opts,
  );
}
