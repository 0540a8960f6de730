import pkg from "../package.json" with { type: "json" };

/** VERSION is hookd's version, taken from package.json at build time. */
export const VERSION: string = pkg.version;
