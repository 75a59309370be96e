import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { lotTerritory, normaliseDigits, QUALIOPI_NOTICE_DAYS, qualiopiValid, referentsComplete, siretRule, validSiret } from "./rules.ts";

describe("SIRET (14 digits + Luhn, La Poste exception)", () => {
  test("a Luhn-valid SIRET passes; changing its last digit fails", () => {
    assert.equal(validSiret("73282932000074"), true);
    assert.equal(validSiret("73282932000075"), false);
  });

  test("13 or 15 digits, letters and spaces are refused (normalise first)", () => {
    assert.equal(validSiret("7328293200007"), false);
    assert.equal(validSiret("732829320000740"), false);
    assert.equal(validSiret("7328293200007A"), false);
    assert.equal(validSiret("732 829 320 00074"), false);
    assert.equal(validSiret(normaliseDigits("732 829 320 00074")), true);
  });

  test("La Poste (SIREN 356000000): an establishment failing Luhn is valid when its digit sum is a multiple of 5", () => {
    assert.equal(validSiret("35600000049837"), true, "digit sum 45, not Luhn-valid");
    assert.equal(validSiret("35600000049838"), false, "digit sum 46");
    assert.equal(validSiret("35600000000048"), true, "head office, Luhn-valid");
  });

  test("the exception is La Poste's only: another SIREN with a digit sum multiple of 5 still needs Luhn", () => {
    // 45 = digit sum, not Luhn-valid
    assert.equal(validSiret("35600001049836"), false);
  });

  test("siretRule names the field and explains the key", () => {
    assert.equal(siretRule("73282932000074"), undefined);
    const v = siretRule("73282932000075");
    assert.equal(v?.field, "siret");
    assert.match(v!.message, /clé de contrôle/);
    assert.match(siretRule("123")!.message, /14 chiffres/);
  });
});

describe("CP-QUALIOPI (warning)", () => {
  const today = "2026-03-02";
  const cert = (until: string | null, over: Partial<{ qualiopi_number: string | null; qualiopi_issuer: string | null }> = {}) => ({
    qualiopi_number: "Q-123",
    qualiopi_issuer: "AFNOR Certification",
    qualiopi_valid_until: until,
    ...over,
  });
  const state = (until: string | null, over = {}) => qualiopiValid(cert(until, over), today)?.details?.state;

  test("CP-QUALIOPI: expires today is still valid (expiring), expired yesterday warns as expired", () => {
    assert.equal(state("2026-03-02"), "expiring");
    const v = qualiopiValid(cert("2026-03-01"), today);
    assert.equal(v?.code, "CP-QUALIOPI");
    assert.equal(v?.severity, "warning");
    assert.equal(v?.details?.state, "expired");
    assert.match(v!.message, /expiré le 01\/03\/2026/);
  });

  test("CP-QUALIOPI: the notice window — 60 days ahead warns, 61 days ahead does not", () => {
    assert.equal(QUALIOPI_NOTICE_DAYS, 60);
    assert.equal(state("2026-05-01"), "expiring"); // 60 days after 2 March
    assert.match(qualiopiValid(cert("2026-05-01"), today)!.message, /expire le 01\/05\/2026/);
    assert.equal(qualiopiValid(cert("2026-05-02"), today), undefined);
  });

  test("CP-QUALIOPI: a missing issuer, number or date warns as missing", () => {
    assert.equal(state("2027-01-01", { qualiopi_number: null }), "missing");
    assert.equal(state(null), "missing");
    assert.equal(state("2027-01-01", { qualiopi_number: "  " }), "missing");
    assert.equal(state("2027-01-01", { qualiopi_issuer: null }), "missing");
  });
});

describe("CP-REFERENTS (warning on the provider)", () => {
  test("CP-REFERENTS: the six mandatory kinds suffice; the platform referent is optional", () => {
    assert.equal(
      referentsComplete(["administrative", "company_relations", "public_mobilisation", "disability", "equality", "information_system"]),
      undefined,
    );
  });

  test("CP-REFERENTS: the warning lists each missing mandatory kind", () => {
    const v = referentsComplete(["administrative", "platform"]);
    assert.equal(v?.code, "CP-REFERENTS");
    assert.equal(v?.severity, "warning");
    assert.deepEqual(v?.details?.missing, ["company_relations", "public_mobilisation", "disability", "equality", "information_system"]);
    assert.match(v!.message, /référent handicap/);
    assert.doesNotMatch(v!.message, /plateforme/);
  });
});

describe("CP-LOTS", () => {
  test("CP-LOTS: a lot needs at least one département", () => {
    assert.equal(lotTerritory(["31"]), undefined);
    assert.equal(lotTerritory([])?.code, "CP-LOTS");
  });
});
