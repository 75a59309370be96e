import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./context.ts";
import { registerIdentity } from "../../domains/identity/routes.tsx";
import { registerPaths } from "../../domains/paths/routes.tsx";

/** Each domain registers its pages and its JSON API here. */
export function registerDomains(app: OpenAPIHono<AppEnv>) {
  registerIdentity(app);
  registerPaths(app);
}
