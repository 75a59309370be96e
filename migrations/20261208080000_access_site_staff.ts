import { type Kysely, sql } from "kysely";

// CP-EFORM-SITES: an access site's staff ('access_site_staff') see their site's day and point arrivals.
// Their account names the site (access_site_id); the column is set exactly for that role.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
alter table app_user drop constraint app_user_role_check;
alter table app_user add constraint app_user_role_check
  check (role in ('region_officer','provider_admin','pedagogical_referent','trainer','prescriber','trainee','expert','access_site_staff'));
alter table app_user add column access_site_id uuid references access_site(id);
alter table app_user add constraint app_user_access_site_check check ((role = 'access_site_staff') = (access_site_id is not null));
create index app_user_access_site on app_user(access_site_id) where access_site_id is not null;
`.execute(db);
}
