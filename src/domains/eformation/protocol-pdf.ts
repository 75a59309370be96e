// CP-PROTOCOL: the individual training protocol as a PDF — its four sections (calendar, modalities,
// estimated work time, evaluation modes) and a signature page (names, dates, the content hash).
import type { Actor } from "../../core/auth/actor.ts";
import type { Db } from "../../core/db/index.ts";
import { DomainError } from "../../core/errors.ts";
import { formatMinutes } from "../../core/rules.ts";
import { formatDateFr } from "../../core/time.ts";
import { heading, labelValue, renderPdf, table } from "../documents/pdf.ts";
import { modalityLabels } from "../schedule/pages/labels.tsx";
import { partyLabels, protocolStatusLabels, protocolView } from "./protocol.ts";
import { dateTimeSecondsFr } from "../../core/french.ts";


export async function protocolPdf(db: Db, actor: Actor, pathId: string, opts: { compress?: boolean } = {}) {
  const v = await protocolView(db, actor, pathId);
  if (!v.protocol || !v.status) throw new DomainError("CP-PROTOCOL", 409, "Le protocole n'a pas encore été généré.");
  const { content: ct, contentHash, version } = v.protocol;
  const status = v.status;
  const pdf = await renderPdf({ title: "Protocole individuel de formation", subject: ct.trainee }, (doc) => {
    heading(doc, "Protocole individuel de formation — e-formation");
    doc.text(`Version ${version} — ${protocolStatusLabels[status]}`).moveDown();
    labelValue(doc, "Organisme de formation", ct.provider);
    labelValue(doc, "Stagiaire", ct.trainee);
    labelValue(doc, "Formation", `${ct.component.title}${ct.component.certificationCode ? ` (certification ${ct.component.certificationCode})` : ""}`);
    doc.moveDown();
    heading(doc, "1. Calendrier", 12);
    doc.text(`Du ${formatDateFr(ct.calendar.entryDate)} au ${formatDateFr(ct.calendar.plannedExitDate)}.`).moveDown(0.5);
    if (ct.calendar.slots.length === 0) doc.text("Les séances ne sont pas encore planifiées : elles s'ajouteront dans « Mon planning ».").moveDown(0.5);
    else
      table(
        doc,
        [{ title: "Date", width: 120 }, { title: "Horaires", width: 120 }, { title: "Modalité", width: 255 }],
        ct.calendar.slots.map((s) => [formatDateFr(s.date), `${s.start}–${s.end}`, modalityLabels[s.modality]]),
      );
    heading(doc, "2. Modalités", 12);
    table(
      doc,
      [{ title: "Modalité", width: 300 }, { title: "Heures prévues", width: 195, align: "right" }],
      ct.modalities.map((m) => [modalityLabels[m.modality], formatMinutes(m.minutes)]),
    );
    heading(doc, "3. Temps de travail estimé", 12);
    labelValue(doc, "Durée totale prévue", formatMinutes(ct.workTime.totalMinutes));
    labelValue(doc, "Autoformation (travail personnel)", `${formatMinutes(ct.workTime.selfStudyMinutes)}, dont ${formatMinutes(ct.workTime.selfStudyRemoteMinutes)} à distance`);
    if (ct.workTime.weekly)
      labelValue(doc, "Semaine type", `tutorat ${formatMinutes(ct.workTime.weekly.tutoratMinutes)}, autoformation ${formatMinutes(ct.workTime.weekly.selfStudyMinutes)}, regroupements ${formatMinutes(ct.workTime.weekly.gatheringMinutes)}`);
    doc.moveDown();
    heading(doc, "4. Modes d'évaluation", 12);
    for (const e of ct.evaluations) doc.text(`• ${e}`);
    doc.addPage();
    heading(doc, "Signatures");
    doc.text(`Empreinte SHA-256 du contenu (version ${version}) : ${contentHash}`).moveDown();
    if (v.signatures.length === 0) doc.text("Aucune signature.");
    for (const s of v.signatures) {
      doc.font("Helvetica-Bold").text(`${partyLabels[s.party]} — ${s.signerName}`).font("Helvetica");
      doc.text(`Signé le ${dateTimeSecondsFr(s.signedAt)}, ${s.method === "link" ? "par lien personnel" : "dans l'application"}.`);
      doc.text(`Empreinte signée : ${s.contentHash}`).moveDown(0.5);
    }
    doc.moveDown().text(status === "signed" ? "Le protocole porte les signatures de l'organisme et du ou de la stagiaire." : `En attente : ${(["provider", "trainee"] as const).filter((p) => !v.signatures.some((s) => s.party === p)).map((p) => partyLabels[p]).join(", ")}.`);
  }, opts);
  return { pdf, filename: `protocole-${pathId.slice(0, 8)}-v${version}.pdf` };
}
