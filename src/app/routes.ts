import { registerInternships } from "../domains/internships/routes.ts";
import type { OpenAPIHono } from "@hono/zod-openapi";
import { MAX_FILE_BYTES } from "../core/files.ts";
import type { BodyBound } from "../core/http/body.ts";
import type { AppEnv } from "../core/http/context.ts";
import { MAX_CSV_BYTES } from "../domains/recruitment/csv-import.ts";
import { registerIdentity } from "../domains/identity/routes.tsx";
import { registerPaths } from "../domains/paths/routes.tsx";
import { registerRegion } from "../domains/region/routes.ts";
import { registerOffer } from "../domains/offer/routes.ts";
import { registerOrders } from "../domains/orders/routes.ts";
import { registerRecruitment } from "../domains/recruitment/routes.tsx";
import { registerSessions } from "../domains/sessions/routes.tsx";
import { registerLedger } from "../domains/ledger/routes.ts";
import { registerDocuments } from "../domains/documents/routes.tsx";
import { registerSchedule } from "../domains/schedule/routes.tsx";
import { registerPrescribers } from "../domains/prescribers/routes.ts";
import { registerMailbox } from "../core/notifications/mailbox.tsx";
import { registerAttendance } from "../domains/attendance/routes.tsx";
import { registerExit } from "../domains/exit/routes.tsx";
import { registerAmi } from "../domains/ami/routes.ts";
import { registerReadAudit } from "./privacy/read-audit.ts";
import { registerPrivacy } from "./privacy/routes.tsx";
import { registerLegalPages } from "./legal/routes.tsx";
import { registerChanges } from "../domains/changes/routes.ts";
import { registerKpi } from "../domains/kpi/routes.ts";
import { registerAccessSites } from "../domains/access-sites/routes.ts";
import { registerHome } from "../domains/home/routes.tsx";
import { registerEformation } from "../domains/eformation/routes.ts";
import { registerTrainers } from "../domains/trainers/routes.ts";

/** Each domain registers its pages and its JSON API here. */
export function registerDomains(app: OpenAPIHono<AppEnv>) {
  registerReadAudit(app); // first: it wraps every route that shows a person's record
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
  registerExit(app);
  registerInternships(app);
  registerAmi(app);
  registerPrivacy(app);
  registerLegalPages(app);
  registerChanges(app);
  registerKpi(app);
  registerAccessSites(app);
  registerHome(app);
  registerEformation(app);
  registerTrainers(app);
}

// A 10 Mo file, as base64 in JSON or as a multipart form, with room for the other fields.
const FILE_BODY_MAX = Math.ceil((MAX_FILE_BYTES * 4) / 3) + 64 * 1024;

/** The routes that receive files get a larger body bound than the default 1 Mo (core/http/body.ts). */
export const UPLOAD_ROUTES: BodyBound[] = [
  { path: /^\/api\/attendance\/slots\/[^/]+\/paper$/, maxBytes: FILE_BODY_MAX },
  { path: /^\/emargement\/[^/]+\/papier$/, maxBytes: FILE_BODY_MAX },
  { path: /^\/api\/candidacies\/paper$/, maxBytes: FILE_BODY_MAX },
  { path: /^\/candidatures\/nouvelle$/, maxBytes: FILE_BODY_MAX },
  { path: /^\/api\/sessions\/[^/]+\/candidacies\/import$/, maxBytes: MAX_CSV_BYTES + 64 * 1024 },
  { path: /^\/candidatures\/import$/, maxBytes: MAX_CSV_BYTES + 64 * 1024 },
  { path: /^\/parcours\/[^/]+\/bilan\/examen-blanc$/, maxBytes: FILE_BODY_MAX },
  { path: /^\/offre\/composantes\/[^/]+\/certifications\/[^/]+\/habilitation$/, maxBytes: FILE_BODY_MAX },
  { path: /^\/api\/periods\/[^/]+\/certificates$/, maxBytes: FILE_BODY_MAX },
  { path: /^\/periodes\/[^/]+\/attestations$/, maxBytes: FILE_BODY_MAX },
  { path: /^\/livret-accueil$/, maxBytes: FILE_BODY_MAX },
  { path: /^\/api\/ami\/applications\/[^/]+\/deliverables$/, maxBytes: FILE_BODY_MAX },
  { path: /^\/ami\/candidatures\/[^/]+\/livrables$/, maxBytes: FILE_BODY_MAX },
  { path: /^\/api\/change-requests$/, maxBytes: FILE_BODY_MAX * 3 },
  { path: /^\/demandes\/nouvelle$/, maxBytes: FILE_BODY_MAX * 3 },
  { path: /^\/eformation\/sessions\/[^/]+\/logiciels$/, maxBytes: FILE_BODY_MAX },
  { path: /^\/(api\/trainers|formateurs)(\/[^/]+)?$/, maxBytes: FILE_BODY_MAX },
  { path: /^\/api\/contribution-findings\/[^/]+\/refund$/, maxBytes: FILE_BODY_MAX },
  { path: /^\/contributions\/[^/]+\/remboursement$/, maxBytes: FILE_BODY_MAX },
];
