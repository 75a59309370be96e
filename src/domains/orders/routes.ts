import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../core/http/context.ts";
import { registerOrdersApi } from "./api.ts";
import { registerOrderFormPages } from "./pages/edit.tsx";
import { registerOrderViewPages } from "./pages/view.tsx";
import { registerOrderPathsExport } from "./pages/paths-export.ts";

/** The Region's orders (bons de commande) and their consumption: pages and JSON API. */
export function registerOrders(app: OpenAPIHono<AppEnv>) {
  registerOrdersApi(app);
  registerOrderFormPages(app);
  registerOrderViewPages(app);
  registerOrderPathsExport(app);
}
