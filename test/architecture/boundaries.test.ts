// The code's shape, checked on the sources: what docs/layout.md promises holds in every file, so a
// new file cannot quietly break it.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, test } from "node:test";

const root = new URL("../../", import.meta.url).pathname;
const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? (f === "node_modules" ? [] : walk(p)) : [p];
  });
const sources = (dir: string) => walk(join(root, dir)).filter((f) => /\.(ts|tsx|mjs)$/.test(f));
const isTest = (f: string) => /\.test\.tsx?$|\/testing\.ts$|test-fixtures\.ts$/.test(f);
const rel = (f: string) => relative(root, f);

describe("architecture: boundaries of the code", () => {
  test("core/ never imports a domain nor the composition root (src/app/ composes them)", () => {
    const offenders = sources("src/core")
      .filter((f) => !isTest(f))
      .filter((f) => /from "(\.\.\/)+(domains|app)\//.test(readFileSync(f, "utf8")))
      .map(rel);
    assert.deepEqual(offenders, []);
  });

  test("every outbox event written has a consumer registered by src/app/ (else it is not written)", () => {
    const consumed = new Set<string>();
    for (const f of sources("src/app")) for (const m of readFileSync(f, "utf8").matchAll(/registerOutboxHandler\(\s*"([^"]+)"/g)) consumed.add(m[1]);
    const unconsumed: string[] = [];
    for (const f of sources("src").filter((x) => !isTest(x))) {
      for (const m of readFileSync(f, "utf8").matchAll(/\bemit\(\s*\w+\s*,\s*("?)([^",)]+)\1/g)) {
        if (m[1] !== '"' || !consumed.has(m[2])) unconsumed.push(`${rel(f)}: ${m[2]}`);
      }
    }
    assert.deepEqual(unconsumed.filter((u) => !u.startsWith("src/core/outbox.ts")), []);
  });

  test("the repository stands alone: nothing reaches the team's reference folder beside it (it is not the product's)", () => {
    const files = [...sources("src"), ...sources("test"), ...sources("scripts"), ...sources("bench"), ...sources("migrations")];
    // The pattern is assembled so that this file does not name the folder itself.
    const outside = new RegExp(String.raw`\.\./${"sha"}red\b`);
    const offenders = files.filter((f) => outside.test(readFileSync(f, "utf8"))).map(rel);
    assert.deepEqual(offenders, []);
  });

  test("each limit of the scheme is one constant (core/scheme.ts): 200 h and 70 h are never written again", () => {
    const limit = /\b(200|70)\s*\*\s*60\b|(^|[^"0-9])(12_?000|4_?200)([^"0-9]|$)/m;
    const offenders = sources("src")
      .filter((f) => !isTest(f) && !f.endsWith("core/scheme.ts"))
      .filter((f) => limit.test(readFileSync(f, "utf8")))
      .map(rel);
    assert.deepEqual(offenders, []);
  });

  test("each rule is judged by one domain: a rule ID's violations are raised in one folder only", () => {
    const folders = new Map<string, Set<string>>();
    for (const f of sources("src").filter((x) => !isTest(x))) {
      const folder = rel(f).split("/").slice(0, rel(f).startsWith("src/domains/") ? 3 : 2).join("/");
      for (const m of readFileSync(f, "utf8").matchAll(/\b(?:err|warn|DomainError)\(\s*"((?:CP|AMI)-[A-Z0-9-]+)"/g)) {
        if (!folders.has(m[1])) folders.set(m[1], new Set());
        folders.get(m[1])?.add(folder);
      }
    }
    const twice = [...folders].filter(([, where]) => where.size > 1).map(([id, where]) => `${id}: ${[...where].join(", ")}`);
    assert.deepEqual(twice, []);
  });

  test("dates, times and instants are read by core/inputs.ts only (one strict reading: 30 February is refused everywhere)", () => {
    const own = /\.regex\(\/\^\\d\{4\}|\.datetime\(|\[01\]\\d\|2\[0-3\]/;
    const offenders = sources("src/domains")
      .filter((f) => !isTest(f))
      .filter((f) => own.test(readFileSync(f, "utf8")))
      .map(rel);
    assert.deepEqual(offenders, []);
  });

  test("who may do what is the role table (core/auth/roles.ts): no domain lists provider roles for a permission", () => {
    const ownList = /\[\s*"provider_admin",\s*"pedagogical_referent"\s*\]|requireRole\(\s*\w+,\s*"provider_admin",\s*"pedagogical_referent"\s*\)/;
    const offenders = sources("src/domains")
      .filter((f) => !isTest(f))
      .filter((f) => ownList.test(readFileSync(f, "utf8")))
      .map(rel);
    assert.deepEqual(offenders, []);
  });

  test("a domain names only its own tables in a query: it reads another's through that domain's read models (views.ts), writes through its functions (ADR 0011)", () => {
    const OWNER: Record<string, string> = {
      ...Object.fromEntries(["app_user", "user_session", "throttle_hit", "password_reset", "transition_log", "outbox", "audit_log", "idempotency_key", "platform_secret", "attachment", "notification", "personal_salt", "privacy_erasure"].map((t) => [t, "core"])),
      ...Object.fromEntries(["departement", "provider", "lot", "lot_departement", "lot_expected_component", "provider_referent"].map((t) => [t, "region"])),
      prescriber_organisation: "prescribers",
      ...Object.fromEntries(["site", "component", "component_site", "module"].map((t) => [t, "offer"])),
      ...Object.fromEntries(["order", "order_line", "order_line_site"].map((t) => [t, "orders"])),
      ...Object.fromEntries(["trainee", "path", "positioning", "path_item", "path_adjustment", "deposit"].map((t) => [t, "paths"])),
      ...Object.fromEntries(["session", "info_meeting"].map((t) => [t, "sessions"])),
      ...Object.fromEntries(["candidate", "refusal_reason", "direct_registration", "candidacy", "continuation_slip"].map((t) => [t, "recruitment"])),
      ...Object.fromEntries(["slot", "slot_trainee", "site_closure", "other_funded_trainee", "slot_other_funded", "trainee_calendar_token"].map((t) => [t, "schedule"])),
      ...Object.fromEntries(["attendance", "countersignature", "evidence", "evidence_report", "evidence_alert", "evidence_seal", "device_session", "signing_link", "help_request"].map((t) => [t, "attendance"])),
      ...Object.fromEntries(["certificate", "document_batch", "document_batch_item"].map((t) => [t, "documents"])),
      ...Object.fromEntries(
        ["path_exit", "exit_setting", "follow_up", "follow_up_reminder", "follow_up_open", "certification", "habilitation", "exam_date", "exam_registration", "catchup", "mock_exam", "soft_skill", "soft_skill_step", "badge", "satisfaction_question", "satisfaction_link", "satisfaction_answer", "region_survey", "survey_unsubscribe"].map((t) => [t, "exit"]),
      ),
      ...Object.fromEntries(["company", "company_tutor", "company_share", "company_period", "agreement_signature", "internship_link", "company_visit", "internship_review", "followup_entry", "dropout_alert", "welcome_settings", "welcome_delivery", "trainee_social_cover", "work_incident"].map((t) => [t, "internships"])),
      ...Object.fromEntries(["ami_call", "ami_lot", "ami_lot_departement", "ami_expert_provider", "ami_lot_expert", "ami_expert_member", "ami_eligible", "ami_application", "ami_action", "ami_action_commitment", "ami_progress", "ami_deliverable"].map((t) => [t, "ami"])),
      contribution_finding: "region",
      ...Object.fromEntries(["kpi_path_figure", "kpi_cohort_figure", "kpi_satisfaction_figure"].map((t) => [t, "kpi"])),
      path_order_findings: "paths",
      ...Object.fromEntries(["change_request", "change_request_attachment"].map((t) => [t, "changes"])),
      ...Object.fromEntries(["access_site", "access_site_room", "access_site_seat", "seat_booking"].map((t) => [t, "access-sites"])),
      ...Object.fromEntries(["eformation_lot_setting", "eformation_week", "eformation_session", "eformation_software", "eformation_checkpoint", "eformation_gathering_request", "eformation_gathering", "eformation_webconf", "eformation_protocol", "eformation_protocol_signature", "eformation_protocol_link"].map((t) => [t, "eformation"])),
      ...Object.fromEntries(["trainer", "order_trainer", "trainer_notice", "trainer_notice_trainer"].map((t) => [t, "trainers"])),
    };
    // Every table has an owner: a new table must be given one here.
    const tables = [...readFileSync(join(root, "src/core/db/schema.ts"), "utf8").matchAll(/^ {2}"?([a-z_]+)"?: \{$/gm)].map((m) => m[1]);
    assert.deepEqual(tables.filter((t) => !OWNER[t]), []);
    const offenders: string[] = [];
    for (const f of sources("src/domains").filter((x) => !isTest(x))) {
      const domain = rel(f).split("/")[2];
      const text = readFileSync(f, "utf8");
      const named = [
        ...[...text.matchAll(/\b(?:selectFrom|updateTable|insertInto|deleteFrom|innerJoin|leftJoin|rightJoin)\(\s*"([a-z_]+)/g)].map((m) => m[1]),
        ...[...text.matchAll(/sql(?:<[^`]*?>)?`([^`]*)`/gs)].flatMap((m) => [...m[1].matchAll(/\b(?:from|join|update|into)\s+"?([a-z_]+)"?/gi)].map((t) => t[1])),
      ];
      for (const t of new Set(named)) if (OWNER[t] && OWNER[t] !== domain) offenders.push(`${rel(f)}: ${t} (${OWNER[t]})`);
    }
    assert.deepEqual(offenders, []);
  });
});
