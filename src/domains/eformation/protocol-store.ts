// Queries of the individual protocol's tables (CP-PROTOCOL); the path, its plan, slots and positioning
// through the other domains' read models (ADR 0011).
import type { Insertable, Kysely } from "kysely";
import type { DB } from "../../core/db/schema.ts";
import { freshLink } from "../../core/signing-links.ts";
import { componentRows, moduleRows } from "../offer/views.ts";
import { orderLineRows } from "../orders/views.ts";
import { pathItemRows, pathRows, positioningRows, traineeRows } from "../paths/views.ts";
import { candidacyRows } from "../recruitment/views.ts";
import { providerRows } from "../region/views.ts";
import { slotRows, slotTraineeRows } from "../schedule/views.ts";

type Q = Kysely<DB>;

/** At most this many slots are copied into the protocol's calendar (a path has far fewer). */
export const CALENDAR_MAX = 1000;

/** A path with its trainee, provider and component (e-formation or not). */
export const pathFacts = (q: Q, pathId: string) =>
  q
    .selectFrom(pathRows().as("p"))
    .innerJoin(traineeRows().as("t"), "t.id", "p.trainee_id")
    .innerJoin(orderLineRows().as("ol"), "ol.id", "p.order_line_id")
    .innerJoin(componentRows().as("c"), "c.id", "ol.component_id")
    .innerJoin(providerRows().as("pr"), "pr.id", "p.provider_id")
    .select(["p.id", "p.provider_id", "p.trainee_id", "p.status", "p.entry_date", "p.planned_exit_date", "t.first_name", "t.last_name", "t.email", "c.id as component_id", "c.title as component_title", "c.certification_code", "c.e_formation", "pr.name as provider_name"])
    .where("p.id", "=", pathId)
    .executeTakeFirst();
export type PathFacts = NonNullable<Awaited<ReturnType<typeof pathFacts>>>;

/** What the protocol is drawn from: plan items, slots, positioning, the component's typical week and exam gatherings. */
export async function protocolSources(q: Q, p: PathFacts) {
  const items = await q.selectFrom(pathItemRows().as("i")).select(["i.modality", "i.planned_minutes", "i.exempted", "i.self_study_location"]).where("i.path_id", "=", p.id).orderBy("i.position").execute();
  const slots = await q
    .selectFrom(slotRows().as("s"))
    .innerJoin(slotTraineeRows().as("st"), "st.slot_id", "s.id")
    .select(["s.slot_date", "s.start_time", "s.end_time", "s.modality"])
    .where("st.path_id", "=", p.id)
    .where("s.status", "!=", "cancelled")
    .orderBy("s.starts_at")
    .limit(CALENDAR_MAX)
    .execute();
  const positioning = await q.selectFrom(positioningRows().as("po")).select(["po.evaluations", "po.recommended_methods"]).where("po.path_id", "=", p.id).executeTakeFirst();
  const prepParts = await q.selectFrom(moduleRows().as("m")).select(["m.title", "m.prep_part"]).where("m.component_id", "=", p.component_id).where("m.prep_part", "is not", null).orderBy("m.position").execute();
  const week = await q.selectFrom("eformation_week").select(["tutorat_minutes", "self_study_minutes", "gathering_minutes"]).where("component_id", "=", p.component_id).executeTakeFirst();
  const exams = await q
    .selectFrom("eformation_gathering as g")
    .innerJoin(candidacyRows().as("cy"), "cy.session_id", "g.session_id")
    .select(["g.gathering_date", "g.place"])
    .where("cy.path_id", "=", p.id)
    .where("g.kind", "=", "exam")
    .orderBy("g.gathering_date")
    .execute();
  return { items, slots, positioning, prepParts, week, exams };
}

/** The path's latest protocol (the one in force for signing). */
export const latestProtocol = (q: Q, pathId: string, lock = false) => {
  const query = q.selectFrom("eformation_protocol").selectAll().where("path_id", "=", pathId).orderBy("version", "desc").limit(1);
  return (lock ? query.forUpdate() : query).executeTakeFirst();
};
export type ProtocolRow = NonNullable<Awaited<ReturnType<typeof latestProtocol>>>;

export const protocolById = (q: Q, id: string) => q.selectFrom("eformation_protocol").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
export const insertProtocol = (q: Q, row: Insertable<DB["eformation_protocol"]>) => q.insertInto("eformation_protocol").values(row).execute();

/** An unsigned protocol is replaced in place by the regenerated content. */
export const replaceContent = (q: Q, id: string, content: unknown, hash: string, userId: string, now: Date) =>
  q.updateTable("eformation_protocol").set({ content: JSON.stringify(content), content_hash: hash, sent_by: userId, sent_at: now }).where("id", "=", id).execute();

export const signaturesOf = (q: Q, protocolId: string) => q.selectFrom("eformation_protocol_signature").selectAll().where("protocol_id", "=", protocolId).orderBy("signed_at").execute();
export const insertSignature = (q: Q, row: Insertable<DB["eformation_protocol_signature"]>) => q.insertInto("eformation_protocol_signature").values(row).execute();

export const linkByHash = (q: Q, tokenHash: string) => q.selectFrom("eformation_protocol_link").selectAll().where("token_hash", "=", tokenHash).executeTakeFirst();

/** Revokes every live link of the path's protocols and stores a new one for `protocolId`; returns the token (mailed or shown once). */
export async function issueLink(q: Q, pathId: string, protocolId: string, now: Date, days: number, id: string) {
  const ofPath = q.selectFrom("eformation_protocol").select("id").where("path_id", "=", pathId);
  await q.updateTable("eformation_protocol_link").set({ revoked_at: now }).where("protocol_id", "in", ofPath).where("revoked_at", "is", null).execute();
  const { token, tokenHash, expiresAt } = freshLink(now, days);
  await q.insertInto("eformation_protocol_link").values({ id, protocol_id: protocolId, token_hash: tokenHash, expires_at: expiresAt }).execute();
  return { token, expiresAt };
}
