import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { XmlDocument, XsdValidator } from "libxml2-wasm";
import { createTestDatabase } from "../../../test/support/db.ts";
import type { Actor } from "../../core/auth/actor.ts";
import type { Database } from "../../core/db/index.ts";
import { loadDemoIfEmpty } from "../../demo/seed.ts";
import { lheoExport } from "./lheo.ts";
import { catalogue, infoRegularWarnings } from "./use-cases.ts";

const region: Actor = { userId: "r", role: "region_officer", fullName: "Région", email: "r@x", providerId: null, prescriberOrganisationId: null, traineeId: null };

describe("demo sessions and information meetings", () => {
  let database: Database;
  const now = new Date("2026-03-02T09:00:00Z");
  before(async () => {
    database = await createTestDatabase(2);
    await loadDemoIfEmpty(database.db, { now });
  });
  after(() => database.close());

  test("every demo order line has sessions; the public catalogue shows upcoming ones and meetings", async () => {
    const lines = await database.db.selectFrom("order_line").select("id").execute();
    const withSessions = await database.db.selectFrom("session").select("order_line_id").distinct().execute();
    assert.equal(withSessions.length, lines.length);
    const data = await catalogue(database.db, {}, "2026-03-02");
    assert.ok(data.sessions.length > 0);
    assert.ok(data.meetings.length > 0);
  });

  test("CP-INFO-REGULAR shows for the demo order with no information meeting ahead (BC-2026-065-002) only", async () => {
    const warnings = await infoRegularWarnings(database.db, region, "2026-03-02");
    assert.deepEqual(
      warnings.map((w) => w.details?.orderNumber),
      ["BC-2026-065-002"],
    );
  });

  test("the demo's LHEO export is valid against lheo-2.3.xsd", async () => {
    const xml = await lheoExport(database.db, { publishedOnly: true }, now, "2026-03-02");
    assert.ok(xml);
    const schema = XmlDocument.fromString(readFileSync(new URL("../../../schemas/lheo-2.3.xsd", import.meta.url), "utf8"));
    const validator = XsdValidator.fromDoc(schema);
    const doc = XmlDocument.fromString(xml);
    try {
      validator.validate(doc);
    } finally {
      doc.dispose();
      validator.dispose();
      schema.dispose();
    }
  });
});
