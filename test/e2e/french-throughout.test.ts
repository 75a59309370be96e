// Issue 10, point 3 — French throughout: an HTTP crawl of the demo as each role (and anonymous)
// reads every page's visible text and finds no bare rule ID (an ID is shown in small print beside
// the rule's French title, core/pages/rule-ref.tsx), no API URL, no English month, no month with a
// capital inside a date, and no « de » before a name that elides (« d'Inès Roux »).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createTestContext, TEST_PASSWORD, type PageSession, type TestContext } from "../support/app.ts";
import { loadDemoIfEmpty } from "../../src/demo/seed.ts";
import { RULE_TITLES } from "../../src/core/rule-titles.ts";

const NOW = "2026-11-30T09:30:00Z";
const ROLES = [
  "region@demo.competences-plus.fr",
  "direction.garonne@demo.competences-plus.fr",
  "formateur.garonne@demo.competences-plus.fr",
  "conseiller.francetravail@demo.competences-plus.fr",
  "stagiaire@demo.competences-plus.fr",
  "expert.bizness@demo.competences-plus.fr",
  "accueil.cahors@demo.competences-plus.fr",
];
const PER_PATTERN = 2; // pages of one shape (ids replaced) visited per role
const MAX_PAGES = 120;
const SKIP = /^\/(api|static|deconnexion|islands)\b|\.(pdf|csv|xlsx|ics|json|xml|zip|png)(\?|$)|\/(pdf|export|telecharger|ical)\b/;

/** The text a person reads: no head, scripts, styles, tags or attributes; IDs in their small print removed. */
export function visibleText(html: string): string {
  return html
    .replace(/<head>[\s\S]*?<\/head>/, " ")
    .replace(/<(script|style|template)\b[\s\S]*?<\/\1>/g, " ")
    .replace(/<small class="rule-id">[\s\S]*?<\/small>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&nbsp;|&#160;/g, " ")
    .replace(/\s+/g, " ");
}

const CHECKS: [string, RegExp][] = [
  ["bare rule ID", /\b(?:CP|AMI)-[A-Z0-9]+(?:-[A-Z0-9]+)*\b/g],
  ["API URL", /\/api\//g],
  ["English month", /\b(?:January|February|March|April|June|July|August|September|October|November|December)\b/g],
  ["month with a capital in a date", /\b\d{1,2}(?:er)? (?:Janvier|Février|Mars|Avril|Mai|Juin|Juillet|Août|Septembre|Octobre|Novembre|Décembre)\b/g],
  ["« de » before a name that elides", /\bde (?:[AEIOUYÉÈÊH][a-zàâäéèêëîïôöùûüç]+) [A-ZÉ]/g],
];

export function frenchProblems(page: string, html: string): string[] {
  const text = visibleText(html);
  const found: string[] = [];
  for (const [what, re] of CHECKS) {
    for (const m of text.matchAll(re)) {
      // A select list cannot hold small print: there the ID must follow its French title, « Titre (ID) ».
      if (what === "bare rule ID" && RULE_TITLES[m[0]] && text.slice(0, m.index).endsWith(`${RULE_TITLES[m[0]]} (`)) continue;
      found.push(`${page}: ${what} — « …${text.slice(Math.max(0, (m.index ?? 0) - 50), (m.index ?? 0) + 40).trim()}… »`);
    }
  }
  return found;
}

async function crawl(get: (path: string) => Promise<{ status: number; html: string }>, start: string[]): Promise<Map<string, string>> {
  const pages = new Map<string, string>();
  const seenPattern = new Map<string, number>();
  const queue = [...start];
  while (queue.length && pages.size < MAX_PAGES) {
    const path = queue.shift() as string;
    if (pages.has(path) || SKIP.test(path)) continue;
    const pattern = path.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, ":id").replace(/\?.*$/, "");
    if ((seenPattern.get(pattern) ?? 0) >= PER_PATTERN) continue;
    seenPattern.set(pattern, (seenPattern.get(pattern) ?? 0) + 1);
    const { status, html } = await get(path);
    if (status !== 200 || !html.startsWith("<html")) {
      pages.set(path, "");
      continue;
    }
    pages.set(path, html);
    for (const m of html.matchAll(/<a [^>]*href="(\/[^"#]*)"/g)) {
      const href = m[1].replace(/&amp;/g, "&");
      if (!pages.has(href)) queue.push(href);
    }
  }
  return pages;
}

describe("French throughout (issue 10, point 3): crawl of every role's pages", () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext(NOW);
    await loadDemoIfEmpty(t.db, { now: new Date(NOW), password: TEST_PASSWORD });
  });
  after(() => t?.close());

  test("the public pages", async () => {
    const pages = await crawl(async (p) => {
      const r = await t.app.request(p);
      return { status: r.status, html: await r.text() };
    }, ["/catalogue", "/connexion", "/accessibilite"]);
    const problems = [...pages].flatMap(([p, html]) => frenchProblems(p, html));
    assert.deepEqual(problems, []);
  });

  for (const email of ROLES) {
    test(`every page reached as ${email.split("@")[0]}`, async () => {
      const s: PageSession = await t.pageSession(email);
      const pages = await crawl((p) => s.get(p), ["/"]);
      assert.ok(pages.size > 3, `crawled ${pages.size} pages`);
      const problems = [...pages].flatMap(([p, html]) => frenchProblems(p, html));
      assert.deepEqual(problems, [], `${problems.length} problems on ${pages.size} pages`);
    });
  }
});
