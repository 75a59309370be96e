import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../core/http/context.ts";
import { registerPrescribersApi } from "./api.ts";
import { registerPrescriberPages } from "./pages.tsx";

/** Authorised prescribers (CP-PRESCRIBERS): pages and JSON API. */
export function registerPrescribers(app: OpenAPIHono<AppEnv>) {
  registerPrescribersApi(app);
  registerPrescriberPages(app);
}
