// Checks an answer against the OpenAPI document with an independent JSON Schema validator (ajv,
// draft 2020-12, the dialect of OpenAPI 3.1), so the document and the API cannot drift: the status
// must be declared for the operation, the content type declared for that status, and the body valid
// against its schema (the Error schema for every non-2xx answer, with the code of its status).
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { ERROR_STATUS } from "@/lib/errors";
import { openApiDocument } from "@/lib/http/openapi";

export interface Answer {
  method: string;
  /** The path as the document writes it (/api/jobs/{id}); null when no route file but the catch-all serves it. */
  template: string | null;
  status: number;
  contentType: string;
  body: unknown;
  hasBody: boolean;
}

let ajv: Ajv2020 | undefined;
const validators = new Map<string, ValidateFunction>();

function validator(pointer: string): ValidateFunction {
  if (!ajv) {
    ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    addFormats(ajv);
    // The whole document is one schema resource, so "#/components/schemas/Job" resolves in it.
    ajv.addSchema(openApiDocument() as object, "openapi");
  }
  let validate = validators.get(pointer);
  if (!validate) {
    validate = ajv.getSchema(`openapi#${pointer}`);
    if (!validate) throw new Error(`No schema at ${pointer} of the OpenAPI document`);
    validators.set(pointer, validate);
  }
  return validate;
}

const escape = (token: string) => token.replaceAll("~", "~0").replaceAll("/", "~1");
const mediaType = (contentType: string) => contentType.split(";")[0].trim().toLowerCase();

/** The operation's declared answer for a status, or why there is none. */
export function declaredAnswer(method: string, template: string, status: number) {
  const operation = (openApiDocument().paths[template] as Record<string, any> | undefined)?.[method.toLowerCase()];
  if (!operation) return { operation: undefined, response: undefined };
  const declared = operation.responses[String(status)] as { $ref?: string; content?: Record<string, { schema?: unknown }> } | undefined;
  // A shared answer (components.responses) is referred to by its JSON pointer.
  const response = declared?.$ref ? (resolvePointer(declared.$ref) as typeof declared) : declared;
  return { operation, response };
}

function resolvePointer(ref: string): unknown {
  const tokens = ref.replace(/^#\//, "").split("/").map((token) => token.replaceAll("~1", "/").replaceAll("~0", "~"));
  return tokens.reduce<any>((node, token) => node?.[token], openApiDocument());
}

/** Throws (failing the test that made the request) when the answer is not what the document says. */
export function checkAnswer(answer: Answer): void {
  const problem = findProblem(answer);
  if (problem) {
    throw new Error(
      `${answer.method} ${answer.template ?? "(no route)"} answered ${answer.status} (${answer.contentType || "no content type"}) against the OpenAPI document: ${problem}\nbody: ${JSON.stringify(answer.body)?.slice(0, 600)}`,
    );
  }
}

function findProblem({ method, template, status, contentType, body, hasBody }: Answer): string | undefined {
  if (method === "OPTIONS" || method === "HEAD") return undefined;
  const error = status >= 300 && status !== 304; // 304 Not Modified has no body by definition
  if (error) {
    if (mediaType(contentType) !== "application/json") return "an error answer must be application/json";
    const valid = validator("/components/schemas/Error");
    if (!valid(body)) return `not the Error schema: ${ajv!.errorsText(valid.errors)}`;
    const code = (body as { error: { code: keyof typeof ERROR_STATUS } }).error.code;
    if (ERROR_STATUS[code] !== status) return `code ${code} is answered with ${ERROR_STATUS[code]}, not ${status}`;
  }
  if (!template) return status === 404 ? undefined : "a path no route serves must answer 404";
  const { operation, response } = declaredAnswer(method, template, status);
  if (!operation) return status === 405 ? undefined : "the operation is not in the document (a method it does not serve must answer 405)";
  if (!response) return `status ${status} is not declared (declared: ${Object.keys(operation.responses).join(", ")})`;
  const declared = Object.keys(response.content ?? {});
  if (declared.length === 0) return hasBody ? "the status is declared without content, but the answer has a body" : undefined;
  const type = declared.find((key) => mediaType(key) === mediaType(contentType));
  if (!type) return `content type ${contentType || "(none)"} is not declared (declared: ${declared.join(", ")})`;
  if (error || !response.content![type].schema) return undefined;
  // Streams and text are checked by their content type; JSON by its schema.
  if (!mediaType(type).endsWith("json")) return typeof body === "string" || body === null ? undefined : "a text answer parsed as JSON";
  const pointer = ["", "paths", escape(template), method.toLowerCase(), "responses", String(status), "content", escape(type), "schema"].join("/");
  const valid = validator(pointer);
  return valid(body) ? undefined : `the body is not valid against ${pointer}: ${ajv!.errorsText(valid.errors)}`;
}
