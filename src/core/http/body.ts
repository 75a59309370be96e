// Request bodies of the hot paths. Served by @hono/node-server, the body is read from Node's own
// stream: going through the web Request (undici body, web streams) tripled the server's CPU per
// signature at 9:00 (measured, ADR 0006). Under app.request() (tests, no socket) the web body is used.
import type { IncomingMessage } from "node:http";
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { z } from "zod";
import { DomainError } from "../errors.ts";

/** API input errors as the OpenAPI validator reports them: one issue per field, `field : message`. */
export function invalidApiInput(error: z.ZodError): DomainError {
  const issues = error.issues.map((i) => ({
    code: "VALIDATION",
    severity: "error" as const,
    message: `${i.path.join(".") || "corps"} : ${i.message}`,
    article: "",
    field: i.path.join("."),
  }));
  return new DomainError("VALIDATION", 400, "Certaines données sont invalides.", issues);
}

const tooLarge = (maxBytes: number) =>
  new DomainError("BODY_TOO_LARGE", 413, `Requête trop volumineuse : ${Math.round(maxBytes / 1024)} Ko au plus pour cette adresse.`);

/** Every request body is bounded (1 Mo); the routes that receive files name a larger bound. */
export const DEFAULT_BODY_MAX = 1024 * 1024;
export interface BodyBound {
  /** Matched against the request path. */
  path: RegExp;
  maxBytes: number;
}

/** The bound for a request path: the first matching upload route's, else DEFAULT_BODY_MAX. */
export const bodyMaxFor = (path: string, uploads: BodyBound[]) => uploads.find((u) => u.path.test(path))?.maxBytes ?? DEFAULT_BODY_MAX;

/**
 * Middleware: refuses a body above its bound before anything reads it (413 problem). A declared
 * length is judged at once; a chunked body is counted as it arrives (Hono's bodyLimit).
 */
export function limitBodies(uploads: BodyBound[]): MiddlewareHandler {
  return async (c, next) => {
    const maxBytes = bodyMaxFor(c.req.path, uploads);
    return bodyLimit({ maxSize: maxBytes, onError: () => { throw tooLarge(maxBytes); } })(c, next);
  };
}

async function readNode(incoming: IncomingMessage, maxBytes: number): Promise<string> {
  const declared = Number(incoming.headers["content-length"] ?? 0);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of incoming as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** The JSON body validated by `schema`; a 400 problem (VALIDATION) like the validator's when it is not. */
export async function jsonBody<S extends z.ZodType>(c: Context, schema: S, maxBytes: number): Promise<z.infer<S>> {
  if (!/json/.test(c.req.header("content-type") ?? "")) throw new DomainError("VALIDATION", 400, "Corps JSON attendu (Content-Type: application/json).");
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  let text: string;
  // A chunked body already counted by limitBodies was read from the stream: take the web body then.
  if (incoming && !incoming.readableEnded) text = await readNode(incoming, maxBytes);
  else if ((text = await c.req.text()).length > maxBytes) throw tooLarge(maxBytes);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new DomainError("VALIDATION", 400, "Corps JSON illisible.");
  }
  const result = schema.safeParse(raw);
  if (!result.success) throw invalidApiInput(result.error);
  return result.data;
}
