// Demo: the exit domain through its own use cases — one exit of every reason (completed, employment,
// other training, drop-out with its cause, exclusion) with the survey notice and the prescriber's
// synthesis, some follow-ups recorded and others left due or late (the demo's earlier exits are late
// by construction), the Region's soft-skill list, on the demo trainee's own path a badge issued and one
// revoked, and the trainees who have left through these exits or with the closed order a certificate of
// completion over the whole path, issued by the documents domain's own use case so that « Certificats »
// is never empty (even in January, before this year's exits). Runs last, inside
// the demo's transaction.
import type { Transaction } from "kysely";
import type { Actor } from "../core/auth/actor.ts";
import { loadConfig } from "../core/config.ts";
import type { DB, ExitReason } from "../core/db/schema.ts";
import { addDays, parisDate, yearOf } from "../core/time.ts";
import { issueBadge, recordSoftSkillStep, revokeBadge, setSoftSkills, softSkillList } from "../domains/exit/badges.ts";
import { exitTrainee, recordFollowUp } from "../domains/exit/use-cases.ts";
import { issueCertificate } from "../domains/documents/use-cases.ts";
import { withinTransaction } from "./closed-order.ts";
import { REGION_EMAIL, TRAINEE_EMAIL } from "./organisations.ts";

type Tx = Transaction<DB>;

const EXITS: { reason: ExitReason; cause?: string; plan: string }[] = [
  { reason: "completed", plan: "Candidatures ciblées avec le conseiller France Travail ; inscription à la seconde session si besoin." },
  { reason: "employment", plan: "Prise de poste en CDD de 6 mois ; point avec le conseiller à la fin de la période d'essai." },
  { reason: "other_training", plan: "Entrée en formation qualifiante (titre professionnel) ; le prescripteur suit l'inscription." },
  { reason: "dropout", cause: "Problème de garde d'enfant non résolu malgré les solutions proposées", plan: "Reprise de contact avec le conseiller pour une entrée ultérieure." },
  { reason: "exclusion", cause: "Absences répétées non justifiées après deux avertissements écrits", plan: "Le prescripteur reprend l'accompagnement." },
];

const actorOf = (u: { id: string; role: Actor["role"]; full_name: string; email: string; provider_id: string | null; prescriber_organisation_id: string | null; trainee_id: string | null }): Actor => ({
  userId: u.id,
  role: u.role,
  fullName: u.full_name,
  email: u.email,
  providerId: u.provider_id,
  prescriberOrganisationId: u.prescriber_organisation_id,
  traineeId: u.trainee_id,
});

export async function loadDemoExit(tx: Tx, now: Date, badgeKeyFile = loadConfig(process.env).badgeKeyFile): Promise<{ exits: number; certificates: number; badges: number }> {
  const db = withinTransaction(tx);
  const today = parisDate(now);
  const clock = { now: () => now };
  const baseUrl = loadConfig(process.env).publicUrl;
  const user = (email: string) => tx.selectFrom("app_user").selectAll().where("email", "=", email).executeTakeFirstOrThrow();
  const region = actorOf(await user(REGION_EMAIL));
  const me = await user(TRAINEE_EMAIL);

  // The demo trainee's own path stays open (their screen shows a path in training).
  const candidates = await tx
    .selectFrom("path as p")
    .innerJoin("trainee as t", "t.id", "p.trainee_id")
    .select(["p.id", "p.provider_id", "p.trainee_id", "p.entry_date", "p.planned_exit_date", "t.first_name", "t.last_name", "t.email"])
    .where("p.status", "=", "validated")
    .where("p.entry_date", "<=", addDays(today, -20))
    .where("p.trainee_id", "!=", me.trainee_id)
    .orderBy("p.entry_date")
    .orderBy("p.id")
    .limit(EXITS.length)
    .execute();
  let exits = 0;
  for (const [i, spec] of EXITS.entries()) {
    const p = candidates[i];
    if (!p) break;
    if (!p.email) await tx.updateTable("trainee").set({ email: `${p.first_name}.${p.last_name}`.normalize("NFD").replace(/[^A-Za-z.]/g, "").toLowerCase() + "@exemple.fr" }).where("id", "=", p.trainee_id).execute();
    const staff = actorOf(await tx.selectFrom("app_user").selectAll().where("provider_id", "=", p.provider_id).where("role", "=", "provider_admin").orderBy("email").limit(1).executeTakeFirstOrThrow());
    // Spread the exit dates: the earliest are more than 3 months ago (their 3-month follow-up is due or late).
    const wanted = addDays(today, -[100, 95, 40, 20, 5][i]);
    const exitDate = [wanted, p.entry_date].sort()[1]; // never before the entry
    await exitTrainee(db, staff, clock, baseUrl, p.id, { reason: spec.reason, actualExitDate: exitDate, cause: spec.cause, actionPlan: spec.plan });
    exits++;
    if (spec.reason === "employment") await recordFollowUp(db, staff, clock, p.id, { milestone: "exit", situation: "employment", contractType: "cdd_6m_plus", romeCode: "K2204", inTargetSector: true });
    if (spec.reason === "other_training") await recordFollowUp(db, staff, clock, p.id, { milestone: "exit", situation: "training" });
  }

  // The Region's top 6 for the year, then the demo trainee's steps, a badge issued and one revoked.
  await setSoftSkills(db, region, { year: yearOf(today), titles: ["Travail en équipe", "Communication", "Adaptabilité", "Autonomie", "Organisation", "Persévérance"] });
  const skills = await softSkillList(db, yearOf(today));
  const mine = await tx.selectFrom("path").select(["id", "provider_id"]).where("trainee_id", "=", me.trainee_id).where("status", "=", "validated").orderBy("entry_date").limit(1).executeTakeFirst();
  let badges = 0;
  if (mine) {
    await tx.updateTable("trainee").set({ email: TRAINEE_EMAIL }).where("id", "=", me.trainee_id!).where("email", "is", null).execute();
    const trainer = actorOf(await tx.selectFrom("app_user").selectAll().where("provider_id", "=", mine.provider_id).where("role", "=", "trainer").orderBy("email").limit(1).executeTakeFirstOrThrow());
    const admin = actorOf(await tx.selectFrom("app_user").selectAll().where("provider_id", "=", mine.provider_id).where("role", "=", "provider_admin").orderBy("email").limit(1).executeTakeFirstOrThrow());
    for (const skill of skills.slice(0, 2)) {
      await recordSoftSkillStep(db, trainer, clock, mine.id, { softSkillId: skill.id, step: "identify", observation: "Repéré au positionnement.", validated: false });
      await recordSoftSkillStep(db, trainer, clock, mine.id, { softSkillId: skill.id, step: "develop", observation: "Mis en œuvre lors du projet collectif.", validated: false });
      await recordSoftSkillStep(db, trainer, clock, mine.id, { softSkillId: skill.id, step: "evaluate", observation: "Évalué sur la grille régionale : acquis.", validated: true });
      await issueBadge(db, trainer, clock, badgeKeyFile, baseUrl, mine.id, skill.id);
      badges++;
    }
    const second = await tx.selectFrom("badge").select("id").where("path_id", "=", mine.id).where("soft_skill_id", "=", skills[1].id).executeTakeFirstOrThrow();
    await revokeBadge(db, admin, clock, second.id, "Délivré avant la fin de l'évaluation : à délivrer de nouveau après le bilan.");
  }
  const certificates = await issueLeaversCertificates(tx, now);
  return { exits, certificates, badges };
}

/**
 * CP-CERTIFICATE-OF-COMPLETION: each trainee who has left by today through the exit domain, and each
 * trainee of the closed order, gets the certificate of the whole path, entry to exit (the period's
 * default), from the ledger, issued by their provider's first administrator.
 */
async function issueLeaversCertificates(tx: Tx, now: Date): Promise<number> {
  const db = withinTransaction(tx);
  const leavers = await tx
    .selectFrom("path as p")
    .innerJoin("order as o", "o.id", "p.order_id")
    .select(["p.id", "p.provider_id"])
    .where("p.status", "in", ["closed", "dropped"])
    // The exits above and the closed order's trainees: enough to show the list, few enough to keep the start fast.
    .where((eb) => eb.or([eb("o.status", "=", "closed"), eb.exists(eb.selectFrom("path_exit as e").select("e.path_id").whereRef("e.path_id", "=", "p.id"))]))
    .where("p.actual_exit_date", "<=", parisDate(now)) // left by today (the demo dates some exits ahead in January)
    .whereRef("p.actual_exit_date", ">=", "p.entry_date")
    .orderBy("p.actual_exit_date")
    .orderBy("p.id")
    .execute();
  const admins = new Map<string, Actor>();
  for (const p of leavers) {
    if (!admins.has(p.provider_id)) admins.set(p.provider_id, actorOf(await tx.selectFrom("app_user").selectAll().where("provider_id", "=", p.provider_id).where("role", "=", "provider_admin").orderBy("email").limit(1).executeTakeFirstOrThrow()));
    await issueCertificate(db, admins.get(p.provider_id)!, { now: () => now }, p.id);
  }
  return leavers.length;
}
