// At startup, before serving: the keys every process must share, derived from the platform's secret
// (APP_SECRET or the database's, core/secrets.ts) and handed to the domains that sign with them.
import type { Config } from "../core/config.ts";
import type { Db } from "../core/db/index.ts";
import { derivedKey, platformSecret } from "../core/secrets.ts";
import { useSharedQrKey } from "../domains/attendance/settings.ts";
import { loadBadgeKey } from "../domains/exit/badge-key.ts";

export async function configureSharedKeys(db: Db, config: Config): Promise<void> {
  const secret = await platformSecret(db, config.appSecret);
  useSharedQrKey(derivedKey(secret, "attendance-qr"));
  loadBadgeKey(config.badgeKeyFile); // Open Badges: the key file, generated on first start when absent
}
