import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { prescriberAuthorised } from "./rules.ts";

describe("CP-PRESCRIBERS rule (pure)", () => {
  test("CP-PRESCRIBERS: an organisation on the list passes", () => {
    assert.equal(prescriberAuthorised({ name: "Cap Emploi", authorised: true }), undefined);
  });

  test("CP-PRESCRIBERS: a withdrawn organisation is refused, naming it and the article", () => {
    const v = prescriberAuthorised({ name: "PLIE Est Héraultais", authorised: false });
    assert.equal(v?.code, "CP-PRESCRIBERS");
    assert.equal(v?.severity, "error");
    assert.equal(v?.article, "CCTP §2.2");
    assert.match(v?.message ?? "", /PLIE Est Héraultais/);
  });

  test("CP-PRESCRIBERS: no organisation at all is refused", () => {
    const v = prescriberAuthorised(undefined);
    assert.equal(v?.code, "CP-PRESCRIBERS");
    assert.match(v?.message ?? "", /liste des prescripteurs habilités/);
  });
});
