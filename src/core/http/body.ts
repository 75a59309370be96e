// Request bodies of the hot paths. Served by @hono/node-server, the body is read from Node's own
// stream: going through the web Request (undici body, web streams) tripled the server's CPU per
// signature at 9:00 (measured, ADR 0006). Under app.request() (tests, no socket) the web body is used.
import type { IncomingMessage } from "node:http";
import type { Context } from "hono";
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

const tooLarge = () => new DomainError("VALIDATION", 413, "Requête trop volumineuse.");

async function readNode(incoming: IncomingMessage, maxBytes: number): Promise<string> {
  const declared = Number(incoming.headers["content-length"] ?? 0);
  if (declared > maxBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of incoming as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** The JSON body validated by `schema`; a 400 problem (VALIDATION) like the validator's when it is not. */
export async function jsonBody<S extends z.ZodType>(c: Context, schema: S, maxBytes: number): Promise<z.infer<S>> {
  if (!/json/.test(c.req.header("content-type") ?? "")) throw new DomainError("VALIDATION", 400, "Corps JSON attendu (Content-Type: application/json).");
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  let text: string;
  if (incoming) text = await readNode(incoming, maxBytes);
  else if ((text = await c.req.text()).length > maxBytes) throw tooLarge();
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
