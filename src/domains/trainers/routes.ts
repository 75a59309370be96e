import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../core/http/context.ts";
import { registerTrainersApi } from "./api.ts";
import { registerTrainerPages } from "./pages.tsx";

/** Trainers and teaching teams (CP-TRAINER-CHANGE): pages and JSON API. */
export function registerTrainers(app: OpenAPIHono<AppEnv>) {
  registerTrainersApi(app);
  registerTrainerPages(app);
}
