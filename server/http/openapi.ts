import { z } from 'zod';
import { api, fillPath, pathParamNames, type RouteDef } from '../../shared/http/routes';

/** OpenAPI 3.1, generated from the route table in shared/http (the same schemas the server validates with). */

const json = (schema: z.ZodType, io: 'input' | 'output') => z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' });

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const js = json(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (js.required ?? []).includes(name),
    schema: s,
  }));
}

export function buildOpenApi(serverUrl: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [name, def] of Object.entries(api) as [string, RouteDef][]) {
    const path = fillPath(def.path, (name) => `{${name}}`);
    const pathParams = def.params
      ? parameters(def.params, 'path')
      : pathParamNames(def.path).map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
    const op: Record<string, unknown> = {
      operationId: name,
      summary: def.summary,
      ...(def.description ? { description: def.description } : {}),
      ...(def.deprecated ? { deprecated: true } : {}),
      tags: [def.tag],
      parameters: [...pathParams, ...parameters(def.query, 'query')],
      responses: Object.fromEntries(
        Object.entries(def.responses).map(([status, r]) => [
          status,
          typeof r === 'string'
            ? { description: r }
            : { description: status.startsWith('2') ? 'OK' : 'error', content: { 'application/json': { schema: json(r, 'output') } } },
        ]),
      ),
      ...(def.roles === 'public' ? { security: [] } : { 'x-roles': def.roles }),
    };
    const content: Record<string, unknown> = {};
    if (def.body && 'raw' in def.body)
      for (const t of def.body.raw) content[t] = { schema: { type: 'string', format: 'binary', description: def.body.description } };
    else if (def.body) content['application/json'] = { schema: json(def.body, 'input') };
    if (def.altBody) content['application/json'] = { schema: json(def.altBody, 'input') };
    if (Object.keys(content).length) op.requestBody = { required: true, content };
    (paths[path] ??= {})[def.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Presswork server API',
      version: '1',
      description: 'Publish templates, run print and email jobs, send transactional messages, read reports.',
    },
    servers: [{ url: serverUrl }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'presswork token create --role <role>' } } },
    security: [{ bearer: [] }],
    paths,
  };
}
