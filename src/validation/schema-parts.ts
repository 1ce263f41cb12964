/**
 * @module Small JSON-schema builders the config and reply schemas share. Every union carries
 * an `errorMessage`, which the loader prints instead of ajv's branch-by-branch noise.
 */

export const nonEmpty = (description: string) => ({ type: "string", minLength: 1, description });

export const exactlyOne = (keys: readonly string[], errorMessage: string) => ({
  oneOf: keys.map((key) => ({ required: [key] })),
  errorMessage,
});

export const atMostOne = (keys: readonly string[], errorMessage: string) => {
  const pairs: string[][] = [];
  keys.forEach((a, i) => keys.slice(i + 1).forEach((b) => pairs.push([a, b])));
  return { not: { anyOf: pairs.map((pair) => ({ required: pair })) }, errorMessage };
};
