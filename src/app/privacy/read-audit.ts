// Every read of a trainee's or candidate's record, page or API, is audited (who, when, what):
// one middleware here, ahead of every domain's routes, instead of a line in each handler. A read is
// a GET answered 200 on one of the routes below; the entry names the record and the route.
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../core/http/context.ts";
import { recordRead } from "../../core/privacy.ts";

const ID = "([0-9a-fA-F-]{36})";

/** The routes that show a person's record, and which record their id names. */
export const AUDITED_READS: { route: RegExp; entity: "trainee" | "path" | "candidacy" | "candidate" | "user" }[] = [
  { route: new RegExp(`^/parcours/${ID}(?:/construire|/certificats)?$`), entity: "path" },
  { route: new RegExp(`^/api/paths/${ID}$`), entity: "path" },
  { route: new RegExp(`^/candidatures/${ID}(?:/piece-jointe)?$`), entity: "candidacy" },
  { route: new RegExp(`^/api/candidacies/${ID}$`), entity: "candidacy" },
  { route: new RegExp(`^/rgpd/stagiaires/${ID}$`), entity: "trainee" },
  { route: new RegExp(`^/rgpd/candidats/${ID}$`), entity: "candidate" },
  { route: new RegExp(`^/rgpd/comptes/${ID}$`), entity: "user" },
];

/** Registered before the domains' routes (src/app/routes.ts), so it wraps every one of them. */
export function registerReadAudit(app: OpenAPIHono<AppEnv>) {
  app.use("*", async (c, next) => {
    await next();
    if (c.req.method !== "GET" || c.res.status !== 200) return;
    const actor = c.get("actor");
    if (!actor) return;
    const path = c.req.path;
    for (const a of AUDITED_READS) {
      const m = a.route.exec(path);
      if (!m) continue;
      // If the entry cannot be written, the record is not shown (the error page answers instead).
      await recordRead(c.get("deps").db, { actorId: actor.userId, entity: a.entity, entityId: m[1].toLowerCase(), route: path, via: path.startsWith("/api/") ? "api" : "page" });
      return;
    }
  });
}
