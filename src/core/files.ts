// Files people hand over (a paper prescription form, the scanned attendance sheet) are stored in
// the attachment table, owned here: every domain checks, stores and reads them through these functions.
import { createHash } from "node:crypto";
import { type Kysely, sql } from "kysely";
import { readModel } from "./db/read-model.ts";
import type { DB } from "./db/schema.ts";
import type { Violation } from "./rules.ts";
import { newId } from "./time.ts";

type Q = Kysely<DB>;

export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_FILENAME_LENGTH = 200;
/** A 10 MB file sent in JSON as base64 (4 characters per 3 bytes). */
export const BASE64_MAX = Math.ceil(MAX_FILE_BYTES / 3) * 4;

export interface FileInput {
  filename: string;
  contentType: string;
  bytes: Uint8Array;
}

// The type is judged on the file's first bytes, never on what the browser claims.
const SIGNATURES: Record<string, (b: Uint8Array) => boolean> = {
  "application/pdf": (b) => b[0] === 0x25 && b[1] === 0x50 && b[2] === 0x44 && b[3] === 0x46,
  "image/jpeg": (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  "image/png": (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47,
};

/** The file name's extension each type may carry (a name without extension is accepted). */
const EXTENSIONS: Record<string, string[]> = {
  "application/pdf": ["pdf"],
  "image/jpeg": ["jpg", "jpeg"],
  "image/png": ["png"],
};

const extensionOf = (filename: string) => /\.([A-Za-z0-9]{1,10})$/.exec(filename.trim())?.[1]?.toLowerCase();

/**
 * A PDF, JPEG or PNG, 10 MB at most; `field` names the form input. The declared type must be the one
 * the first bytes prove, and the name's extension must agree with it (a PDF named `.exe` or
 * `.html`, or a PNG named `.pdf`, is refused: it would be opened as what its name says).
 */
export function checkFile(f: FileInput, field: string): Violation[] {
  const v = (message: string): Violation[] => [{ code: "ATTACHMENT", severity: "error", article: "", field, message }];
  if (f.bytes.byteLength === 0) return v("Le fichier joint est vide.");
  if (f.bytes.byteLength > MAX_FILE_BYTES) return v(`Le fichier joint dépasse 10 Mo (${(f.bytes.byteLength / 1048576).toFixed(1).replace(".", ",")} Mo).`);
  if (!SIGNATURES[f.contentType]?.(f.bytes)) return v("Le fichier joint doit être un PDF, un JPEG ou un PNG.");
  const ext = extensionOf(f.filename);
  if (ext && !EXTENSIONS[f.contentType].includes(ext)) {
    return v(`Le nom du fichier (« .${ext} ») ne correspond pas à son contenu (${EXTENSIONS[f.contentType].map((e) => `.${e}`).join(" ou ")}) : renommez-le ou joignez le bon fichier.`);
  }
  return [];
}

export const sha256Hex = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** Stores a checked file in the caller's transaction; returns its id and hash. */
export async function storeFile(tx: Q, f: FileInput, owner: { providerId: string | null; uploadedBy: string }) {
  const id = newId();
  const sha256 = sha256Hex(f.bytes);
  await tx
    .insertInto("attachment")
    .values({
      id,
      provider_id: owner.providerId,
      filename: f.filename.slice(0, MAX_FILENAME_LENGTH),
      content_type: f.contentType,
      size_bytes: f.bytes.byteLength,
      sha256,
      bytes: Buffer.from(f.bytes),
      uploaded_by: owner.uploadedBy,
    })
    .execute();
  return { id, sha256 };
}

export const readFile = (db: Q, id: string) =>
  db.selectFrom("attachment").select(["filename", "content_type", "bytes", "sha256"]).where("id", "=", id).executeTakeFirstOrThrow();

/** Stored files as a read model (a proof verifier re-hashes a scan's bytes). */
export const attachmentRows = () => readModel.selectFrom("attachment").select(["id", "provider_id", "filename", "content_type", "size_bytes", "sha256", "bytes", "created_at"]);
/** Each stored file's row version (xmin, ctid): any write to the row, its bytes included, changes it (docs/adr/0047). */
export const attachmentVersions = () => readModel.selectFrom("attachment").select(["id", sql<string>`xmin::text || ':' || ctid::text`.as("version")]);
