// What Node answers before the app sees a request (a URL over the header limit, a request line it
// cannot parse) is a French problem+json 4xx too (security issue, point 1).
import assert from "node:assert/strict";
import { connect } from "node:net";
import type { Server } from "node:http";
import { after, before, describe, test } from "node:test";
import { startServer } from "../../src/core/http/server.ts";
import { createTestContext, type TestContext } from "../support/app.ts";

function raw(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(request));
    let answer = "";
    socket.on("data", (d) => (answer += d.toString("utf8")));
    socket.on("end", () => resolve(answer));
    socket.on("error", reject);
  });
}

describe("the HTTP server answers malformed requests in French problem+json", () => {
  let t: TestContext;
  let server: Server;
  let port: number;
  before(async () => {
    t = await createTestContext();
    ({ server, port } = await startServer(t.app.fetch, 0, "127.0.0.1"));
  });
  after(async () => {
    server?.close();
    await t?.close();
  });

  test("a URL of 20 Ko (over Node's 16 Ko header limit) answers 431 problem+json; 8 Ko reaches the app (404)", async () => {
    const long = await raw(port, `GET /${"a".repeat(20_000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    assert.match(long, /^HTTP\/1\.1 431 /);
    assert.match(long, /content-type: application\/problem\+json/i);
    assert.equal(JSON.parse(long.slice(long.indexOf("\r\n\r\n") + 4)).status, 431);
    const fits = await raw(port, `GET /api/${"a".repeat(8_000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    assert.match(fits, /^HTTP\/1\.1 404 /);
  });

  test("a request line that is not HTTP answers 400 problem+json with a French detail", async () => {
    const answer = await raw(port, "N'IMPORTE QUOI\r\n\r\n");
    assert.match(answer, /^HTTP\/1\.1 400 /);
    assert.match(JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4)).detail, /mal formée/);
  });
});
