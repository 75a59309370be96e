import { type Kysely, sql } from "kysely";

// CP-CANDIDACY-DECISION: the versioned list of reasons for not retaining a candidate. A new wording
// is a new version (the old one is deactivated, never edited): decisions keep the wording they cited.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
insert into refusal_reason (code, version, label, active) values
  ('prerequisites_not_met', 1, 'Prérequis de la formation non atteints', true),
  ('project_mismatch', 1, 'Projet professionnel sans lien avec la formation', false),
  ('project_mismatch', 2, 'Projet professionnel non cohérent avec les objectifs de la formation', true),
  ('session_full', 1, 'Session complète : places déjà attribuées', true),
  ('absent_selection', 1, 'Absence à la sélection sans justificatif', true),
  ('not_eligible', 1, 'Public non éligible au dispositif', true),
  ('better_suited_offer', 1, 'Orientation vers une formation plus adaptée', true),
  ('other', 1, 'Autre motif (précisé dans le message)', true)
on conflict (code, version) do nothing;
`.execute(db);
}

export async function down(): Promise<void> {}
