import { type Kysely, sql } from "kysely";

// Lists that scale (ADR 0030): keyset pages read `(sort key, id) > (cursor)` within the caller's
// scope; these indexes serve each list's default sort so a page is an index range, not a sort of the
// whole table. Name sorts use the folded expression of src/core/listing.ts (same text, same index).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create index if not exists path_provider_entry_idx on path (provider_id, entry_date, id);
create index if not exists path_order_entry_idx on path (order_id, entry_date, id);
create index if not exists trainee_folded_name_idx on trainee (translate(lower(last_name || ' ' || first_name), 'àâäáãåçéèêëíìîïñóòôöõúùûüýÿœæ', 'aaaaaaceeeeiiiinooooouuuuyyoa'), id);
create index if not exists candidacy_provider_created_idx on candidacy (provider_id, created_at, id);
create index if not exists candidacy_prescriber_created_idx on candidacy (prescriber_organisation_id, created_at, id);
create index if not exists continuation_slip_received_idx on continuation_slip (received_on, candidacy_id);
create index if not exists session_provider_start_idx on session (provider_id, start_date, id);
create index if not exists order_provider_start_idx on "order" (provider_id, planned_start, id);
create index if not exists order_start_idx on "order" (planned_start, id);
`.execute(db);
}

