// The platform's secret, the same in every process: HMAC keys (the attendance QR codes') are derived
// from it, so what one process signs another accepts. APP_SECRET when set (the secret then lives
// outside the database); otherwise one drawn once by the first process to start and kept in the
// database (platform_secret). Never drawn per process: behind a load balancer that breaks every code.
import { createHmac, randomBytes } from "node:crypto";
import type { Db } from "./db/index.ts";

const NAME = "platform";

export async function platformSecret(db: Db, configured?: string): Promise<Buffer> {
  if (configured) {
    if (configured.length < 32) throw new Error("APP_SECRET doit compter au moins 32 caractères (ex. : openssl rand -base64 48).");
    return Buffer.from(configured, "utf8");
  }
  // Two processes starting together: both insert, one wins, both read the winner's.
  await db.insertInto("platform_secret").values({ name: NAME, value: randomBytes(32) }).onConflict((oc) => oc.column("name").doNothing()).execute();
  const row = await db.selectFrom("platform_secret").select("value").where("name", "=", NAME).executeTakeFirstOrThrow();
  return Buffer.from(row.value);
}

/** A key for one purpose ("attendance-qr"…): a leak of one key says nothing of the others. */
export const derivedKey = (secret: Buffer, purpose: string): Buffer => createHmac("sha256", secret).update(`competences-plus:${purpose}`).digest();
