// The AMI's PDFs (pdfkit helpers of the documents domain): the applicant's summary on submission
// (AMI-RECEIPT) and the blank form to prepare an answer (AMI-APPLICATION-CONTENT).
import { FONT, FONT_BOLD, heading, labelValue, renderPdf } from "../documents/pdf.ts";
import { formatParis } from "./paris.ts";
import { AXES, axisLabels, LEAD_MIN_BP, MAX_IMPLEMENTATION_SITES, formatPercent, picPublicLabels, PIC_PUBLICS } from "./rules.ts";
import { summaryLines, type ApplicationView, type CallView } from "./use-cases.ts";

/** AMI-RECEIPT: the summary of a submitted application, valid one year. */
export function receiptPdf(v: ApplicationView, opts: { compress?: boolean } = {}): Promise<Buffer> {
  const sites = new Map(v.sites.map((s) => [s.id, `${s.name} (${s.commune})`]));
  return renderPdf(
    { title: "Récapitulatif de candidature — AMI modernisation de l'appareil de formation" },
    (doc) => {
      heading(doc, "Récapitulatif de votre candidature");
      doc.fontSize(10).text("Appel à manifestation d'intérêt « Modernisation de l'appareil de formation » — Région Occitanie", { align: "center" }).moveDown();
      for (const [label, value] of summaryLines(v.app, v.call, v.providerName, sites)) labelValue(doc, label, value);
      doc.moveDown().font(FONT).fontSize(9).text("Ce dossier a une durée de validité d'un an ; il constitue la base du diagnostic du prestataire expert pour le comité de sélection. Il n'implique aucun engagement financier de la Région.");
    },
    opts,
  );
}

/** AMI-APPLICATION-CONTENT: the form, blank, to prepare the answer before filling it online. */
export function blankFormPdf(call: CallView, opts: { compress?: boolean } = {}): Promise<Buffer> {
  return renderPdf(
    { title: `Formulaire de candidature — ${call.title}` },
    (doc) => {
      const blank = (label: string, lines = 3) => {
        doc.font(FONT_BOLD).fontSize(10).text(label).font(FONT);
        for (let i = 0; i < lines; i++) doc.text("_".repeat(95));
        doc.moveDown(0.5);
      };
      heading(doc, "Formulaire de candidature (à préparer)");
      doc.fontSize(10).text(call.title, { align: "center" }).moveDown(0.5);
      labelValue(doc, "Date limite de dépôt", `${formatParis(call.submission_deadline)} (heure de Paris), en ligne sur la plateforme`);
      labelValue(doc, "Fin de la mission 2 au plus tard", call.mission2_latest_end.split("-").reverse().join("/"));
      for (const l of call.lots) labelValue(doc, `${l.name}`, `départements ${l.departements.join(", ")} — experts : ${l.experts.map((e) => e.name).join(", ")}`);
      doc.moveDown();
      blank("Organisme, SIRET, réseau éventuel", 2);
      doc.font(FONT_BOLD).text("1. Besoins selon les axes (présentés dans leur globalité, éventuellement en phases)").font(FONT).moveDown(0.3);
      for (const a of AXES) blank(axisLabels[a], 3);
      blank("Phases du projet", 2);
      blank("2. Membres de l'équipe engagés (nom, fonction, engagement)", 4);
      blank(`3. Chef de projet et part d'un équivalent temps plein (${formatPercent(LEAD_MIN_BP)} au moins)`, 1);
      blank(`4. Sites : mono-site, ou réseau / multi-site avec un site de référence et 1 à ${MAX_IMPLEMENTATION_SITES} lieux de mise en œuvre`, 3);
      doc.font(FONT_BOLD).text("5. Publics cibles du PIC").font(FONT);
      for (const p of PIC_PUBLICS) doc.text(`[  ] ${picPublicLabels[p]}`);
      doc.moveDown(0.5);
      blank("6. Actions de formation liées à la transition écologique et énergétique", 3);
      blank("7. Accompagnement lors d'un précédent appel (oui / non, lequel)", 2);
    },
    opts,
  );
}
