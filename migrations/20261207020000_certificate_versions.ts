import { type Kysely, sql } from "kysely";

// CP-CERTIFICATE-OF-COMPLETION, versioned (issue 10 point 5): one certificate in force per path and
// period; a second one only replaces it, with its reason, as version n+1. The replaced one stays
// verifiable and says by which version it was replaced.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
alter table certificate
  add column version integer not null default 1 check (version >= 1),
  add column replaces_id uuid references certificate(id),
  add column replace_reason text check (char_length(replace_reason) <= 500),
  add column replaced_by uuid references certificate(id) deferrable initially deferred,
  add column replaced_at timestamptz,
  add check ((replaces_id is null) = (replace_reason is null));

-- Two clicks at once cannot both issue a certificate for the same period: the second one fails here.
create unique index certificate_in_force on certificate(path_id, period_start, period_end) where replaced_by is null;
`.execute(db);
}
