import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  type ComponentFacts,
  componentRules,
  distanceNeedsHybrid,
  hasSite,
  hybridRequestRule,
  levelRule,
  type ModuleFacts,
  normaliseCertificationCode,
  parseLevel,
  prepWrittenOral,
  transverseContent,
  treMin14h,
} from "./rules.ts";

const mod = (minutes: number, content_tag: ModuleFacts["content_tag"] = null, extra: Partial<ModuleFacts> = {}): ModuleFacts => ({
  title: "Module",
  minutes,
  modality: "centre",
  content_tag,
  prep_part: null,
  ...extra,
});
const transverse = [mod(600, "digital"), mod(420, "soft_skills"), mod(240, "ecological_transition"), mod(840, "job_search")];
const site = { id: "s1", name: "Toulouse Compans", departement_code: "31" };
const facts = (over: Partial<ComponentFacts> = {}): ComponentFacts => ({
  category: "transverse",
  subcategory: null,
  modules: [mod(6000), ...transverse],
  sites: [site],
  lotDepartements: ["31", "81"],
  eFormation: false,
  hybridStatus: "none",
  ...over,
});

describe("CP-LEVELS-2019", () => {
  test("CP-LEVELS-2019: 2019 levels 1..8 are kept", () => {
    for (let n = 1; n <= 8; n++) assert.equal(parseLevel(String(n)), n);
    assert.equal(parseLevel(4), 4);
  });

  test("CP-LEVELS-2019: legacy 1969 levels map V→3, IV→4, III→5, II→6, I→7", () => {
    assert.deepEqual(["V", "IV", "III", "II", "I"].map(parseLevel), [3, 4, 5, 6, 7]);
    assert.equal(parseLevel(" iv "), 4);
    assert.equal(parseLevel("niveau V"), 3);
  });

  test("CP-LEVELS-2019: empty means no level; 0, 9, VI are refused", () => {
    assert.equal(parseLevel(""), null);
    assert.equal(parseLevel(null), null);
    for (const bad of ["0", "9", "VI", "4.5"]) {
      assert.equal(parseLevel(bad), undefined, bad);
      assert.equal(levelRule(bad)?.code, "CP-LEVELS-2019");
    }
    assert.equal(levelRule("III"), undefined);
  });

  test("certification codes: RNCP12345 and RS5678 (case and spaces ignored)", () => {
    assert.equal(normaliseCertificationCode("rncp 12345"), "RNCP12345");
    assert.equal(normaliseCertificationCode("RS5678"), "RS5678");
    assert.equal(normaliseCertificationCode(""), null);
    assert.equal(normaliseCertificationCode("CQP123"), undefined);
  });
});

describe("CP-TRE-MIN-14H", () => {
  test("CP-TRE-MIN-14H: 840 minutes of TRE pass", () => {
    assert.equal(treMin14h({ modules: [mod(840, "job_search")] }), undefined);
  });

  test("CP-TRE-MIN-14H: 839 minutes fail, naming the missing minute", () => {
    const v = treMin14h({ modules: [mod(839, "job_search")] });
    assert.equal(v?.code, "CP-TRE-MIN-14H");
    assert.equal(v?.severity, "error");
    assert.match(v!.message, /13 h 59 min/);
    assert.match(v!.message, /soit 1 min de plus/);
  });

  test("CP-TRE-MIN-14H: several TRE modules add up (420 + 420 = 14 h)", () => {
    assert.equal(treMin14h({ modules: [mod(420, "job_search"), mod(420, "job_search"), mod(6000)] }), undefined);
  });
});

describe("CP-TRANSVERSE-CONTENT", () => {
  test("CP-TRANSVERSE-CONTENT: all four contents present passes", () => {
    assert.equal(transverseContent(facts()), undefined);
  });

  for (const tag of ["digital", "soft_skills", "ecological_transition", "job_search"] as const) {
    test(`CP-TRANSVERSE-CONTENT: a missing ${tag} module is refused and named`, () => {
      const v = transverseContent(facts({ modules: transverse.filter((m) => m.content_tag !== tag) }));
      assert.equal(v?.code, "CP-TRANSVERSE-CONTENT");
      assert.deepEqual(v?.details?.missing, [tag]);
    });
  }

  test("CP-TRANSVERSE-CONTENT: every missing tag is listed in one message", () => {
    const v = transverseContent(facts({ modules: [mod(6000)] }));
    assert.deepEqual(v?.details?.missing, ["digital", "soft_skills", "ecological_transition", "job_search"]);
    assert.match(v!.message, /usages du numérique.*soft skills.*transition écologique.*recherche d'emploi/);
  });

  test("CP-TRANSVERSE-CONTENT: the digital subcategory is exempt from the digital-usage module", () => {
    const noDigital = transverse.filter((m) => m.content_tag !== "digital");
    assert.equal(transverseContent(facts({ subcategory: "digital", modules: noDigital })), undefined);
    assert.equal(transverseContent(facts({ subcategory: "langues", modules: noDigital }))?.code, "CP-TRANSVERSE-CONTENT");
  });
});

describe("CP-PREP-WRITTEN-ORAL", () => {
  const written = mod(3000, null, { prep_part: "written" });
  const oral = mod(1200, null, { prep_part: "oral" });
  test("CP-PREP-WRITTEN-ORAL: a specific preparation with written and oral modules passes", () => {
    assert.equal(prepWrittenOral({ category: "specific_preparation", modules: [written, oral] }), undefined);
  });

  test("CP-PREP-WRITTEN-ORAL: only written, or only oral, is refused", () => {
    const onlyWritten = prepWrittenOral({ category: "specific_preparation", modules: [written] });
    assert.equal(onlyWritten?.code, "CP-PREP-WRITTEN-ORAL");
    assert.match(onlyWritten!.message, /entraînement à l'oral/);
    const onlyOral = prepWrittenOral({ category: "specific_preparation", modules: [oral] });
    assert.match(onlyOral!.message, /préparation à l'écrit/);
  });

  test("CP-PREP-WRITTEN-ORAL: other categories are not concerned", () => {
    assert.equal(prepWrittenOral({ category: "regulatory", modules: [] }), undefined);
  });
});

describe("CP-SITE-IN-LOT and sites", () => {
  test("CP-SITE-IN-LOT: a component's sites go through the one rule (src/core/territory.ts)", () => {
    assert.deepEqual(componentRules(facts({ lotDepartements: ["31", "81"] })), []);
    const v = componentRules(facts({ sites: [site, { id: "s2", name: "Montpellier Port Marianne", departement_code: "34" }] })).find((x) => x.code === "CP-SITE-IN-LOT");
    assert.equal(v?.article, "CCTP §4.1.2");
    assert.equal(v?.field, "siteIds");
    assert.match(v!.message, /Montpellier Port Marianne/);
    assert.deepEqual(v?.details?.siteIds, ["s2"]);
  });

  test("CP-LOTS: a component needs at least one site", () => {
    assert.equal(hasSite([])?.code, "CP-LOTS");
    assert.equal(hasSite([site]), undefined);
  });

  test("componentRules collects every refusal", () => {
    assert.deepEqual(componentRules(facts()), []);
    const codes = componentRules(facts({ category: "specific_preparation", modules: [mod(839, "job_search")], sites: [] })).map((v) => v.code);
    assert.deepEqual(codes, ["CP-TRANSVERSE-CONTENT", "CP-TRE-MIN-14H", "CP-PREP-WRITTEN-ORAL", "CP-LOTS"]);
  });
});

describe("CP-HYBRID-APPROVED", () => {
  test("CP-HYBRID-APPROVED: a request needs its distance organisation", () => {
    assert.equal(hybridRequestRule({ e_formation: false, hybrid_status: "none" }, "Plateforme Moodle, classes virtuelles…"), undefined);
    assert.equal(hybridRequestRule({ e_formation: false, hybrid_status: "none" }, "   ")?.field, "organisation");
  });

  test("CP-HYBRID-APPROVED: not applicable to e-formation, nor once approved", () => {
    assert.match(hybridRequestRule({ e_formation: true, hybrid_status: "none" }, "texte")!.message, /e-formation/);
    assert.equal(hybridRequestRule({ e_formation: false, hybrid_status: "approved" }, "texte")?.code, "CP-HYBRID-APPROVED");
    assert.equal(hybridRequestRule({ e_formation: false, hybrid_status: "refused" }, "nouvelle organisation"), undefined);
  });

  test("CP-HYBRID-APPROVED: distance modules without approved hybrid give a warning, not a refusal", () => {
    const withDistance = [...transverse, mod(600, null, { modality: "distance" })];
    const v = distanceNeedsHybrid({ modules: withDistance, eFormation: false, hybridStatus: "requested" });
    assert.equal(v?.severity, "warning");
    assert.equal(distanceNeedsHybrid({ modules: withDistance, eFormation: false, hybridStatus: "approved" }), undefined);
    assert.equal(distanceNeedsHybrid({ modules: withDistance, eFormation: true, hybridStatus: "none" }), undefined);
  });
});
