import { type Kysely, sql } from "kysely";

// CP-TRAINER-CHANGE: an order's teaching team, and the notices of its changes (a new team, a replaced
// absent trainer) sent to the Region with the CVs as they were at the notice; the Region acknowledges.
// CP-KPI-VAE: the trainee's VAE recorded at exit (engaged, validation full / partial / none, its date).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table order_trainer (
  order_id uuid not null references "order"(id),
  trainer_id uuid not null references trainer(id),
  added_at timestamptz not null,
  primary key (order_id, trainer_id)
);
create index order_trainer_trainer on order_trainer(trainer_id);

create table trainer_notice (
  id uuid primary key,
  provider_id uuid not null references provider(id),
  order_id uuid not null references "order"(id),
  kind text not null check (kind in ('team_change','replacement')),
  reason text not null check (length(trim(reason)) > 0 and length(reason) <= 2000),
  absent_trainer_id uuid references trainer(id),
  replacement_trainer_id uuid references trainer(id),
  absence_from date,
  absence_to date,
  filed_by uuid not null references app_user(id),
  filed_at timestamptz not null,
  acknowledged_by uuid references app_user(id),
  acknowledged_at timestamptz,
  check ((acknowledged_by is null) = (acknowledged_at is null)),
  check (kind <> 'replacement' or (absent_trainer_id is not null and replacement_trainer_id is not null
    and absent_trainer_id <> replacement_trainer_id and absence_from is not null)),
  check (absence_to is null or absence_to >= absence_from)
);
create index trainer_notice_provider on trainer_notice(provider_id, filed_at);
create index trainer_notice_open on trainer_notice(filed_at) where acknowledged_at is null;

-- Who joined or left the team with the notice; a joining trainer's CV as it was (the CV may be replaced later).
create table trainer_notice_trainer (
  notice_id uuid not null references trainer_notice(id) on delete cascade,
  trainer_id uuid not null references trainer(id),
  change text not null check (change in ('added','removed')),
  cv_attachment_id uuid references attachment(id),
  primary key (notice_id, trainer_id),
  check (change <> 'added' or cv_attachment_id is not null)
);

alter table path_exit
  add column vae_engaged boolean not null default false,
  add column vae_result text check (vae_result is null or vae_result in ('full','partial','none')),
  add column vae_decided_on date,
  add constraint path_exit_vae check ((vae_result is null) = (vae_decided_on is null) and (vae_result is null or vae_engaged));
`.execute(db);
}
