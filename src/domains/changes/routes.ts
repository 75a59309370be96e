import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../core/http/context.ts";
import { registerChangesApi } from "./api.ts";
import { registerChangePages } from "./pages.tsx";

/** Change requests: pages and JSON API. */
export function registerChanges(app: OpenAPIHono<AppEnv>) {
  registerChangesApi(app);
  registerChangePages(app);
}
