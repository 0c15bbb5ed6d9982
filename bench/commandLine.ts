// The benches' command line: `--name value` options and `--flag` switches, read from process.argv.
const args = process.argv.slice(2);

/** The value after `--name`, if given. */
export function option(name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

/** Whether the switch `--name` is given. */
export function flag(name: string): boolean {
  return args.includes(name);
}
