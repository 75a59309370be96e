import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../core/http/context.ts";
import { registerLedgerApi } from "./api.ts";

/** Realised hours (the ledger): JSON API; its screens live on the path and order pages. */
export function registerLedger(app: OpenAPIHono<AppEnv>) {
  registerLedgerApi(app);
}
