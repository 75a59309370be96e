// Helpers shared by the access-sites tests (test-only: nothing in src imports this). Trainees,
// paths, positionings and slots are written straight into their tables: their own domains' tests
// cover how they are made; here only the seats are under test.
import { sql } from "kysely";
import type { Db } from "../../core/db/index.ts";
import { newId } from "../../core/time.ts";
import type { OrderFixture } from "../../../test/support/fixtures.ts";

let count = 0;

/** A validated path on the fixture's line whose positioning recommends (or not) an access site. */
export async function traineePath(db: Db, fx: OrderFixture, opts: { recommends?: boolean | null; lastName?: string; orderLineId?: string } = {}) {
  count++;
  const traineeId = newId();
  const pathId = newId();
  await db.insertInto("trainee").values({ id: traineeId, provider_id: fx.providerId, first_name: "Inès", last_name: opts.lastName ?? `Distance ${count}`, birth_date: "1994-04-04" }).execute();
  await db
    .insertInto("path")
    .values({ id: pathId, trainee_id: traineeId, order_id: fx.orderId, order_line_id: opts.orderLineId ?? fx.orderLineId, provider_id: fx.providerId, site_id: fx.siteId, status: "validated", entry_date: "2026-03-02", planned_exit_date: "2026-06-30" })
    .execute();
  await db.insertInto("positioning").values({ path_id: pathId, minutes: 180, evaluations: "Tests et entretien", recommends_access_site: opts.recommends === undefined ? true : opts.recommends }).execute();
  return { traineeId, pathId };
}

/** A slot of the fixture's line (Paris date and times), with these paths expected. */
export async function slotFor(db: Db, fx: OrderFixture, pathIds: string[], date: string, start = "09:00", end = "12:30", modality: "distance" | "centre" = "distance", orderLineId?: string) {
  const id = newId();
  await db
    .insertInto("slot")
    .values({
      id,
      provider_id: fx.providerId,
      order_line_id: orderLineId ?? fx.orderLineId,
      module_id: fx.moduleIds[modality === "distance" ? "Anglais à distance (tutorat)" : "Anglais général"] ?? null,
      site_id: modality === "centre" ? fx.siteId : null,
      slot_date: date,
      start_time: start,
      end_time: end,
      starts_at: sql<Date>`(${date}::date + ${start}::time) at time zone 'Europe/Paris'`,
      ends_at: sql<Date>`(${date}::date + ${end}::time) at time zone 'Europe/Paris'`,
      modality,
    })
    .execute();
  if (pathIds.length > 0) await db.insertInto("slot_trainee").values(pathIds.map((path_id) => ({ slot_id: id, path_id }))).execute();
  return id;
}

/** An access site body for the API: one room per entry of `rooms` (name → PCs). */
export const siteBody = (name: string, rooms: Record<string, number>, over: Record<string, unknown> = {}) => ({
  name,
  address: "Place de la Mairie",
  postcode: "46000",
  commune: "Cahors",
  inseeCode: "46042",
  departementCode: "46",
  openingHours: "Lundi–vendredi 8 h 30 – 17 h 30",
  contactName: "Marc Animateur",
  contactEmail: "site@cahors.example.fr",
  contactPhone: "05 65 00 00 00",
  rooms: Object.entries(rooms).map(([n, pcs]) => ({ name: n, pcs })),
  ...over,
});
