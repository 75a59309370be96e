import { type Kysely, sql } from "kysely";

// The evidence chain hashes the whole proof (issue 8, point 9). Version 1 links hashed only
// `prev | payload hash | seq | at`: the entry's author, role, path, address, device (user agent),
// method, reason and kind could be changed in SQL without breaking the chain. Version 2 links hash
// every column of the entry (docs/attendance.md). Rows written before keep version 1 and are
// verified with its formula; every new row is version 2.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
alter table evidence
  add column hash_version smallint not null default 1 check (hash_version in (1, 2));
`.execute(db);
}
