import { getLead } from '../leads/lead-reads';
import { findLeadFor } from '../leads/leads.service';
import type { AppRouteHandler } from '../lib/types';
import type * as routes from './exports.routes';
import { leadsCsv as csvStream, leadsVcards } from './exports.service';
import { exportPerson } from './person-export';
import { toVcard } from './vcard';

const attachment = (name: string) => `attachment; filename="${name}"`;
const today = () => new Date().toISOString().slice(0, 10);

export const leadsCsv: AppRouteHandler<typeof routes.leadsCsv> = async (c) => {
  const stream = await csvStream(c.var.db, c.var.principal, c.req.valid('query'));
  return c.body(stream, 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': attachment(`leadline-leads-${today()}.csv`),
  });
};

export const leadsVcf: AppRouteHandler<typeof routes.leadsVcf> = async (c) =>
  c.body(leadsVcards(c.var.db, c.var.principal, c.req.valid('query')), 200, {
    'content-type': 'text/vcard; charset=utf-8',
    'content-disposition': attachment(`leadline-leads-${today()}.vcf`),
  });

export const leadVcard: AppRouteHandler<typeof routes.leadVcard> = async (c) => {
  const { id } = c.req.valid('param');
  await findLeadFor(c.var.db, c.var.principal, id, 'lead.read');
  const lead = await getLead(c.var.db, c.var.principal.workspaceId, id);
  return c.body(toVcard(lead), 200, {
    'content-type': 'text/vcard; charset=utf-8',
    'content-disposition': attachment(`lead-${id}.vcf`),
  });
};

export const personExport: AppRouteHandler<typeof routes.personExport> = async (c) => {
  const { id } = c.req.valid('param');
  const exported = await exportPerson(c.var.db, c.var.principal, id);
  c.header('content-disposition', attachment(`lead-${id}.json`));
  return c.json(exported as never, 200);
};
