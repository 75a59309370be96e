// Demo: each provider's trainers with their qualifications and CV, and a teaching team on one open order
// (CP-TRAINER-CHANGE), all through the real use cases: the team's first notice acknowledged by the Region,
// a later change (a trainer joining) still open on the Region's to-do list. One trainer has no CV yet:
// /formateurs shows it « Manquant », and the team form says he cannot join.
import type { Transaction } from "kysely";
import type { Actor } from "../core/auth/actor.ts";
import type { DB } from "../core/db/schema.ts";
import { acknowledgeNotice, createTrainer, setOrderTeam } from "../domains/trainers/use-cases.ts";
import { withinTransaction } from "./closed-order.ts";
import { REGION_EMAIL } from "./organisations.ts";

type Tx = Transaction<DB>;

const actorOf = async (tx: Tx, email: string): Promise<Actor> => {
  const u = await tx.selectFrom("app_user").selectAll().where("email", "=", email).executeTakeFirstOrThrow();
  return { userId: u.id, role: u.role, fullName: u.full_name, email: u.email, providerId: u.provider_id, prescriberOrganisationId: null, traineeId: null };
};

/** A minimal PDF standing for a scanned CV. */
const cv = (name: string) => ({ filename: `cv-${name.toLowerCase().normalize("NFD").replace(/[^a-z]+/g, "-")}.pdf`, contentType: "application/pdf", bytes: new TextEncoder().encode(`%PDF-1.4\n% CV de démonstration\n%%EOF\n`) });

/** Three trainers per provider (the provider's rank picks the names), the last of the first provider without CV. */
const TRAINERS: { fullName: string; qualifications: string }[][] = [
  [
    { fullName: "Nadia Ferhat", qualifications: "Titre professionnel Formateur professionnel d'adultes ; 9 ans en remise à niveau et FLE" },
    { fullName: "Julien Castan", qualifications: "Master Sciences de l'éducation ; 6 ans en accompagnement vers l'emploi (TRE)" },
    { fullName: "Marc Vidal", qualifications: "Licence de mathématiques ; 3 ans en remise à niveau" },
  ],
  [
    { fullName: "Sophie Lacombe", qualifications: "Master FLE ; habilitée DELF ; 7 ans auprès d'adultes" },
    { fullName: "Karim Belkacem", qualifications: "Titre professionnel FPA ; 10 ans en compétences numériques (Pix)" },
    { fullName: "Hélène Roux", qualifications: "CAPES de lettres ; 12 ans en savoirs de base" },
  ],
  [
    { fullName: "Thomas Garcia", qualifications: "DUT Informatique, titre FPA ; 5 ans en numérique" },
    { fullName: "Amina Diallo", qualifications: "Master Ingénierie de formation ; 8 ans en FLE et alphabétisation" },
    { fullName: "Pierre Bousquet", qualifications: "BTS Management ; 4 ans en techniques de recherche d'emploi" },
  ],
];

export async function loadDemoTrainers(tx: Tx, now: Date): Promise<void> {
  const admins = await tx.selectFrom("app_user").select(["email", "provider_id"]).where("role", "=", "provider_admin").where("email", "like", "direction.%").orderBy("email").execute();
  if (admins.length === 0) return;
  const db = withinTransaction(tx);
  const clock = { now: () => now };
  const region = await actorOf(tx, REGION_EMAIL);
  for (const [rank, admin] of admins.entries()) {
    const actor = await actorOf(tx, admin.email);
    const names = TRAINERS[rank % TRAINERS.length];
    const ids: string[] = [];
    for (const [i, t] of names.entries()) {
      const withoutCv = rank === 0 && i === names.length - 1;
      ids.push((await createTrainer(db, actor, { ...t, active: true }, withoutCv ? undefined : cv(t.fullName))).id);
    }
    if (rank !== 0 || !admin.provider_id) continue;
    // The first provider's first open order gets a team: its first notice acknowledged, a later one still open.
    const order = await tx.selectFrom("order").select("id").where("provider_id", "=", admin.provider_id).where("status", "<>", "closed").orderBy("number").executeTakeFirst();
    if (!order) continue;
    const first = await setOrderTeam(db, actor, clock, "", order.id, { trainerIds: [ids[0]], reason: "Équipe pédagogique au démarrage de la commande." });
    if (first.noticeId) await acknowledgeNotice(db, region, clock, first.noticeId);
    await setOrderTeam(db, actor, clock, "", order.id, { trainerIds: [ids[0], ids[1]], reason: "Renfort pour l'accompagnement vers l'emploi (TRE) : un second formateur rejoint l'équipe." });
  }
}
