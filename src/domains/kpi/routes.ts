import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../core/http/context.ts";
import { registerKpiApi } from "./api.ts";
import { registerKpiPages } from "./pages.tsx";

/** The Region's desk: dashboard, compliance board, realised-hours export. */
export function registerKpi(app: OpenAPIHono<AppEnv>) {
  registerKpiApi(app);
  registerKpiPages(app);
}
