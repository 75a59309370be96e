import { type Kysely, sql } from "kysely";

// CP-TRAINER-CHANGE (CCTP §4.1.2): « a change of site or of teaching team is notified to the Region ».
// A provider's direct edit of a site named on a running order's line is a notice of its own, one per
// such order, carrying what changed (before → after) for the Region to acknowledge like a team notice.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
alter table trainer_notice drop constraint trainer_notice_kind_check;
alter table trainer_notice add constraint trainer_notice_kind_check check (kind in ('team_change','replacement','site_change'));
alter table trainer_notice add column site_id uuid references site(id);
alter table trainer_notice add constraint trainer_notice_site check ((kind = 'site_change') = (site_id is not null));
`.execute(db);
}
