// Builds the migrated template database once, before test files run in parallel.
import { createTestDatabase } from "./db.ts";

const database = await createTestDatabase(1);
await database.close();
