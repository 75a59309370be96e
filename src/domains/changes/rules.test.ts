import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { judgeTransition } from "../../core/workflow.ts";
import { bicRule, CHANGE_TRANSITIONS, ibanMod97, ibanRule } from "./rules.ts";

describe("change requests: bank identifiers and the workflow (CP-MODIFICATION-REQUESTS)", () => {
  test("CP-MODIFICATION-REQUESTS: an IBAN whose MOD 97 check gives 1 passes; one digit off fails with IBAN_INVALID", () => {
    assert.equal(ibanMod97("FR7630006000011234567890189"), 1);
    assert.equal(ibanRule("FR76 3000 6000 0112 3456 7890 189"), undefined);
    assert.equal(ibanRule("fr7630006000011234567890189"), undefined, "lower case and spaces are read");
    assert.equal(ibanRule("DE89370400440532013000"), undefined);
    const off = ibanRule("FR7630006000011234567890188");
    assert.equal(off?.code, "IBAN_INVALID");
    assert.match(off!.message, /clé de contrôle/);
    assert.equal(ibanRule("FR7730006000011234567890189")?.code, "IBAN_INVALID", "wrong check digits");
  });

  test("CP-MODIFICATION-REQUESTS: a French IBAN has exactly 27 characters (26 and 28 fail)", () => {
    assert.match(ibanRule("FR763000600001123456789018")!.message, /27 caractères/);
    assert.match(ibanRule("FR76300060000112345678901890")!.message, /27 caractères/);
    assert.match(ibanRule("7630006000011234567890189")!.message, /code pays/);
  });

  test("CP-MODIFICATION-REQUESTS: a BIC has 8 or 11 characters", () => {
    assert.equal(bicRule("AGRIFRPP"), undefined);
    assert.equal(bicRule("agri fr pp 882"), undefined);
    assert.equal(bicRule("AGRIFRP")?.code, "BIC_INVALID");
    assert.equal(bicRule("AGRIFRPP88")?.code, "BIC_INVALID");
    assert.equal(bicRule("1GRIFRPP")?.code, "BIC_INVALID");
  });

  test("CP-MODIFICATION-REQUESTS: the Region accepts, or refuses with a reason; the provider withdraws; a decided request stays", () => {
    assert.deepEqual(judgeTransition(CHANGE_TRANSITIONS, "filed", "accepted", "region_officer", { reason: null }), { ok: true });
    const noReason = judgeTransition(CHANGE_TRANSITIONS, "filed", "refused", "region_officer", { reason: " " });
    assert.equal(noReason.ok, false);
    assert.equal(judgeTransition(CHANGE_TRANSITIONS, "filed", "refused", "region_officer", { reason: "Pièce illisible" }).ok, true);
    assert.deepEqual(judgeTransition(CHANGE_TRANSITIONS, "filed", "accepted", "provider_admin", { reason: null }), { ok: false, kind: "role" });
    assert.deepEqual(judgeTransition(CHANGE_TRANSITIONS, "filed", "withdrawn", "provider_admin", { reason: null }), { ok: true });
    assert.deepEqual(judgeTransition(CHANGE_TRANSITIONS, "accepted", "refused", "region_officer", { reason: "x" }), { ok: false, kind: "status" });
  });
});
