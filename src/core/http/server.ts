// The HTTP server around the app. Node itself answers what never reaches the app (a URL or headers
// over its 16 Ko limit, a request it cannot parse): those answers are French problem+json too.
import { serve } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import type { Duplex } from "node:stream";

type Fetch = (request: Request, env?: unknown) => Response | Promise<Response>;

const CLIENT_ERRORS: Record<string, { status: number; title: string; detail: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, title: "En-têtes trop volumineux", detail: "L'adresse ou les en-têtes de la requête dépassent 16 Ko." },
};
const MALFORMED = { status: 400, title: "Requête invalide", detail: "La requête HTTP est mal formée." };

/** The raw HTTP answer Node writes on a socket when a request cannot be parsed. */
export function clientErrorResponse(code: string | undefined): string {
  const e = (code && CLIENT_ERRORS[code]) || MALFORMED;
  const body = JSON.stringify({ type: "about:blank", title: e.title, status: e.status, code: "MALFORMED_REQUEST", detail: e.detail });
  return `HTTP/1.1 ${e.status} ${e.title.normalize("NFD").replace(/[\u0300-\u036f]/g, "")}\r\nContent-Type: application/problem+json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

/** Serves `fetch` on `port` (0: any free port); resolves once listening. */
export function startServer(fetch: Fetch, port: number, hostname?: string): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = serve({ fetch, port, hostname }, (info: AddressInfo) => resolve({ server, port: info.port })) as Server;
    server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => {
      if (!socket.writable) return socket.destroy();
      socket.end(clientErrorResponse(error.code));
    });
  });
}
