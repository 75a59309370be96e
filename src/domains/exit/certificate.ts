// CP-SKILLS-CERTIFICATE (CCTP §6.1.2): the skills certificate given at every exit, drop-outs included:
// nature and objectives, realised duration by modality (ledger only), evaluations and exam results
// (detailed when an exam failed), competences acquired whether or not the certification was obtained,
// company time, soft skills and badges, the action plan, the provider's stamp and signature.
import type { Actor } from "../../core/auth/actor.ts";
import type { Db } from "../../core/db/index.ts";
import type { ExitReason } from "../../core/db/schema.ts";
import { DomainError } from "../../core/errors.ts";
import { formatMinutes } from "../../core/rules.ts";
import { formatDateFr, parisDate } from "../../core/time.ts";
import { accountRows } from "../../core/auth/accounts.ts";
import { FONT, FONT_BOLD, heading, labelValue, renderPdf, table } from "../documents/pdf.ts";
import { readablePath } from "./access.ts";
import * as r from "./rules.ts";
import { pathSummary, type PathSummary } from "./store.ts";

/** The certificate's facts for the actor (the trainee, the provider, the Region, the prescriber); only once the trainee has left. */
export async function skillsCertificateFacts(db: Db, actor: Actor, pathId: string): Promise<PathSummary & { signer: string | null }> {
  const head = await readablePath(db, actor, pathId);
  const s = await pathSummary(db, head);
  if (!head.actual_exit_date) throw new DomainError("CP-SKILLS-CERTIFICATE", 409, "L'attestation de compétences est établie à la sortie : aucune sortie n'est encore enregistrée.");
  const recordedBy = (await db.selectFrom("path_exit").select("recorded_by").where("path_id", "=", pathId).executeTakeFirst())?.recorded_by;
  const signer = recordedBy ? ((await db.selectFrom(accountRows().as("u")).select("full_name").where("id", "=", recordedBy).executeTakeFirst())?.full_name ?? null) : null;
  return { ...s, signer };
}

export function skillsCertificatePdf(s: PathSummary & { signer: string | null }, opts: { compress?: boolean } = {}): Promise<Buffer> {
  const h = s.head;
  const t = s.realised.totals;
  const failed = s.exams.some((e) => e.result === "failed" || e.result === "partial" || e.result === "absent");
  return renderPdf(
    { title: `Attestation de compétences — ${h.first_name} ${h.last_name}`, subject: "Compétences Plus — attestation de compétences (CCTP §6.1.2)" },
    (doc) => {
      heading(doc, "Attestation de compétences");
      doc.fontSize(9).text("Dispositif Compétences Plus — Région Occitanie (CCTP §6.1.2)", { align: "center" }).moveDown().fontSize(10);
      labelValue(doc, "Stagiaire", `${h.first_name} ${h.last_name}, né(e) le ${formatDateFr(h.birth_date)}`);
      labelValue(doc, "Organisme de formation", h.provider_name);
      labelValue(doc, "Formation", `${h.component_title} (commande ${h.order_number})`);
      labelValue(doc, "Période", `du ${formatDateFr(h.entry_date)} au ${formatDateFr(h.actual_exit_date)}`);
      labelValue(doc, "Motif de sortie", s.exit ? `${r.exitReasonLabels[s.exit.reason as ExitReason]}${s.exit.cause ? ` — ${s.exit.cause}` : ""}` : "—");
      doc.moveDown(0.5);
      doc.font(FONT_BOLD).text("Nature et objectifs de la formation").font(FONT);
      doc.text(h.purpose || h.content || "Formation transversale ou préparation du dispositif Compétences Plus.").moveDown(0.5);

      doc.font(FONT_BOLD).text("Durée réalisée par modalité (heures prouvées par l'émargement)").font(FONT).moveDown(0.3);
      table(
        doc,
        [
          { title: "Centre", width: 70, align: "right" },
          { title: "Distance", width: 70, align: "right" },
          { title: "Autoformation", width: 80, align: "right" },
          { title: "Regroupement", width: 80, align: "right" },
          { title: "Entreprise", width: 70, align: "right" },
          { title: "Positionnement", width: 75, align: "right" },
          { title: "Total", width: 50, align: "right" },
        ],
        [[t.inPerson, t.distance, t.selfStudy, t.gathering, t.company, t.positioning, t.total].map(formatMinutes)],
      );
      if (s.catchups.length) doc.text(`Programme de rattrapage : ${s.catchups.map((c) => `${formatMinutes(c.minutes)} du ${formatDateFr(c.start_on)} au ${formatDateFr(c.end_on)} (${c.content})`).join(" ; ")}.`).moveDown(0.5);
      if (t.company > 0) doc.text(`Expérience significative en entreprise : ${formatMinutes(t.company)} de période en entreprise réalisée.`).moveDown(0.5);
      // CP-SKILLS-CERTIFICATE: each company period — company, dates, hours realised (ledger) — and the tutor's review.
      if (s.companyPeriods.length) {
        doc.font(FONT_BOLD).text("Périodes en entreprise").font(FONT);
        for (const p of s.companyPeriods) {
          doc.text(`• ${p.company_name}, du ${formatDateFr(p.start_date)} au ${formatDateFr(p.end_date)} : ${formatMinutes(p.realised_minutes)} réalisées (${formatMinutes(p.planned_minutes)} prévues)`);
          if (p.tutor_skills || p.tutor_appreciation) doc.text(`    Bilan du tuteur : ${[p.tutor_skills, p.tutor_appreciation].filter(Boolean).join(" — ")}`);
        }
        doc.moveDown(0.5);
      }

      doc.font(FONT_BOLD).text("Évaluations").font(FONT);
      if (s.mockExams.length) for (const m of s.mockExams) doc.text(`• ${m.title} (${formatDateFr(m.taken_on)}) : ${m.score}/${m.out_of}${m.comment ? ` — ${m.comment}` : ""}`);
      else doc.text("Aucun examen blanc enregistré.");
      doc.moveDown(0.5);

      doc.font(FONT_BOLD).text("Examens et certification").font(FONT);
      if (!s.exams.length) doc.text("Aucune inscription à un examen.");
      for (const e of s.exams) {
        doc.text(`• ${e.code} — ${e.title}, session du ${formatDateFr(e.session_on)}${e.second_session ? " (seconde session)" : ""} : ${e.result ? r.resultLabels[e.result as keyof typeof r.resultLabels] : "résultat attendu"}`);
        if (failed && e.skill_blocks.length) {
          for (const b of e.skill_blocks) doc.text(`    – ${b} : ${e.passed_blocks.includes(b) || e.result === "passed" ? "acquis" : "non acquis"}`);
        }
      }
      doc.moveDown(0.5);

      doc.font(FONT_BOLD).text("Compétences acquises (que la certification soit obtenue ou non)").font(FONT);
      const blocks = [...new Set(s.exams.flatMap((e) => (e.result === "passed" ? e.skill_blocks : e.passed_blocks)))];
      const skills = [...new Set(s.softSkills.filter((x) => x.validated).map((x) => x.title))];
      if (!blocks.length && !skills.length) doc.text("Voir les évaluations ci-dessus.");
      for (const b of blocks) doc.text(`• ${b}`);
      for (const k of skills) doc.text(`• Savoir-être : ${k}`);
      if (s.badges.length) doc.text(`Badges numériques (Open Badges) : ${s.badges.map((b) => `${b.title}${b.revoked_at ? " (révoqué)" : ""}`).join(", ")}.`);
      doc.moveDown(0.5);

      doc.font(FONT_BOLD).text("Plan d'action pour la suite").font(FONT);
      doc.text(s.exit?.action_plan || "À définir avec le prescripteur.").moveDown(1);

      const y = doc.y;
      doc.rect(doc.page.margins.left, y, 250, 70).stroke("#333333");
      doc.font(FONT_BOLD).text("Cachet et signature de l'organisme", doc.page.margins.left + 8, y + 8).font(FONT);
      doc.text(h.provider_name, doc.page.margins.left + 8, y + 24);
      doc.text(`Signé électroniquement${s.signer ? ` par ${s.signer}` : ""}`, doc.page.margins.left + 8, y + 38);
      doc.text(`le ${formatDateFr(s.exit ? parisDate(s.exit.recorded_at) : h.actual_exit_date)}`, doc.page.margins.left + 8, y + 52);
    },
    opts,
  );
}
