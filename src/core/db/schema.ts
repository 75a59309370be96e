// Kysely's view of the tables (migrations/ is the source of truth; keep both in step).
import type { ColumnType, Generated } from "kysely";

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** Europe/Paris calendar date as 'YYYY-MM-DD'. */
type CalendarDate = string;

export type Role = "region_officer" | "provider_admin" | "pedagogical_referent" | "trainer" | "prescriber" | "trainee";
export type Category = "transverse" | "regulatory" | "specific_preparation";
export type Modality = "centre" | "company" | "distance" | "self_study" | "gathering";
export type ContentTag = "digital" | "soft_skills" | "ecological_transition" | "job_search" | "refresher";
export type PathStatus = "draft" | "validated" | "closed" | "dropped";
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
  };
  user_session: {
    id: string;
    user_id: string;
    csrf_token: string;
    created_at: Timestamp;
    expires_at: Timestamp;
  };
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
  };
  refusal_reason: { code: string; version: number; label: string; active: Generated<boolean> };
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
  };
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
}
