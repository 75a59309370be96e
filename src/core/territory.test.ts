import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { siteInLot } from "./territory.ts";

describe("CP-SITE-IN-LOT (one rule for the offer, the orders and the lot edit)", () => {
  const toulouse = { id: "s1", name: "Toulouse Compans", departementCode: "31" };
  const montpellier = { id: "s2", name: "Montpellier Port Marianne", departementCode: "34" };

  test("CP-SITE-IN-LOT: a site in one of the lot's départements passes", () => {
    assert.equal(siteInLot([toulouse], ["31", "81"]), undefined);
    assert.equal(siteInLot([], []), undefined);
  });

  test("CP-SITE-IN-LOT: a site outside the lot is refused and named, with the lot's départements", () => {
    const v = siteInLot([toulouse, montpellier], ["31", "81"]);
    assert.equal(v?.code, "CP-SITE-IN-LOT");
    assert.equal(v?.severity, "error");
    assert.equal(v?.article, "CCTP §4.1.2");
    assert.equal(v?.field, "siteIds");
    assert.deepEqual(v?.details?.siteIds, ["s2"]);
    assert.match(v!.message, /^Le site « Montpellier Port Marianne » \(34\) est hors du territoire du lot \(départements 31, 81\)/);
  });

  test("CP-SITE-IN-LOT: the same site refused once its département leaves the lot (territory shrunk)", () => {
    assert.equal(siteInLot([toulouse], ["31"]), undefined);
    const v = siteInLot([{ ...toulouse, usedBy: "composante « Anglais »" }], ["81"]);
    assert.match(v!.message, /Toulouse Compans » \(31\) — composante « Anglais » est hors du territoire du lot \(départements 81\)/);
  });

  test("CP-SITE-IN-LOT: an order line's wording (prefix and field)", () => {
    const v = siteInLot([montpellier, { ...montpellier, id: "s3", name: "Sète" }], ["31"], { prefix: "Ligne 3 : ", field: "lines.2.siteIds" });
    assert.equal(v?.field, "lines.2.siteIds");
    assert.match(v!.message, /^Ligne 3 : le site « Montpellier Port Marianne » \(34\), le site « Sète » \(34\) sont hors du territoire/);
    assert.deepEqual(v?.details?.siteIds, ["s2", "s3"]);
  });
});
