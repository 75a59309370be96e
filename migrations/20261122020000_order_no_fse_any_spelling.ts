import { type Kysely, sql } from "kysely";

// CP-NO-FSE (CCTP §II.1) in the database for every spelling, not only the three exact strings of
// cp_no_fse: "fse", "F.S.E.", "FSE +", "Fonds Social Europeen"… Same reading as
// src/domains/orders/rules.ts isEuropeanSocialFund (accents and case dropped, punctuation as spaces).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create function cp_names_fse(funders text[]) returns boolean
language sql immutable as $$
  select coalesce(bool_or(
      replace(w, ' ', '') in ('fse', 'fse+', 'fseplus')
      or replace(w, ' ', '') like '%fondssocialeuropeen%'
      or string_to_array(w, ' ') && array['fse', 'fse+']
    ), false)
  from (
    select btrim(regexp_replace(
      lower(translate(f, 'ÀÂÄàâäÉÈÊËéèêëÎÏîïÔÖôöÙÛÜùûüÇç', 'AAAaaaEEEEeeeeIIiiOOooUUUuuuCc')),
      '[^a-z0-9+]+', ' ', 'g')) as w
    from unnest(funders) as f
  ) as names
$$;

alter table "order" add constraint cp_no_fse_any_spelling check (not cp_names_fse(co_funders));
`.execute(db);
}

export async function down(): Promise<void> {
  // Forward-only migrations (ARCHITECTURE.md).
}
