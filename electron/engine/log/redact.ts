/**
 * Keeps secrets out of logs: API keys (by field name and by value) and presigned URLs' query
 * strings (which carry their signatures) wherever they appear in a field or a message.
 */

const SECRET_FIELD = /^(api[-_]?key|key[-_]?file|authorization|token|secret|password|x-amz-signature|signature)$/i;
const URL_WITH_QUERY = /\b(https?:\/\/[^\s?#"']+)\?[^\s#"']*/gi;
const BEARER = /\bBearer\s+[^\s"']+/gi;

export const REDACTED = '[redacted]';

export function redactText(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(URL_WITH_QUERY, `$1?${REDACTED}`).replace(BEARER, `Bearer ${REDACTED}`);
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  return out;
}

/** A copy of `value` with secret fields blanked and every string scrubbed. */
export function redactValue(value: unknown, secrets: readonly string[] = [], depth = 0): unknown {
  if (typeof value === 'string') return redactText(value, secrets);
  if (value === null || typeof value !== 'object' || depth > 6) return value;
  if (value instanceof Error) {
    // eslint-disable-next-line @typescript-eslint/no-misused-spread -- copies an error's own fields (code, status...) to redact them; its prototype is not wanted
    return { type: value.name, message: redactText(value.message, secrets), ...(redactValue({ ...value }, secrets, depth + 1) as object) };
  }
  if (Array.isArray(value)) return value.map((v) => redactValue(v, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_FIELD.test(k) ? REDACTED : redactValue(v, secrets, depth + 1);
  }
  return out;
}
