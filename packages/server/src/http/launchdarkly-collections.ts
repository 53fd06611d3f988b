import { Type } from "typebox";

/** `limit`/`offset` query parameters as LaunchDarkly's list endpoints take them. */
export const LimitOffset = {
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 20 }),
  offset: Type.Integer({ minimum: 0, default: 0 }),
};

const link = (href: string) => ({ href, type: "application/json" });

/** A LaunchDarkly collection body: items, totalCount and `_links` to self/first/prev/next/last pages. */
export function launchDarklyCollection<T>(
  basePath: string,
  all: T[],
  page: { limit: number; offset: number },
  query = "",
) {
  const { limit, offset } = page;
  const href = (o: number) => `${basePath}?${query ? `${query}&` : ""}limit=${limit}&offset=${o}`;
  const lastOffset = all.length === 0 ? 0 : Math.floor((all.length - 1) / limit) * limit;
  const links: Record<string, { href: string; type: string }> = {
    self: link(href(offset)),
    first: link(href(0)),
    last: link(href(lastOffset)),
  };
  if (offset + limit < all.length) links.next = link(href(offset + limit));
  if (offset > 0) links.prev = link(href(Math.max(0, offset - limit)));
  return { items: all.slice(offset, offset + limit), totalCount: all.length, _links: links };
}

/** The `_links.self` of a single resource. */
export const selfLink = (href: string) => ({ self: link(href) });
