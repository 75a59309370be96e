import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../core/http/context.ts";
import { registerAccessSitesApi } from "./api.ts";
import { registerAccessSitePages } from "./pages/sites.tsx";
import { registerSeatPages } from "./pages/seats.tsx";

/** Occitanie e-formation access sites and their seats (CP-EFORM-SITES): pages and JSON API. */
export function registerAccessSites(app: OpenAPIHono<AppEnv>) {
  registerAccessSitesApi(app);
  registerAccessSitePages(app);
  registerSeatPages(app);
}
