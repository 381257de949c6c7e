/**
 * The vendor's knowledge file (config/knowledge/*.json): question patterns → documentation
 * links, per locale. A customer whose new question matches gets the links in the
 * acknowledgement. Matching is in memory, over a few hundred patterns: it never delays the ticket.
 */
import type { Locale } from './i18n';

export interface KnowledgeLink {
  readonly title: string;
  readonly url: string;
}

export interface KnowledgeEntry {
  readonly id: string;
  readonly locale: Locale;
  /** A pattern matches when each of its words is in the question (any case, any order). */
  readonly patterns: readonly string[];
  readonly links: readonly KnowledgeLink[];
}

/** How many links an acknowledgement carries at most. */
export const KNOWLEDGE_LINKS = 3;

export class Knowledge {
  private readonly entries: ReadonlyArray<KnowledgeEntry & { readonly words: string[][] }>;

  constructor(entries: readonly KnowledgeEntry[]) {
    this.entries = entries.map((e) => ({ ...e, words: e.patterns.map((p) => fold(p).split(/\s+/u)) }));
  }

  get size(): number {
    return this.entries.length;
  }

  /** The links of the entries in `locale` that match the question, in file order, without repeats. */
  linksFor(question: string, locale: Locale): KnowledgeLink[] {
    const text = fold(question);
    const links = new Map<string, KnowledgeLink>();
    for (const entry of this.entries) {
      if (entry.locale !== locale) continue;
      if (!entry.words.some((words) => words.every((w) => text.includes(w)))) continue;
      for (const link of entry.links) if (!links.has(link.url)) links.set(link.url, link);
      if (links.size >= KNOWLEDGE_LINKS) break;
    }
    return [...links.values()].slice(0, KNOWLEDGE_LINKS);
  }
}

function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase().trim();
}
