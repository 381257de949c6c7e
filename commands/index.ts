/** Registers every command. docs/commands.md's command table is checked against this list by a test. */
import { assignCommand } from './assign';
import { autoCommand } from './auto';
import { bindCommand } from './bind';
import { claimCommand } from './claim';
import { closeCommand } from './close';
import { customerCommand } from './customer';
import { helpCommand } from './help';
import { historyCommand } from './history';
import { issueCommand } from './issue';
import { langCommand } from './lang';
import { linkCommand } from './link';
import { macroCommand } from './macro';
import { mineCommand } from './mine';
import { noteCommand } from './note';
import { overdueCommand } from './overdue';
import { planCommand } from './plan';
import { priorityCommand } from './priority';
import { queueCommand } from './queue';
import { rateCommand } from './rate';
import { CommandRegistry } from './registry';
import { replyCommand } from './reply';
import { reportCommand } from './report';
import { resolveCommand } from './resolve';
import { searchCommand } from './search';
import { staffCommand } from './staff';
import { statusCommand } from './status';
import { subCommand } from './sub';
import { ticketCommand } from './ticket';
import { trainingCommand } from './training';
import type { CommandSpec } from './types';
import { unclaimCommand } from './unclaim';
import { unlinkCommand } from './unlink';
import { waitCommand } from './wait';
import { webCommand } from './web';

export function buildRegistry(): CommandRegistry {
  const registry = new CommandRegistry();
  const specs: CommandSpec[] = [
    ticketCommand,
    statusCommand,
    mineCommand,
    closeCommand,
    rateCommand,
    planCommand,
    trainingCommand,
    queueCommand,
    claimCommand,
    unclaimCommand,
    assignCommand,
    replyCommand,
    macroCommand,
    searchCommand,
    noteCommand,
    historyCommand,
    issueCommand,
    linkCommand,
    unlinkCommand,
    waitCommand,
    resolveCommand,
    priorityCommand,
    overdueCommand,
    reportCommand,
    bindCommand,
    autoCommand,
    customerCommand,
    subCommand,
    staffCommand,
    langCommand,
    webCommand,
  ];
  for (const spec of specs) registry.register(spec);
  registry.register(helpCommand(registry));
  return registry;
}
