/**
 * /api/openapi.json, generated from the operations' declarations (contract/operation.ts): each schema becomes its JSON
 * Schema in OpenAPI 3.0's dialect, the ones given an id (`.meta({ id })`) once under components. A request's schema
 * is shown as its input (what a client sends), an answer's as its output.
 */
import { z } from 'zod';
import { type Answer, type Operation, REFUSALS } from './operation';

type Schema = Record<string, unknown>;

const COMPONENTS = '#/components/schemas/';

export interface OpenApiDocument {
  openapi: string;
  info: object;
  servers: object[];
  components: { securitySchemes: object; schemas: Record<string, Schema> };
  security: object[];
  paths: Record<string, Record<string, Schema>>;
}

export function openApiDocumentOf(operations: readonly Operation[], info: object): OpenApiDocument {
  const components: Record<string, Schema> = {};
  const jsonSchema = (schema: z.ZodType, io: 'input' | 'output'): Schema => {
    const { definitions, ...converted } = z.toJSONSchema(schema, {
      target: 'openapi-3.0',
      io,
      unrepresentable: 'any',
    }) as Schema & { definitions?: Record<string, Schema> };
    // A component may name another (a session's plan, its parts): its refs point where OpenAPI keeps components too.
    Object.assign(components, definitions && withComponentRefs(definitions));
    return withComponentRefs(converted);
  };

  const paths: OpenApiDocument['paths'] = {};
  for (const operation of operations) {
    (paths[operation.path] ??= {})[operation.method] = {
      summary: operation.summary,
      ...(operation.description && { description: operation.description }),
      tags: operation.tags,
      ...(operation.public && { security: [] }),
      ...parametersOf(operation, jsonSchema),
      ...requestBodyOf(operation, jsonSchema),
      responses: Object.fromEntries(
        Object.entries(answersOf(operation)).map(([status, answer]) => [status, responseOf(answer, jsonSchema)]),
      ),
    };
  }
  return {
    openapi: '3.0.3',
    info,
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        cookie: { type: 'apiKey', in: 'cookie', name: 'qf_session' },
      },
      schemas: components,
    },
    security: [{ bearer: [] }, { cookie: [] }],
    paths,
  };
}

/**
 * Every operation that takes a body can answer 400 before its own checks run: the body is not readable (malformed
 * JSON, a Content-Encoding that does not match its bytes, a file that is not a sheet) or is not the JSON object the
 * operation reads. Said once here rather than beside each body.
 */
const answersOf = (operation: Operation): Record<string, Answer> =>
  operation.body || operation.upload ? { 400: REFUSALS[400], ...operation.answers } : operation.answers;

type Convert = (schema: z.ZodType, io: 'input' | 'output') => Schema;

function parametersOf(operation: Operation, jsonSchema: Convert) {
  const parameters = [
    ...parametersIn('path', operation.params, jsonSchema),
    ...parametersIn('query', operation.query, jsonSchema),
  ];
  return parameters.length > 0 ? { parameters } : {};
}

/**
 * Each field of a path or query object as a parameter. A query field that may be blank is shown as its value's schema
 * with `allowEmptyValue`: the inbox's filter form submits with GET and sends every field, chosen or not, and `?stage=`
 * is read as absent.
 */
function parametersIn(where: 'path' | 'query', object: z.ZodObject | undefined, jsonSchema: Convert): Schema[] {
  if (!object) return [];
  const converted = jsonSchema(object, 'input') as { properties?: Record<string, Schema>; required?: string[] };
  return Object.entries(converted.properties ?? {}).map(([name, schema]) => {
    const { description, ...value } = schema;
    const filled = withoutBlank(value);
    return {
      name,
      in: where,
      required: where === 'path' || (converted.required ?? []).includes(name),
      schema: filled ?? value,
      ...(description !== undefined && { description }),
      ...(where === 'query' && filled && { allowEmptyValue: true }),
    };
  });
}

/** The value's own schema when `schema` is "blank, null, or the value" (contract/fields.ts's `optional`). */
function withoutBlank(schema: Schema): Schema | undefined {
  const alternatives = schema.anyOf as Schema[] | undefined;
  if (!alternatives) return undefined;
  const isBlank = (alternative: Schema) => Array.isArray(alternative.enum) && alternative.enum.every((v) => v === '');
  const rest = alternatives.filter((alternative) => !isBlank(alternative));
  return rest.length === 1 && rest.length < alternatives.length ? rest[0] : undefined;
}

function requestBodyOf(operation: Operation, jsonSchema: Convert) {
  if (operation.upload) return { requestBody: { required: true, content: operation.upload } };
  if (!operation.body) return {};
  return {
    requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(operation.body, 'input') } } },
  };
}

function responseOf(answer: Answer, jsonSchema: Convert): Schema {
  const content = {
    ...(answer.body && { 'application/json': { schema: jsonSchema(answer.body, 'output') } }),
    ...answer.content,
  };
  return {
    description: answer.description,
    ...(Object.keys(content).length > 0 && { content }),
    ...(answer.headers && { headers: answer.headers }),
  };
}

/** zod names a reused schema `#/definitions/<id>` unless told otherwise; components are where OpenAPI keeps them. */
function withComponentRefs(schema: Schema): Schema {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/definitions/', `"${COMPONENTS}`)) as Schema;
}
