import { type ParseArgsConfig, parseArgs } from "node:util";

/**
 * An ops script's arguments, or its usage on stderr and exit 2 when they do not parse (an unknown
 * flag, a value missing, a word where none is taken): the person at the terminal gets the line
 * that says how, never a stack trace.
 */
export function cliArgs<T extends ParseArgsConfig>(config: T, usage: string): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\nusage: ${usage}\n`);
    process.exit(2);
  }
}
