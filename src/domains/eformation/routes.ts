import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../core/http/context.ts";
import { registerEformationPages } from "./pages.tsx";
import { registerSessionPages } from "./session-pages.tsx";
import { registerCheckpointPage } from "./checkpoint-page.tsx";
import { registerEformationApi } from "./api.ts";
import { registerGatheringPages } from "./gathering-pages.tsx";
import { registerProtocolApi } from "./protocol-api.ts";
import { registerProtocolPages } from "./protocol-pages.tsx";

/** Occitanie e-formation: pages (typical week, lot minimum, sessions, gatherings, individual protocol) and JSON API. */
export function registerEformation(app: OpenAPIHono<AppEnv>) {
  registerEformationApi(app);
  registerEformationPages(app);
  registerSessionPages(app);
  registerCheckpointPage(app);
  registerGatheringPages(app);
  registerProtocolApi(app);
  registerProtocolPages(app);
}
