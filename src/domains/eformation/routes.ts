import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../core/http/context.ts";
import { registerEformationPages } from "./pages.tsx";
import { registerSessionPages } from "./session-pages.tsx";
import { registerCheckpointPage } from "./checkpoint-page.tsx";

/** Occitanie e-formation: pages (typical week, lot minimum, sessions). */
export function registerEformation(app: OpenAPIHono<AppEnv>) {
  registerEformationPages(app);
  registerSessionPages(app);
  registerCheckpointPage(app);
}
