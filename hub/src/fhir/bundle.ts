// searchset Bundles with self/next/previous links a client can follow (offset paging).
import type { Page } from './search.ts';

export function searchset(
  base: string,
  path: string,
  query: Record<string, string[]>,
  page: Page,
  resources: Record<string, unknown>[],
  hasMore: boolean,
  total?: number,
) {
  const link = (offset: number) => {
    const u = new URLSearchParams();
    for (const [k, vs] of Object.entries(query)) if (k !== '_offset' && k !== '_count') for (const v of vs) u.append(k, v);
    u.set('_count', String(page.count));
    if (offset) u.set('_offset', String(offset));
    return `${base}/${path}?${u}`;
  };
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    ...(total === undefined ? {} : { total }),
    link: [
      { relation: 'self', url: link(page.offset) },
      ...(hasMore ? [{ relation: 'next', url: link(page.offset + page.count) }] : []),
      ...(page.offset > 0 ? [{ relation: 'previous', url: link(Math.max(0, page.offset - page.count)) }] : []),
    ],
    // FHIR JSON forbids empty arrays: an empty searchset has no entry at all
    ...(resources.length
      ? { entry: resources.map((r) => ({ fullUrl: `${base}/${r.resourceType}/${r.id}`, resource: r, search: { mode: 'match' } })) }
      : {}),
  };
}
