// Demo: the Occitanie e-formation access sites (CP-EFORM-SITES) and a multi-département e-formation
// group (CP-EFORM-REGIONAL-RECRUIT): three sites kept by the Region, the e-formation order's trainees
// recommended a site at positioning, their candidacies from several départements, and their seats
// on the order's distance slots at two sites — arrivals, a no-show, a trainee moved back home.
import { sql, type Kysely } from "kysely";
import { roleLabels } from "../core/auth/actor.ts";
import type { DB } from "../core/db/schema.ts";
import { newId } from "../core/time.ts";

/** The staff of the Cahors site (CP-EFORM-SITES): their site's day and its arrivals, nothing else. */
export const SITE_STAFF_EMAIL = "accueil.cahors@demo.competences-plus.fr";
export const ACCESS_SITE_LOGINS = [{ role: `${roleLabels.access_site_staff} — Cahors`, email: SITE_STAFF_EMAIL }];

const SITES = [
  { name: "Site e-formation de Cahors — Maison de la Région", address: "107 quai Cavaignac", postcode: "46000", commune: "Cahors", insee: "46042", dep: "46", contact: "Nadia Ferrand", phone: "05 65 20 40 60", rooms: [["Salle Lot", 8], ["Salle Célé", 4]] },
  { name: "Site e-formation de Rodez — Espace Numérique", address: "2 avenue Victor Hugo", postcode: "12000", commune: "Rodez", insee: "12202", dep: "12", contact: "Julien Cabrol", phone: "05 65 75 80 90", rooms: [["Salle Aveyron", 6]] },
  { name: "Site e-formation de Foix — Tiers-lieu du Couserans", address: "12 rue Lafaurie", postcode: "09000", commune: "Foix", insee: "09122", dep: "09", contact: "Élodie Rouch", phone: "05 61 02 03 04", rooms: [["Salle Ariège", 5]] },
] as const;

/** Départements of residence of the e-formation group: one per trainee, then two more candidacies. */
const GROUP_DEPARTEMENTS = ["46", "12", "09", "32", "65"];

export async function loadDemoAccessSites(tx: Kysely<DB>, now: Date, passwordHash: string): Promise<void> {
  const rooms: { id: string; siteId: string; pcs: number }[] = [];
  for (const s of SITES) {
    const siteId = newId();
    await tx
      .insertInto("access_site")
      .values({ id: siteId, name: s.name, address: s.address, postcode: s.postcode, commune: s.commune, insee_code: s.insee, departement_code: s.dep, opening_hours: "Du lundi au vendredi, 8 h 30 – 12 h 30 et 13 h 30 – 17 h 30", contact_name: s.contact, contact_phone: s.phone, contact_email: null })
      .execute();
    for (const [name, pcs] of s.rooms) {
      const roomId = newId();
      await tx.insertInto("access_site_room").values({ id: roomId, access_site_id: siteId, name, pcs }).execute();
      await sql`insert into access_site_seat (room_id, seat_no) select ${roomId}::uuid, n from generate_series(1, ${pcs}::int) n`.execute(tx);
      rooms.push({ id: roomId, siteId, pcs });
    }
    if (s.commune === "Cahors") {
      await tx.insertInto("app_user").values({ id: newId(), email: SITE_STAFF_EMAIL, password_hash: passwordHash, full_name: `${s.contact} (site de Cahors)`, role: "access_site_staff", access_site_id: siteId }).execute();
    }
  }

  // The e-formation order line and its trainees in training.
  const paths = await tx
    .selectFrom("path as p")
    .innerJoin("order_line as ol", "ol.id", "p.order_line_id")
    .innerJoin("component as c", "c.id", "ol.component_id")
    .innerJoin("trainee as t", "t.id", "p.trainee_id")
    .select(["p.id", "p.trainee_id", "p.provider_id", "p.order_line_id", "p.entry_date", "t.first_name", "t.last_name", "t.birth_date"])
    .where("c.e_formation", "=", true)
    .where("p.status", "=", "validated")
    .orderBy("t.last_name")
    .execute();
  if (paths.length === 0) return;
  const line = paths[0].order_line_id;
  const group = paths.filter((p) => p.order_line_id === line);
  await tx.updateTable("positioning").set({ recommends_access_site: true }).where("path_id", "in", group.map((p) => p.id)).execute();

  // CP-EFORM-REGIONAL-RECRUIT: the group comes from several départements (its session's page counts them).
  const session = await tx.selectFrom("session").select(["id", "provider_id"]).where("order_line_id", "=", line).orderBy("start_date").executeTakeFirst();
  if (session) {
    const linked = new Set((await tx.selectFrom("candidacy").select("path_id").where("path_id", "in", group.map((p) => p.id)).execute()).map((r) => r.path_id));
    for (const [i, p] of group.entries()) {
      if (linked.has(p.id)) continue;
      const candidateId = newId();
      await tx.insertInto("candidate").values({ id: candidateId, first_name: p.first_name, last_name: p.last_name, birth_date: p.birth_date, job_seeker_registered: true, residence_departement_code: GROUP_DEPARTEMENTS[i % GROUP_DEPARTEMENTS.length] }).execute();
      await tx.insertInto("candidacy").values({ id: newId(), candidate_id: candidateId, session_id: session.id, provider_id: session.provider_id, origin: "direct_eformation", status: "entered", path_id: p.id, project: "Suivre la formation à distance depuis chez moi ou un site proche." }).execute();
    }
    for (const [i, [first, last]] of [["Maëlle", "Saint-Girons"], ["Hugo", "Lannemezan"]].entries()) {
      const candidateId = newId();
      await tx.insertInto("candidate").values({ id: candidateId, first_name: first, last_name: last, birth_date: "1993-06-1" + i, job_seeker_registered: true, residence_departement_code: GROUP_DEPARTEMENTS[(group.length + i) % GROUP_DEPARTEMENTS.length] }).execute();
      await tx.insertInto("candidacy").values({ id: newId(), candidate_id: candidateId, session_id: session.id, provider_id: session.provider_id, origin: "direct_eformation", status: "received", project: "Formation à distance en e-formation." }).execute();
    }
  }

  // CP-EFORM-SITES: seats on the line's distance slots — the first trainee at Cahors, the second at
  // Rodez (a no-show on the first slot), the third at Cahors until moved back home halfway.
  const slots = await tx
    .selectFrom("slot as s")
    .innerJoin("slot_trainee as st", "st.slot_id", "s.id")
    .select(["s.id", "s.slot_date", "s.starts_at", "s.ends_at", "s.status", "st.path_id"])
    .where("s.order_line_id", "=", line)
    .where("s.modality", "=", "distance")
    .where("s.status", "!=", "cancelled")
    .orderBy("s.starts_at")
    .execute();
  const [cahors, , rodez] = rooms;
  const taken = new Map<string, number>(); // room|slot → seats used
  const busy = new Map<string, [number, number][]>(); // trainee → spans booked
  for (const [gi, p] of group.slice(0, 3).entries()) {
    const mine = slots.filter((s) => s.path_id === p.id);
    for (const [k, s] of mine.entries()) {
      const room = gi === 1 ? rodez : cahors;
      const start = new Date(s.starts_at).getTime();
      const end = new Date(s.ends_at).getTime();
      const spans = busy.get(p.trainee_id) ?? [];
      const key = `${room.id}|${s.id}`;
      const seat = (taken.get(key) ?? 0) + 1;
      if (spans.some(([a, b]) => a < end && start < b) || seat > room.pcs) continue;
      spans.push([start, end]);
      busy.set(p.trainee_id, spans);
      taken.set(key, seat);
      const past = end <= now.getTime();
      const home = gi === 2 && k >= Math.ceil(mine.length / 2);
      const noShow = gi === 1 && k === 0 && past;
      const status = home ? "cancelled" : noShow ? "no_show" : past ? "arrived" : "booked";
      await tx
        .insertInto("seat_booking")
        .values({
          id: newId(),
          provider_id: p.provider_id,
          slot_id: s.id,
          path_id: p.id,
          trainee_id: p.trainee_id,
          access_site_id: room.siteId,
          room_id: room.id,
          seat_no: seat,
          slot_date: s.slot_date,
          during: `[${new Date(s.starts_at).toISOString()},${new Date(s.ends_at).toISOString()})`,
          status,
          cancel_reason: home ? "home" : null,
          booked_at: new Date(start - 7 * 86_400_000),
          status_at: status === "booked" ? null : new Date(Math.min(start, now.getTime())),
        })
        .execute();
    }
  }
}
