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
}
