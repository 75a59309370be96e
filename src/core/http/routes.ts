import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./context.ts";
import { registerIdentity } from "../../domains/identity/routes.tsx";
import { registerPaths } from "../../domains/paths/routes.tsx";
import { registerRegion } from "../../domains/region/routes.ts";
import { registerOffer } from "../../domains/offer/routes.ts";
import { registerOrders } from "../../domains/orders/routes.ts";

/** Each domain registers its pages and its JSON API here. */
export function registerDomains(app: OpenAPIHono<AppEnv>) {
  registerIdentity(app);
  registerPaths(app);
  registerRegion(app);
  registerOffer(app);
  registerOrders(app);
}
