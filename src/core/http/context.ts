import type { Context } from "hono";
import type { Db } from "../db/index.ts";
import type { Config } from "../config.ts";
import type { Clock } from "../time.ts";
import type { Actor } from "../auth/actor.ts";
import { DomainError } from "../errors.ts";

export interface Deps {
  db: Db;
  clock: Clock;
  config: Config;
}

export interface AppEnv {
  Variables: {
    deps: Deps;
    actor: Actor | undefined;
    csrfToken: string | undefined;
  };
}

export type Ctx = Context<AppEnv>;

/** The caller, or a 401 (API) / redirect to the login page (pages, handled by the error handler). */
export function actorOf(c: Ctx): Actor {
  const actor = c.get("actor");
  if (!actor) throw new DomainError("UNAUTHENTICATED", 401, "Connectez-vous pour continuer.");
  return actor;
}

export const depsOf = (c: Ctx) => c.get("deps");
