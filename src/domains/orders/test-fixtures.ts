// Rows the orders tests need beyond test/support/fixtures.ts (imported by *.test.ts only).
import type { Db } from "../../core/db/index.ts";
import type { Modality } from "../../core/db/schema.ts";
import { newId } from "../../core/time.ts";
import type { TestContext } from "../../../test/support/app.ts";
import { formLogin } from "../../../test/support/app.ts";

export async function insertSite(db: Db, providerId: string, departementCode = "81", name = "Site d'Albi"): Promise<string> {
  const id = newId();
  await db.insertInto("departement").values({ code: departementCode, name: `Département ${departementCode}` }).onConflict((oc) => oc.doNothing()).execute();
  await db
    .insertInto("site")
    .values({ id, provider_id: providerId, name, address: "2 place du Vigan", postcode: `${departementCode}000`, commune: name.replace(/^Site d[e']\s?/, ""), departement_code: departementCode })
    .execute();
  return id;
}

/** A component of the provider in the lot, with its sites and modules (status as given). */
export async function insertComponent(
  db: Db,
  opts: {
    providerId: string;
    lotId: string;
    siteIds: string[];
    title?: string;
    status?: "draft" | "submitted" | "accepted" | "refused";
    modules?: { minutes: number; modality: Modality }[];
  },
): Promise<string> {
  const id = newId();
  await db
    .insertInto("component")
    .values({ id, provider_id: opts.providerId, lot_id: opts.lotId, title: opts.title ?? "CACES R489 chariots", category: "regulatory", offer_status: opts.status ?? "accepted" })
    .execute();
  for (const site_id of opts.siteIds) await db.insertInto("component_site").values({ component_id: id, site_id }).execute();
  const modules = opts.modules ?? [
    { minutes: 4800, modality: "centre" },
    { minutes: 2100, modality: "company" },
  ];
  await db
    .insertInto("module")
    .values(modules.map((m, i) => ({ id: newId(), component_id: id, title: `Module ${i + 1}`, minutes: m.minutes, modality: m.modality, position: i })))
    .execute();
  return id;
}

/** A trainee with a draft path on an order line (what the paths domain creates at registration). */
export async function insertPath(db: Db, f: { providerId: string; orderId: string; orderLineId: string; siteId: string }, lastName = "Martin"): Promise<string> {
  const traineeId = newId();
  await db.insertInto("trainee").values({ id: traineeId, provider_id: f.providerId, first_name: "Léa", last_name: lastName, birth_date: "1990-05-04" }).execute();
  const pathId = newId();
  await db
    .insertInto("path")
    .values({
      id: pathId,
      trainee_id: traineeId,
      order_id: f.orderId,
      order_line_id: f.orderLineId,
      provider_id: f.providerId,
      site_id: f.siteId,
      entry_date: "2026-03-02",
      planned_exit_date: "2026-06-30",
      updated_at: new Date(),
    })
    .execute();
  return pathId;
}

/** A browser-like session: form login, cookie, and the CSRF token read from a page. */
export async function cookieSession(t: TestContext, email: string) {
  const { cookie } = await formLogin(t.app, email);
  const home = await (await t.app.request("/", { headers: { cookie } })).text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(home)?.[1] ?? "";
  return {
    cookie,
    csrf,
    get: (path: string) => t.app.request(path, { headers: { cookie } }),
    post: (path: string, fields: [string, string][], headers: Record<string, string> = {}) =>
      t.app.request(path, {
        method: "POST",
        body: new URLSearchParams([["_csrf", csrf], ...fields]),
        headers: { cookie, "content-type": "application/x-www-form-urlencoded", ...headers },
      }),
  };
}
