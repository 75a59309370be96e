// Kysely's view of the tables (migrations/ is the source of truth; keep both in step).
import type { ColumnType, Generated, GeneratedAlways } from "kysely";

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** Europe/Paris calendar date as 'YYYY-MM-DD'. */
type CalendarDate = string;

export type Role = "region_officer" | "provider_admin" | "pedagogical_referent" | "trainer" | "prescriber" | "trainee" | "expert" | "access_site_staff";
export type Category = "transverse" | "regulatory" | "specific_preparation";
export type Modality = "centre" | "company" | "distance" | "self_study" | "gathering";
export type ContentTag = "digital" | "soft_skills" | "ecological_transition" | "job_search" | "refresher";
export type ChangeRequestKind =
  | "bank_details"
  | "contacts"
  | "siret"
  | "legal_representative"
  | "address"
  | "order_dates"
  | "site"
  | "certification"
  | "new_site"
  | "new_component"
  | "new_module"
  | "drop_component";
export type ChangeRequestStatus = "filed" | "accepted" | "refused" | "withdrawn";
export type PathStatus = "draft" | "validated" | "closed" | "dropped";
export type ExitReason = "completed" | "employment" | "other_training" | "dropout" | "exclusion";
export type FollowUpMilestone = "exit" | "m3" | "m6";
export type FollowUpSituation = "employment" | "training" | "job_seeking" | "other" | "unknown";
export type ContractType = "cdi" | "cdd_6m_plus" | "cdd_under_6m" | "interim" | "apprenticeship" | "self_employed";
export type ExamResult = "passed" | "partial" | "failed" | "absent";
export type SoftSkillStep = "identify" | "develop" | "evaluate";
export type CandidacyOrigin = "dematerialised" | "paper" | "continuation" | "direct_eformation";
export type CandidacyStatus = "received" | "invited" | "summoned" | "selected" | "waiting_list" | "not_retained" | "entered" | "withdrawn";
export type ReferentKind =
  | "administrative"
  | "company_relations"
  | "public_mobilisation"
  | "disability"
  | "equality"
  | "information_system"
  | "platform";

export type VaeResult = "full" | "partial" | "none";
export type TrainerNoticeKind = "team_change" | "replacement" | "site_change";

export interface DB {
  departement: { code: string; name: string };
  provider: {
    id: string;
    name: string;
    siret: string;
    nda: string | null;
    legal_representative: string | null;
    address: string | null;
    qualiopi_number: string | null;
    qualiopi_valid_until: CalendarDate | null;
    created_at: Timestamp;
    // migrations/20261205080000_region_desk.ts (CP-MODIFICATION-REQUESTS, CP-QUALIOPI)
    iban: string | null;
    bic: string | null;
    bank_account_holder: string | null;
    contact_email: string | null;
    contact_phone: string | null;
    qualiopi_kind: "qualiopi" | "certif_region" | null;
    qualiopi_issuer: string | null;
    qualiopi_valid_from: CalendarDate | null;
  };
  prescriber_organisation: {
    id: string;
    name: string;
    kind: string;
    authorised: Generated<boolean>;
    created_at: Timestamp;
  };
  app_user: {
    id: string;
    email: string;
    password_hash: string;
    full_name: string;
    role: Role;
    provider_id: string | null;
    prescriber_organisation_id: string | null;
    trainee_id: string | null;
    active: Generated<boolean>;
    created_at: Timestamp;
    /** migrations/20261208080000_access_site_staff.ts: set exactly for 'access_site_staff' (CP-EFORM-SITES). */
    access_site_id: Generated<string | null>;
  };
  user_session: {
    /** SHA-256 (hex) of the session token the client holds (cookie or bearer), never the token itself. */
    id: string;
    user_id: string;
    csrf_token: string;
    created_at: Timestamp;
    expires_at: Timestamp;
    last_seen_at: Timestamp;
  };
  /** One counted attempt (failed login, public form): core/auth/throttle.ts. */
  throttle_hit: { id: string; bucket: string; key: string; at: Timestamp };
  /** A forgotten-password link: single use, expiring; only the token's SHA-256 is kept. */
  password_reset: { id: string; user_id: string; token_hash: string; created_at: Timestamp; expires_at: Timestamp; used_at: Timestamp | null };
  lot: { id: string; code: string; name: string; framework_end: CalendarDate; created_at: Timestamp };
  lot_departement: { lot_id: string; departement_code: string };
  lot_expected_component: { id: string; lot_id: string; title: string; category: Category };
  provider_referent: {
    id: string;
    provider_id: string;
    kind: ReferentKind;
    full_name: string;
    email: string | null;
    phone: string | null;
  };
  site: {
    id: string;
    provider_id: string;
    name: string;
    address: string;
    postcode: string;
    commune: string;
    departement_code: string;
    accessible: Generated<boolean>;
    created_at: Timestamp;
    // migrations/20261205080000_region_desk.ts (CP-SITES)
    has_phone: Generated<boolean>;
    has_internet: Generated<boolean>;
    has_break_room: Generated<boolean>;
    has_trainers_office: Generated<boolean>;
    accessibility_note: string | null;
  };
  component: {
    id: string;
    provider_id: string;
    lot_id: string;
    title: string;
    category: Category;
    subcategory: string | null;
    certification_code: string | null;
    level_2019: number | null;
    e_formation: Generated<boolean>;
    prerequisites: Generated<string>;
    content: Generated<string>;
    purpose: Generated<string>;
    off_list: Generated<boolean>;
    offer_status: Generated<"draft" | "submitted" | "accepted" | "refused">;
    hybrid_status: Generated<"none" | "requested" | "approved" | "refused">;
    hybrid_organisation: string | null;
    hybrid_decided_by: string | null;
    hybrid_decided_at: Timestamp | null;
    created_at: Timestamp;
  };
  component_site: { component_id: string; site_id: string };
  module: {
    id: string;
    component_id: string;
    title: string;
    minutes: number;
    modality: Modality;
    content_tag: ContentTag | null;
    prep_part: "written" | "oral" | null;
    position: Generated<number>;
  };
  order: {
    id: string;
    number: string;
    lot_id: string;
    provider_id: string;
    planned_start: CalendarDate;
    planned_end: CalendarDate;
    headcount: number;
    unit_price_cents: number;
    co_funders: Generated<string[]>;
    status: Generated<"issued" | "closed">;
    created_by: string | null;
    created_at: Timestamp;
    /** Set with status 'closed' (CHECK order_closed_when). */
    closed_at: Timestamp | null;
    closed_by: string | null;
    /** Violation[] raised at close (warnings: CP-SELFSTUDY-MAX-20, CP-EFORM-SELFSTUDY-MAX-50), as JSON. */
    close_findings: Generated<unknown>;
  };
  order_line: {
    id: string;
    order_id: string;
    component_id: string;
    headcount: number;
    average_path_centre_minutes: number;
    average_path_company_minutes: number;
  };
  order_line_site: { order_line_id: string; site_id: string };
  trainee: {
    id: string;
    provider_id: string;
    first_name: string;
    last_name: string;
    birth_date: CalendarDate;
    email: string | null;
    phone: string | null;
    france_travail_id: string | null;
    job_seeker_registered: Generated<boolean>;
    pedagogical_referent_id: string | null;
    cv_updated_on: CalendarDate | null;
    created_at: Timestamp;
  };
  path: {
    id: string;
    trainee_id: string;
    order_id: string;
    order_line_id: string;
    provider_id: string;
    site_id: string;
    status: Generated<PathStatus>;
    entry_date: CalendarDate;
    planned_exit_date: CalendarDate;
    actual_exit_date: CalendarDate | null;
    created_at: Timestamp;
    updated_at: Timestamp;
  };
  positioning: {
    path_id: string;
    minutes: number;
    evaluations: string;
    restitution_on: CalendarDate | null;
    prior_learning: string | null;
    competences: string | null;
    recommended_exemptions: string | null;
    recommended_minutes: number | null;
    recommended_methods: string | null;
    recommends_access_site: boolean | null;
    recorded_by: string | null;
    recorded_at: Timestamp;
    /** The day of the first evaluations, when the provider entered it. */
    started_on: CalendarDate | null;
    /** Generated: started_on, else restitution_on, else the recording day (Europe/Paris). */
    first_day: GeneratedAlways<CalendarDate>;
  };
  path_item: {
    id: string;
    path_id: string;
    module_id: string | null;
    label: string;
    modality: Modality;
    self_study_location: "remote" | "centre" | null;
    planned_minutes: number;
    exempted: Generated<boolean>;
    exemption_reason: string | null;
    position: Generated<number>;
  };
  path_adjustment: {
    id: string;
    path_id: string;
    reason: string;
    before: unknown;
    after: unknown;
    adjusted_by: string | null;
    adjusted_at: Timestamp;
  };
  deposit: {
    id: string;
    path_id: string;
    amount_cents: number;
    material: string;
    taken_on: CalendarDate;
    refunded_on: CalendarDate | null;
    kept_reason: string | null;
    recorded_by: string | null;
    created_at: Timestamp;
  };
  transition_log: {
    id: Generated<number>;
    entity: string;
    entity_id: string;
    from_status: string | null;
    to_status: string;
    reason: string | null;
    actor_id: string | null;
    at: Timestamp;
  };
  outbox: {
    id: Generated<number>;
    topic: string;
    payload: unknown;
    created_at: Timestamp;
    processed_at: Timestamp | null;
    attempts: Generated<number>;
    last_error: string | null;
    next_attempt_at: Timestamp;
  };
  audit_log: {
    id: Generated<number>;
    actor_id: string | null;
    action: string;
    entity: string;
    entity_id: string | null;
    details: Generated<unknown>;
    at: Timestamp;
  };
  idempotency_key: { key: string; user_id: string | null; response: unknown; created_at: Timestamp };
  /** migrations/20261204130000_platform_secret.ts: the shared secret when APP_SECRET is unset (core/secrets.ts). */
  platform_secret: { name: string; value: Buffer; created_at: Generated<Date> };
  /** migrations/20261205060000_personal_data.ts: a random salt per subject, deleted on erasure (core/privacy.ts). */
  personal_salt: { subject: string; salt: Buffer; created_at: Generated<Date> };
  /** An erasure or pseudonymisation done: who, why, when, how many rows (never the erased data). */
  privacy_erasure: {
    id: string;
    subject_kind: "trainee" | "candidate" | "user";
    subject_id: string;
    cause: "request" | "retention";
    reason: string | null;
    erased_by: string | null;
    erased_at: Timestamp;
    counts: Generated<unknown>;
  };

  // — Recruitment (migrations/20261122100000_recruitment.ts) —
  session: {
    id: string;
    provider_id: string;
    order_line_id: string;
    site_id: string | null;
    start_date: CalendarDate;
    end_date: CalendarDate;
    places: number;
    recruitment_open: Generated<boolean>;
    recruitment_start: CalendarDate | null;
    recruitment_end: CalendarDate | null;
    published_at: Timestamp | null;
    created_at: Timestamp;
  };
  info_meeting: {
    id: string;
    provider_id: string;
    order_line_id: string;
    session_id: string | null;
    meeting_date: CalendarDate;
    start_time: string;
    end_time: string;
    site_id: string | null;
    place: string | null;
    remote_url: string | null;
    content: Generated<unknown>;
    published_at: Timestamp | null;
    created_at: Timestamp;
  };
  attachment: {
    id: string;
    provider_id: string | null;
    filename: string;
    content_type: string;
    size_bytes: number;
    sha256: string;
    bytes: Buffer;
    uploaded_by: string | null;
    created_at: Timestamp;
  };
  candidate: {
    id: string;
    first_name: string;
    last_name: string;
    birth_date: CalendarDate;
    email: string | null;
    phone: string | null;
    france_travail_id: string | null;
    job_seeker_registered: Generated<boolean>;
    highest_diploma_level: number | null;
    created_at: Timestamp;
    /** CP-EFORM-REGIONAL-RECRUIT: département of residence (optional on insert). */
    residence_departement_code: ColumnType<string | null, string | null | undefined, string | null>;
  };
  refusal_reason: { code: string; version: number; label: string; active: Generated<boolean> };
  /** A direct e-formation registration waiting for the person's confirmation by mail (recruitment). */
  direct_registration: {
    id: string;
    session_id: string;
    email: string;
    input: unknown;
    token_hash: string;
    created_at: Timestamp;
    expires_at: Timestamp;
    confirmed_at: Timestamp | null;
    candidacy_id: string | null;
  };
  candidacy: {
    id: string;
    candidate_id: string;
    session_id: string;
    provider_id: string;
    origin: CandidacyOrigin;
    prescriber_organisation_id: string | null;
    prescriber_user_id: string | null;
    entered_by: string | null;
    status: Generated<CandidacyStatus>;
    project: string | null;
    support_given: string | null;
    attachment_id: string | null;
    assessment_score: number | null;
    refusal_reason_code: string | null;
    refusal_reason_version: number | null;
    message_to_candidate: string | null;
    message_to_prescriber: string | null;
    continuation_justification: string | null;
    registration_help: string | null;
    summoned_for: CalendarDate | null;
    path_id: string | null;
    created_at: Timestamp;
    updated_at: Timestamp;
  };
  continuation_slip: {
    id: string;
    candidacy_id: string;
    from_provider_id: string | null;
    from_provider_name: string;
    from_scheme: "prf_prequalifying" | "qualif_pro_parcours_qualifiants" | "qualif_pro_competences_plus";
    from_action: string | null;
    prescriber_organisation_id: string | null;
    entered_by: string | null;
    entered_by_role: "prescriber" | "provider";
    received_on: CalendarDate;
    answered_on: CalendarDate | null;
    answer: "entry" | "refusal" | null;
    answer_entry_date: CalendarDate | null;
    answer_reason: string | null;
    created_at: Timestamp;
  };
  notification: {
    id: string;
    recipient_email: string;
    recipient_user_id: string | null;
    subject: string;
    body_text: string;
    entity: string | null;
    entity_id: string | null;
    status: Generated<"pending" | "sent" | "failed">;
    attempts: Generated<number>;
    last_error: string | null;
    next_attempt_at: Timestamp;
    sent_at: Timestamp | null;
    created_at: Timestamp;
  };

  // — Attendance (migrations/20261122200000_attendance.ts) —
  slot: {
    id: string;
    provider_id: string;
    order_line_id: string;
    module_id: string | null;
    site_id: string | null;
    slot_date: CalendarDate;
    start_time: string;
    end_time: string;
    starts_at: Timestamp;
    ends_at: Timestamp;
    modality: Modality;
    self_study_location: "remote" | "centre" | null;
    trainer_id: string | null;
    place: string | null;
    virtual_room_url: string | null;
    objectives: string | null;
    deliverables: string | null;
    resources: string | null;
    holiday_override: Generated<boolean>;
    status: Generated<"planned" | "open" | "closed" | "cancelled">;
    cancel_reason: string | null;
    cancelled_for_trainer_absence: Generated<boolean>;
    replacement_trainer_id: string | null;
    paper_attachment_id: string | null;
    created_at: Timestamp;
  };
  slot_trainee: { slot_id: string; path_id: string };
  site_closure: { id: string; site_id: string; start_date: CalendarDate; end_date: CalendarDate; reason: string; created_at: Timestamp };
  /** CP-GROUP-MAX-20: a trainee another funder pays for, recorded on a group (component × site, dates). */
  other_funded_trainee: {
    id: string;
    provider_id: string;
    component_id: string;
    site_id: string;
    full_name: string;
    funder: string;
    start_date: CalendarDate;
    end_date: CalendarDate;
    created_by: string | null;
    created_at: Timestamp;
  };
  slot_other_funded: { slot_id: string; other_funded_trainee_id: string };
  attendance: {
    id: string;
    slot_id: string;
    path_id: string;
    status: "present" | "late" | "absent" | "excused";
    late_minutes: Generated<number>;
    realised_minutes: Generated<number>;
    method: "qr" | "kiosk" | "paper" | "remote" | "self_study" | "tutor" | "trainer";
    signed_at: Timestamp | null;
    signature: string | null;
    deliverable: string | null;
    client_id: string | null;
    recorded_by: string | null;
    created_at: Timestamp;
    /** When the server received the proof (issue 9, point 8): a phone's signed_at is bounded by it. */
    received_at: Timestamp;
    /** The issue instant of the QR code a phone signature was made with. */
    code_issued_at: Timestamp | null;
  };
  countersignature: { slot_id: string; trainer_id: string; signature: string; signed_at: Timestamp };
  evidence: {
    id: Generated<number>;
    slot_id: string;
    seq: number;
    kind: string;
    actor_id: string | null;
    actor_role: string;
    path_id: string | null;
    at: Timestamp;
    ip: string | null;
    user_agent: string | null;
    method: string | null;
    reason: string | null;
    payload: unknown;
    payload_hash: string;
    prev_hash: string | null;
    hash: string;
    /** 1: the link hashes prev, payload, seq and at; 2: every column of the entry too; 3: the IP and device only through personal_digest. */
    hash_version: Generated<number>;
    /** Version 3: whose salt (personal_salt.subject) keys personal_digest: `path:<id>`, `user:<id>` or `slot:<id>`. */
    salt_subject: string | null;
    /** Version 3: HMAC-SHA256(salt, canonical JSON of {ip, userAgent}); the link hashes this, not the IP nor the device. */
    personal_digest: string | null;
    /** Version 3: other personal fields of the entry (a tutor's typed name), outside the hashed payload, blanked on erasure. */
    personal: unknown | null;
  };
  /** Stored runs of the evidence verification (background job, npm run verify-evidence). */
  evidence_report: {
    id: string;
    requested_at: Timestamp;
    requested_by: string | null;
    started_at: Timestamp | null;
    finished_at: Timestamp | null;
    status: "pending" | "running" | "done" | "failed";
    slots: number | null;
    entries: number | null;
    broken: unknown;
    error: string | null;
    /** A complete run re-verifies every slot; a routine one only the slots whose seal no longer matches (docs/adr/0047). */
    complete: Generated<boolean>;
    /** Slots the run verified in full (the others matched their seal). */
    rechecked: number | null;
  };
  /** A slot found sound by a run, with the digest of what was verified (docs/adr/0047). */
  evidence_seal: { slot_id: string; digest: string; sealed_at: Timestamp };
  /** A link found broken when a new entry was chained to it (checked as it is written). */
  evidence_alert: { id: Generated<number>; evidence_id: number; slot_id: string; seq: number; problem: string; detected_at: Timestamp };
  device_session: {
    id: string;
    trainee_id: string;
    token_hash: string;
    label: string | null;
    created_at: Timestamp;
    expires_at: Timestamp;
    last_seen_at: Timestamp | null;
    revoked_at: Timestamp | null;
  };
  signing_link: {
    id: string;
    purpose: "tutor" | "remote";
    slot_id: string | null;
    path_id: string | null;
    token_hash: string;
    expires_at: Timestamp;
    used_at: Timestamp | null;
    created_at: Timestamp;
  };
  help_request: {
    id: string;
    slot_id: string;
    path_id: string;
    question: string;
    asked_at: Timestamp;
    answered_at: Timestamp | null;
    answered_by: string | null;
    answer: string | null;
  };
  certificate: {
    id: string;
    path_id: string;
    period_start: CalendarDate;
    period_end: CalendarDate;
    verification_code: string;
    minutes: unknown;
    content_hash: string;
    issued_by: string | null;
    issued_at: Timestamp;
    // migrations/20261207020000_certificate_versions.ts
    version: Generated<number>;
    replaces_id: string | null;
    replace_reason: string | null;
    replaced_by: string | null;
    replaced_at: Timestamp | null;
  };

  // — Schedule (migrations/20261122210000_schedule_calendar_token.ts) —
  trainee_calendar_token: { trainee_id: string; token_hash: string; created_at: Timestamp };

  // — Documents (migrations/20261122230000_document_batch.ts) —
  document_batch: {
    id: string;
    provider_id: string;
    order_id: string;
    kind: "certificates";
    period_start: CalendarDate;
    period_end: CalendarDate;
    total: number;
    done: Generated<number>;
    status: Generated<"running" | "done" | "failed">;
    error: string | null;
    certificate_ids: Generated<string[]>;
    created_by: string | null;
    created_at: Timestamp;
    finished_at: Timestamp | null;
    // migrations/20261123010000_document_batch_lease.ts: the runner's lease and the failed paths.
    claimed_by: string | null;
    claimed_until: Timestamp | null;
    attempts: Generated<number>;
    failed: Generated<number>;
  };
  document_batch_item: { batch_id: string; path_id: string; certificate_id: string | null; error: string | null };

  // — Exit, follow-up, exams, soft skills (migrations/20261205030000_exit.ts) —
  path_exit: {
    path_id: string;
    reason: ExitReason;
    cause: string | null;
    action_plan: Generated<string>;
    email: string;
    recorded_by: string | null;
    recorded_at: Timestamp;
    // migrations/20261207050000_teaching_team_vae.ts (CP-KPI-VAE)
    vae_engaged: Generated<boolean>;
    vae_result: VaeResult | null;
    vae_decided_on: CalendarDate | null;
  };
  exit_setting: { id: number; followup_deadline_days: number; updated_by: string | null; updated_at: ColumnType<Date, Date | string | undefined, Date | string> };
  follow_up: {
    id: string;
    path_id: string;
    milestone: FollowUpMilestone;
    situation: FollowUpSituation;
    contract_type: ContractType | null;
    rome_code: string | null;
    in_target_sector: boolean | null;
    note: Generated<string>;
    recorded_by: string | null;
    recorded_at: Timestamp;
  };
  follow_up_reminder: { path_id: string; milestone: FollowUpMilestone; kind: "due" | "late"; sent_on: CalendarDate };
  /** The milestones not recorded yet of each exited path (exit, migration 20261209060000, ADR 0046): kept by triggers. */
  follow_up_open: { path_id: string; milestone: FollowUpMilestone };
  certification: {
    id: string;
    provider_id: string;
    component_id: string;
    kind: "RNCP" | "RS";
    code: string;
    title: string;
    skill_blocks: ColumnType<string[], string, string>;
    created_at: Generated<Timestamp>;
  };
  habilitation: {
    id: string;
    certification_id: string;
    certifier: string;
    reference: string;
    valid_from: CalendarDate;
    valid_until: CalendarDate;
    attachment_id: string | null;
    created_at: Generated<Timestamp>;
  };
  exam_date: { id: string; component_id: string; label: string; kind: "written" | "oral" | "selection"; exam_on: CalendarDate };
  exam_registration: {
    id: string;
    path_id: string;
    certification_id: string;
    internal: boolean;
    session_on: CalendarDate;
    second_session: Generated<boolean>;
    second_session_help: string | null;
    trainee_fee_cents: number | null;
    result: ExamResult | null;
    passed_blocks: ColumnType<string[], string | undefined, string>;
    result_recorded_at: Timestamp | null;
    recorded_by: string | null;
    created_at: Timestamp;
  };
  catchup: {
    id: string;
    path_id: string;
    registration_id: string;
    minutes: number;
    start_on: CalendarDate;
    end_on: CalendarDate;
    content: string;
    recorded_by: string | null;
    created_at: Timestamp;
  };
  mock_exam: {
    id: string;
    path_id: string;
    title: string;
    taken_on: CalendarDate;
    score: number;
    out_of: number;
    comment: Generated<string>;
    corrected_copy_id: string | null;
    recorded_by: string | null;
    created_at: Timestamp;
  };
  soft_skill: { id: string; year: number; position: number; title: string; description: Generated<string> };
  soft_skill_step: {
    id: string;
    path_id: string;
    soft_skill_id: string;
    step: SoftSkillStep;
    observation: string;
    validated: Generated<boolean>;
    recorded_by: string | null;
    recorded_at: Timestamp;
  };
  badge: {
    id: string;
    path_id: string;
    soft_skill_id: string;
    status_index: Generated<number>;
    credential: ColumnType<unknown, string, string>;
    jwt: string;
    issued_by: string | null;
    issued_at: Timestamp;
    revoked_at: Timestamp | null;
    revoked_reason: string | null;
  };
  satisfaction_question: { id: string; position: number; kind: "likert" | "text"; label: string; active: Generated<boolean> };
  satisfaction_link: { path_id: string; token_hash: string; sent_on: CalendarDate; answered_at: Timestamp | null };
  satisfaction_answer: { id: string; provider_id: string; component_id: string; answers: ColumnType<unknown, string, string>; comment: Generated<string>; answered_on: CalendarDate };
  region_survey: {
    id: string;
    path_id: string;
    wave: 6 | 18;
    token_hash: string;
    sent_on: CalendarDate;
    answered_at: Timestamp | null;
    situation: "employment" | "training" | "job_seeking" | "other" | null;
    satisfaction: number | null;
    comment: string | null;
  };
  survey_unsubscribe: { trainee_id: string; at: Timestamp };
  // — Internships and follow-up (migrations/20261205020000_internships.ts) —
  company: {
    id: string;
    provider_id: string;
    siret: string;
    name: string;
    address: Generated<string>;
    postcode: Generated<string>;
    commune: Generated<string>;
    commune_insee: string | null;
    latitude: number | null;
    longitude: number | null;
    sector: Generated<string>;
    rome_codes: Generated<string[]>;
    found_by_trainee: Generated<boolean>;
    created_by: string | null;
    created_at: Timestamp;
  };
  company_tutor: {
    id: string;
    company_id: string;
    provider_id: string;
    full_name: string;
    job_title: Generated<string>;
    email: string | null;
    phone: string | null;
    created_at: Timestamp;
  };
  company_share: { id: string; provider_id: string; trainee_id: string; company_ids: string[]; note: string | null; shared_by: string | null; created_at: Timestamp };
  company_period: {
    id: string;
    provider_id: string;
    path_id: string;
    company_id: string;
    tutor_id: string;
    follow_up_trainer_id: string | null;
    place: "region" | "france" | "abroad";
    country: string | null;
    work_address: Generated<string>;
    start_date: CalendarDate;
    end_date: CalendarDate;
    planned_minutes: number;
    weekly_minutes: number;
    timetable: Generated<string>;
    status: Generated<"preparing" | "in_progress" | "closed" | "cancelled">;
    precontact_on: CalendarDate | null;
    precontact_notes: string | null;
    nature: Generated<string>;
    objectives: Generated<string>;
    pedagogical_objectives: Generated<string>;
    position_held: Generated<string>;
    follow_up_modalities: Generated<string>;
    outside_opening: Generated<boolean>;
    centre_contact: string | null;
    agreement_version: Generated<number>;
    agreement_hash: string;
    agreement_sent_at: Timestamp | null;
    civil_liability_attachment_id: string | null;
    social_cover_attachment_id: string | null;
    visit_waiver_reason: string | null;
    visit_waiver_by: string | null;
    visit_waiver_at: Timestamp | null;
    created_by: string | null;
    created_at: Timestamp;
    updated_at: Timestamp;
  };
  agreement_signature: {
    id: string;
    period_id: string;
    party: "trainee" | "tutor" | "provider";
    version: number;
    content_hash: string;
    signer_name: string;
    method: "link" | "app";
    user_id: string | null;
    signed_at: Timestamp;
  };
  internship_link: { id: string; period_id: string; party: "trainee" | "tutor"; token_hash: string; expires_at: Timestamp; revoked_at: Timestamp | null; created_at: Timestamp };
  company_visit: {
    id: string;
    period_id: string;
    planned_on: CalendarDate | null;
    visited_on: CalendarDate | null;
    met: string | null;
    observations: string | null;
    recorded_by: string | null;
    created_at: Timestamp;
  };
  internship_review: {
    id: string;
    period_id: string;
    party: "tutor" | "referent" | "trainee";
    author_name: string;
    activities: Generated<string>;
    skills: Generated<string>;
    progress: Generated<string>;
    appreciation: Generated<string>;
    submitted_at: Timestamp;
  };
  followup_entry: {
    id: string;
    provider_id: string;
    trainee_id: string;
    met_on: CalendarDate;
    notes: Generated<string>;
    barriers: Generated<string[]>;
    resources: Generated<string>;
    recorded_by: string | null;
    created_at: Timestamp;
  };
  dropout_alert: {
    id: string;
    provider_id: string;
    trainee_id: string;
    reason: "absences" | "barrier";
    details: string;
    prescriber_email: string | null;
    raised_by: string | null;
    raised_at: Timestamp;
  };
  welcome_settings: {
    provider_id: string;
    internal_rules_attachment_id: string | null;
    commitments: Generated<string>;
    catering: string | null;
    lodging: string | null;
    updated_at: Timestamp;
  };
  welcome_delivery: {
    id: string;
    provider_id: string;
    path_id: string;
    delivered_on: CalendarDate;
    how: string;
    booklet_sha256: string;
    recorded_by: string | null;
    created_at: Timestamp;
  };
  trainee_social_cover: { trainee_id: string; provider_id: string; region_provides: boolean; updated_at: Timestamp };
  work_incident: {
    id: string;
    provider_id: string;
    trainee_id: string;
    kind: "stoppage" | "accident";
    occurred_on: CalendarDate;
    start_date: CalendarDate | null;
    end_date: CalendarDate | null;
    description: Generated<string>;
    forms_generated_at: Timestamp | null;
    sent_on: CalendarDate | null;
    sent_to: string | null;
    recorded_by: string | null;
    created_at: Timestamp;
  };
  // — The modernisation call, AMI (migrations/20261205010000_ami.ts) —
  ami_call: {
    id: string;
    title: string;
    body: string;
    prf_year: number;
    submission_deadline: Timestamp;
    mission2_latest_end: CalendarDate;
    priorities: string;
    renewed_from: string | null;
    published_by: string | null;
    published_at: Timestamp;
  };
  ami_lot: { id: string; call_id: string; number: number; name: string };
  ami_lot_departement: { lot_id: string; call_id: string; departement_code: string };
  ami_expert_provider: { id: string; name: string; created_at: Timestamp };
  ami_lot_expert: { lot_id: string; expert_provider_id: string };
  ami_expert_member: { user_id: string; expert_provider_id: string };
  ami_eligible: { provider_id: string; prf_year: number; kind: "training_organisation" | "apprentice_centre"; registered_by: string | null; created_at: Timestamp };
  ami_application: {
    id: string;
    call_id: string;
    provider_id: string;
    created_by: string | null;
    status: Generated<"draft" | "submitted" | "retained" | "not_retained" | "mission_1" | "mission_2" | "mission_3" | "completed">;
    network: string | null;
    network_key: string;
    lot_id: string | null;
    lot_number: number | null;
    needs: ColumnType<{ professions: string; digitalisation: string; pedagogy: string; phases: string }, string, string>;
    team: ColumnType<{ name: string; role: string; commitment: string }[], string, string>;
    project_lead_name: Generated<string>;
    project_lead_share_bp: number | null;
    site_mode: Generated<"single" | "multi">;
    reference_site_id: string | null;
    implementation_site_ids: Generated<string[]>;
    target_publics: Generated<string[]>;
    ecological_actions: Generated<string>;
    prior_accompaniment: boolean | null;
    prior_accompaniment_detail: Generated<string>;
    submitted_at: Timestamp | null;
    valid_until: CalendarDate | null;
    override_position: number | null;
    override_reason: string | null;
    decision_reason: string | null;
    decided_at: Timestamp | null;
    expert_provider_id: string | null;
    diagnostic: Generated<string>;
    committee_decided_on: CalendarDate | null;
    committee_note: string | null;
    created_at: Timestamp;
    updated_at: Timestamp;
  };
  ami_action: { id: string; application_id: string; phase: number; title: string; description: Generated<string>; approved: boolean | null; position: number; created_at: Timestamp };
  ami_action_commitment: { action_id: string; member_name: string; half_days: number };
  ami_progress: { id: string; application_id: string; action_id: string; on_date: CalendarDate; note: string; done: Generated<boolean>; recorded_by: string | null; created_at: Timestamp };
  ami_deliverable: {
    id: string;
    application_id: string;
    kind: "m2_production" | "evaluation" | "model_deliverable" | "transfer_kit";
    owner: "provider" | "expert";
    title: string;
    attachment_id: string;
    uploaded_by: string | null;
    created_at: Timestamp;
  };
  // — The Region's desk (migrations/20261205080000_region_desk.ts) —
  trainer: {
    id: string;
    provider_id: string;
    full_name: string;
    qualifications: Generated<string>;
    cv_attachment_id: string | null;
    active: Generated<boolean>;
    created_by: string | null;
    created_at: Timestamp;
  };
  // migrations/20261207050000_teaching_team_vae.ts (CP-TRAINER-CHANGE)
  order_trainer: { order_id: string; trainer_id: string; added_at: Timestamp };
  trainer_notice: {
    id: string;
    provider_id: string;
    order_id: string;
    kind: TrainerNoticeKind;
    reason: string;
    absent_trainer_id: string | null;
    replacement_trainer_id: string | null;
    absence_from: CalendarDate | null;
    absence_to: CalendarDate | null;
    filed_by: string;
    filed_at: Timestamp;
    acknowledged_by: string | null;
    acknowledged_at: Timestamp | null;
    // migrations/20261208020000_site_change_notice.ts: the site a 'site_change' notice is about
    site_id: string | null;
  };
  trainer_notice_trainer: { notice_id: string; trainer_id: string; change: "added" | "removed"; cv_attachment_id: string | null };
  change_request: {
    id: string;
    provider_id: string;
    order_id: string | null;
    kind: ChangeRequestKind;
    payload: unknown;
    reason: string;
    status: Generated<ChangeRequestStatus>;
    decision_reason: string | null;
    before: unknown | null;
    filed_by: string;
    filed_at: Timestamp;
    decided_by: string | null;
    decided_at: Timestamp | null;
  };
  change_request_attachment: {
    change_request_id: string;
    attachment_id: string;
  };
  contribution_finding: {
    id: string;
    provider_id: string;
    trainee_id: string;
    found_on: CalendarDate;
    amount_cents: number;
    description: string;
    refund_due_on: CalendarDate;
    refunded_on: CalendarDate | null;
    refund_proof_attachment_id: string | null;
    recovery_cents: number | null;
    recovery_claimed_on: CalendarDate | null;
    recorded_by: string | null;
    created_at: Timestamp;
  };
  // Occitanie e-formation access sites and their seats (access-sites domain, CP-EFORM-SITES).
  access_site: {
    id: string;
    name: string;
    address: string;
    postcode: string;
    commune: string;
    insee_code: string;
    departement_code: string;
    opening_hours: string;
    contact_name: string;
    contact_email: string | null;
    contact_phone: string | null;
    active: Generated<boolean>;
    created_at: Generated<Timestamp>;
  };
  access_site_room: {
    id: string;
    access_site_id: string;
    name: string;
    pcs: number;
  };
  access_site_seat: {
    room_id: string;
    seat_no: number;
  };
  seat_booking: {
    id: string;
    provider_id: string;
    slot_id: string;
    path_id: string;
    trainee_id: string;
    access_site_id: string;
    room_id: string;
    seat_no: number;
    slot_date: CalendarDate;
    /** tstzrange '[starts_at, ends_at)' of the slot, as PostgreSQL writes it. */
    during: string;
    status: Generated<SeatBookingStatus>;
    cancel_reason: "home" | "no_show_day" | "staff" | "rescheduled" | null;
    booked_by: string | null;
    booked_at: Timestamp;
    status_by: string | null;
    status_at: Timestamp | null;
  };
  // — Occitanie e-formation (migrations/20261206020000_eformation.ts) —
  eformation_lot_setting: {
    lot_id: string;
    sync_min_percent: number;
    updated_by: string | null;
    updated_at: Timestamp;
  };
  eformation_week: {
    component_id: string;
    tutorat_minutes: number;
    self_study_minutes: number;
    gathering_minutes: number;
    updated_by: string | null;
    updated_at: Timestamp;
  };
  eformation_session: {
    session_id: string;
    no_software: Generated<boolean>;
    updated_by: string | null;
    updated_at: Timestamp;
  };
  eformation_software: {
    id: string;
    session_id: string;
    provider_id: string;
    name: string;
    version: string;
    licence: string;
    sheet_attachment_id: string;
    windows10_64: boolean;
    office2016: boolean;
    submitted_by: string | null;
    submitted_at: Timestamp;
    status: Generated<"submitted" | "validated" | "refused">;
    licences_provided: Generated<boolean>;
    region_note: string | null;
    decided_by: string | null;
    decided_at: Timestamp | null;
  };
  eformation_checkpoint: {
    id: string;
    session_id: string;
    decision: "confirmed" | "postponed";
    reason: string | null;
    old_start: CalendarDate;
    old_end: CalendarDate;
    new_start: CalendarDate;
    new_end: CalendarDate;
    paths_moved: Generated<number>;
    slots_moved: Generated<number>;
    decided_by: string | null;
    decided_at: Timestamp;
  };
  // — Gatherings, deliveries, web conference, protocol (migrations/20261207070000_eformation_gatherings_protocol.ts) —
  eformation_gathering_request: {
    id: string;
    session_id: string;
    provider_id: string;
    gathering_date: CalendarDate;
    place: string;
    argument: string;
    status: Generated<"filed" | "authorised" | "refused" | "withdrawn">;
    region_reason: string | null;
    filed_by: string | null;
    filed_at: Timestamp;
    decided_by: string | null;
    decided_at: Timestamp | null;
  };
  eformation_gathering: {
    id: string;
    session_id: string;
    provider_id: string;
    kind: "welcome_day" | "exam" | "other";
    gathering_date: CalendarDate;
    place: string;
    request_id: string | null;
    created_by: string | null;
    created_at: Timestamp;
  };
  eformation_delivery: { gathering_id: string; path_id: string; item: "contract" | "calendar" | "materials"; recorded_by: string | null; recorded_at: Timestamp };
  eformation_webconf: {
    component_id: string;
    provider_id: string;
    tool_name: string;
    audio_video_16: boolean;
    screen_sharing: boolean;
    remote_control: boolean;
    whiteboard: boolean;
    file_transfer: boolean;
    platform: "own" | "region_moodle";
    platform_name: string | null;
    platform_url: string | null;
    status: Generated<"submitted" | "accepted" | "refused">;
    region_reason: string | null;
    submitted_by: string | null;
    submitted_at: Timestamp;
    decided_by: string | null;
    decided_at: Timestamp | null;
  };
  eformation_protocol: { id: string; path_id: string; provider_id: string; version: number; content: unknown; content_hash: string; sent_by: string | null; sent_at: Timestamp };
  eformation_protocol_signature: {
    id: string;
    protocol_id: string;
    party: "trainee" | "provider";
    content_hash: string;
    signer_name: string;
    method: "link" | "app";
    user_id: string | null;
    signed_at: Timestamp;
  };
  eformation_protocol_link: { id: string; protocol_id: string; token_hash: string; expires_at: Timestamp; revoked_at: Timestamp | null; created_at: Generated<Timestamp> };
  /** The dashboard's rollups (kpi, migrations 20261208010000 and 20261209010000, ADR 0034 and 0041): kept by triggers, never written by the app. */
  kpi_path_figure: KpiScopeKey & { path_id: string; minutes: string };
  kpi_cohort_figure: KpiScopeKey & { paths: number; minutes: string };
  kpi_satisfaction_figure: { provider_id: string; component_id: string; year: number; respondents: number; answers: number; positive: number };
  /** The stored judgement of each order's paths (paths, migration 20261209020000, ADR 0042): marked stale by triggers. */
  path_order_findings: {
    order_id: string;
    stale: Generated<boolean>;
    version: number;
    findings: unknown;
    judged_at: Generated<Timestamp>;
  };
}

/** The key of a rollup row: the scope the dashboard filters on, the path's status, and what the row counts (ADR 0041). */
interface KpiScopeKey {
  year: number;
  lot_id: string;
  provider_id: string;
  component_id: string;
  category: string;
  departement: string;
  status: string;
  entry: string;
  kind: "path" | "in_training" | "planned" | "positioning" | "realised" | "exit" | "vae" | "follow_up" | "exam";
  modality: string;
  location: string;
}

export type SeatBookingStatus = "booked" | "arrived" | "no_show" | "cancelled";
