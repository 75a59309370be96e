import { type Kysely, sql } from "kysely";

// Reference data: the 13 départements of Occitanie and the Region's authorised prescribers
// (CP-PRESCRIBERS, CCTP §2.2). Fixed ids keep every database identical; "on conflict do nothing"
// keeps the migration safe on a database where someone already typed a row by hand.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
insert into departement (code, name) values
  ('09', 'Ariège'),
  ('11', 'Aude'),
  ('12', 'Aveyron'),
  ('30', 'Gard'),
  ('31', 'Haute-Garonne'),
  ('32', 'Gers'),
  ('34', 'Hérault'),
  ('46', 'Lot'),
  ('48', 'Lozère'),
  ('65', 'Hautes-Pyrénées'),
  ('66', 'Pyrénées-Orientales'),
  ('81', 'Tarn'),
  ('82', 'Tarn-et-Garonne')
on conflict (code) do nothing;

-- CP-PRESCRIBERS: the list of CCTP §2.2 ("Agences Pôle Emploi" are now France Travail agencies).
-- The umbrella rows ("France Travail", "Missions Locales") stand for any agency not listed by name.
insert into prescriber_organisation (id, name, kind, authorised) values
  ('1ac4445b-9ea0-4ec6-aafe-bbca233aeeaf', 'France Travail', 'france_travail', true),
  ('2e536e39-06cc-4536-bc80-ce82685684ce', 'France Travail Toulouse Compans', 'france_travail', true),
  ('d3a1957d-f166-4e8c-995a-6e94aefd312b', 'France Travail Albi', 'france_travail', true),
  ('e4a9742d-1259-4d2c-85db-af3722a725d0', 'France Travail Tarbes', 'france_travail', true),
  ('5e0d2c72-4afb-489a-b6b4-cc3083ffe254', 'France Travail Montpellier Près d''Arènes', 'france_travail', true),
  ('7c661b96-4e13-4d44-a9ea-7aa00d636f7e', 'France Travail Nîmes Courbessac', 'france_travail', true),
  ('f08b08d2-b640-42a9-9eea-4de4dac3f03d', 'France Travail Perpignan Polygone', 'france_travail', true),
  ('8d2421c9-68a9-4b6f-a132-20bc2cfb5a6a', 'Missions Locales', 'mission_locale', true),
  ('7ed36b4d-09fe-4aed-bc7a-e96a6d560b48', 'Mission Locale de Toulouse', 'mission_locale', true),
  ('00269d14-145e-4441-ab87-771e07d70f4a', 'Mission Locale de Montpellier', 'mission_locale', true),
  ('a1ce9619-c170-4127-a1ed-4069065f4070', 'Mission Locale Tarn Nord', 'mission_locale', true),
  ('93a36a48-265f-46c7-a590-7d10e9dc037c', 'Conseil départemental de l''Ariège', 'conseil_departemental', true),
  ('914069b5-a9c8-4cae-b8d3-499654f83cc3', 'Conseil départemental de l''Aude', 'conseil_departemental', true),
  ('f96f1e24-6b5e-45eb-bf84-03744865f72a', 'Conseil départemental de l''Aveyron', 'conseil_departemental', true),
  ('86032017-a373-4a64-92b2-a358d2888f47', 'Conseil départemental du Gard', 'conseil_departemental', true),
  ('d3785730-e4e0-4c37-a792-17ed61164534', 'Conseil départemental de la Haute-Garonne', 'conseil_departemental', true),
  ('3c274b2a-4619-452f-b065-389dfe3364d3', 'Conseil départemental du Gers', 'conseil_departemental', true),
  ('9260f51b-ff35-49a6-8eeb-f34c1c801def', 'Conseil départemental de l''Hérault', 'conseil_departemental', true),
  ('a3b5ed9c-22e4-40fa-bf32-dc39d593c281', 'Conseil départemental du Lot', 'conseil_departemental', true),
  ('221d86bd-769c-41fd-ac86-507981d9cd88', 'Conseil départemental de la Lozère', 'conseil_departemental', true),
  ('a9980cac-90bb-4712-9b8a-4a0ad7f74ed1', 'Conseil départemental des Hautes-Pyrénées', 'conseil_departemental', true),
  ('f6884008-1ca5-4059-841c-27097469dc21', 'Conseil départemental des Pyrénées-Orientales', 'conseil_departemental', true),
  ('b9e84bb3-b0b0-4c11-b9f0-6be5923173be', 'Conseil départemental du Tarn', 'conseil_departemental', true),
  ('ce07f297-f834-43e2-a3bb-1f0bb4943f55', 'Conseil départemental de Tarn-et-Garonne', 'conseil_departemental', true),
  ('57e88408-cf9c-4bc6-bca3-c0bf5eb2b6ae', 'Cap Emploi', 'cap_emploi', true),
  ('039d922a-5d94-4b7e-80be-8df548e11adc', 'Centres d''Information sur le Droit des Femmes et des Familles (CIDFF)', 'cidff', true),
  ('027e95cb-3450-4576-a3ca-f76fd3309cc6', 'Association Pour l''Emploi des Cadres (APEC)', 'apec', true),
  ('8913017f-9045-47a0-b9c6-443c37bcd2f4', 'AKTO Réseau FAFF TT', 'akto', true),
  ('4d4b8d7c-e2e4-49fd-84d9-252c49207e14', 'Espace Rural Emploi Formation (EREF) Quercy Rouergue et des Gorges de l''Aveyron', 'eref', true),
  ('fc923d39-3429-42f0-9bf9-b816ed0a659e', 'PLIE Toulouse Métropole', 'plie', true),
  ('7d806902-bc90-481d-b18f-1a98c496d172', 'PLIE Béziers Méditerranée', 'plie', true),
  ('ba912f4c-e14e-4f30-bc43-59fcc3d735c4', 'PLIE Est Héraultais', 'plie', true),
  ('c04d0311-ae17-49a7-b2c0-fa1d8cd6a66b', 'PLIE Haut Languedoc et Vignobles', 'plie', true),
  ('ffe22380-1df3-45e3-886a-f609bbde9f55', 'PLIE Hérault Méditerranée', 'plie', true),
  ('9bed8548-fb78-4185-a5e6-6fc989207f41', 'Service Emploi de la Mairie de Portet-sur-Garonne', 'local_employment_service', true),
  ('dde8147a-4435-4898-bfec-7d1ebf923178', 'Service Emploi de la Communauté de Communes Grand Sud Tarn et Garonne', 'local_employment_service', true),
  ('af46d154-af65-4e60-8032-910a6714cef6', 'Espace Emploi Formation de la Communauté d''Agglomération SICOVAL', 'local_employment_service', true)
on conflict do nothing;
`.execute(db);
}

export async function down(): Promise<void> {
  // Forward-only migrations (ARCHITECTURE.md).
}
