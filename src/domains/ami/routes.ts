import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../core/http/context.ts";
import { registerAmiApi } from "./api.ts";
import { registerAmiApplicationPages } from "./pages/application.tsx";
import { registerAmiCallPages } from "./pages/calls.tsx";

/** The modernisation call (AMI, REQUIREMENTS §11): pages and JSON API. */
export function registerAmi(app: OpenAPIHono<AppEnv>) {
  registerAmiApi(app);
  registerAmiCallPages(app);
  registerAmiApplicationPages(app);
}
