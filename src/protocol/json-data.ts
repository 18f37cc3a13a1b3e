/**
 * Plain JSON data: values that JSON.stringify writes exactly as they are.
 * Anything it would quietly change (NaN and Infinity to null, a Map or Set
 * to {}, a Date to a string, a Buffer to an object of bytes, undefined or a
 * function in an array to null) or drop (a function or symbol as an object's
 * value) is refused, with the path of the first such value, because a robot
 * must never receive a number nobody sent.
 */

export type JsonDataVerdict = { ok: true } | { ok: false; path: string; reason: string };

/** Deeper than any REST body the controller takes, and shallow enough that checking never runs out of stack. */
export const MAX_JSON_DEPTH = 256;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * Where a refused value sits, innermost step first. It is built only on the
 * way out of a failure, so that checking a sound value costs no strings: the
 * pacer's recipes are checked too.
 */
interface Refusal {
  steps: (string | number)[];
  reason: string;
}

function formatPath(root: string, steps: (string | number)[]): string {
  let path = root;
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i]!;
    path += typeof step === "number" ? `[${step}]` : IDENTIFIER.test(step) ? `.${step}` : `[${JSON.stringify(step)}]`;
  }
  return path;
}

function article(name: string): string {
  return /^[AEIO]/.test(name) ? `an ${name}` : `a ${name}`;
}

/** "a Map", "a Float64Array", "an instance of Pose": what the object is, for the message. */
function objectKind(value: object): string {
  const proto: unknown = Object.getPrototypeOf(value);
  const ctor: unknown = proto !== null && typeof proto === "object" ? (proto as { constructor?: unknown }).constructor : undefined;
  const name = typeof ctor === "function" && ctor.name !== "" ? ctor.name : "object with a custom prototype";
  return article(name);
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function refuse(reason: string): Refusal {
  return { steps: [], reason };
}

/** Checks a value that JSON writes as an array element or the root, where undefined would become null. */
function checkValue(value: unknown, ancestors: Set<object>, depth: number): Refusal | undefined {
  switch (typeof value) {
    case "string":
    case "boolean":
      return undefined;
    case "number":
      return Number.isFinite(value) ? undefined : refuse(`${String(value)} is not a finite number`);
    case "undefined":
      return refuse("undefined has no JSON form (it would be sent as null)");
    case "bigint":
      return refuse(`the BigInt ${String(value)}n has no JSON form`);
    case "symbol":
      return refuse("a symbol has no JSON form");
    case "function":
      return refuse("a function has no JSON form");
    case "object":
      return value === null ? undefined : checkObject(value, ancestors, depth);
  }
  return refuse("the value has no JSON form");
}

function checkObject(value: object, ancestors: Set<object>, depth: number): Refusal | undefined {
  if (depth >= MAX_JSON_DEPTH) return refuse(`it is nested more than ${MAX_JSON_DEPTH} levels deep`);
  if (ancestors.has(value)) return refuse("it refers back to an object that contains it (a cycle)");
  const array = Array.isArray(value);
  if (array ? Object.getPrototypeOf(value) !== Array.prototype : !isPlainObject(value)) {
    return refuse(`${objectKind(value)} is not plain JSON data; send a plain object, array, number, string, boolean or null`);
  }
  ancestors.add(value);
  try {
    if (array) {
      const items = value as unknown[];
      for (let i = 0; i < items.length; i++) {
        // A hole reads as undefined and, like undefined, would be sent as null.
        const r = i in items ? checkValue(items[i], ancestors, depth + 1) : refuse("an empty slot in an array has no JSON form (it would be sent as null)");
        if (r !== undefined) {
          r.steps.push(i);
          return r;
        }
      }
      return undefined;
    }
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const v = record[key];
      // An undefined property is left out, as everywhere in JSON and in the recipe rules.
      if (v === undefined) continue;
      const r = checkValue(v, ancestors, depth + 1);
      if (r !== undefined) {
        r.steps.push(key);
        return r;
      }
    }
    return undefined;
  } finally {
    ancestors.delete(value);
  }
}

const PASS: JsonDataVerdict = { ok: true };

/**
 * Whether `value` is plain JSON data: null, booleans, finite numbers,
 * strings, arrays, and objects whose prototype is Object.prototype or null.
 * `root` names the value in the path, e.g. "body" gives "body.point[2]".
 */
export function checkJsonData(value: unknown, root: string): JsonDataVerdict {
  let refusal: Refusal | undefined;
  try {
    refusal = checkValue(value, new Set(), 0);
  } catch (err) {
    // A getter or proxy that throws: the value cannot be read, so it cannot be sent.
    return { ok: false, path: root, reason: `reading it failed: ${err instanceof Error ? err.message : String(err)}` };
  }
  return refusal === undefined ? PASS : { ok: false, path: formatPath(root, refusal.steps), reason: refusal.reason };
}
