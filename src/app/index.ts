// The composition root: the platform's HTTP app and background jobs, assembled from the domains.
import { createApp as createHttpShell } from "../core/http/app.tsx";
import type { Deps } from "../core/http/context.ts";
import { registerDomains, UPLOAD_ROUTES } from "./routes.ts";

export { startBackgroundJobs, type BackgroundJobs } from "./jobs.ts";
export { configureSharedKeys } from "./secrets.ts";

/** The whole platform's HTTP app: the core shell with every domain's pages and API. */
export const createApp = (deps: Deps) => createHttpShell(deps, registerDomains, UPLOAD_ROUTES);
export type App = ReturnType<typeof createApp>;
