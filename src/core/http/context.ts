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
    /** The caller's session token (cookie or bearer) when it opened a session: to keep it when the others end. */
    sessionToken: string | undefined;
    /** This response's CSP nonce, for the rare element that must be inline (core/http/headers.ts). */
    cspNonce: string;
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

/**
 * A cookie's lifetime as Max-Age (seconds from now on the server's clock), never an absolute
 * Expires: the browser then keeps it for the intended time even when its clock and ours differ.
 */
export const secondsUntil = (expires: Date, now: Date) => Math.max(0, Math.floor((expires.getTime() - now.getTime()) / 1000));
