/**
 * @module AWS Lambda entry point: API Gateway REST (payload v1), HTTP API (v2) and Lambda
 * function URL (v2) events → the same core as the server, called directly (no HTTP
 * framework booted in a cold start). The core is built once per Lambda container, on the
 * first invocation.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html (v1 and v2 payloads)
 * @see https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html (function URL events use v2)
 */
import type { Config } from "../config/types.js";
import { handleBytes, type BytesAnswer } from "../core/handle-bytes.js";
import type { Pipeline } from "../core/handle.js";
import { loadPipeline, type PipelineLoadOptions } from "../core/load-pipeline.js";

type HeaderMap = Record<string, string | undefined>;

/** API Gateway REST API (proxy integration) event, payload format 1.0. */
export interface ApiGatewayV1Event {
  httpMethod: string;
  path: string;
  headers?: HeaderMap | null;
  multiValueHeaders?: Record<string, string[] | undefined> | null;
  queryStringParameters?: HeaderMap | null;
  multiValueQueryStringParameters?: Record<string, string[] | undefined> | null;
  requestContext?: { stage?: string; identity?: { sourceIp?: string } };
  body?: string | null;
  isBase64Encoded?: boolean;
}

/** HTTP API and function URL event, payload format 2.0. */
export interface ApiGatewayV2Event {
  version: "2.0";
  rawPath: string;
  rawQueryString?: string;
  cookies?: string[];
  headers?: HeaderMap;
  requestContext: { stage?: string; http: { method: string; sourceIp?: string } };
  body?: string;
  isBase64Encoded?: boolean;
}

export type LambdaEvent = ApiGatewayV1Event | ApiGatewayV2Event;

export interface LambdaResult {
  statusCode: number;
  headers: Record<string, string>;
  /** v1 only: headers with several values. */
  multiValueHeaders?: Record<string, string[]>;
  /** v2 only: Set-Cookie values. */
  cookies?: string[];
  body: string;
  isBase64Encoded: boolean;
}

export interface LambdaOptions extends PipelineLoadOptions {
  /** A path prefix to remove before routing (a custom domain's base path mapping). */
  basePath?: string;
}

/**
 * A Lambda handler running the webhook-serve pipeline.
 * @example
 * // handler.mjs, deployed with config.yaml and handlers/ beside it
 * import { createLambdaHandler } from "webhook-serve/serverless";
 * export const handler = createLambdaHandler(new URL("./config.yaml", import.meta.url).pathname);
 */
export function createLambdaHandler(config: string | Config | Record<string, unknown>, options: LambdaOptions = {}): (event: LambdaEvent, context?: unknown) => Promise<LambdaResult> {
  let core: Promise<Pipeline> | undefined;
  return async (event) => {
    // A failed build is retried on the next invocation instead of poisoning the container.
    core ??= loadPipeline(config, options).catch((error: unknown) => {
      core = undefined;
      throw error;
    });
    const pipeline = await core;
    return isV2(event) ? handleV2(pipeline, event, options) : handleV1(pipeline, event, options);
  };
}

function isV2(event: LambdaEvent): event is ApiGatewayV2Event {
  return (event as ApiGatewayV2Event).version === "2.0" && typeof (event as ApiGatewayV2Event).requestContext?.http === "object";
}

function bodyOf(event: { body?: string | null; isBase64Encoded?: boolean }): Buffer | undefined {
  if (event.body === undefined || event.body === null) return undefined;
  return Buffer.from(event.body, event.isBase64Encoded ? "base64" : "utf8");
}

function stripPrefix(path: string, prefix: string | undefined): string {
  if (!prefix || prefix === "/") return path;
  const p = prefix.endsWith("/") ? prefix.slice(0, -1) : prefix;
  if (path === p) return "/";
  return path.startsWith(`${p}/`) ? path.slice(p.length) : path;
}

async function handleV1(pipeline: Pipeline, event: ApiGatewayV1Event, options: LambdaOptions): Promise<LambdaResult> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) if (value !== undefined) headers[name.toLowerCase()] = value;
  for (const [name, values] of Object.entries(event.multiValueHeaders ?? {})) if (values && values.length > 0) headers[name.toLowerCase()] = values.join(", ");
  const query = new URLSearchParams();
  const multi = event.multiValueQueryStringParameters;
  if (multi) for (const [name, values] of Object.entries(multi)) for (const v of values ?? []) query.append(name, v);
  else for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) if (value !== undefined) query.append(name, value);
  const qs = query.toString();
  const body = bodyOf(event);
  const res = await handleBytes(pipeline, {
    method: event.httpMethod,
    url: stripPrefix(event.path, options.basePath) + (qs ? `?${qs}` : ""),
    headers,
    ...(body !== undefined ? { body } : {}),
    ...(event.requestContext?.identity?.sourceIp ? { ip: event.requestContext.identity.sourceIp } : {}),
  });
  return { statusCode: res.status, headers: res.headers, body: res.body, isBase64Encoded: false };
}

async function handleV2(pipeline: Pipeline, event: ApiGatewayV2Event, options: LambdaOptions): Promise<LambdaResult> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) if (value !== undefined) headers[name.toLowerCase()] = value;
  if (event.cookies && event.cookies.length > 0) headers.cookie = event.cookies.join("; ");
  // A named stage (not $default) appears as the first segment of rawPath.
  const stage = event.requestContext.stage;
  let path = stage && stage !== "$default" ? stripPrefix(event.rawPath, `/${stage}`) : event.rawPath;
  path = stripPrefix(path, options.basePath);
  const body = bodyOf(event);
  const res: BytesAnswer = await handleBytes(pipeline, {
    method: event.requestContext.http.method,
    url: path + (event.rawQueryString ? `?${event.rawQueryString}` : ""),
    headers,
    ...(body !== undefined ? { body } : {}),
    ...(event.requestContext.http.sourceIp ? { ip: event.requestContext.http.sourceIp } : {}),
  });
  return { statusCode: res.status, headers: res.headers, body: res.body, isBase64Encoded: false };
}
