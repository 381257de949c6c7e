/**
 * Whether a command may run here, for this speaker: the one set of checks every door uses
 * (the chat router and the web console), so that no door can be more permissive than the
 * other. Place first (a refusal that names where it can be used), then role (a community
 * user is pointed to the free channels instead), then the plan's entitlement.
 * The chat door registers an unknown speaker in a customer group between the two first
 * checks (src/router/context.ts adoptSpeaker), which is why they are separate.
 */
import { UserError } from '../core/errors';
import type { Locale } from '../core/i18n';
import type { Category, Role } from '../core/model';
import { freeChannels, notCovered } from './intake';
import { mayRun } from './roles';
import type { Audience, DeskServices, Place, PlaceKind } from './types';

/** What the checks read of a command (commands/types.ts CommandSpec has it all). */
export interface Admissible {
  readonly audience: readonly Audience[];
  readonly places: readonly PlaceKind[];
  readonly entitlement?: Category;
}

/** `typed`: the command word as the speaker typed it, which the refusal names. */
export function checkPlace(
  desk: DeskServices,
  spec: Admissible,
  place: Place,
  locale: Locale,
  typed: string,
): void {
  if (spec.places.includes(place.kind)) return;
  const t = (key: string) => desk.translator.t(locale, key);
  throw new UserError('refuse.place', {
    command: typed,
    places: spec.places.map((p) => t(`place.${p}`)).join(t('list.separator')),
  });
}

export async function checkRoleAndPlan(
  desk: DeskServices,
  spec: Admissible,
  role: Role | 'unknown',
  place: Place,
  locale: Locale,
  typed: string,
): Promise<void> {
  if (!mayRun(spec.audience, role)) {
    throw new UserError(place.kind === 'community' ? 'community.pointer' : 'refuse.role', {
      command: typed,
      who: desk.translator.t(locale, `audience.${spec.audience[0]}`),
      ...freeChannels(desk),
    });
  }
  if (spec.entitlement && place.customerId) {
    const { plan } = await desk.directory.effectivePlan(place.customerId);
    if (!desk.plans.covers(plan, spec.entitlement)) throw notCovered(desk, locale, spec.entitlement, plan.id);
  }
}
