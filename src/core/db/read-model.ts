// Builds the read models a domain publishes for the others: subqueries with no connection of
// their own, compiled inside the query that joins them (PostgreSQL flattens them: same plan as a join).
import { expressionBuilder } from "kysely";
import type { DB } from "./schema.ts";

export const readModel = expressionBuilder<DB>();
