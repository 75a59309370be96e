import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { toDomainError } from "./errors.ts";

const withCode = (code: string, message = "x") => Object.assign(new Error(message), { code });

describe("toDomainError: the database away is a 503, not a 500", () => {
  for (const code of ["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "57P01", "57P03", "08006", "08001", "53300", "57014"]) {
    test(`DATABASE_UNAVAILABLE: ${code} answers 503 in French`, () => {
      const e = toDomainError(withCode(code));
      assert.equal(e?.status, 503);
      assert.equal(e?.code, "DATABASE_UNAVAILABLE");
      assert.match(e?.detail ?? "", /momentanément injoignable/);
    });
  }
  for (const message of ["Connection terminated unexpectedly", "timeout exceeded when trying to connect", "Client has encountered a connection error and is not queryable", "Query read timeout"]) {
    test(`DATABASE_UNAVAILABLE: pg's "${message}" answers 503`, () => assert.equal(toDomainError(new Error(message))?.status, 503));
  }
  test("DATABASE_UNAVAILABLE: input errors keep their 4xx, a plain bug stays a 500 (undefined)", () => {
    assert.equal(toDomainError(withCode("23505"))?.status, 409);
    assert.equal(toDomainError(withCode("22007"))?.status, 400);
    assert.equal(toDomainError(withCode("ENOENT")), undefined);
    assert.equal(toDomainError(new TypeError("Cannot read properties of undefined")), undefined);
  });
});
