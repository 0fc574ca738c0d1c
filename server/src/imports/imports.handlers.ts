import { ProblemException } from '../lib/problem';
import type { AppRouteHandler } from '../lib/types';
import type * as routes from './imports.routes';
import {
  errorsCsv,
  findImport,
  listImports,
  startImport,
  toWireImport,
  updateImport,
  uploadImport,
} from './imports.service';
import { stageFormFile } from './multipart';
import { runImport } from './run';
import { requestUndo } from './undo';
import { discardImport, UPLOAD_LIMITS } from './upload';

/** Runs the import in this process now (the runner of any process would take it up otherwise). */
function runInBackground(c: { var: { db: Parameters<typeof runImport>[0] } }, id: string) {
  void runImport(c.var.db, id).catch((error) => console.error(`import ${id}:`, error));
}

export const upload: AppRouteHandler<typeof routes.upload> = async (c) => {
  const query = c.req.valid('query');
  const contentType = c.req.header('content-type') ?? '';
  const body = c.req.raw.body;
  if (!body) throw new ProblemException('validation', 'The file is empty');
  const meta = (fileName: string | null) => ({
    fileName: query.fileName ?? fileName ?? 'upload.csv',
    campaign: query.campaign ?? null,
  });
  if (/^multipart\//i.test(contentType)) {
    if (!/^multipart\/form-data\b/i.test(contentType)) {
      throw new ProblemException(
        'unsupported-media-type',
        'Send the CSV as the body (text/csv) or as the file of a multipart/form-data form',
      );
    }
    const job = await stageFormFile(
      body,
      contentType,
      UPLOAD_LIMITS.maxBytes,
      (file, fileName) => uploadImport(c.var.db, c.var.principal, file, meta(fileName)),
      (staged) => discardImport(c.var.db, staged.id),
    );
    return c.json(job, 201);
  }
  return c.json(await uploadImport(c.var.db, c.var.principal, body, meta(null)), 201);
};

export const list: AppRouteHandler<typeof routes.list> = async (c) =>
  c.json({ imports: await listImports(c.var.db, c.var.principal.workspaceId) }, 200);

export const get: AppRouteHandler<typeof routes.get> = async (c) =>
  c.json(toWireImport(await findImport(c.var.db, c.var.principal.workspaceId, c.req.valid('param').id)), 200);

export const update: AppRouteHandler<typeof routes.update> = async (c) => {
  const job = await updateImport(c.var.db, c.var.principal, c.req.valid('param').id, c.req.valid('json'));
  return c.json(job, 200);
};

export const start: AppRouteHandler<typeof routes.start> = async (c) => {
  const job = await startImport(c.var.db, c.var.principal, c.req.valid('param').id);
  runInBackground(c, job.id);
  return c.json(job, 202);
};

export const errors: AppRouteHandler<typeof routes.errors> = async (c) => {
  const job = await findImport(c.var.db, c.var.principal.workspaceId, c.req.valid('param').id);
  const name = job.fileName.replace(/\.csv$/i, '').replace(/[^\w.-]+/g, '_');
  return c.body(errorsCsv(c.var.db, job), 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${name}-errors.csv"`,
  });
};

export const undo: AppRouteHandler<typeof routes.undo> = async (c) => {
  const { id } = c.req.valid('param');
  await requestUndo(c.var.db, c.var.principal, id);
  runInBackground(c, id);
  return c.json(toWireImport(await findImport(c.var.db, c.var.principal.workspaceId, id)), 202);
};
