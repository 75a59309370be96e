import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../core/http/context.ts";
import { registerOfferApi } from "./api.ts";
import { registerComponentPages } from "./pages/component.tsx";
import { registerOfferHome } from "./pages/home.tsx";
import { registerSitePages } from "./pages/sites.tsx";

/** Sites, components, modules, submission and review: pages and JSON API. */
export function registerOffer(app: OpenAPIHono<AppEnv>) {
  registerOfferApi(app);
  registerOfferHome(app);
  registerSitePages(app);
  registerComponentPages(app);
}
