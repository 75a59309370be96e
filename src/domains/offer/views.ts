// The offer's read models: what other domains may read of components, modules and sites, as
// Kysely subqueries they join (`.innerJoin(componentRows().as("c"), …)`), never the tables themselves.
import { readModel } from "../../core/db/read-model.ts";

export const componentRows = () => readModel.selectFrom("component").selectAll();
export const moduleRows = () => readModel.selectFrom("module").selectAll();
export const siteRows = () => readModel.selectFrom("site").selectAll();
export const componentSiteRows = () => readModel.selectFrom("component_site").selectAll();
