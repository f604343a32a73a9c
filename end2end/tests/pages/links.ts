import type { APIRequestContext, Browser } from '@playwright/test';
import { expect } from '@playwright/test';
import { ports } from '../../ports';

// A real rating link, the way a customer gets one: the helpdesk's API records a service of a new
// customer, the scheduler invites them, and the worker's SMS gateway sink (smtp-sink.mjs)
// receives the message with the link. Tokens are never stored, so there is no other way in.

export const SINK = `http://127.0.0.1:${ports.messages}`;
export const BASE = `http://127.0.0.1:${ports.server}`;

export type Sms = { to: string; text: string; reference: string };

/** The messages the SMS gateway sink received for `phone`. */
export async function smsTo(request: APIRequestContext, phone: string): Promise<Sms[]> {
  const all: Sms[] = await (await request.get(`${SINK}/sms`)).json();
  return all.filter((m) => m.to === phone);
}

/** The rating link's path (`/r/{token}`) in a message. */
export function linkIn(text: string): string {
  const found = /\/r\/[A-Za-z0-9_-]{43}/.exec(text);
  expect(found, `a link in ${text}`).not.toBeNull();
  return found![0];
}

/** Points the SMS channel at this worker's sink and makes a helpdesk API key (as the admin). */
export async function helpdesk(browser: Browser): Promise<Helpdesk> {
  const context = await browser.newContext({ baseURL: BASE });
  const login = await context.request.post('/api/v1/auth/login', {
    data: { kind: 'staff', login: 'A0001', password: 'Pingjia-Demo-2026' },
  });
  expect(login.ok(), await login.text()).toBeTruthy();
  const sms = await context.request.put('/api/v1/settings/sms', {
    data: {
      url: `${SINK}/sms`,
      method: 'post',
      headers: [],
      body_template: '{"to":"{{to}}","text":"{{text}}","reference":"{{reference}}"}',
      content_type: 'json',
      success: { json_field: 'code', json_value: '0' },
    },
  });
  expect(sms.ok(), await sms.text()).toBeTruthy();
  const created = await context.request.post('/api/v1/api-keys', { data: { name: `helpdesk-${Date.now()}` } });
  expect(created.ok(), await created.text()).toBeTruthy();
  const key = (await created.json()).secret as string;
  const catalog = await (await context.request.get('/api/v1/catalog')).json();
  await context.close();
  return { key, serviceType: catalog.service_types[0].code };
}

let serial = 0;
const run = `${Date.now()}`.slice(-6);

/** A helpdesk: the API key it sends records with, and a service type it records. */
export type Helpdesk = { key: string; serviceType: string };

/**
 * Sends the helpdesk's record of a new customer's service that ended 31 minutes ago (past the
 * demo's 30-minute invitation delay), with the customer's `contacts` (phone, e-mail, name…).
 */
export async function ingest(
  request: APIRequestContext,
  { key, serviceType }: Helpdesk,
  contacts: Record<string, string>,
): Promise<{ id: number; external_id: string }> {
  serial += 1;
  const ended = new Date(Date.now() - 31 * 60_000);
  const started = new Date(ended.getTime() - 10 * 60_000);
  const response = await request.post(`${BASE}/api/v1/ingest/service-records`, {
    headers: { Authorization: `Bearer ${key}` },
    data: {
      external_id: `e2e-${process.env.TEST_PARALLEL_INDEX ?? 0}-${run}-${serial}`,
      ...contacts,
      customer_type: 'new',
      agent: 'E1001',
      service_type: serviceType,
      channel: 'online',
      started_at: started.toISOString(),
      ended_at: ended.toISOString(),
      requested_at: started.toISOString(),
      urgency: 'normal',
      category: 'consultation',
      tags: [],
    },
  });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()).record;
}

/** A fresh rating link (`/r/{token}`) of a new customer's service, and the record's id. */
export async function newRatingLink(
  request: APIRequestContext,
  desk: Helpdesk,
): Promise<{ link: string; recordId: number }> {
  const phone = `137${run}${String(serial + 1).padStart(2, '0')}`;
  const record = await ingest(request, desk, { customer_phone: phone });
  await expect.poll(async () => (await smsTo(request, phone)).length, { timeout: 20_000 }).toBe(1);
  return { link: linkIn((await smsTo(request, phone))[0].text), recordId: record.id };
}
