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
  /** A signature queued offline is accepted at most this many hours after it was drawn. */
  queueMaxHours: number;
}

const int = (v: string | undefined, fallback: number) => (v && /^\d+$/.test(v) ? Number(v) : fallback);

/** Given at startup by the composition root (app/secrets.ts): derived from the platform's shared secret. */
let sharedKey: Buffer | undefined;

function secretFrom(env: NodeJS.ProcessEnv): Buffer {
  if (env.ATTENDANCE_SECRET) return Buffer.from(env.ATTENDANCE_SECRET, "utf8");
  if (sharedKey) return sharedKey;
  // Only a process that never ran the startup (a script, a test): codes die with it.
  if (env.NODE_ENV !== "test" && !env.NODE_TEST_CONTEXT && !process.execArgv.includes("--test")) {
    console.warn("Clé des QR codes d'émargement tirée au hasard pour ce processus (ni ATTENDANCE_SECRET ni clé partagée).");
  }
  return randomBytes(32);
}

/**
 * The QR codes' key shared by every process (ATTENDANCE_SECRET, when set, still wins): what one
 * process signs, another behind the same load balancer accepts.
 */
export function useSharedQrKey(key: Buffer): void {
  sharedKey = key;
  current = undefined;
}

export function loadAttendanceSettings(env: NodeJS.ProcessEnv = process.env): AttendanceSettings {
  return {
    secret: secretFrom(env),
    qrMaxAgeSeconds: int(env.ATTENDANCE_QR_MAX_AGE_SECONDS, 60),
    qrRefreshSeconds: int(env.ATTENDANCE_QR_REFRESH_SECONDS, 20),
    earlyMinutes: int(env.ATTENDANCE_EARLY_MINUTES, 15),
    deviceDays: int(env.ATTENDANCE_DEVICE_DAYS, 120),
    clockSkewSeconds: int(env.ATTENDANCE_CLOCK_SKEW_SECONDS, 120),
    // A weekend without network (Friday morning to Monday morning).
    queueMaxHours: int(env.ATTENDANCE_QUEUE_MAX_HOURS, 72),
  };
}

let current: AttendanceSettings | undefined;
export const attendanceSettings = (): AttendanceSettings => (current ??= loadAttendanceSettings());
