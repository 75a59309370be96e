import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../core/http/context.ts";
import { registerRegionApi } from "./api.ts";
import { registerLotPages } from "./pages/lots.tsx";
import { registerProviderPages } from "./pages/providers.tsx";
import { registerOwnProviderPages } from "./pages/referents.tsx";
import { registerContributions } from "./pages/contributions.tsx";

/** Lots, providers and referents: pages and JSON API. */
export function registerRegion(app: OpenAPIHono<AppEnv>) {
  registerRegionApi(app);
  registerLotPages(app);
  registerProviderPages(app);
  registerOwnProviderPages(app);
  registerContributions(app);
}
