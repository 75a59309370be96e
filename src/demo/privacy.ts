// Demo: a few audited reads of the demo trainee's record (their provider's staff opening the path,
// the Region reading it through the API), so « Mes données » and the Region's /rgpd pages show who
// read it. Written by core's own recordRead, as the read-audit middleware does.
import type { Transaction } from "kysely";
import type { DB } from "../core/db/schema.ts";
import { recordRead } from "../core/privacy.ts";
import { REGION_EMAIL } from "./organisations.ts";

export async function loadDemoPrivacy(tx: Transaction<DB>, traineeId: string): Promise<void> {
  const path = await tx.selectFrom("path").select(["id", "provider_id"]).where("trainee_id", "=", traineeId).orderBy("entry_date").limit(1).executeTakeFirstOrThrow();
  const staff = await tx.selectFrom("app_user").select("id").where("provider_id", "=", path.provider_id).where("role", "in", ["provider_admin", "pedagogical_referent"]).orderBy("email").limit(2).execute();
  const region = await tx.selectFrom("app_user").select("id").where("email", "=", REGION_EMAIL).executeTakeFirstOrThrow();
  for (const s of staff) await recordRead(tx, { actorId: s.id, entity: "path", entityId: path.id, route: `/parcours/${path.id}`, via: "page" });
  await recordRead(tx, { actorId: region.id, entity: "path", entityId: path.id, route: `/api/paths/${path.id}`, via: "api" });
}
