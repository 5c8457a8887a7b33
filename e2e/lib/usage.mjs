// Usage as a partner network reports it: POST /api/v1/usage with an API key of
// scope `network` (crates/web/src/api/usage.rs). The body is exactly
// {event_id, msisdn|imsi, plmn|country, service, units}; unknown fields are refused.
//
//   const key = await ks.createApiKey(['network']);
//   await reportUsage(ks.baseUrl, key, { msisdn, country: 'JP', bytes: 300 * 1024 ** 2 });
//   // → { applied: true, debited: 314572800, overage: 0 }

import { randomUUID } from 'node:crypto';

/**
 * Builds the request body.
 * @param {object} usage
 * @param {string} [usage.msisdn] the line's number (digits) — or `imsi`
 * @param {string} [usage.imsi]
 * @param {string} [usage.country] visited country, ISO 3166-1 alpha-2 ("JP") — or `plmn` ("44010")
 * @param {string} [usage.plmn]
 * @param {'data'|'voice'|'sms'} [usage.service] default data
 * @param {number} [usage.units] bytes, seconds or messages
 * @param {number} [usage.bytes] shorthand for service data, units = bytes
 * @param {string} [usage.eventId] default a fresh UUID (repeat one to test idempotency)
 */
export function usageBody({ msisdn, imsi, country, plmn, service, units, bytes, eventId } = {}) {
  if (!msisdn === !imsi) throw new Error('reportUsage: give msisdn or imsi (one of them)');
  if (!country === !plmn) throw new Error('reportUsage: give country or plmn (one of them)');
  if (bytes !== undefined) {
    if (service && service !== 'data') throw new Error('reportUsage: bytes are data usage');
    service = 'data';
    units = bytes;
  }
  if (!Number.isSafeInteger(units) || units < 0) throw new Error(`reportUsage: units must be a whole number, got ${units}`);
  const body = { event_id: eventId ?? `e2e-${randomUUID()}`, service: service ?? 'data', units };
  if (msisdn) body.msisdn = String(msisdn).replace(/^\+/, '');
  if (imsi) body.imsi = String(imsi);
  if (country) body.country = country;
  if (plmn) body.plmn = String(plmn);
  return body;
}

/** Posts a usage record: → { status, body } whatever the answer (body parsed when JSON). */
export async function postUsage(baseUrl, apiKey, usage) {
  const r = await fetch(new URL('/api/v1/usage', baseUrl), {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(usageBody(usage)),
  });
  const text = await r.text();
  let body = text;
  try {
    body = JSON.parse(text);
  } catch {
    // keep the text
  }
  return { status: r.status, body };
}

/** Posts a usage record and expects 200: → { applied, debited, overage }; throws otherwise. */
export async function reportUsage(baseUrl, apiKey, usage) {
  const { status, body } = await postUsage(baseUrl, apiKey, usage);
  if (status !== 200) {
    throw new Error(`POST /api/v1/usage answered ${status}: ${typeof body === 'string' ? body : JSON.stringify(body)}`);
  }
  return body;
}
