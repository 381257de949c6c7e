/**
 * Which language a reader gets. One deployment may serve a Chinese WeChat group and an
 * English Slack workspace, so the language is chosen per reader, most specific first:
 * the person's own choice (`/lang en`), else the group's where the text is read
 * (`/lang group en`, `bind --locale`), else the deployment's (`GROUPDESK_LOCALE`).
 */
import type { Locale } from './i18n';

/** Whatever may carry a language choice: a Person, a Group, or nothing known. */
export interface LocaleHolder {
  readonly locale?: Locale | undefined;
}

/**
 * The reader's locale: `person.locale` ?? `group.locale` ?? `fallback`. Pass no group for
 * a direct message and no person for a whole channel.
 */
export function readerLocale(
  fallback: Locale,
  person?: LocaleHolder | undefined,
  group?: LocaleHolder | undefined,
): Locale {
  return person?.locale ?? group?.locale ?? fallback;
}
