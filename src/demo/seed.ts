import type { Db } from "../core/db/index.ts";

export interface DemoResult {
  loaded: boolean;
  password: string;
  logins: { role: string; email: string }[];
}

// Placeholder replaced by the full demo dataset (see src/demo/).
export async function loadDemoIfEmpty(_db: Db): Promise<DemoResult> {
  return { loaded: false, password: "", logins: [] };
}
