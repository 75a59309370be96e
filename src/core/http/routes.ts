import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./context.ts";
import { registerIdentity } from "../../domains/identity/routes.tsx";
import { registerPaths } from "../../domains/paths/routes.tsx";
import { registerRegion } from "../../domains/region/routes.ts";
import { registerOffer } from "../../domains/offer/routes.ts";
import { registerOrders } from "../../domains/orders/routes.ts";
import { registerRecruitment } from "../../domains/recruitment/routes.tsx";
import { registerSessions } from "../../domains/sessions/routes.tsx";
import { registerLedger } from "../../domains/ledger/routes.ts";
import { registerDocuments } from "../../domains/documents/routes.tsx";
import { registerSchedule } from "../../domains/schedule/routes.tsx";
import { registerPrescribers } from "../../domains/prescribers/routes.ts";
import { registerMailbox } from "../notifications/mailbox.tsx";
import { registerAttendance } from "../../domains/attendance/routes.tsx";

/** Each domain registers its pages and its JSON API here. */
export function registerDomains(app: OpenAPIHono<AppEnv>) {
  registerIdentity(app);
  registerPaths(app);
  registerRegion(app);
  registerOffer(app);
  registerOrders(app);
  registerRecruitment(app);
  registerSessions(app);
  registerLedger(app);
  registerDocuments(app);
  registerSchedule(app);
  registerPrescribers(app);
  registerMailbox(app);
  registerAttendance(app);
}
