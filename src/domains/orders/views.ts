// The orders' read models: what other domains may read of orders and their lines, as Kysely
// subqueries they join (`.innerJoin(orderLineRows().as("ol"), …)`), never the tables themselves.
import { sql } from "kysely";
import { readModel } from "../../core/db/read-model.ts";

export const orderRows = () => readModel.selectFrom("order").selectAll();
export const orderLineRows = () => readModel.selectFrom("order_line").selectAll();
/**
 * SQL: the order (alias `o`) is closed and the retention of its personal data is over on `today`
 * (Paris date): its close day plus `years` years is still kept, the next day is not (docs/privacy.md).
 */
export const orderRetentionOver = (years: number, today: string) =>
  sql<boolean>`o.status = 'closed' and (o.closed_at at time zone 'Europe/Paris')::date + make_interval(years => ${years}::int) < ${today}::date`;
export const orderLineSiteRows = () => readModel.selectFrom("order_line_site").selectAll();
