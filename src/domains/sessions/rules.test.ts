import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as rules from "./rules.ts";

const line: rules.LineFacts = { orderNumber: "BC-1", plannedStart: "2026-02-01", plannedEnd: "2026-12-31", eFormation: false, siteIds: ["site-a"] };
const fullContent = Object.fromEntries(rules.INFO_CONTENT_ITEMS.map((i) => [i.key, `Texte ${i.key}`])) as rules.InfoContent;

describe("session within the order's period (SESSION_OUTSIDE_ORDER, CP-ORDER-CONTENT)", () => {
  test("a session starting on the order's first day passes; the day before fails", () => {
    assert.deepEqual(rules.sessionWithinOrder({ startDate: "2026-02-01", endDate: "2026-03-01" }, line), []);
    const v = rules.sessionWithinOrder({ startDate: "2026-01-31", endDate: "2026-03-01" }, line);
    assert.equal(v.length, 1);
    assert.equal(v[0].code, "SESSION_OUTSIDE_ORDER");
    assert.equal(v[0].field, "startDate");
    assert.match(v[0].message, /avant le début de la commande BC-1/);
  });

  test("a session ending on the order's last day passes; the day after fails", () => {
    assert.deepEqual(rules.sessionWithinOrder({ startDate: "2026-11-01", endDate: "2026-12-31" }, line), []);
    const v = rules.sessionWithinOrder({ startDate: "2026-11-01", endDate: "2027-01-01" }, line);
    assert.equal(v.length, 1);
    assert.equal(v[0].field, "endDate");
  });
});

describe("CP-ORDER-FROM-OFFER: the session's site is one of the order line's sites", () => {
  test("an ordered site passes, another site fails", () => {
    assert.equal(rules.siteFromOrderLine("site-a", line), undefined);
    assert.equal(rules.siteFromOrderLine("site-b", line)?.code, "CP-ORDER-FROM-OFFER");
  });
  test("no site: refused for an in-person component, accepted for e-formation and for a meeting", () => {
    assert.equal(rules.siteFromOrderLine(null, line)?.code, "CP-ORDER-FROM-OFFER");
    assert.equal(rules.siteFromOrderLine(null, { ...line, eFormation: true }), undefined);
    assert.equal(rules.siteFromOrderLine(null, line, "meeting"), undefined);
  });
});

describe("recruitment period", () => {
  test("ends on the session's last day at the latest; never before it starts", () => {
    const s = { startDate: "2026-03-01", endDate: "2026-06-30" };
    assert.equal(rules.recruitmentPeriod({ ...s, recruitmentStart: "2026-01-01", recruitmentEnd: "2026-06-30" }), undefined);
    assert.equal(rules.recruitmentPeriod({ ...s, recruitmentEnd: "2026-07-01" })?.code, "RECRUITMENT_PERIOD");
    assert.equal(rules.recruitmentPeriod({ ...s, recruitmentStart: "2026-02-02", recruitmentEnd: "2026-02-01" })?.code, "RECRUITMENT_PERIOD");
  });
});

describe("CP-INFO-CONTENT: a meeting covers every item of CCTP §2.3", () => {
  test("complete content passes", () => {
    assert.equal(rules.infoContent(fullContent), undefined);
  });
  for (const item of rules.INFO_CONTENT_ITEMS) {
    test(`CP-INFO-CONTENT: missing « ${item.label} » is refused and named`, () => {
      const v = rules.infoContent({ ...fullContent, [item.key]: "   " });
      assert.equal(v?.code, "CP-INFO-CONTENT");
      assert.equal(v?.severity, "error");
      assert.deepEqual(v?.details?.missing, [item.key]);
      assert.ok(v?.message.includes(item.label));
    });
  }
  test("CP-INFO-CONTENT: empty content lists all nine items", () => {
    assert.equal(((rules.infoContent({})?.details?.missing as string[] | undefined) ?? []).length, 9);
  });
});

describe("CP-INFO-REGULAR: an order open to entries needs a future published meeting", () => {
  const open = { orderNumber: "BC-1", providerName: "OF", openSessionStarts: ["2026-05-04"], futurePublishedMeetings: 0 };
  test("open order without a meeting ahead: warning", () => {
    const v = rules.infoRegular(open);
    assert.equal(v?.code, "CP-INFO-REGULAR");
    assert.equal(v?.severity, "warning");
  });
  test("a meeting ahead, or no session open to entries: no warning", () => {
    assert.equal(rules.infoRegular({ ...open, futurePublishedMeetings: 1 }), undefined);
    assert.equal(rules.infoRegular({ ...open, openSessionStarts: [] }), undefined);
  });
});

describe("LHEO codes (CP-LEVELS-2019)", () => {
  test("2019 levels 3–8 become 13–18; none, 1 and 2 have no code", () => {
    assert.deepEqual([3, 4, 5, 6, 7, 8].map(rules.lheoLevelCode), ["13", "14", "15", "16", "17", "18"]);
    assert.equal(rules.lheoLevelCode(null), undefined);
    assert.equal(rules.lheoLevelCode(2), undefined);
  });
  test("dates as AAAAMMJJ", () => {
    assert.equal(rules.lheoDate("2026-02-01"), "20260201");
  });
});
