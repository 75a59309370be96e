// Demo: sessions and information meetings of the demo orders (CP-INFO-SESSIONS). Each order line
// has a past session (recruitment closed) and, while its order allows, an upcoming one (recruitment
// open) with an information meeting ahead — except the order BC-Y-065-002, whose only meeting is
// past, so that CP-INFO-REGULAR shows. Runs after the orders are inserted (it needs their ids).
import type { Transaction } from "kysely";
import type { DB } from "../core/db/schema.ts";
import { addDays, newId, parisDate } from "../core/time.ts";
import type { InfoContent } from "../domains/sessions/rules.ts";

type Tx = Transaction<DB>;

const later = (a: string, b: string) => (a > b ? a : b);
const earlier = (a: string, b: string) => (a < b ? a : b);

function content(title: string, siteName: string): InfoContent {
  return {
    objectives: `Présentation des objectifs de « ${title} », des validations possibles et des prérequis (savoir lire et écrire le français).`,
    programme: "Les modules de la composante, leur durée et leur enchaînement ; exemples de parcours.",
    schedule: "Dates des sessions, horaires (9 h – 12 h 30, 13 h 30 – 17 h), durée moyenne du parcours.",
    individualisation: "Positionnement à l'entrée, dispenses possibles, parcours construit avec le référent pédagogique.",
    siteAndMeans: `Site de ${siteName} : salles équipées, postes informatiques, ressources en ligne, accès en transports en commun.`,
    regionPayRules: "Formation financée par la Région Occitanie, gratuite ; pas de rémunération Compétences Plus, statut de stagiaire de la formation professionnelle et protection sociale.",
    evaluation: "Évaluations en cours de parcours, attestation de compétences en fin de formation, passage de la certification visée le cas échéant.",
    internalRules: "Présentation du règlement intérieur : assiduité, émargement, absences à justifier.",
    recruitmentProcedure: "Prescription par un conseiller (France Travail, Mission locale, Cap emploi), entretien individuel, réponse sous 15 jours.",
  };
}

/** Inserts the demo's sessions and meetings; returns how many of each. */
export async function loadDemoSessions(tx: Tx, now: Date): Promise<{ sessions: number; meetings: number }> {
  const today = parisDate(now);
  const lines = await tx
    .selectFrom("order_line as ol")
    .innerJoin("order as o", "o.id", "ol.order_id")
    .innerJoin("component as c", "c.id", "ol.component_id")
    .select(["ol.id", "ol.headcount", "o.number", "o.provider_id", "o.planned_start", "o.planned_end", "c.title", "c.e_formation"])
    .orderBy("o.number")
    .orderBy("c.title")
    .execute();
  const sites = await tx
    .selectFrom("order_line_site as ols")
    .innerJoin("site as s", "s.id", "ols.site_id")
    .select(["ols.order_line_id", "s.id", "s.name"])
    .orderBy("s.name")
    .execute();
  let sessions = 0;
  let meetings = 0;
  for (const [i, l] of lines.entries()) {
    const site = sites.find((s) => s.order_line_id === l.id);
    // An e-formation session runs at a distance, without a site.
    const sessionSite = l.e_formation ? null : (site?.id ?? null);
    const places = Math.max(4, Math.min(12, l.headcount));
    const pastStart = addDays(l.planned_start, 7);
    const pastEnd = earlier(addDays(pastStart, 120), l.planned_end);
    if (pastStart <= pastEnd) {
      await tx
        .insertInto("session")
        .values({ id: newId(), provider_id: l.provider_id, order_line_id: l.id, site_id: sessionSite, start_date: pastStart, end_date: pastEnd, places, recruitment_open: false, published_at: `${l.planned_start}T09:00:00Z` })
        .execute();
      sessions++;
    }
    const start = later(addDays(today, 14), l.planned_start);
    const end = earlier(addDays(start, 90), l.planned_end);
    if (start > end) continue;
    await tx
      .insertInto("session")
      .values({
        id: newId(),
        provider_id: l.provider_id,
        order_line_id: l.id,
        site_id: sessionSite,
        start_date: start,
        end_date: end,
        places,
        recruitment_open: true,
        recruitment_start: later(addDays(today, -20), l.planned_start),
        recruitment_end: addDays(start, -1) >= l.planned_start ? addDays(start, -1) : null,
        published_at: now,
      })
      .execute();
    sessions++;
    const flagged = l.number.endsWith("-065-002");
    const remote = l.e_formation || i % 4 === 3;
    await tx
      .insertInto("info_meeting")
      .values({
        id: newId(),
        provider_id: l.provider_id,
        order_line_id: l.id,
        meeting_date: flagged ? addDays(today, -14) : addDays(today, 7 + (i % 5)),
        start_time: "09:30",
        end_time: "11:30",
        site_id: remote ? null : (site?.id ?? null),
        place: null,
        remote_url: remote || !site ? "https://visio.competences-plus.example/information-collective" : null,
        content: JSON.stringify(content(l.title, site?.name ?? "l'organisme")),
        published_at: now,
      })
      .execute();
    meetings++;
    // One draft still being written (incomplete: CP-INFO-CONTENT would refuse to publish it).
    if (i === 0) {
      await tx
        .insertInto("info_meeting")
        .values({
          id: newId(),
          provider_id: l.provider_id,
          order_line_id: l.id,
          meeting_date: addDays(today, 21),
          start_time: "14:00",
          end_time: "16:00",
          site_id: site?.id ?? null,
          place: site ? null : "Maison de la Région",
          content: JSON.stringify({ objectives: content(l.title, "").objectives }),
        })
        .execute();
      meetings++;
    }
  }
  return { sessions, meetings };
}
