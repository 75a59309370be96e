// Demo: the e-formation session's welcome day with what each trainee received (CP-EFORM-WELCOME-DAY),
// the component's virtual-class tool accepted by the Region (CP-WEBCONF), and one trainee's individual
// protocol signed by the provider and the trainee (CP-PROTOCOL). Runs after loadDemoAccessSites (same group).
import type { Kysely } from "kysely";
import type { DB } from "../core/db/schema.ts";
import { newId } from "../core/time.ts";
import { buildContent, protocolHash } from "../domains/eformation/protocol.ts";
import { pathFacts, protocolSources } from "../domains/eformation/protocol-store.ts";

export async function loadDemoEformation(tx: Kysely<DB>, now: Date): Promise<void> {
  const session = await tx
    .selectFrom("session as s")
    .innerJoin("order_line as ol", "ol.id", "s.order_line_id")
    .innerJoin("component as c", "c.id", "ol.component_id")
    .select(["s.id", "s.provider_id", "s.start_date", "c.id as component_id"])
    .where("c.e_formation", "=", true)
    .orderBy("s.start_date")
    .executeTakeFirst();
  if (!session) return;
  const staff = await tx.selectFrom("app_user").select(["id", "full_name"]).where("provider_id", "=", session.provider_id).where("role", "=", "provider_admin").executeTakeFirst();
  const region = await tx.selectFrom("app_user").select("id").where("role", "=", "region_officer").executeTakeFirst();
  const at = (daysBefore: number) => new Date(now.getTime() - daysBefore * 86_400_000);

  // CP-WEBCONF: declared by the provider, accepted by the Region.
  await tx
    .insertInto("eformation_webconf")
    .values({ component_id: session.component_id, provider_id: session.provider_id, tool_name: "Classe virtuelle Compétences Plus (BigBlueButton)", audio_video_16: true, screen_sharing: true, remote_control: true, whiteboard: true, file_transfer: true, platform: "region_moodle", platform_name: null, platform_url: null, status: "accepted", submitted_by: staff?.id ?? null, submitted_at: at(60), decided_by: region?.id ?? null, decided_at: at(55) })
    .onConflict((oc) => oc.column("component_id").doNothing())
    .execute();

  // CP-EFORM-WELCOME-DAY: the first day, in Cahors; every trainee received everything but the last one's materials.
  const paths = await tx.selectFrom("candidacy").select("path_id").where("session_id", "=", session.id).where("status", "=", "entered").where("path_id", "is not", null).orderBy("path_id").execute();
  if (paths.length === 0) return;
  const gatheringId = newId();
  await tx.insertInto("eformation_gathering").values({ id: gatheringId, session_id: session.id, provider_id: session.provider_id, kind: "welcome_day", gathering_date: session.start_date, place: "Maison de la Région, 107 quai Cavaignac, Cahors", request_id: null, created_by: staff?.id ?? null, created_at: at(40) }).execute();
  const items = ["contract", "calendar", "materials"] as const;
  for (const [i, p] of paths.entries()) {
    const received = i === paths.length - 1 ? items.filter((x) => x !== "materials") : items;
    await tx
      .insertInto("eformation_delivery")
      .values(received.map((item) => ({ gathering_id: gatheringId, path_id: p.path_id as string, item, recorded_by: staff?.id ?? null, recorded_at: at(1) })))
      .execute();
  }

  // CP-PROTOCOL: the first trainee's protocol, drawn from the path, signed by both parties.
  const facts = await pathFacts(tx, paths[0].path_id as string);
  if (!facts) return;
  const content = buildContent(facts, await protocolSources(tx, facts), 1);
  const hash = protocolHash(content);
  const protocolId = newId();
  await tx.insertInto("eformation_protocol").values({ id: protocolId, path_id: facts.id, provider_id: facts.provider_id, version: 1, content: JSON.stringify(content), content_hash: hash, sent_by: staff?.id ?? null, sent_at: at(20) }).execute();
  await tx
    .insertInto("eformation_protocol_signature")
    .values([
      { id: newId(), protocol_id: protocolId, party: "provider", content_hash: hash, signer_name: staff?.full_name ?? "Organisme de formation", method: "app", user_id: staff?.id ?? null, signed_at: at(19) },
      { id: newId(), protocol_id: protocolId, party: "trainee", content_hash: hash, signer_name: `${facts.first_name} ${facts.last_name}`, method: "link", user_id: null, signed_at: at(18) },
    ])
    .execute();
}
