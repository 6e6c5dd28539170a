import { Help, type Command } from 'commander';

/**
 * Every `presswork` command, one entry each: the words that run it, what `presswork --help` lists for it, and the
 * module that defines it. A command's module (and whatever it imports: the engine, fastify, SQLite, MJML…) is
 * loaded only when that command runs or its own help is asked for, so `presswork --help` and `presswork validate`
 * do not pay for the server or the PDF writer. Adding a command is one entry here.
 */
export interface CommandEntry {
  /** The command's words: `validate`, or a group and its subcommand (`compose print`). */
  name: string;
  /** Its arguments as `presswork --help` lists them (`[options] <template>`); groups have none. */
  usage?: string;
  /** One line for `presswork --help` (the module's own description shows in `presswork <command> --help`). */
  summary: string;
  /** Loads the module and returns its register function (which may define several of these entries). */
  load: () => Promise<(program: Command) => void>;
}

const TEMPLATE = '[options] <template>';
const COMPOSE = 'compose personalised output (print PDF, email) from a template and data';

// prettier-ignore
export const COMMANDS: readonly CommandEntry[] = [
  { name: 'validate', usage: TEMPLATE, summary: 'check a template package or folder', load: async () => (await import('./validate')).registerValidate },
  { name: 'demo', summary: 'describe the bundled sample campaign', load: async () => (await import('./demo')).registerDemo },
  { name: 'compose print', summary: COMPOSE, load: async () => (await import('./compose-print')).registerComposePrint },
  { name: 'compose email', summary: COMPOSE, load: async () => (await import('./compose-email')).registerComposeEmail },
  { name: 'preview email', summary: 'preview one record of a template', load: async () => (await import('./compose-email')).registerPreviewEmail },
  { name: 'preflight', usage: TEMPLATE, summary: 'check a template against its data before production', load: async () => (await import('./preflight')).registerPreflight },
  { name: 'color', summary: 'colour management: ΔE2000, swatch books (.ase), nearest match, brand check', load: async () => (await import('./color')).registerColor },
  { name: 'pack', usage: TEMPLATE, summary: 'write a template folder as a .zip package', load: async () => (await import('./package')).registerPackage },
  { name: 'publish', usage: TEMPLATE, summary: 'publish a template to a Presswork server as a new version', load: async () => (await import('./package')).registerPackage },
  { name: 'approve', usage: TEMPLATE, summary: 'approve (or reject) one variant of a published version', load: async () => (await import('./approvals')).registerApprovals },
  { name: 'approvals', usage: TEMPLATE, summary: "a published version's approvals, or the approval report", load: async () => (await import('./approvals')).registerApprovals },
  { name: 'serve', usage: '[options]', summary: 'start the Presswork server (API, jobs, delivery, tracking)', load: async () => (await import('./serve')).registerServe },
  { name: 'token', summary: 'manage API tokens', load: async () => (await import('./token')).registerToken },
  { name: 'doctor', usage: '[options]', summary: 'check what Presswork needs on this machine and what fixes it', load: async () => (await import('./doctor')).registerDoctor },
];

/**
 * The leading words of the command line (`compose print` of `presswork compose print t --data d`), without
 * `help` (`presswork help compose` asks for compose's help). Program options come before them and take no value.
 */
function commandWords(args: readonly string[]): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < args.length && args[i]!.startsWith('-')) i++;
  for (; i < args.length && !args[i]!.startsWith('-'); i++) words.push(args[i]!);
  return words[0] === 'help' ? words.slice(1) : words;
}

const topWord = (e: CommandEntry) => e.name.split(' ')[0]!;

/**
 * Registers the commands for one run: the entries the command line names are loaded and registered in full;
 * every other command is listed by name, usage and summary only. `args` is the command line after `node presswork`.
 */
export async function registerCommands(program: Command, args: readonly string[]): Promise<void> {
  const words = commandWords(args);
  const named = COMMANDS.filter((e) => words.length > 0 && e.name.split(' ').every((p, i) => i >= words.length || words[i] === p));
  // One module may define several commands (pack and publish): each register function runs once.
  for (const register of new Set(await Promise.all(named.map((e) => e.load())))) register(program);
  const listed = new Map<Command, string>();
  for (const e of COMMANDS) {
    if (program.commands.some((c) => c.name() === topWord(e))) continue;
    listed.set(program.command(topWord(e)).summary(e.summary), e.usage ? `${topWord(e)} ${e.usage}` : topWord(e));
  }
  // `presswork --help` lists the commands in the table's order, loaded or not.
  const order = (c: Command) => COMMANDS.findIndex((e) => topWord(e) === c.name());
  (program.commands as Command[]).sort((a, b) => order(a) - order(b));
  const help = new Help();
  program.configureHelp({ subcommandTerm: (c) => listed.get(c) ?? help.subcommandTerm(c) });
}
