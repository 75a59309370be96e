import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../core/http/context.ts";
import { registerInternshipsApi } from "./api.ts";
import { registerFollowupPages } from "./followup-pages.tsx";
import { registerInternshipLinkPages } from "./link-pages.tsx";
import { registerInternshipPages } from "./pages.tsx";
import { registerPeriodsListPage } from "./periods-list-page.tsx";
import { registerTraineeInternshipPages } from "./trainee-pages.tsx";

/** Company periods and the trainee's follow-up (CCTP §3.1.5, §3.2.1.4): pages and JSON API. */
export function registerInternships(app: OpenAPIHono<AppEnv>) {
  registerInternshipsApi(app);
  registerInternshipPages(app);
  registerInternshipLinkPages(app);
  registerFollowupPages(app);
  registerTraineeInternshipPages(app);
  registerPeriodsListPage(app);
}
