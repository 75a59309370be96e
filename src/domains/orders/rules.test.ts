import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as rules from "./rules.ts";
import { eurosInput, OrderInput, parseEuros } from "./schema.ts";

const offer: rules.OfferComponent[] = [
  { id: "c-anglais", title: "Anglais professionnel", siteIds: ["s-toulouse", "s-albi"] },
  { id: "c-caces", title: "CACES R489", siteIds: ["s-albi"] },
];

describe("orders rules", () => {
  test("CP-NO-FSE: every spelling of the European Social Fund is refused", () => {
    for (const name of ["FSE", "FSE+", "fse", "Fse +", "F.S.E.", "FSE plus", "Fonds social européen", "FONDS SOCIAL EUROPEEN", "fonds  social  européen+", "Cofinancement FSE 2021-2027", "Fonds Social Européen Plus"]) {
      const v = rules.noFse(["Département du Tarn", name]);
      assert.equal(v?.code, "CP-NO-FSE", name);
      assert.equal(v?.severity, "error");
      assert.equal(v?.article, "CCTP §II.1");
      assert.equal(v?.field, "coFunders");
      assert.deepEqual(v?.details?.refused, [name]);
      assert.match(v!.message, /CP-NO-FSE, CCTP §II\.1/);
    }
  });

  test("CP-NO-FSE: other co-funders are accepted (Département du Tarn, France Travail, an empty list)", () => {
    assert.equal(rules.noFse(["Département du Tarn"]), undefined);
    assert.equal(rules.noFse(["France Travail", "Agefiph", "Fonds de solidarité", "FSEA"]), undefined);
    assert.equal(rules.noFse([]), undefined);
  });

  test("CP-ORDER-FROM-OFFER: an accepted component at its own sites passes", () => {
    assert.equal(rules.orderFromOffer({ componentId: "c-anglais", siteIds: ["s-toulouse", "s-albi"] }, offer, 0), undefined);
  });

  test("CP-ORDER-FROM-OFFER: a component outside the accepted offer (not accepted, another provider's, another lot's) is refused", () => {
    const v = rules.orderFromOffer({ componentId: "c-autre-organisme", siteIds: ["s-toulouse"] }, offer, 1);
    assert.equal(v?.code, "CP-ORDER-FROM-OFFER");
    assert.equal(v?.article, "CCTP §3.1.1");
    assert.equal(v?.field, "lines.1.componentId");
    assert.match(v!.message, /^Ligne 2 :/);
  });

  test("CP-ORDER-FROM-OFFER: a site where the component does not run is refused", () => {
    const v = rules.orderFromOffer({ componentId: "c-caces", siteIds: ["s-albi", "s-toulouse"] }, offer, 0);
    assert.equal(v?.code, "CP-ORDER-FROM-OFFER");
    assert.equal(v?.field, "lines.0.siteIds");
    assert.deepEqual(v?.details?.siteIds, ["s-toulouse"]);
  });

  test("CP-COMPANY-MAX-70H: an average path with exactly 70 h in company passes, 70 h 01 min fails", () => {
    assert.equal(rules.averageCompanyMax70h({ averagePathCompanyMinutes: 4200 }, 0), undefined);
    const v = rules.averageCompanyMax70h({ averagePathCompanyMinutes: 4201 }, 0);
    assert.equal(v?.code, "CP-COMPANY-MAX-70H");
    assert.equal(v?.article, "CCTP §3.1.5");
    assert.match(v!.message, /70 h 01 min/);
  });

  test("CP-PATH-MAX-200H: an average path of exactly 200 h passes, 200 h 01 min fails", () => {
    assert.equal(rules.averagePathMax200h({ averagePathCentreMinutes: 7800, averagePathCompanyMinutes: 4200 }, 0), undefined);
    assert.equal(rules.averagePathMax200h({ averagePathCentreMinutes: 7801, averagePathCompanyMinutes: 4200 }, 0)?.code, "CP-PATH-MAX-200H");
  });

  test("CP-ORDER-CONTENT: ordered hours = headcount × average path, per line and in total", () => {
    const lines = [
      { headcount: 12, averagePathCentreMinutes: 150 * 60, averagePathCompanyMinutes: 35 * 60 },
      { headcount: 8, averagePathCentreMinutes: 90 * 60 + 30, averagePathCompanyMinutes: 0 },
    ];
    assert.deepEqual(rules.lineOrderedMinutes(lines[0]), { centre: 12 * 9000, company: 12 * 2100, total: 12 * 11100 });
    assert.deepEqual(rules.lineOrderedMinutes(lines[1]), { centre: 8 * 5430, company: 0, total: 8 * 5430 });
    assert.deepEqual(rules.orderOrderedMinutes(lines), { centre: 108000 + 43440, company: 25200, total: 108000 + 43440 + 25200 });
    assert.deepEqual(rules.orderOrderedMinutes([]), { centre: 0, company: 0, total: 0 });
  });

  test("CP-ORDER-FROM-OFFER: the default average path is the modules' minutes, company apart", () => {
    const d = rules.defaultAveragePath([
      { minutes: 6000, modality: "centre" },
      { minutes: 1200, modality: "self_study" },
      { minutes: 600, modality: "distance" },
      { minutes: 2100, modality: "company" },
    ]);
    assert.deepEqual(d, { centreMinutes: 7800, companyMinutes: 2100 });
  });

  test("unit price typed in euros: '12,50' → 1250 cents; more than two decimals is unreadable", () => {
    assert.equal(parseEuros("12,50"), 1250);
    assert.equal(parseEuros("12.5"), 1250);
    assert.equal(parseEuros("12"), 1200);
    assert.equal(parseEuros("1 250,05 €"), 125005);
    assert.equal(parseEuros("12,505"), undefined);
    assert.equal(parseEuros("douze"), undefined);
    assert.equal(parseEuros("-3"), undefined);
    assert.equal(eurosInput(1250), "12,50");
    assert.equal(eurosInput(5), "0,05");
  });

  test("order input: the end cannot precede the start, dates must exist, at least one line", () => {
    const base = {
      number: "BC-2026-031-004",
      lotId: "6f1c7c34-1f4e-4a55-9a55-1a2b3c4d5e6f",
      providerId: "6f1c7c34-1f4e-4a55-9a55-1a2b3c4d5e70",
      plannedStart: "2026-02-01",
      plannedEnd: "2026-12-31",
      headcount: 10,
      unitPriceCents: 1250,
      lines: [{ componentId: "6f1c7c34-1f4e-4a55-9a55-1a2b3c4d5e71", siteIds: ["6f1c7c34-1f4e-4a55-9a55-1a2b3c4d5e72"], headcount: 10, averagePathCentreMinutes: 9000, averagePathCompanyMinutes: 0 }],
    };
    assert.equal(OrderInput.safeParse(base).success, true);
    assert.equal(OrderInput.safeParse({ ...base, plannedEnd: "2026-01-31" }).success, false);
    assert.equal(OrderInput.safeParse({ ...base, plannedEnd: "2026-02-30" }).success, false);
    assert.equal(OrderInput.safeParse({ ...base, lines: [] }).success, false);
    assert.deepEqual(OrderInput.parse({ ...base, coFunders: [" Département du Tarn ", "", "Département du Tarn"] }).coFunders, ["Département du Tarn"]);
  });
});
