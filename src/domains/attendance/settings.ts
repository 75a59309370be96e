// Attendance settings, read once from the environment (documented in README § Émargement).
import { randomBytes } from "node:crypto";

export interface AttendanceSettings {
  /** HMAC key of the rotating QR codes. */
  secret: Buffer;
  /** A QR code older than this is refused (CP-ATTENDANCE, anti-forwarding). */
  qrMaxAgeSeconds: number;
  /** The QR shown on the trainer's screen changes this often. */
  qrRefreshSeconds: number;
  /** Signing opens this many minutes before the slot starts, and closes at its end. */
  earlyMinutes: number;
  /** Device-bound sessions of trainees' phones last this long. */
  deviceDays: number;
  /** Tolerated drift of a phone's clock when it sends a queued (offline) signature. */
  clockSkewSeconds: number;
}

const int = (v: string | undefined, fallback: number) => (v && /^\d+$/.test(v) ? Number(v) : fallback);

function secretFrom(env: NodeJS.ProcessEnv): Buffer {
  if (env.ATTENDANCE_SECRET) return Buffer.from(env.ATTENDANCE_SECRET, "utf8");
  // Without a configured secret, codes die with the process: fine for dev, wrong for production.
  if (env.NODE_ENV !== "test" && !env.NODE_TEST_CONTEXT && !process.execArgv.includes("--test")) {
    console.warn("ATTENDANCE_SECRET absent : clé des QR codes d'émargement tirée au hasard pour ce démarrage (à définir en production).");
  }
  return randomBytes(32);
}

export function loadAttendanceSettings(env: NodeJS.ProcessEnv = process.env): AttendanceSettings {
  return {
    secret: secretFrom(env),
    qrMaxAgeSeconds: int(env.ATTENDANCE_QR_MAX_AGE_SECONDS, 60),
    qrRefreshSeconds: int(env.ATTENDANCE_QR_REFRESH_SECONDS, 20),
    earlyMinutes: int(env.ATTENDANCE_EARLY_MINUTES, 15),
    deviceDays: int(env.ATTENDANCE_DEVICE_DAYS, 120),
    clockSkewSeconds: int(env.ATTENDANCE_CLOCK_SKEW_SECONDS, 120),
  };
}

let current: AttendanceSettings | undefined;
export const attendanceSettings = (): AttendanceSettings => (current ??= loadAttendanceSettings());
