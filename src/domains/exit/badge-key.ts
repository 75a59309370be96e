// The badge signing key (Open Badges 3.0, VC-JWT with Ed25519): a PEM file OUTSIDE the database, at
// the configured path (BADGE_KEY_FILE, default <DATA_DIR>/keys/badge-ed25519.pem), generated on first
// start when absent (docs/adr/0018). Only its public half is ever published (/badges/cle.json).
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign, verify } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export interface BadgeKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** A short, stable key id: the first 16 characters of the public key's SHA-256 (base64url). */
  kid: string;
}

const loaded = new Map<string, BadgeKey>();

function fromPem(pem: string): BadgeKey {
  const privateKey = createPrivateKey(pem);
  const publicKey = createPublicKey(privateKey);
  const raw = publicKey.export({ format: "der", type: "spki" });
  return { privateKey, publicKey, kid: createHash("sha256").update(raw).digest("base64url").slice(0, 16) };
}

/** Reads the key file, creating it (mode 0600) when absent; two processes racing keep the first one written. */
export function loadBadgeKey(file: string): BadgeKey {
  const cached = loaded.get(file);
  if (cached) return cached;
  let pem: string;
  try {
    pem = readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    mkdirSync(dirname(file), { recursive: true });
    const { privateKey } = generateKeyPairSync("ed25519");
    try {
      writeFileSync(file, privateKey.export({ format: "pem", type: "pkcs8" }), { mode: 0o600, flag: "wx" });
    } catch (w) {
      if ((w as NodeJS.ErrnoException).code !== "EEXIST") throw w;
    }
    pem = readFileSync(file, "utf8");
  }
  const key = fromPem(pem);
  loaded.set(file, key);
  return key;
}

const b64 = (x: unknown) => Buffer.from(JSON.stringify(x)).toString("base64url");

/** A compact JWS (EdDSA) over the payload. */
export function signJwt(key: BadgeKey, payload: Record<string, unknown>): string {
  const head = `${b64({ alg: "EdDSA", typ: "JWT", kid: key.kid })}.${b64(payload)}`;
  return `${head}.${sign(null, Buffer.from(head), key.privateKey).toString("base64url")}`;
}

/** Checks a compact JWS against the public key; returns the payload, or undefined when anything is off. */
export function verifyJwt(publicKey: KeyObject, jwt: string): Record<string, unknown> | undefined {
  const parts = jwt.split(".");
  if (parts.length !== 3) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0], "base64url").toString("utf8"));
    if (header.alg !== "EdDSA") return undefined;
    if (!verify(null, Buffer.from(`${parts[0]}.${parts[1]}`), publicKey, Buffer.from(parts[2], "base64url"))) return undefined;
    return JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
}

/** The public key as a JWK set (what a verifier fetches). */
export function publicJwks(key: BadgeKey) {
  const jwk = key.publicKey.export({ format: "jwk" }) as { kty: string; crv: string; x: string };
  return { keys: [{ ...jwk, kid: key.kid, alg: "EdDSA", use: "sig" }] };
}
