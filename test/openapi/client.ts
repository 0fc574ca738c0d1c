import createClient from 'openapi-fetch';
// Written by test/e2e/openapi-client.test.ts from the served /openapi.json (openapi-typescript).
import type { components, paths } from './generated/leadline-api';

type Lead = components['schemas']['Lead'];
type Touchpoint = components['schemas']['Touchpoint'];

/** What a script that knows Leadline only by its OpenAPI document writes: no `hc`, no shared types. */
export function createLeadlineClient(baseUrl: string, token: string) {
  const client = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${token}` } });
  const fail = (what: string, status: number, error: unknown) =>
    new Error(`${what}: ${status} ${JSON.stringify(error)}`);

  return {
    async listLeads(q?: string): Promise<Lead[]> {
      const { data, error, response } = await client.GET('/api/leads', {
        params: { query: { q, limit: 50 } },
      });
      if (error) throw fail('listLeads', response.status, error);
      return data.items;
    },

    async createLead(fullName: string, email: string): Promise<Lead> {
      const { data, error, response } = await client.POST('/api/leads', {
        params: { header: { 'idempotency-key': `create-${email}` } },
        body: { fullName, email, title: 'VP Sales', company: 'Kestrel Freight', companySize: 120 },
      });
      if (error) throw fail('createLead', response.status, error);
      return data;
    },

    async logTouchpoint(
      leadId: string,
      type: 'call_connected' | 'meeting_booked',
      note?: string,
    ): Promise<Touchpoint> {
      const { data, error, response } = await client.POST('/api/leads/{id}/touchpoints', {
        params: { path: { id: leadId } },
        body: { type, note },
      });
      if (error) throw fail('createTouchpoint', response.status, error);
      return data;
    },

    /** A touchpoint type the API does not know: the generated types refuse it before the API does. */
    async logUnknownTouchpoint(leadId: string) {
      const { error, response } = await client.POST('/api/leads/{id}/touchpoints', {
        params: { path: { id: leadId } },
        // @ts-expect-error 'carrier_pigeon' is not a touchpoint type in the document
        body: { type: 'carrier_pigeon' },
      });
      return { status: response.status, type: error?.type };
    },
  };
}
