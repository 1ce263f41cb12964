/**
 * @module `webhook-serve/serverless`: the same config and handlers as the server, run as an
 * AWS Lambda function (API Gateway REST/HTTP API, function URL) or a Google Cloud Function /
 * Cloud Run `(req, res)` function.
 */
export { createLambdaHandler, type LambdaEvent, type LambdaResult, type LambdaOptions, type ApiGatewayV1Event, type ApiGatewayV2Event } from "./aws-lambda.js";
export { createCloudFunction, type CloudRequest } from "./google-cloud.js";
