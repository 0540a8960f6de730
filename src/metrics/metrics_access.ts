// Who may scrape /metrics besides the admin: whoever presents HOOKD_METRICS_TOKEN, so a
// Prometheus server does not need the token that can change everything.
import { createHash, timingSafeEqual } from "node:crypto";

const sha256 = (text: string) => createHash("sha256").update(text).digest();

/** metricsAccess answers a check of a presented token against HOOKD_METRICS_TOKEN (always false when it is unset). */
export function metricsAccess(metricsToken: string | undefined): (token: string | null) => boolean {
  if (!metricsToken) return () => false;
  const want = sha256(metricsToken);
  return (token) => token !== null && timingSafeEqual(sha256(token), want);
}
