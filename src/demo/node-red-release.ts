/**
 * Which Node-RED the demo and the tests run. The project tests two releases
 * side by side, each a devDependency under its own name. HI6_NODE_RED=4 or 5
 * picks one; without it, the newest release the running Node.js can run.
 */

import * as path from "node:path";

export const RELEASE_ENV = "HI6_NODE_RED";

/** Newest first: the order in which the demo tries them. */
export const RELEASES = [
  { major: 5, packageName: "node-red-5" },
  { major: 4, packageName: "node-red" },
] as const;

export type NodeRedMajor = (typeof RELEASES)[number]["major"];

export interface NodeRedRelease {
  major: NodeRedMajor;
  /** The devDependency's name in package.json. */
  packageName: string;
  /** The installed version, e.g. `5.0.7`. */
  version: string;
  /** What `require()` loads: the runtime's main file. */
  entry: string;
  /** Its engines field for Node.js, e.g. `>=22.9`. */
  engines: string | undefined;
  /** Resolves a module as that release's own code would, e.g. its `@node-red/nodes`. */
  resolve(request: string): string;
}

interface PackageJson {
  version: string;
  main?: string;
  engines?: { node?: string };
}

function versionParts(text: string): number[] {
  return text.split(".").map((p) => Number.parseInt(p, 10) || 0);
}

function atLeast(actual: string, floor: string): boolean {
  const a = versionParts(actual);
  const f = versionParts(floor);
  for (let i = 0; i < 3; i++) {
    if ((a[i] ?? 0) !== (f[i] ?? 0)) return (a[i] ?? 0) > (f[i] ?? 0);
  }
  return true;
}

/** The floor in an engines field such as `>=22.9`; Node-RED states its floor that way. */
export function minimumNode(engines: string | undefined): string | undefined {
  const m = /^\s*>=\s*v?(\d+(?:\.\d+){0,2})\s*$/.exec(engines ?? "");
  return m ? m[1] : undefined;
}

function load(release: (typeof RELEASES)[number]): NodeRedRelease | undefined {
  let manifestPath: string;
  try {
    manifestPath = require.resolve(`${release.packageName}/package.json`);
  } catch {
    return undefined;
  }
  const root = path.dirname(manifestPath);
  const pkg = require(manifestPath) as PackageJson;
  return {
    major: release.major,
    packageName: release.packageName,
    version: pkg.version,
    entry: require.resolve(path.join(root, pkg.main ?? "index.js")),
    engines: pkg.engines?.node,
    resolve: (request) => require.resolve(request, { paths: [root] }),
  };
}

/** Why this Node.js cannot run the release, or undefined when it can; a range it cannot read counts as a no. */
function unsupportedBy(release: NodeRedRelease, nodeVersion: string): string | undefined {
  if (release.engines === undefined) return undefined;
  const floor = minimumNode(release.engines);
  if (floor === undefined) return `Node-RED ${release.version} asks for Node.js "${release.engines}", a range the demo does not read`;
  if (atLeast(nodeVersion, floor)) return undefined;
  return `Node-RED ${release.version} needs Node.js ${floor} or newer; this is Node.js ${nodeVersion}`;
}

export interface ChosenNodeRed extends NodeRedRelease {
  /** Why this one, in a few words for a start message. */
  reason: string;
}

export function chooseNodeRed(env: NodeJS.ProcessEnv = process.env, nodeVersion: string = process.versions.node): ChosenNodeRed {
  const asked = env[RELEASE_ENV];
  if (asked !== undefined && asked !== "") {
    const wanted = RELEASES.find((r) => String(r.major) === asked.trim());
    if (!wanted) throw new Error(`${RELEASE_ENV}=${asked}: the choices are ${RELEASES.map((r) => r.major).join(" and ")}`);
    const release = load(wanted);
    if (!release) throw new Error(`${RELEASE_ENV}=${asked}: ${wanted.packageName} is not installed; run npm install`);
    const why = unsupportedBy(release, nodeVersion);
    if (why) throw new Error(`${RELEASE_ENV}=${asked}: ${why}`);
    return { ...release, reason: `${RELEASE_ENV}=${asked}` };
  }
  const reasons: string[] = [];
  for (const candidate of RELEASES) {
    const release = load(candidate);
    if (!release) {
      reasons.push(`${candidate.packageName} is not installed`);
      continue;
    }
    const why = unsupportedBy(release, nodeVersion);
    if (!why) return { ...release, reason: reasons.length ? reasons.join("; ") : `the newest installed; ${RELEASE_ENV}=4 or 5 picks one` };
    reasons.push(why);
  }
  throw new Error(`no installed Node-RED runs here: ${reasons.join("; ")}`);
}
