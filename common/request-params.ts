import type { z } from "zod";

/**
 * How both zones read a request: a JSON object body and zod's first issue turned into the
 * parameter it names (Stripe's bracket notation). Each zone renders the result as its own error.
 */
export type ParamProblem = {
  code: "parameter_invalid" | "parameter_missing" | "parameter_unknown" | "body_not_json";
  param?: string;
  message?: string;
};

/** `["settlement_config", "schedule"]` -> `settlement_config[schedule]`. */
export function paramName(path: readonly PropertyKey[]): string | undefined {
  const [head, ...rest] = path.map(String);
  if (head === undefined) return undefined;
  return head + rest.map((part) => `[${part}]`).join("");
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const part of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}

/** The first zod issue as a problem naming the parameter. zod's messages never echo the input. */
export function zodProblem(error: z.ZodError, input: unknown): ParamProblem {
  const issue = error.issues[0];
  if (!issue) return { code: "parameter_invalid" };
  if (issue.code === "unrecognized_keys") {
    const param = paramName([...issue.path, issue.keys[0] ?? ""]);
    return { code: "parameter_unknown", param, message: `Received unknown parameter: ${param}.` };
  }
  const param = paramName(issue.path);
  if (issue.code === "invalid_type" && valueAt(input, issue.path) === undefined) {
    return { code: "parameter_missing", param, message: `Missing required param: ${param}.` };
  }
  return { code: "parameter_invalid", param, message: param ? `Invalid ${param}: ${issue.message}` : issue.message };
}

/** A request body as a JSON object (empty = `{}`), or the problem with it. */
export function parseJsonObject(text: string): { body: Record<string, unknown> } | { problem: ParamProblem } {
  let body: unknown = {};
  if (text.trim() !== "") {
    try {
      body = JSON.parse(text);
    } catch {
      return { problem: { code: "body_not_json", param: "body" } };
    }
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return {
      problem: { code: "parameter_invalid", param: "body", message: "The request body must be a JSON object." },
    };
  }
  const nul = nullCharacterAt(body);
  if (nul) {
    const param = paramName(nul.map((part) => part.replaceAll("\u0000", "")));
    return {
      problem: {
        code: "parameter_invalid",
        param,
        message: `Invalid ${param}: must not contain a null character (U+0000).`,
      },
    };
  }
  return { body: body as Record<string, unknown> };
}

/** How many levels of a body an error's `param` names at most: a parameter's name, not the body echoed back. */
const MAX_PARAM_DEPTH = 8;

/**
 * The path to the first key or string holding a NUL (U+0000), or null. JSON allows it (`\u0000`),
 * but no field of ours means one, and Postgres refuses it in any text value (22021), so it is
 * refused as bad input here rather than found by a query. Walked without recursion: JSON.parse
 * takes nesting deeper than a recursive walk's stack.
 */
function nullCharacterAt(root: object): string[] | null {
  // Each entry keeps its parent, not a copy of its path: a deep body costs one step a level.
  type Entry = { value: unknown; key: string; parent: Entry | null };
  const pathOf = (entry: Entry | null, last?: string): string[] => {
    const path = last === undefined ? [] : [last];
    for (let at = entry; at?.parent; at = at.parent) path.push(at.key);
    return path.reverse().slice(0, MAX_PARAM_DEPTH);
  };
  const stack: Entry[] = [{ value: root, key: "", parent: null }];
  for (let entry = stack.pop(); entry; entry = stack.pop()) {
    const { value } = entry;
    if (typeof value === "string") {
      if (value.includes("\u0000")) return pathOf(entry);
    } else if (typeof value === "object" && value !== null) {
      for (const [key, child] of Object.entries(value)) {
        if (key.includes("\u0000")) return pathOf(entry, key);
        stack.push({ value: child, key, parent: entry });
      }
    }
  }
  return null;
}
